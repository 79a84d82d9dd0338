"""The add-on id of a zip, and the layouts Kodi would not accept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fake_kodi.real.addon_zip import addon_id_of_zip, collect_addon_zips

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


def _ids(zips: list[Path]) -> list[str]:
    return [addon_id_of_zip(path) for path in zips]


def test_a_folder_of_addons_is_zipped_with_dependencies_first(tmp_path: Path) -> None:
    from tests.patterns.corpus import ADDONS_DIR

    zips = collect_addon_zips([], [ADDONS_DIR], tmp_path / "zips")
    ids = _ids(zips)
    assert sorted(ids) == sorted(path.name for path in ADDONS_DIR.iterdir() if (path / "addon.xml").is_file())
    assert ids.index("script.module.fkrouter") < ids.index("plugin.video.fkrouted")
    with zipfile.ZipFile(zips[ids.index("plugin.video.fklibentry")]) as archive:
        assert "plugin.video.fklibentry/resources/lib/entry.py" in archive.namelist()
        assert not [name for name in archive.namelist() if "__pycache__" in name or name.endswith(".pyc")]


def test_one_addon_folder_and_zips_keep_the_given_order(tmp_path: Path) -> None:
    from tests.patterns.corpus import ADDONS_DIR

    probe = make_zip(tmp_path / "probe.zip", {"p.probe/addon.xml": ADDON_XML.format(id="p.probe")})
    zips = collect_addon_zips([probe], [ADDONS_DIR / "plugin.video.fkprops"], tmp_path / "zips")
    assert _ids(zips) == ["p.probe", "plugin.video.fkprops"]


def test_the_same_addon_twice_is_refused(tmp_path: Path) -> None:
    from tests.patterns.corpus import ADDONS_DIR

    folder = ADDONS_DIR / "plugin.video.fkprops"
    with pytest.raises(ValueError, match=r"^plugin\.video\.fkprops given twice: "):
        collect_addon_zips([], [folder, folder], tmp_path / "zips")


def test_a_folder_without_addons_and_a_missing_folder_are_refused(tmp_path: Path) -> None:
    assert collect_addon_zips([], [tmp_path], tmp_path / "zips") == []
    with pytest.raises(ValueError, match="not a folder"):
        collect_addon_zips([], [tmp_path / "nope"], tmp_path / "zips")
