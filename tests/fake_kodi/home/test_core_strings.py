"""xbmc.getLocalizedString: Kodi's own strings, from the shipped table or an installed language add-on."""

from __future__ import annotations

import zipfile

import pytest

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
