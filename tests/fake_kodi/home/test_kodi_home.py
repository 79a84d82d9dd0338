"""KodiHome: the folder layout and special:// translation (KODI_BEHAVIOUR.md section 4)."""

from __future__ import annotations

import pytest

from fake_kodi.home.kodi_home import KodiHome


def test_create_makes_kodi_layout(tmp_path):
    home = KodiHome(tmp_path / "h").create()
    for sub in ("addons", "addons/packages", "userdata", "userdata/addon_data", "temp", ".fake_kodi"):
        assert (tmp_path / "h" / sub).is_dir(), sub
    assert home.log_path == tmp_path / "h" / "temp" / "kodi.log"


def test_create_is_idempotent(tmp_path):
    home = KodiHome(tmp_path / "h").create()
    (home.addons_dir / "keep.txt").write_text("x")
    home.create()
    assert (home.addons_dir / "keep.txt").read_text() == "x"


@pytest.mark.parametrize(
    ("special", "relative"),
    [
        ("special://home", ""),
        ("special://home/", ""),
        ("special://profile", "userdata/"),
        ("special://masterprofile/", "userdata/"),
        ("special://userdata/", "userdata/"),
        ("special://temp/", "temp/"),
        ("special://logpath/", "temp/"),
        ("special://profile/addon_data/plugin.x/", "userdata/addon_data/plugin.x/"),
        ("special://profile/addon_data/plugin.x", "userdata/addon_data/plugin.x"),
        ("special://home/addons/plugin.x/resources/", "addons/plugin.x/resources/"),
    ],
)
def test_translate_path_matches_kodi_table(home, special, relative):
    assert home.translate_path(special) == f"{home.root}/{relative}"


def test_translate_xbmc_is_install_folder(home):
    assert home.translate_path("special://xbmc/") == "/usr/share/kodi/"


def test_translate_unknown_special_root_is_empty(home):
    assert home.translate_path("special://nosuch/") == ""


def test_translate_leaves_real_paths_alone(home):
    assert home.translate_path("/tmp/file.txt") == "/tmp/file.txt"


def test_addon_data_dir_rejects_escaping_id(home):
    with pytest.raises(ValueError, match=r"invalid add-on id '\.\./x'"):
        home.addon_data_dir("../x")


def test_unsupported_kodi_version_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="kodi_version must be 20 or 21, not 19"):
        KodiHome(tmp_path, kodi_version=19)
