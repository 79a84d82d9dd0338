"""load_strings: strings.po (and legacy strings.xml) for getLocalizedString."""

from __future__ import annotations

from fake_kodi.home.strings import load_strings

EN_PO = r"""# Kodi Media Center language file
msgid ""
msgstr ""
"Language: en_GB\n"

msgctxt "#30000"
msgid "Trakt"
msgstr ""

msgctxt "#30001"
msgid "Next"
msgstr "Next up"

msgctxt "#30002"
msgid ""
"Two "
"parts with \"quotes\"\nand a newline"
msgstr ""

msgctxt "Addon Summary"
msgid "ignored"
msgstr ""
"""

DE_PO = """msgctxt "#30000"
msgid "Trakt"
msgstr "Trakt DE"

msgctxt "#30001"
msgid "Next"
msgstr ""
"""


def write_language(addon, language, name, text):
    folder = addon / "resources" / "language" / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_english_uses_msgid_when_msgstr_empty(tmp_path):
    write_language(tmp_path, "resource.language.en_gb", "strings.po", EN_PO)
    assert load_strings(tmp_path)[30000] == "Trakt"


def test_english_prefers_msgstr(tmp_path):
    write_language(tmp_path, "resource.language.en_gb", "strings.po", EN_PO)
    assert load_strings(tmp_path)[30001] == "Next up"


def test_multiline_and_escapes_are_decoded(tmp_path):
    write_language(tmp_path, "resource.language.en_gb", "strings.po", EN_PO)
    assert load_strings(tmp_path)[30002] == 'Two parts with "quotes"\nand a newline'


def test_only_numbered_contexts_are_strings(tmp_path):
    write_language(tmp_path, "resource.language.en_gb", "strings.po", EN_PO)
    assert sorted(load_strings(tmp_path)) == [30000, 30001, 30002]


def test_other_language_falls_back_to_english(tmp_path):
    write_language(tmp_path, "resource.language.en_gb", "strings.po", EN_PO)
    write_language(tmp_path, "resource.language.de_de", "strings.po", DE_PO)
    strings = load_strings(tmp_path, "resource.language.de_de")
    assert (strings[30000], strings[30001]) == ("Trakt DE", "Next up")


def test_legacy_strings_xml_is_read(tmp_path):
    write_language(
        tmp_path,
        "resource.language.en_gb",
        "strings.xml",
        '<strings><string id="30005">Old style</string></strings>',
    )
    assert load_strings(tmp_path) == {30005: "Old style"}


def test_no_language_folder_gives_no_strings(tmp_path):
    assert load_strings(tmp_path) == {}
