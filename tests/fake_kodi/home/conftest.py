"""Fixtures for the storage tests: a fresh Kodi home and a builder for add-on zips."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from fake_kodi.home.kodi_home import KodiHome


def addon_xml(
    addon_id: str = "plugin.video.example",
    version: str = "1.0.0",
    xbmc_python: str | None = "3.0.1",
    imports: str = "",
    extensions: str = '<extension point="xbmc.python.pluginsource" library="main.py"><provides>video</provides></extension>',
) -> str:
    """A small addon.xml; pieces replaceable per test."""
    python = f'<import addon="xbmc.python" version="{xbmc_python}"/>' if xbmc_python else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<addon id="{addon_id}" name="Example" version="{version}" '
        f'provider-name="tester"><requires>{python}{imports}</requires>{extensions}'
        '<extension point="xbmc.addon.metadata"><summary lang="en_GB">An example</summary>'
        "<assets><icon>resources/icon.png</icon></assets></extension></addon>"
    )


def make_zip(path: Path, entries: dict[str, bytes | str], symlinks: dict[str, str] | None = None) -> Path:
    """Write a zip with the given entries (names as given) and optional symlink entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


def addon_entries(addon_id: str = "plugin.video.example", **xml_kwargs) -> dict[str, bytes | str]:
    """Entries of a well-formed add-on zip."""
    return {
        f"{addon_id}/addon.xml": addon_xml(addon_id, **xml_kwargs),
        f"{addon_id}/main.py": "import xbmc\n",
        f"{addon_id}/resources/lib/routes.py": "ROUTES = {}\n",
    }


@pytest.fixture
def home(tmp_path: Path) -> KodiHome:
    """A fresh Kodi home (Kodi 20) in tmp_path/kodi."""
    return KodiHome(tmp_path / "kodi").create()


def tree(root: Path) -> set[str]:
    """Every path below root, relative, for before/after comparisons."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}
