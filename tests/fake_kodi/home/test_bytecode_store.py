"""The bytecode store: caches compiled in one home seed the next install, and Python accepts them as its own."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from fake_kodi.home import bytecode_store
from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from fake_kodi.pytest_plugin import build_addon_zip

EXAMPLE = Path(__file__).resolve().parents[1] / "addons" / "plugin.video.example"
EXAMPLE_ID = "plugin.video.example"
EXAMPLE_MODULE = Path("resources") / "lib" / "example" / "plugin.py"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "store"
    monkeypatch.setenv(bytecode_store.STORE_ENV, str(folder))
    return folder


def cache_of(source: Path) -> Path:
    return Path(importlib.util.cache_from_source(str(source), optimization=bytecode_store.OPTIMIZATION))


def import_value(folder: Path) -> str:
    """`VALUE` of module `shared` imported from `folder` by a fresh interpreter optimised as Kodi's."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(folder)
    result = subprocess.run(
        [sys.executable, "-O", "-c", "import shared; print(shared.VALUE)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def compiled_in(folder: Path, text: str) -> types.SimpleNamespace:
    """A module `shared` with `text` in `folder`, imported once there (its cache written), as a module object."""
    folder.mkdir(parents=True)
    source = folder / "shared.py"
    source.write_text(text, encoding="utf-8")
    import_value(folder)
    return types.SimpleNamespace(__file__=str(source), __cached__=str(cache_of(source)))


def test_a_seeded_cache_is_accepted_by_python_and_an_edited_source_is_recompiled(
    store: Path, tmp_path: Path
) -> None:
    first = compiled_in(tmp_path / "home1" / "addon", 'VALUE = "from the store"\n')
    assert bytecode_store.harvest([first], tmp_path / "home1", since=0.0) == 1
    second = tmp_path / "home2" / "addon"
    second.mkdir(parents=True)
    (second / "shared.py").write_text('VALUE = "from the store"\n', encoding="utf-8")

    assert bytecode_store.seed(second) == 1
    seeded = cache_of(second / "shared.py")
    before = (seeded.read_bytes(), seeded.stat().st_mtime_ns)
    assert import_value(second) == "from the store"
    # Python used the seeded cache as it was: a cache it rejects is rewritten on import.
    assert (seeded.read_bytes(), seeded.stat().st_mtime_ns) == before

    (second / "shared.py").write_text('VALUE = "edited after install"\n', encoding="utf-8")
    assert import_value(second) == "edited after install"
    assert seeded.read_bytes() != before[0]


def test_caches_written_before_the_mark_are_not_harvested_again(store: Path, tmp_path: Path) -> None:
    module = compiled_in(tmp_path / "home" / "addon", "VALUE = 1\n")
    mark = bytecode_store.harvest_mark(tmp_path)
    assert mark is not None and mark >= os.stat(module.__cached__).st_mtime
    assert bytecode_store.harvest([module], tmp_path / "home", since=mark + 1) == 0
    assert not store.exists()
    # Modules from outside the home's add-ons (the runtime, the standard library) are never stored.
    assert bytecode_store.harvest([module, os], tmp_path / "elsewhere", since=0.0) == 0


def test_an_install_after_a_call_in_another_home_starts_with_the_caches(store: Path, tmp_path: Path) -> None:
    zip_path = build_addon_zip(EXAMPLE, tmp_path / "dist")
    first = Kodi(tmp_path / "home1")
    first.install(zip_path, dependencies=dependency_zips(zip_path))
    assert not cache_of(first.home.addon_dir(EXAMPLE_ID) / EXAMPLE_MODULE).exists()
    listed = first.run(f"plugin://{EXAMPLE_ID}/").labels
    assert cache_of(
        first.home.addon_dir(EXAMPLE_ID) / EXAMPLE_MODULE
    ).exists()  # written by the call, as Kodi does
    assert store.exists()

    second = Kodi(tmp_path / "home2")
    second.install(zip_path, dependencies=dependency_zips(zip_path))
    seeded = cache_of(second.home.addon_dir(EXAMPLE_ID) / EXAMPLE_MODULE)
    assert seeded.exists()
    before = seeded.read_bytes()
    assert second.run(f"plugin://{EXAMPLE_ID}/").labels == listed
    assert seeded.read_bytes() == before


def test_switched_off_nothing_is_stored_or_seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bytecode_store.STORE_ENV, "0")
    assert bytecode_store.store_dir() is None
    zip_path = build_addon_zip(EXAMPLE, tmp_path / "dist")
    first = Kodi(tmp_path / "home1")
    first.install(zip_path, dependencies=dependency_zips(zip_path))
    first.run(f"plugin://{EXAMPLE_ID}/")
    second = Kodi(tmp_path / "home2")
    second.install(zip_path, dependencies=dependency_zips(zip_path))
    assert not cache_of(second.home.addon_dir(EXAMPLE_ID) / EXAMPLE_MODULE).exists()
    assert bytecode_store.harvest_mark(tmp_path) is None


def test_a_store_that_cannot_be_written_costs_only_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "store"
    not_a_folder.write_text("a file where the store should be", encoding="utf-8")
    monkeypatch.setenv(bytecode_store.STORE_ENV, str(not_a_folder))
    module = compiled_in(tmp_path / "home" / "addon", "VALUE = 1\n")
    assert bytecode_store.harvest([module], tmp_path / "home", since=0.0) == 0
    zip_path = build_addon_zip(EXAMPLE, tmp_path / "dist")
    kodi = Kodi(tmp_path / "kodi")
    kodi.install(zip_path, dependencies=dependency_zips(zip_path))
    assert kodi.run(f"plugin://{EXAMPLE_ID}/").status == "directory"
