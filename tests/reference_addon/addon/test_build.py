"""reference_addon/build.py: deterministic zip, only shipped files, installs cleanly."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from fake_kodi.module_addon import dependency_zips
from tests.reference_addon.addon.conftest import BUILD_SCRIPT, load_build_module


def test_two_builds_are_byte_identical(tmp_path):
    build = load_build_module().build
    first = build(tmp_path / "a").read_bytes()
    second = build(tmp_path / "b").read_bytes()
    assert first == second


def test_zip_has_one_top_folder_sorted_entries_and_fixed_timestamps(built_zip):
    with zipfile.ZipFile(built_zip) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert built_zip.name == "plugin.video.aiostreams-2.8.0.zip"
    assert {name.split("/")[0] for name in names} == {"plugin.video.aiostreams"}
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(2026, 11, 30, 0, 0, 0)}


def test_zip_ships_the_addon_and_nothing_else(built_zip):
    with zipfile.ZipFile(built_zip) as archive:
        names = set(archive.namelist())
    top = "plugin.video.aiostreams/"
    for required in (
        "addon.xml",
        "addon.py",
        "LICENSE.txt",
        "resources/settings.xml",
        "resources/language/resource.language.en_gb/strings.po",
        "resources/icon.png",
        "resources/fanart.jpg",
        "resources/lib/trakt.py",
        "resources/lib/aiostreams/kodi.py",
        "resources/lib/aiostreams/plugin.py",
    ):
        assert top + required in names, required
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".pyo")) or "/tests/" in n]


def test_build_script_runs_from_the_command_line(tmp_path):
    completed = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == str(tmp_path / "plugin.video.aiostreams-2.8.0.zip")


def test_zip_installs_into_fake_kodi_without_warnings(kodi, built_zip):
    manifest = kodi.install(built_zip, dependencies=dependency_zips(built_zip))
    assert manifest.id == "plugin.video.aiostreams" and manifest.version == "2.8.0"
    assert manifest.warnings == []
    assert manifest.plugin_library == "addon.py" and manifest.service_library == "service.py"


def test_settings_define_the_public_ids_with_defaults(kodi, built_zip):
    kodi.install(built_zip, dependencies=dependency_zips(built_zip))
    settings = kodi.settings("plugin.video.aiostreams")
    for setting_id in (
        "aiostreams_manifest_url",
        "trakt_client_id",
        "trakt_client_secret",
        "trakt_access_token",
        "trakt_refresh_token",
        "trakt_token_expires",
    ):
        assert settings[setting_id] == "", setting_id
    assert settings["trakt_api_url"] == "https://api.trakt.tv"
    assert settings["auto_sync"] == "true"
    assert settings["sync_interval"] == "5"


def test_every_label_in_settings_is_localised(built_zip):
    import re

    with zipfile.ZipFile(built_zip) as archive:
        settings = archive.read("plugin.video.aiostreams/resources/settings.xml").decode()
        strings = archive.read(
            "plugin.video.aiostreams/resources/language/resource.language.en_gb/strings.po"
        ).decode()
    labels = set(re.findall(r'label="(\d+)"', settings))
    defined = set(re.findall(r'msgctxt "#(\d+)"', strings))
    assert labels and labels <= defined, labels - defined


def test_tokens_can_be_cleared_to_empty(kodi, built_zip):
    kodi.install(built_zip, dependencies=dependency_zips(built_zip))
    kodi.set_settings("plugin.video.aiostreams", trakt_access_token="abc-token")
    kodi.set_settings("plugin.video.aiostreams", trakt_access_token="")
    assert kodi.get_setting("plugin.video.aiostreams", "trakt_access_token") == ""
