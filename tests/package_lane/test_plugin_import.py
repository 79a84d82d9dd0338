"""Loading the pytest plugin costs a project that does not use it nothing heavy: checked by what it imports.

pytest loads the plugin (entry point pytest11) in every run of every project where the harness is
installed; vcrpy, yaml, requests and fake_kodi's runtime are imported by the fixtures that need
them. The wall-clock figure is printed by plugin_cost.py (the package lane runs it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("vcr", "yaml", "requests", "responses", "jsonschema", "sqlite_utils")
RUNTIME = ("fake_kodi.kodi", "fake_kodi.host", "fake_kodi.home", "fake_kodi.addon_side", "trakt_cassettes.sim",
           "trakt_cassettes.config", "trakt_cassettes.replay_server", "trakt_cassettes.pytest_recording")  # fmt: skip
# Writes the modules imported once collection is done (what a `--co` run or any unrelated test run pays).
CONFTEST = """
import json, sys

def pytest_collection_finish(session):
    with open("modules.json", "w") as out:
        json.dump(sorted(sys.modules), out)
"""


def loaded_heavy(modules: list[str]) -> list[str]:
    return [
        name
        for name in modules
        if name.split(".")[0] in HEAVY or any(name == r or name.startswith(r + ".") for r in RUNTIME)
    ]


def test_importing_the_plugin_modules_imports_nothing_heavy() -> None:
    code = (
        "import json, sys, fake_kodi.pytest_plugin, trakt_cassettes.pytest_fixtures; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded_heavy(json.loads(done.stdout)) == []


def test_a_pytest_run_that_uses_no_fixture_of_it_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    assert 1 + 1 == 2\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
         "-p", "no:benchmark", "-p", "no:xdist", "-p", "no:randomly"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    modules = json.loads((tmp_path / "modules.json").read_text(encoding="utf-8"))
    # The plugin was loaded (so the check means something), and nothing heavy came with it.
    assert {"fake_kodi.pytest_plugin", "trakt_cassettes.pytest_fixtures"} <= set(modules)
    assert loaded_heavy(modules) == []
