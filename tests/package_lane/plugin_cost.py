"""What the pytest plugin costs a project that does not use it: `pytest --co` with and without it.

    python -m tests.package_lane.plugin_cost [--runs N] [--python PYTHON]

Builds a small project (20 test files of 10 plain tests each) in a temporary folder, then times
`PYTHON -m pytest --co -q` there, alternating a run with the plugin and one with `-p no:fake_kodi`,
and prints the medians, the minima and their differences (the target is < 100 ms added), then the
time the plugin's own modules take to import after pytest (a figure the machine's load barely moves:
on a shared machine the `--co` difference is mostly noise).
The modules the plugin may not import are checked by test_plugin_import.py, not by a wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST_FILE = "".join(f"def test_{number}():\n    assert {number} + 1 > {number}\n\n\n" for number in range(10))


def make_project(folder: Path) -> Path:
    """A project with no harness test in it (what most pytest runs on a developer's machine look like)."""
    tests = folder / "tests"
    tests.mkdir(parents=True)
    for number in range(20):
        (tests / f"test_plain_{number}.py").write_text(TEST_FILE, encoding="utf-8")
    return folder


def time_collect(python: str, project: Path, *extra: str) -> float:
    """Seconds of one `pytest --co -q` (a fresh interpreter, as a developer's run)."""
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *extra],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pytest --co failed:\n{done.stdout}{done.stderr}")
    return elapsed


IMPORT_CODE = """
import time, pytest, _pytest.pytester
started = time.perf_counter()
import fake_kodi.pytest_plugin, trakt_cassettes.pytest_fixtures
print(time.perf_counter() - started)
"""


def plugin_import_seconds(python: str) -> float:
    """Seconds to import the plugin's modules in a fresh interpreter that has pytest imported already."""
    done = subprocess.run([python, "-c", IMPORT_CODE], capture_output=True, text=True, check=True)
    return float(done.stdout)


def measure(python: str, runs: int) -> dict[str, float]:
    """Median and minimum seconds with and without the plugin, the differences, the plugin's import time."""
    with tempfile.TemporaryDirectory(prefix="plugin-cost-") as tmp:
        project = make_project(Path(tmp))
        time_collect(python, project)  # warm the file cache and bytecode first
        with_plugin, without = [], []
        for _ in range(runs):
            with_plugin.append(time_collect(python, project))
            without.append(time_collect(python, project, "-p", "no:fake_kodi"))
    on, off = statistics.median(with_plugin), statistics.median(without)
    imports = statistics.median(plugin_import_seconds(python) for _ in range(runs))
    return {"with_plugin_s": on, "without_plugin_s": off, "added_ms": (on - off) * 1000.0,
            "added_min_ms": (min(with_plugin) - min(without)) * 1000.0, "plugin_import_ms": imports * 1000.0}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    figures = measure(args.python, args.runs)
    print(
        f"pytest --co, median of {args.runs}: {figures['with_plugin_s'] * 1000:.0f} ms with the plugin, "
        f"{figures['without_plugin_s'] * 1000:.0f} ms with -p no:fake_kodi, added {figures['added_ms']:.0f} ms "
        f"(fastest runs: added {figures['added_min_ms']:.0f} ms); importing the plugin's modules after pytest: "
        f"{figures['plugin_import_ms']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
