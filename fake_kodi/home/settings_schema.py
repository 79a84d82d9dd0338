"""resources/settings.xml definitions (format version="1" and the legacy format) as Settings.

A Setting holds a typed default and value and validates text the way Kodi's CSetting* classes
do: FromString parses (strtol/strtod rules, 'true'/'false' for booleans), then the value must
pass the constraints (options, minimum/maximum, allowempty) or it is rejected silently.

Legacy types map as in Kodi's CAddonSettings (KODI_BEHAVIOUR.md section 2): bool->boolean,
number->integer, slider->number (option float, the default) or integer (int/percent),
enum->integer, labelenum->string, select->string (integer with lvalues), text/ipaddress->string,
file/folder/audio/video/image/executable->path, fileenum->path, date, time, addon,
rangeofnum->number; action with an id stores a string, without one it is a value-less action.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

SCALAR_KINDS = ("boolean", "integer", "number", "string")
# Kodi's CSettingString subclasses: the typed API treats them as strings.
STRING_SUBTYPES = ("string", "path", "date", "time", "addon", "urlencodedstring")

_INT_RE = re.compile(r"^\s*[+-]?\d+$")
_FLOAT_RE = re.compile(r"^\s*[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)$", re.IGNORECASE)


def parse_scalar(kind: str, text: str):
    """Kodi's fromString for one scalar kind; None when the text is not valid for it."""
    if kind == "boolean":
        low = text.lower()
        return True if low == "true" else False if low == "false" else None
    if kind == "integer":
        # strtol with an end-of-string check: '' parses as 0, trailing junk fails.
        if text == "":
            return 0
        return int(text) if _INT_RE.match(text) else None
    if kind == "number":
        if text == "":
            return 0.0
        return float(text) if _FLOAT_RE.match(text) else None
    return text


def format_scalar(kind: str, value) -> str:
    """Kodi's ToString for one scalar kind ('true', '7', '1.5', '3')."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        value = float(value)
        if math.isfinite(value) and value == int(value) and abs(value) < 1e16:
            return str(int(value))  # fmt's shortest form: 3.0 -> '3'
        return repr(value)
    return str(value)


@dataclass
class Setting:
    """One setting: kind, typed default and value, and its constraints."""

    id: str
    kind: str  # boolean | integer | number | string | action | list
    type_name: str  # the definition's type (path, date, list[string], ...)
    default: object = None
    value: object = None
    element_kind: str | None = None  # for lists
    options: list | None = None  # allowed values (typed); None means no check
    minimum: float | None = None
    maximum: float | None = None
    allow_empty: bool = True
    delimiter: str = "|"
    # Legacy integer/number settings never get default="true" in the user file (observed in Kodi 20).
    legacy_numeric: bool = False

    def __post_init__(self) -> None:
        if self.value is None:
            self.value = list(self.default) if isinstance(self.default, list) else self.default

    @property
    def scalar_kind(self) -> str:
        return self.element_kind if self.kind == "list" else self.kind

    def _valid(self, value) -> bool:
        """CheckValidity for one scalar value of this setting."""
        if self.scalar_kind == "string" and not self.allow_empty and value == "":
            return False
        if self.options is not None:
            return value in self.options
        if (
            self.scalar_kind in ("integer", "number")
            and self.minimum is not None
            and self.maximum is not None
        ):
            if self.minimum != self.maximum and not (self.minimum <= value <= self.maximum):
                return False
        return True

    def parse(self, text: str):
        """Typed value for `text`, or None when Kodi would reject it."""
        if self.kind == "action":
            return None
        if self.kind == "list":
            items = [] if text == "" else text.split(self.delimiter)
            parsed = [parse_scalar(self.element_kind or "string", item) for item in items]
            if any(p is None or not self._valid(p) for p in parsed):
                return None
            return parsed
        parsed = parse_scalar(self.kind, text)
        if parsed is None or not self._valid(parsed):
            return None
        return parsed

    def set_value(self, value) -> bool:
        """SetValue: True when stored (or unchanged), False when the constraints reject it."""
        if value == self.value:
            return True
        if self.kind == "list":
            if not all(self._valid(v) for v in value):
                return False
        elif not self._valid(value):
            return False
        self.value = list(value) if isinstance(value, list) else value
        return True

    def from_string(self, text: str) -> bool:
        """FromString: parse and store; False (value kept) when invalid."""
        parsed = self.parse(text)
        return parsed is not None and self.set_value(parsed)

    def to_string(self) -> str:
        """ToString, the text getSetting returns and the user file stores."""
        if self.kind == "action":
            return ""
        if self.kind == "list":
            return self.delimiter.join(format_scalar(self.element_kind or "string", v) for v in self.value)
        return format_scalar(self.kind, self.value)

    def is_default(self) -> bool:
        return self.to_string() == _default_string(self)

    def reset(self) -> None:
        self.value = list(self.default) if isinstance(self.default, list) else self.default


def _default_string(setting: Setting) -> str:
    probe = Setting(setting.id, setting.kind, setting.type_name, setting.default, None, setting.element_kind)
    probe.delimiter = setting.delimiter
    return probe.to_string()


@dataclass
class SettingsSchema:
    """All settings defined by one add-on, in definition order, plus parse warnings."""

    settings: list[Setting] = field(default_factory=list)
    version: int = 0
    warnings: list[str] = field(default_factory=list)


# ---- version="1" -------------------------------------------------------------------------

_XML_FALSE = ("off", "no", "disabled", "false", "0")


def _kind_of(type_name: str) -> tuple[str, str | None]:
    match = re.fullmatch(r"list\[(\w+)\]", type_name)
    if match:
        element = match.group(1)
        return "list", "string" if element in STRING_SUBTYPES else element
    if type_name in STRING_SUBTYPES:
        return "string", None
    return type_name, None


def _v1_scalar_default(kind: str, text: str | None):
    """XMLUtils::GetBoolean/GetInt/GetDouble/GetString on <default>."""
    if text is None:
        return None
    text = text.strip() if kind != "string" else text
    if kind == "boolean":
        return text.lower() not in _XML_FALSE
    if kind == "integer":
        match = re.match(r"^\s*[+-]?\d+", text)
        return int(match.group(0)) if match else 0
    if kind == "number":
        match = re.match(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text)
        return float(match.group(0)) if match else 0.0
    return text


def _v1_setting(el: ET.Element, warnings: list[str]) -> Setting | None:
    setting_id = el.get("id") or ""
    type_name = (el.get("type") or "").strip()
    kind, element_kind = _kind_of(type_name)
    if not setting_id or kind not in SCALAR_KINDS + ("action", "list"):
        warnings.append(f"setting {setting_id!r}: unknown type {type_name!r}, ignored")
        return None
    constraints = el.find("constraints")
    scalar = element_kind or kind
    options = None
    minimum = maximum = None
    allow_empty = False
    delimiter = "|"
    if constraints is not None:
        opts = constraints.find("options")
        if opts is not None and opts.findall("option"):
            options = [parse_scalar(scalar, (o.text or "")) for o in opts.findall("option")]
            options = [o for o in options if o is not None]
        if constraints.findtext("minimum") is not None:
            minimum = _v1_scalar_default("number", constraints.findtext("minimum"))
        if constraints.findtext("maximum") is not None:
            maximum = _v1_scalar_default("number", constraints.findtext("maximum"))
        allow_empty = (constraints.findtext("allowempty") or "").strip().lower() == "true"
        delimiter = constraints.findtext("delimiter") or "|"
    default_text = el.findtext("default")
    if kind == "action":
        return Setting(setting_id, "action", type_name, "", "")
    if kind == "list":
        items = [] if not default_text else default_text.split(delimiter)
        default = [v for v in (parse_scalar(scalar, i) for i in items) if v is not None]
    else:
        default = _v1_scalar_default(kind, default_text)
        if default is None:
            if kind != "string":
                warnings.append(f"setting {setting_id!r}: missing <default>, ignored (Kodi drops it too)")
                return None
            default = ""
    return Setting(
        setting_id,
        kind,
        type_name,
        default,
        element_kind=element_kind,
        options=options,
        minimum=minimum,
        maximum=maximum,
        allow_empty=allow_empty if scalar == "string" else True,
        delimiter=delimiter,
    )


def _parse_v1(root: ET.Element, schema: SettingsSchema) -> None:
    for el in root.iter("setting"):
        setting = _v1_setting(el, schema.warnings)
        if setting is not None:
            schema.settings.append(setting)


# ---- legacy (no version) ---------------------------------------------------------------------


class _LegacyIds:
    """Kodi names value-less legacy entries action0, label1, ... from one counter."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, prefix: str) -> str:
        name = f"{prefix}{self.next}"
        self.next += 1
        return name


def _legacy_setting(el: ET.Element, ids: _LegacyIds, warnings: list[str]) -> Setting | None:
    type_name = el.get("type") or ""
    setting_id = el.get("id") or ""
    default = el.get("default") or ""
    values = el.get("values") or ""
    lvalues = [v for v in (el.get("lvalues") or "").split("|") if v] if el.get("lvalues") else []
    if type_name in ("sep", "lsep"):
        return None
    if not setting_id or type_name == "action":
        if type_name == "action" and setting_id:
            return Setting(setting_id, "string", "action", default)
        name = ids.take("action" if type_name == "action" else "label")
        kind = "action" if type_name == "action" else "string"
        return Setting(name, kind, type_name or "label", "")
    simple = {
        "bool": ("boolean", "boolean"),
        "text": ("string", "string"),
        "ipaddress": ("string", "string"),
        "": ("string", "string"),
        "date": ("string", "date"),
        "time": ("string", "time"),
        "fileenum": ("string", "path"),
    }
    simple.update(
        {t: ("string", "path") for t in ("video", "audio", "image", "executable", "file", "folder")}
    )
    if type_name in simple:
        kind, type_out = simple[type_name]
        parsed = parse_scalar(kind, default) if kind == "boolean" else default
        return Setting(setting_id, kind, type_out, parsed if parsed is not None else False)
    if type_name == "number":
        return _legacy_int(setting_id, default)
    if type_name == "slider":
        option = (el.get("option") or "").lower()
        if option in ("", "float"):
            return _legacy_number(setting_id, default)
        if option in ("int", "percent"):
            return _legacy_int(setting_id, default)
        warnings.append(f"setting {setting_id!r}: slider with unknown option {option!r}, ignored")
        return None
    if type_name == "rangeofnum":
        return _legacy_number(setting_id, default)
    if type_name == "enum" or (type_name == "select" and lvalues):
        setting = _legacy_int(setting_id, default)
        if lvalues:
            count = len(lvalues)
        elif values == "$HOURS":
            count = 24  # Kodi expands $HOURS to the 24 hours of the day
        else:
            count = len(values.split("|")) if values else 0
        entries = [e for e in (el.get("entries") or "").split("|") if e]
        setting.options = [int(e) if _INT_RE.match(e) else 0 for e in entries[:count]] + list(
            range(len(entries), count)
        )
        return setting
    if type_name in ("labelenum", "select"):
        entries = [e for e in (el.get("entries") or "").split("|") if e]
        if not values and not lvalues:
            return Setting(setting_id, "string", "path" if el.get("source") else "string", default)
        options = values.split("|") if values and not lvalues else []
        options = [entries[i] if i < len(entries) else v for i, v in enumerate(options)] if options else None
        return Setting(setting_id, "string", "string", default, options=options or None)
    if type_name == "addon":
        multiselect = (el.get("multiselect") or "").lower() == "true"
        if multiselect:
            ids_ = [v for v in default.split(",") if v]
            return Setting(setting_id, "list", "list[addon]", ids_, element_kind="string", delimiter=",")
        return Setting(setting_id, "string", "addon", default.split(",")[0])
    warnings.append(f"setting {setting_id!r}: unknown legacy type {type_name!r}, ignored")
    return None


def _legacy_int(setting_id: str, default: str) -> Setting:
    parsed = parse_scalar("integer", default)
    return Setting(setting_id, "integer", "integer", parsed if parsed is not None else 0, legacy_numeric=True)


def _legacy_number(setting_id: str, default: str) -> Setting:
    parsed = parse_scalar("number", default)
    return Setting(setting_id, "number", "number", parsed if parsed is not None else 0.0, legacy_numeric=True)


def _parse_legacy(root: ET.Element, schema: SettingsSchema) -> None:
    ids = _LegacyIds()
    # Kodi reads settings directly under <settings> first, then each <category>.
    containers = [root] + root.findall("category")
    for container in containers:
        for el in container.findall("setting"):
            setting = _legacy_setting(el, ids, schema.warnings)
            if setting is not None:
                schema.settings.append(setting)


def parse_settings_definition(source: Path | bytes) -> SettingsSchema:
    """Parse resources/settings.xml; a missing or unreadable file gives an empty schema."""
    schema = SettingsSchema()
    try:
        data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
        root = ET.fromstring(data)
    except FileNotFoundError:
        return schema
    except ET.ParseError as exc:
        schema.warnings.append(f"settings.xml is not valid XML ({exc})")
        return schema
    if root.tag.lower() != "settings":
        schema.warnings.append("settings.xml has no <settings> root")
        return schema
    version = root.get("version") or "0"
    schema.version = int(version) if version.isdigit() else 0
    if schema.version:
        _parse_v1(root, schema)
    else:
        _parse_legacy(root, schema)
    # A repeated id refers to the first definition (Kodi turns it into a reference).
    seen: set[str] = set()
    unique = []
    for setting in schema.settings:
        if setting.id.lower() not in seen:
            seen.add(setting.id.lower())
            unique.append(setting)
    schema.settings = unique
    return schema
