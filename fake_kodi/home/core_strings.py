"""Kodi's own strings, the ones add-ons show through xbmc.getLocalizedString(id).

Kodi keeps them in its language add-on, `resource.language.en_gb/resources/strings.po`
(msgctxt "#<id>" / msgid; ~4,300 entries in Kodi 20.1). The fake reads the first it finds of:

1. the folder named by FAKE_KODI_LANGUAGE_ADDON or the home's `language_addon` option (options.py);
2. `resource.language.en_gb` installed in the home's addons/ (as a user-installed one wins in Kodi);
3. Kodi's own copy under special://xbmc/addons/ (Debian's kodi-data puts it in
   /usr/share/kodi/addons/resource.language.en_gb);
4. the small table below (ids and English text copied from Kodi 20.1's strings.po), where every
   other id reads as '' (README: "Where fake_kodi deliberately differs").
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
    # Labels real add-ons put on their own menus (KODI_BEHAVIOUR.md section 11).
    135: "Genres",
    136: "Playlists",
    184: "Refresh",
    590: "Random",
    1024: "Browse",
    16100: "All videos",
    16101: "Unwatched",
    16102: "Watched",
    16103: "Mark as watched",
    20342: "Movies",
    20343: "TV shows",
    20359: "Episode",
    20360: "Episodes",
    20373: "Season",
    20382: "Recently added",
    20387: "Recently added episodes",
    20389: "Music videos",
    21866: "Category",
    33063: "Options",
}


def core_strings_po(state_dir: Path, addons_dir: Path, xbmc_dir: Path) -> Path | None:
    """The strings.po Kodi's own strings come from (sources 1-3 above), or None for the table."""
    from fake_kodi.home.options import language_addon

    candidates = [
        language_addon(state_dir),
        addons_dir / CORE_STRINGS_ADDON,
        xbmc_dir / "addons" / CORE_STRINGS_ADDON,
    ]
    for folder in candidates:
        if folder is not None and (folder / "resources" / "strings.po").is_file():
            return folder / "resources" / "strings.po"
    return None


def load_core_strings(po_path: str | Path | None) -> dict[int, str]:
    """Kodi's own strings from a language add-on's strings.po, else the embedded table."""
    from fake_kodi.home.strings import parse_po

    if po_path is None or not Path(po_path).is_file():
        return dict(CORE_STRINGS)
    entries = parse_po(Path(po_path).read_text(encoding="utf-8", errors="replace"))
    return {string_id: msgstr or msgid for string_id, (msgid, msgstr) in entries.items()}
