"""The add-on id of a zip, and the layouts Kodi would not accept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fake_kodi.real.addon_zip import addon_id_of_zip

ADDON_XML = '<addon id="{id}" name="x" version="1.0.0" provider-name="t"/>'


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_id_comes_from_the_single_top_folder(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "a.zip", {"plugin.video.a/addon.xml": ADDON_XML.format(id="plugin.video.a")}
    )
    assert addon_id_of_zip(archive) == "plugin.video.a"


def test_two_top_folders_are_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "b.zip", {"a/addon.xml": ADDON_XML.format(id="a"), "b/x.py": ""})
    with pytest.raises(ValueError, match=r"^b.zip: expected one top-level folder, found \['a', 'b'\]$"):
        addon_id_of_zip(archive)


def test_folder_must_match_the_addon_id(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "c.zip", {"plugin.c/addon.xml": ADDON_XML.format(id="plugin.other")})
    with pytest.raises(
        ValueError, match=r"^c.zip: folder 'plugin.c' does not match addon id 'plugin.other'$"
    ):
        addon_id_of_zip(archive)


def test_zip_without_addon_xml_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "d.zip", {"plugin.d/addon.py": ""})
    with pytest.raises(ValueError, match=r"^d.zip: no plugin.d/addon.xml$"):
        addon_id_of_zip(archive)
