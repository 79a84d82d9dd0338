"""addon.xml: parse one add-on's manifest into an AddonManifest (getAddonInfo included).

Kept apart from addons.py (installation and the registry) so each module has one job;
addons.py re-exports everything here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from fake_kodi.home.kodi_home import is_valid_addon_id


class ManifestError(ValueError):
    """addon.xml is missing, malformed or lacks a required attribute."""


@dataclass(frozen=True)
class Requirement:
    """One <import addon=... version=... minversion=... optional=...> of <requires>."""

    id: str
    version: str
    optional: bool = False
    # Kodi's `minversion` attribute; '' means the import's version is the minimum (dependencies.py).
    min_version: str = ""


# getAddonInfo keys Kodi 20 answers (xbmcaddon Addon::getAddonInfo); any other raises.
INFO_KEYS = (
    "author",
    "changelog",
    "description",
    "disclaimer",
    "fanart",
    "icon",
    "id",
    "name",
    "path",
    "profile",
    "stars",
    "summary",
    "type",
    "version",
)

_METADATA_POINTS = ("xbmc.addon.metadata", "kodi.addon.metadata")
_LANGS = ("en_GB", "en_gb", "en", "en_US")


@dataclass
class AddonManifest:
    """What Kodi knows about one add-on from its addon.xml and folder."""

    id: str
    name: str
    version: str
    provider: str
    path: Path
    xbmc_python: str | None
    requires: list[Requirement]
    plugin_library: str | None
    plugin_provides: list[str]
    service_library: str | None
    service_start: str | None
    script_library: str | None
    module_lib: str | None
    metadata: dict[str, str]
    type_info: str
    warnings: list[str] = field(default_factory=list)
    enabled: bool = False
    has_service_start_attribute: bool = False
    # <backwards-compatibility abi=...>: the oldest version whose importers this version still serves.
    abi: str | None = None

    def info(self, key: str) -> str:
        """Addon.getAddonInfo(key) with Kodi 20's answers; RuntimeError for an unknown key."""
        if key not in INFO_KEYS:
            raise RuntimeError(f"'{key}' is an invalid Id")
        if key == "author":
            return self.provider
        if key == "id":
            return self.id
        if key == "name":
            return self.name
        if key == "version":
            return self.version
        if key == "path":
            return f"{self.path}/"
        if key == "profile":
            return f"special://profile/addon_data/{self.id}/"
        if key == "stars":
            return "-1"
        if key == "type":
            return self.type_info
        if key in ("icon", "fanart"):
            asset = self.metadata.get(key, "")
            return str(self.path / asset) if asset else ""
        if key == "changelog":
            return self.metadata.get("news", "")
        return self.metadata.get(key, "")


def _localized_text(parent: ET.Element, tag: str) -> str:
    """The en_GB (else unlabelled, else first) text of a possibly translated element."""
    elements = parent.findall(tag)
    if not elements:
        return ""
    for lang in _LANGS:
        for el in elements:
            if el.get("lang") == lang:
                return (el.text or "").strip()
    for el in elements:
        if el.get("lang") is None:
            return (el.text or "").strip()
    return (elements[0].text or "").strip()


def _parse_metadata(ext: ET.Element, addon_path: Path) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key in ("summary", "description", "disclaimer", "news", "license", "platform", "source", "website"):
        text = _localized_text(ext, key)
        if text:
            meta[key] = text
    assets = ext.find("assets")
    if assets is not None:
        for key in ("icon", "fanart"):
            text = (assets.findtext(key) or "").strip()
            if text:
                meta[key] = text
    else:
        # Without <assets> Kodi falls back to the old fixed file names when they exist.
        for key, name in (("icon", "icon.png"), ("fanart", "fanart.jpg")):
            if (addon_path / name).is_file():
                meta[key] = name
    return meta


def parse_addon_xml(source: Path | bytes, addon_path: Path | None = None) -> AddonManifest:
    """Parse addon.xml from a file path or its bytes; raises ManifestError with the reason.

    `addon_path` is the add-on's folder (default: the file's folder; required for bytes
    only if assets or the 'path' info matter).
    """
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        folder = Path(addon_path) if addon_path is not None else Path(".")
    else:
        source = Path(source)
        folder = Path(addon_path) if addon_path is not None else source.parent
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            raise ManifestError(f"addon.xml is missing: {source}") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ManifestError(f"addon.xml is not valid XML ({exc})") from None
    if root.tag != "addon":
        raise ManifestError(f"addon.xml root element is <{root.tag}>, not <addon>")
    missing = [attr for attr in ("id", "version", "name") if not (root.get(attr) or "").strip()]
    if missing:
        raise ManifestError(f"addon.xml <addon> lacks the attribute(s) {', '.join(missing)}")
    addon_id = root.get("id", "").strip()
    if not is_valid_addon_id(addon_id):
        raise ManifestError(f"addon.xml has an invalid add-on id {addon_id!r}")

    requires: list[Requirement] = []
    xbmc_python = None
    for imp in root.findall("requires/import"):
        dep_id = (imp.get("addon") or "").strip()
        if not dep_id:
            continue
        optional = (imp.get("optional") or "").strip().lower() == "true"
        requirement = Requirement(
            dep_id, (imp.get("version") or "").strip(), optional, (imp.get("minversion") or "").strip()
        )
        requires.append(requirement)
        if dep_id == "xbmc.python":
            xbmc_python = requirement.version

    backwards = root.find("backwards-compatibility")
    abi = (backwards.get("abi") or "").strip() or None if backwards is not None else None

    plugin_library = service_library = service_start = script_library = module_lib = None
    has_start = False
    plugin_provides: list[str] = []
    metadata: dict[str, str] = {}
    type_info = ""
    for ext in root.findall("extension"):
        point = (ext.get("point") or "").strip()
        if point in _METADATA_POINTS:
            metadata = _parse_metadata(ext, folder)
            continue
        if not type_info:
            # Kodi's add-on type is its first non-metadata extension point.
            type_info = point
        library = (ext.get("library") or "").strip() or None
        if point == "xbmc.python.pluginsource" and plugin_library is None:
            plugin_library = library
            plugin_provides = (ext.findtext("provides") or "").split()
        elif point == "xbmc.service" and service_library is None:
            service_library = library
            has_start = ext.get("start") is not None
            service_start = ext.get("start")
        elif point == "xbmc.python.script" and script_library is None:
            script_library = library
        elif point == "xbmc.python.module" and module_lib is None:
            module_lib = library or "lib"

    return AddonManifest(
        id=addon_id,
        name=root.get("name", "").strip(),
        version=root.get("version", "").strip(),
        provider=(root.get("provider-name") or "").strip(),
        path=folder.resolve(),
        xbmc_python=xbmc_python,
        requires=requires,
        plugin_library=plugin_library,
        plugin_provides=plugin_provides,
        service_library=service_library,
        service_start=service_start,
        script_library=script_library,
        module_lib=module_lib,
        metadata=metadata,
        type_info=type_info or "unknown",
        has_service_start_attribute=has_start,
        abi=abi,
    )


def version_tuple(version: str) -> tuple[int, ...]:
    """'3.0.1' -> (3, 0, 1); a '~beta1' or '+meta' suffix and non-numeric parts are ignored."""
    core = version.split("~", 1)[0].split("+", 1)[0]
    parts = []
    for piece in core.split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits) if digits else 0)
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)
