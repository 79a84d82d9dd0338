"""Fixtures of the fake_kodi tests: the example add-ons zipped and installed into a fresh fake Kodi."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.pytest_plugin import build_addon_zip

ADDONS = Path(__file__).resolve().parent / "addons"
EXAMPLE_ID = "plugin.video.example"


@pytest.fixture
def example_zip(tmp_path: Path) -> Path:
    """The example add-on built into a zip, as a developer would ship it."""
    return build_addon_zip(ADDONS / EXAMPLE_ID, tmp_path / "dist")


@pytest.fixture
def example_deps(module_addon_zips) -> list[Path]:
    """The module add-ons the example add-on requires (script.module.requests and its own), built once."""
    return module_addon_zips("requests")


@pytest.fixture
def example_kodi(kodi: Kodi, example_zip: Path, example_deps: list[Path]) -> Kodi:
    """The pytest plugin's `kodi` fixture with the example add-on installed from its zip, dependencies too."""
    kodi.install(example_zip, dependencies=example_deps)
    return kodi


PLUGIN_ONLY_XML = """<?xml version="1.0" encoding="UTF-8"?>
<addon id="{id}" name="{id}" version="0.1.0" provider-name="tests">
    <requires><import addon="xbmc.python" version="3.0.1"/></requires>
    <extension point="xbmc.python.pluginsource" library="main.py"><provides>video</provides></extension>
</addon>
"""


def write_addon_zip(tmp_path: Path, addon_id: str, files: dict[str, str]) -> Path:
    """A zip with one add-on folder holding `files` (addon.xml defaults to a plugin running main.py)."""
    import zipfile

    files = {"addon.xml": PLUGIN_ONLY_XML.format(id=addon_id), **files}
    zip_path = tmp_path / f"{addon_id}.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{addon_id}/{name}", text)
    return zip_path
