"""Kodi's own strings that add-ons commonly show through xbmc.getLocalizedString(id).

Ids and English text as in Kodi's `addons/resource.language.en_gb/resources/strings.po`
(msgctxt "#<id>" / msgid). The fake ships only this small table; an id outside it reads as ''
like any id Kodi does not have. A home with a real `resource.language.en_gb` add-on installed
answers from that add-on's strings.po instead.
"""

from __future__ import annotations

from pathlib import Path

CORE_STRINGS_ADDON = "resource.language.en_gb"

CORE_STRINGS: dict[int, str] = {
    0: "Programs",
    1: "Pictures",
    2: "Music",
    3: "Videos",
    5: "Settings",
    106: "No",
    107: "Yes",
    117: "Delete",
    118: "Rename",
    137: "Search",
    186: "OK",
    190: "Save",
    192: "Clear",
    208: "Play",
    209: "Next",
    210: "Previous",
    222: "Cancel",
    257: "Error",
    283: "Search results",
    284: "No results found",
    342: "Movies",
    369: "Title",
    424: "Select",
    502: "Open",
    515: "Genre",
    551: "Name",
    552: "Date",
    562: "Year",
    563: "Rating",
    593: "All",
}


def load_core_strings(addon_path: str | Path | None) -> dict[int, str]:
    """Kodi's own strings: from an installed language add-on (`resources/strings.po`), else the table."""
    from fake_kodi.home.strings import parse_po

    po = Path(addon_path) / "resources" / "strings.po" if addon_path is not None else None
    if po is None or not po.is_file():
        return dict(CORE_STRINGS)
    entries = parse_po(po.read_text(encoding="utf-8", errors="replace"))
    return {string_id: msgstr or msgid for string_id, (msgid, msgstr) in entries.items()}
