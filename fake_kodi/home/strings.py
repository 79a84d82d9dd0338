"""An add-on's localized strings (getLocalizedString): resources/language/<lang>/strings.po.

Entries are keyed by `msgctxt "#30001"`. The English file (`resource.language.en_gb`) is the
base: its msgid is used where msgstr is empty. Another language overlays its non-empty msgstr
values on that base, the way Kodi falls back to English for untranslated strings. The legacy
`strings.xml` (`<strings><string id="30001">text</string></strings>`) is read when no .po exists.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

FALLBACK_LANGUAGE = "resource.language.en_gb"

_CONTEXT_ID = re.compile(r"^#(\d+)$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str) -> str:
    """The value of one PO string literal "..." with C escapes decoded."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return ""
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def parse_po(text: str) -> dict[int, tuple[str, str]]:
    """string id -> (msgid, msgstr) for every entry whose msgctxt is '#<number>'."""
    entries: dict[int, tuple[str, str]] = {}
    fields: dict[str, str] = {}
    current: str | None = None

    def flush() -> None:
        match = _CONTEXT_ID.match(fields.get("msgctxt", ""))
        if match and "msgid" in fields:
            entries[int(match.group(1))] = (fields["msgid"], fields.get("msgstr", ""))
        fields.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and fields:
                flush()
                current = None
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr"):
            if keyword == "msgctxt" and fields:
                flush()
            current = keyword
            fields[keyword] = _unquote(rest)
        elif line.startswith('"') and current is not None:
            fields[current] += _unquote(line)
    if fields:
        flush()
    return entries


def _read_language(folder: Path) -> dict[int, tuple[str, str]]:
    po = folder / "strings.po"
    if po.is_file():
        return parse_po(po.read_text(encoding="utf-8", errors="replace"))
    xml = folder / "strings.xml"
    if xml.is_file():
        try:
            root = ET.parse(xml).getroot()
        except ET.ParseError:
            return {}
        return {
            int(el.get("id", "")): ("", el.text or "")
            for el in root.iter("string")
            if el.get("id", "").isdigit()
        }
    return {}


def _language_folder(base_dir: Path, language: str) -> Path:
    """The add-on's folder for `language`; Kodi finds `resource.language.en_GB` as `en_gb`."""
    exact = base_dir / language
    if exact.is_dir() or not base_dir.is_dir():
        return exact
    matches = [folder for folder in sorted(base_dir.iterdir()) if folder.name.lower() == language.lower()]
    return matches[0] if matches else exact


def load_strings(addon_path: Path, language: str = FALLBACK_LANGUAGE) -> dict[int, str]:
    """string id -> text for one add-on, English as the fallback for untranslated ids."""
    base_dir = Path(addon_path) / "resources" / "language"
    strings = {
        sid: msgstr or msgid
        for sid, (msgid, msgstr) in _read_language(_language_folder(base_dir, FALLBACK_LANGUAGE)).items()
    }
    if language != FALLBACK_LANGUAGE:
        for sid, (msgid, msgstr) in _read_language(_language_folder(base_dir, language)).items():
            if msgstr:
                strings[sid] = msgstr
            elif sid not in strings and msgid:
                strings[sid] = msgid
    return strings
