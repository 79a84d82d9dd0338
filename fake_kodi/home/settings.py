"""An add-on's settings as one `Addon()` object sees them: a snapshot with Kodi's methods.

Behaviour follows KODI_BEHAVIOUR.md section 2 and Kodi 20's sources (CAddon, CAddonSettings,
CSettingsManager, xbmcaddon.Addon/Settings):
- each AddonSettings loads its own copy (defaults from resources/settings.xml, values from
  userdata/addon_data/<id>/settings.xml); it never sees later saves until reload();
- getSetting returns text ('' for an unknown id); typed getters raise TypeError on a type
  mismatch; setSetting takes text only, ignores invalid text, creates unknown ids;
- every set rewrites the user file in full (version="2") and calls on_saved(self), which the
  runtime uses to reload "the first live instance" and notify the service.

Deliberate reading of Kodi's source where the facts file is silent or differs:
- the user file lists settings in definition order, ids created by setSetting after them
  (checked in real Kodi 20.1 by the real-Kodi lane), action settings omitted; setting ids are
  case-insensitive;
- setSetting saves (and so notifies) even when the text was rejected, as Kodi's
  Addon::setSetting calls SaveSettings unconditionally.
"""

from __future__ import annotations

import os
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from fake_kodi.home.addon_manifest import AddonManifest
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.home.settings_schema import Setting, format_scalar, parse_settings_definition

LOGDEBUG = 0
_LIST_KINDS = {
    "boolean": "list[boolean]",
    "integer": "list[integer]",
    "number": "list[number]",
    "string": "list[string]",
}


def _xml_escape(text: str) -> str:
    """TinyXML's EncodeString, which Kodi uses to write the file."""
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "&" and text[i + 1 : i + 3] == "#x" and ";" in text[i:]:
            end = text.index(";", i)
            out.append(text[i : end + 1])  # an existing &#x..; reference passes through
            i = end + 1
            continue
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "'":
            out.append("&apos;")
        elif ord(ch) < 32:
            out.append(f"&#x{ord(ch):02X};")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def render_user_file(settings: list[Setting]) -> str:
    """The user settings.xml exactly as Kodi 20 writes it (no declaration, 4-space indent)."""
    lines = ['<settings version="2">']
    for setting in settings:
        if setting.kind == "action":
            continue
        attrs = f'id="{_xml_escape(setting.id)}"'
        if setting.is_default() and not setting.legacy_numeric:
            attrs += ' default="true"'
        value = setting.to_string()
        if value == "":
            lines.append(f"    <setting {attrs} />")
        else:
            lines.append(f"    <setting {attrs}>{_xml_escape(value)}</setting>")
    lines.append("</settings>")
    return "\n".join(lines) + "\n"


def user_file_path(home: KodiHome, addon_id: str) -> Path:
    """userdata/addon_data/<id>/settings.xml."""
    return home.addon_data_dir(addon_id) / "settings.xml"


def _atomic_write(path: Path, text: str) -> None:
    # Another interpreter may read the file at any moment: never let it see half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# A character reference such as &#x01;, and the stand-in it becomes while expat parses the file.
_CHAR_REF = re.compile(r"&#([xX][0-9A-Fa-f]{1,6}|[0-9]{1,7});")
_HIDDEN_REF = re.compile("\ue000([0-9a-f]{1,6})\ue001")


def _hide_control_refs(text: str) -> str:
    """Kodi writes a control character as &#x01; and its TinyXML reads it back; expat (XML 1.0) refuses
    such a reference, so it is hidden behind private-use marks for the parse and restored after."""

    def hide(match: re.Match) -> str:
        ref = match.group(1)
        code = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
        return f"\ue000{code:x}\ue001" if code < 0x20 and code not in (0x9, 0xA, 0xD) else match.group(0)

    return _CHAR_REF.sub(hide, text)


def _restore(value: str | None) -> str:
    return _HIDDEN_REF.sub(lambda match: chr(int(match.group(1), 16)), value or "")


def _read_user_values(path: Path) -> list[tuple[str, str, bool]]:
    """(id, text, default-flag) from a user file in version 2 or the old value= format."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        root = ET.fromstring(_hide_control_refs(text))
    except (FileNotFoundError, ET.ParseError):
        return []
    if root.get("version"):
        return [
            (_restore(el.get("id")), _restore(el.text), (el.get("default") or "").lower() == "true")
            for el in root.findall("setting")
        ]
    # Kodi's old value format: <setting id="x" value="y" />, possibly inside <category>.
    containers = root.findall("category") or [root]
    return [
        (_restore(el.get("id")), _restore(el.get("value")), False)
        for container in containers
        for el in container.findall("setting")
        if el.get("id") and el.get("value") is not None
    ]


def _require_str(value: object, arg: str, method: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f'argument "{arg}" for method "{method}" must be unicode or str')


class AddonSettings:
    """One snapshot of an add-on's settings with the methods of xbmcaddon.Addon and .Settings."""

    def __init__(
        self,
        home: KodiHome,
        manifest: AddonManifest,
        on_saved: Callable[[AddonSettings], None] | None = None,
        log: Callable[[str, int], None] | None = None,
    ):
        self.home = home
        self.manifest = manifest
        self.on_saved = on_saved
        self.log = log
        self.definition_path = manifest.path / "resources" / "settings.xml"
        self.user_path = user_file_path(home, manifest.id)
        self._settings: dict[str, Setting] = {}
        self.reload()

    # ---- loading and saving ------------------------------------------------------------

    def reload(self) -> None:
        """Reload definitions and the user file (what Kodi does to the first live instance)."""
        schema = parse_settings_definition(self.definition_path)
        self._settings = {s.id.lower(): s for s in schema.settings}
        for setting_id, text, is_default in _read_user_values(self.user_path):
            if not setting_id:
                continue
            setting = self._find(setting_id)
            if setting is None:
                # An unknown stored id becomes a hidden string setting whose default is its value.
                setting = self._add_unknown(setting_id, text)
            if setting.from_string(text) and is_default:
                setting.reset()

    def save(self) -> None:
        """Rewrite the user file in full and tell the runtime (on_saved)."""
        _atomic_write(self.user_path, render_user_file(list(self._settings.values())))
        if self.on_saved is not None:
            self.on_saved(self)

    def values(self) -> dict[str, str]:
        """id -> getSetting text for every setting of this snapshot."""
        return {s.id: s.to_string() for s in self._settings.values() if s.kind != "action"}

    def _find(self, setting_id: str) -> Setting | None:
        setting = self._settings.get(setting_id.lower())
        if setting is None and self.log is not None:
            self.log(f"CSettingsManager: requested setting ({setting_id}) was not found.", LOGDEBUG)
        return setting

    def _add_unknown(self, setting_id: str, text: str) -> Setting:
        setting = Setting(setting_id, "string", "string", text)
        self._settings[setting_id.lower()] = setting
        return setting

    # ---- xbmcaddon.Addon ---------------------------------------------------------------

    def getSetting(self, id: str) -> str:
        """Text of the setting; '' for an unknown id."""
        _require_str(id, "id", "getSetting")
        setting = self._find(id)
        return setting.to_string() if setting is not None else ""

    def _typed(self, id: str, kind: str):
        setting = self._find(id)
        if setting is None or setting.kind != kind:
            raise TypeError("Invalid setting type")
        return setting

    def getSettingBool(self, id: str) -> bool:
        return bool(self._typed(id, "boolean").value)

    def getSettingInt(self, id: str) -> int:
        return int(self._typed(id, "integer").value)

    def getSettingNumber(self, id: str) -> float:
        return float(self._typed(id, "number").value)

    def getSettingString(self, id: str) -> str:
        return str(self._typed(id, "string").value)

    def setSetting(self, id: str, value: str | None) -> None:
        """Store text; invalid text is ignored; an unknown id is created. Always saves."""
        _require_str(id, "id", "setSetting")
        if value is None:
            value = ""
        _require_str(value, "value", "setSetting")
        setting = self._find(id)
        if setting is None:
            setting = self._add_unknown(id, value)
        setting.from_string(value)
        self.save()

    def _set_typed(self, id: str, kind: str, value) -> bool:
        setting = self._find(id)
        if setting is None or setting.kind != kind or not setting.set_value(value):
            raise TypeError("Invalid setting type")
        self.save()
        return True

    def setSettingBool(self, id: str, value: bool) -> bool:
        return self._set_typed(id, "boolean", bool(value))

    def setSettingInt(self, id: str, value: int) -> bool:
        return self._set_typed(id, "integer", _as_int(value))

    def setSettingNumber(self, id: str, value: float) -> bool:
        return self._set_typed(id, "number", _as_float(value))

    def setSettingString(self, id: str, value: str) -> bool:
        _require_str(value, "value", "setSettingString")
        return self._set_typed(id, "string", value)

    # ---- xbmcaddon.Settings ------------------------------------------------------------

    def _settings_typed(self, id: str, kind: str, is_list: bool) -> Setting:
        setting = self._find(id)
        wanted = _LIST_KINDS[kind] if is_list else kind
        ok = setting is not None and (
            (setting.kind == "list" and setting.element_kind == kind) if is_list else setting.kind == kind
        )
        if not ok:
            raise TypeError(f'Invalid setting type "{wanted}" for "{id}"')
        return setting

    def getBool(self, id: str) -> bool:
        return bool(self._settings_typed(id, "boolean", False).value)

    def getInt(self, id: str) -> int:
        return int(self._settings_typed(id, "integer", False).value)

    def getNumber(self, id: str) -> float:
        return float(self._settings_typed(id, "number", False).value)

    def getString(self, id: str) -> str:
        return str(self._settings_typed(id, "string", False).value)

    def getBoolList(self, id: str) -> list[bool]:
        return [bool(v) for v in self._settings_typed(id, "boolean", True).value]

    def getIntList(self, id: str) -> list[int]:
        return [int(v) for v in self._settings_typed(id, "integer", True).value]

    def getNumberList(self, id: str) -> list[float]:
        return [float(v) for v in self._settings_typed(id, "number", True).value]

    def getStringList(self, id: str) -> list[str]:
        return [str(v) for v in self._settings_typed(id, "string", True).value]

    def _settings_set(self, id: str, kind: str, is_list: bool, value) -> None:
        setting = self._settings_typed(id, kind, is_list)
        if not setting.set_value(value):
            wanted = _LIST_KINDS[kind] if is_list else kind
            raise TypeError(f'Invalid setting type "{wanted}" for "{id}"')
        self.save()

    def setBool(self, id: str, value: bool) -> None:
        self._settings_set(id, "boolean", False, bool(value))

    def setInt(self, id: str, value: int) -> None:
        self._settings_set(id, "integer", False, _as_int(value))

    def setNumber(self, id: str, value: float) -> None:
        self._settings_set(id, "number", False, _as_float(value))

    def setString(self, id: str, value: str) -> None:
        _require_str(value, "value", "setString")
        self._settings_set(id, "string", False, value)

    def setBoolList(self, id: str, values: list[bool]) -> None:
        self._settings_set(id, "boolean", True, [bool(v) for v in values])

    def setIntList(self, id: str, values: list[int]) -> None:
        self._settings_set(id, "integer", True, [_as_int(v) for v in values])

    def setNumberList(self, id: str, values: list[float]) -> None:
        self._settings_set(id, "number", True, [_as_float(v) for v in values])

    def setStringList(self, id: str, values: list[str]) -> None:
        for v in values:
            _require_str(v, "values", "setStringList")
        self._settings_set(id, "string", True, list(values))


def _as_int(value: object) -> int:
    """Python's C-API integer conversion, with its exact error."""
    if not isinstance(value, int):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    return int(value)


def _as_float(value: object) -> float:
    """Python's C-API double conversion, with its exact error."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__float__"):
        raise TypeError(f"must be real number, not {type(value).__name__}")
    return float(value)  # type: ignore[arg-type]


def write_user_settings(home: KodiHome, manifest: AddonManifest, values: dict[str, str]) -> None:
    """Preset user values (tests, CLI): as if the user had set each one in Kodi's dialog."""
    snapshot = AddonSettings(home, manifest)
    for setting_id, text in values.items():
        setting = snapshot._find(setting_id) or snapshot._add_unknown(setting_id, text)
        if not setting.from_string(text):
            raise ValueError(f"invalid value {text!r} for setting {setting_id!r} of type {setting.type_name}")
    _atomic_write(snapshot.user_path, render_user_file(list(snapshot._settings.values())))


__all__ = ["AddonSettings", "render_user_file", "user_file_path", "write_user_settings", "format_scalar"]
