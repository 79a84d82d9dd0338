"""xbmc.getLocalizedString: Kodi's own strings, from the shipped table or an installed language add-on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fake_kodi.home.core_strings import core_strings_po, load_core_strings
from fake_kodi.kodi import Kodi

from ..conftest import EXAMPLE_ID

LANGUAGE_ID = "resource.language.en_gb"
LANGUAGE_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<addon id="{LANGUAGE_ID}" name="English" version="11.0.0" provider-name="tests">
    <requires><import addon="kodi.resource" version="1.0.0"/></requires>
    <extension point="kodi.resource.language" locale="en_GB"/>
</addon>
"""
LANGUAGE_PO = 'msgid ""\nmsgstr ""\n\nmsgctxt "#106"\nmsgid "Nope"\nmsgstr ""\n'


def core_string(kodi, string_id):
    return kodi.call(EXAMPLE_ID, "xbmc:getLocalizedString", [string_id])


@pytest.mark.parametrize(("string_id", "text"), [(106, "No"), (107, "Yes"), (186, "OK"), (222, "Cancel")])
def test_core_string_reads_kodis_english_text(example_kodi, string_id, text):
    assert core_string(example_kodi, string_id) == text


def test_core_string_outside_the_table_is_empty(example_kodi):
    assert core_string(example_kodi, 99999) == ""


def test_installed_language_addon_answers_instead_of_the_table(example_kodi, tmp_path):
    zip_path = tmp_path / f"{LANGUAGE_ID}.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(f"{LANGUAGE_ID}/addon.xml", LANGUAGE_XML)
        # Kodi's language add-ons keep their strings in resources/strings.po.
        archive.writestr(f"{LANGUAGE_ID}/resources/strings.po", LANGUAGE_PO)
    example_kodi.install(zip_path)
    assert core_string(example_kodi, 106) == "Nope"


KODI_STRINGS_PO = Path("/usr/share/kodi/addons/resource.language.en_gb/resources/strings.po")


def language_addon(folder: Path, entries: dict[int, str]) -> Path:
    """A language add-on folder whose resources/strings.po holds `entries`."""
    (folder / "resources").mkdir(parents=True)
    body = "".join(f'msgctxt "#{sid}"\nmsgid "{text}"\nmsgstr ""\n\n' for sid, text in entries.items())
    (folder / "resources" / "strings.po").write_text('msgid ""\nmsgstr ""\n\n' + body, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("string_id", "text"),
    [(135, "Genres"), (590, "Random"), (16101, "Unwatched"), (20343, "TV shows"), (20382, "Recently added")],
)
def test_the_table_has_the_labels_real_addons_use(tmp_path, string_id, text):
    # No language add-on anywhere (an empty special://xbmc): the embedded table answers.
    po = core_strings_po(tmp_path / "state", tmp_path / "addons", tmp_path / "xbmc")
    assert po is None
    assert load_core_strings(po)[string_id] == text


def test_kodis_own_language_addon_under_special_xbmc_is_read(tmp_path):
    xbmc = tmp_path / "xbmc"
    language_addon(xbmc / "addons" / LANGUAGE_ID, {20388: "Studios here"})
    po = core_strings_po(tmp_path / "state", tmp_path / "addons", xbmc)
    assert load_core_strings(po) == {20388: "Studios here"}


def test_the_environment_variable_names_the_language_addon(example_kodi, tmp_path, monkeypatch):
    folder = language_addon(tmp_path / "lang", {106: "Nein", 20382: "Neu"})
    monkeypatch.setenv("FAKE_KODI_LANGUAGE_ADDON", str(folder))
    assert [core_string(example_kodi, i) for i in (106, 20382, 107)] == ["Nein", "Neu", ""]


def test_the_home_option_names_the_language_addon(example_kodi, tmp_path):
    folder = language_addon(tmp_path / "lang", {590: "Zufall"})
    Kodi(example_kodi.home.root, language_addon=folder)
    assert core_string(example_kodi, 590) == "Zufall"


@pytest.mark.skipif(
    not KODI_STRINGS_PO.is_file(), reason="Kodi's language add-on (Debian's kodi-data) is not installed"
)
def test_debians_kodi_data_answers_every_core_string(example_kodi):
    # 20388 is not in the embedded table: only Kodi's own strings.po has it.
    assert core_string(example_kodi, 20388) == "Studios"
    assert core_string(example_kodi, 20382) == "Recently added"
