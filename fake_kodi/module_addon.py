"""Turn a pip distribution installed in this Python into a `script.module.*` add-on zip for tests.

    zips = module_addon_zips("requests")          # requests and what it requires, one zip each
    kodi.install(addon_zip, dependencies=zips)

Kodi's add-ons import third-party packages only from module add-ons (`<extension
point="xbmc.python.module" library="lib"/>`, the package under lib/), declared in `<requires>`.
The add-on built here holds the distribution's own files (from importlib.metadata's RECORD,
without its .dist-info, scripts or byte code), requires xbmc.python 3.0.0 and, by default, the
distributions it requires (extras left out), each built as its own module add-on. Ids follow
Kodi's official repository where it has the package (script.module.requests,
script.module.charset-normalizer, script.module.dateutil, script.module.yaml, ...), else
`script.module.<normalized name>`.

Zips are named `<id>-<version>.zip` and reused when one exists in the output folder, so a test
session (or a shared cache folder, default_cache_dir()) builds each once.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

# Distribution (normalized name) -> the id Kodi's official repository uses for it.
OFFICIAL_IDS: dict[str, str] = {
    "requests": "script.module.requests",
    "urllib3": "script.module.urllib3",
    "chardet": "script.module.chardet",
    "charset-normalizer": "script.module.charset-normalizer",
    "idna": "script.module.idna",
    "certifi": "script.module.certifi",
    "six": "script.module.six",
    "python-dateutil": "script.module.dateutil",
    "pytz": "script.module.pytz",
    "pyyaml": "script.module.yaml",
    "simplejson": "script.module.simplejson",
    "beautifulsoup4": "script.module.beautifulsoup4",
    "soupsieve": "script.module.soupsieve",
}
XBMC_PYTHON = "3.0.0"
# Bumped when the zips' layout changes, so a shared cache never serves an older layout.
FORMAT = "1"
_SKIPPED_SUFFIXES = (".pyc", ".pyo", ".pth")


class ModuleAddonError(ValueError):
    """The distribution is not installed here, or cannot be packed (no RECORD of its files)."""


def normalize(name: str) -> str:
    """PEP 503 name: lower case, runs of '-', '_', '.' as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def module_addon_id(dist_name: str) -> str:
    """The script.module.* id for a distribution name."""
    key = normalize(dist_name)
    return OFFICIAL_IDS.get(key, f"script.module.{key}")


def default_cache_dir() -> Path:
    """A per-user, per-Python folder in the temp dir where built module add-ons are kept."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    version = f"py{sys.version_info.major}{sys.version_info.minor}"
    return Path(tempfile.gettempdir()) / f"fake-kodi-module-addons-{user}" / f"v{FORMAT}-{version}"


def _distribution(name: str) -> metadata.Distribution:
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise ModuleAddonError(
            f"the distribution {name!r} is not installed in this Python ({sys.executable}); pip install it first"
        ) from None


def _required_distributions(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(name, minimum version or '') for each requirement that applies here without extras."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - packaging comes with pip and pytest
        Requirement = None  # noqa: N806
    found = []
    for text in dist.requires or []:
        if Requirement is None:
            if "extra" in text.partition(";")[2]:
                continue
            found.append((re.split(r"[\s;<>=!~\[(]", text, maxsplit=1)[0], ""))
            continue
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        minimum = next((s.version for s in req.specifier if s.operator in (">=", "==", "~=")), "")
        found.append((req.name, minimum.rstrip(".*")))
    return found


def _package_files(dist: metadata.Distribution) -> list[tuple[str, Path]]:
    """(path inside lib/, file on disk) for the distribution's importable files."""
    if dist.files is None:
        raise ModuleAddonError(f"{dist.metadata['Name']} has no RECORD of its files; reinstall it with pip")
    files = []
    for record in dist.files:
        parts = Path(str(record)).parts
        if not parts or parts[0] == ".." or parts[0].endswith((".dist-info", ".egg-info")):
            continue  # metadata, or scripts installed outside site-packages (bin/...)
        if "__pycache__" in parts or str(record).endswith(_SKIPPED_SUFFIXES):
            continue
        source = Path(str(dist.locate_file(record)))
        if source.is_file():
            files.append(("/".join(parts), source))
    if not files:
        raise ModuleAddonError(f"{dist.metadata['Name']} installs no importable files here")
    return files


def module_addon_xml(
    addon_id: str, name: str, version: str, summary: str, requires: list[tuple[str, str]]
) -> str:
    """The addon.xml of a module add-on (requires: (id, minimum version) pairs)."""
    imports = "".join(
        f"\n    <import addon={quoteattr(dep_id)} version={quoteattr(dep_version)}/>"
        for dep_id, dep_version in requires
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<addon id={quoteattr(addon_id)} name={quoteattr(name)} version={quoteattr(version)} "
        'provider-name="fake-kodi module-addon">\n'
        f'  <requires>\n    <import addon="xbmc.python" version="{XBMC_PYTHON}"/>{imports}\n  </requires>\n'
        '  <extension point="xbmc.python.module" library="lib"/>\n'
        '  <extension point="xbmc.addon.metadata">\n'
        f'    <summary lang="en_GB">{escape(summary)}</summary>\n'
        f'    <description lang="en_GB">{escape(name)} {escape(version)} packed from PyPI for tests</description>\n'
        "    <platform>all</platform>\n"
        "  </extension>\n"
        "</addon>\n"
    )


def _compression(source: Path) -> int:
    """Deflate, but store what would deflate past install's zip-bomb ratio (padded .so files of wheels).

    Pillow's manylinux wheel has a 2 MB libXau that deflates 220:1; deflated, `fake-kodi install` would
    refuse the module add-on built from it.
    """
    import zlib

    from fake_kodi.home.addons import MAX_RATIO, RATIO_FLOOR

    size = source.stat().st_size
    if size <= RATIO_FLOOR:
        return zipfile.ZIP_DEFLATED
    deflated = len(zlib.compress(source.read_bytes(), 6))
    return zipfile.ZIP_STORED if size > MAX_RATIO * deflated // 2 else zipfile.ZIP_DEFLATED


def _write_zip(target: Path, addon_id: str, xml: str, files: list[tuple[str, Path]]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{addon_id}/addon.xml", xml)
            for inner, source in sorted(files):
                archive.write(source, f"{addon_id}/lib/{inner}", _compression(source))
        # Atomic: a parallel test worker building the same zip never sees half of it.
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def build_module_addon(
    dist_name: str, out_dir: str | Path | None = None, *, dependencies: bool = True
) -> list[Path]:
    """Zip the installed distribution as a module add-on; with `dependencies`, its requirements too.

    Returns the zips, the asked one first; an existing `<id>-<version>.zip` in `out_dir` is reused.
    """
    out = Path(out_dir) if out_dir is not None else default_cache_dir()
    built: dict[str, Path] = {}

    def build(name: str) -> None:
        dist = _distribution(name)
        key = normalize(dist.metadata["Name"] or name)
        if key in built:
            return
        addon_id = module_addon_id(key)
        requires = []
        required = _required_distributions(dist)
        for dep_name, minimum in required:
            dep = _distribution(dep_name) if dependencies else None
            requires.append((module_addon_id(dep_name), minimum or (dep.version if dep else "0.0.0")))
        target = out / f"{addon_id}-{dist.version}.zip"
        built[key] = target
        if not target.is_file():
            xml = module_addon_xml(
                addon_id,
                dist.metadata["Name"] or name,
                dist.version,
                dist.metadata["Summary"] or key,
                requires,
            )
            _write_zip(target, addon_id, xml, _package_files(dist))
        if dependencies:
            for dep_name, _minimum in required:
                build(dep_name)

    build(dist_name)
    return list(built.values())


def module_addon_zips(*names: str, out_dir: str | Path | None = None) -> list[Path]:
    """Module add-on zips for the named distributions and everything they require (each once)."""
    zips: list[Path] = []
    for name in names:
        for path in build_module_addon(name, out_dir):
            if path not in zips:
                zips.append(path)
    return zips


def _distribution_for_id(addon_id: str) -> str | None:
    """The installed distribution whose module add-on has this id, if any."""
    for key, known in OFFICIAL_IDS.items():
        if known == addon_id:
            return key
    if not addon_id.startswith("script.module."):
        return None
    wanted = addon_id.removeprefix("script.module.")
    for dist in metadata.distributions():
        name = dist.metadata["Name"] or ""
        if normalize(name) == normalize(wanted):
            return name
    return None


def requirement_zips(requires: Iterable, out_dir: str | Path | None = None) -> list[Path]:
    """Module add-ons, built from this Python, for an add-on's `script.module.*` imports.

    `requires` are the add-on's Requirement objects (AddonManifest.requires). A required import
    with no installed distribution behind it raises ModuleAddonError; an optional one is skipped.
    """
    names = []
    for req in requires:
        if req.id.startswith(("xbmc.", "kodi.")):
            continue
        name = _distribution_for_id(req.id)
        if name is None:
            if req.optional:
                continue
            raise ModuleAddonError(f"no distribution installed in this Python provides {req.id}")
        names.append(name)
    return module_addon_zips(*names, out_dir=out_dir)


def dependency_zips(source: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """Module add-ons from this Python for the `script.module.*` imports of an add-on zip or source folder.

    For tools that install a developer's add-on into a fresh home (demo, record, replay): its
    dependencies then come from the packages the tool's own Python has, copied as Kodi would hold them.
    """
    from fake_kodi.home.addon_manifest import parse_addon_xml

    source = Path(source)
    if source.is_dir():
        manifest = parse_addon_xml(source / "addon.xml")
    else:
        with zipfile.ZipFile(source) as archive:
            name = next(n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/addon.xml"))
            manifest = parse_addon_xml(archive.read(name))
    return requirement_zips(manifest.requires, out_dir)
