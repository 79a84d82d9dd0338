"""Installed add-ons of one Kodi home: install a zip safely, list them, resolve dependencies.

install_zips (install_zip for one) checks every archive and resolves every `<requires>` as Kodi
does (dependencies.py) before it writes a byte, extracts each add-on into a temporary folder inside
addons/, then renames it into place, dependencies first; on any failure nothing is left behind and
nothing is written outside addons/ except kodi.log lines (Kodi's, for an unsatisfied dependency)
and the enabled flag in .fake_kodi/ after success.

A `script.module.*` dependency is satisfied only by an installed add-on, as in Kodi: nothing comes
from the test's own Python (`fake-kodi module-addon` turns a pip package into such an add-on).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_kodi.home import bytecode_store
from fake_kodi.home.addon_manifest import (  # re-exported: the agreed API lives in this module
    AddonManifest,
    ManifestError,
    Requirement,
    parse_addon_xml,
    version_tuple,
)
from fake_kodi.home.dependencies import Available, first_unsatisfied, install_order, is_provided_by_kodi
from fake_kodi.home.kodi_home import KodiHome, is_valid_addon_id
from fake_kodi.home.kodi_log import LOGERROR, LOGWARNING, KodiLog

__all__ = [
    "AddonManifest",
    "InstallError",
    "ManifestError",
    "Requirement",
    "enable_addon",
    "install_zip",
    "install_zips",
    "is_enabled",
    "load_installed",
    "parse_addon_xml",
    "python_paths",
    "set_enabled",
    "uninstall",
]

# xbmc.python API range each emulated Kodi accepts (its version and backwards-compatible ABI).
XBMC_PYTHON_RANGE = {20: ("3.0.0", "3.0.1"), 21: ("3.0.0", "3.0.1")}
# Other core add-ons an add-on may require, at the version each Kodi provides (measured in Debian's
# Kodi 20.1 and 21.2 by tests/real_kodi/test_kodi_versions.py: xbmc.addon 21.0.0 is refused by 20).
CORE_ADDON_VERSIONS = {20: {"xbmc.addon": "20.1.0"}, 21: {"xbmc.addon": "21.2.0"}}

MAX_TOTAL_BYTES = 200 * 1024 * 1024  # uncompressed size of one add-on zip
MAX_ENTRIES = 20_000
MAX_RATIO = 200  # uncompressed / compressed for one entry larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
_RESERVED_IDS = {"packages", "temp"}
_ENABLED_FILE = "addons.json"


class InstallError(Exception):
    """The zip cannot be installed; the message is one line naming the offending entry."""


def _is_ignored(parts: list[str]) -> bool:
    """Byte-code caches are accepted in a zip but never installed."""
    return "__pycache__" in parts or parts[-1].endswith((".pyc", ".pyo"))


def _entry_parts(info: zipfile.ZipInfo) -> list[str]:
    """The entry's path components after every safety check; raises InstallError."""
    name = info.filename
    if "\\" in name:
        raise InstallError(f"unsafe entry {name!r}: backslash in path")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise InstallError(f"unsafe entry {name!r}: absolute path")
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise InstallError(f"unsafe entry {name!r}: path escapes the add-on folder (zip-slip)")
    if any(part in ("", ".") for part in parts):
        raise InstallError(f"unsafe entry {name!r}: empty or '.' path component")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise InstallError(f"unsafe entry {name!r}: symbolic link")
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InstallError(f"unsafe entry {name!r}: not a regular file or folder")
    if info.flag_bits & 0x1:
        raise InstallError(f"unsupported entry {name!r}: encrypted")
    return parts


def _check_archive(
    zf: zipfile.ZipFile, max_total_bytes: int
) -> tuple[str, list[tuple[zipfile.ZipInfo, list[str]]]]:
    """Validate every entry; return the single root folder and the entries to extract."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InstallError(f"zip has {len(infos)} entries, more than the limit of {MAX_ENTRIES}")
    roots: set[str] = set()
    seen: set[str] = set()
    entries: list[tuple[zipfile.ZipInfo, list[str]]] = []
    total = 0
    for info in infos:
        parts = _entry_parts(info)
        if _is_ignored(parts):
            continue
        key = "/".join(parts)
        if key in seen:
            raise InstallError(f"duplicate entry {info.filename!r}")
        seen.add(key)
        if len(parts) == 1 and not info.is_dir():
            raise InstallError(
                f"entry {info.filename!r} is outside the add-on folder (files must be in <id>/)"
            )
        roots.add(parts[0])
        total += info.file_size
        if total > max_total_bytes:
            raise InstallError(
                f"zip expands to more than {max_total_bytes} bytes (at entry {info.filename!r})"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InstallError(f"entry {info.filename!r} has a suspicious compression ratio (zip bomb?)")
        entries.append((info, parts))
    if not roots:
        raise InstallError("zip is empty: expected one folder named after the add-on id")
    if len(roots) > 1:
        raise InstallError(f"zip has several top-level entries {sorted(roots)}: expected one add-on folder")
    return roots.pop(), entries


# What zipfile raises for damaged data: a bad CRC, corrupt deflate data, a size header that lies.
# OSError too: an offset that points nowhere makes the seek into the zip fail (EINVAL). Only reads of
# the zip are wrapped, so a write error (disk full) keeps its own cause.
DAMAGED_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError)


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, zip_path: Path) -> bytes:
    try:
        return zf.read(info)
    except DAMAGED_ZIP_ERRORS as exc:
        raise InstallError(f"{zip_path.name}: entry {info.filename!r} is damaged ({_damage(exc)})") from None


def _open_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Any:
    try:
        return zf.open(info)
    except DAMAGED_ZIP_ERRORS as exc:  # e.g. the local header names another file than the directory
        raise InstallError(f"entry {info.filename!r} is damaged ({_damage(exc)})") from None


def _read_chunk(src: Any, info: zipfile.ZipInfo) -> bytes:
    try:
        return src.read(1 << 16)
    except DAMAGED_ZIP_ERRORS as exc:
        raise InstallError(f"entry {info.filename!r} is damaged ({_damage(exc)})") from None


def _damage(exc: Exception) -> str:
    return (
        "its data ends before its size says" if isinstance(exc, EOFError) else str(exc) or type(exc).__name__
    )


def _extract(zf: zipfile.ZipFile, entries: list, target: Path, max_total_bytes: int) -> None:
    """Write the checked entries below `target`, counting real bytes (headers can lie)."""
    written = 0
    target_resolved = target.resolve()
    made: set[Path] = set()  # folders made (and resolved) already: once each, not once per file

    def make_folder(folder: Path, name: str) -> None:
        if folder in made:
            return
        if not folder.resolve().is_relative_to(target_resolved):
            raise InstallError(f"unsafe entry {name!r}: resolves outside the add-on folder")
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)

    for info, parts in entries:
        dest = target.joinpath(*parts[1:]) if len(parts) > 1 else target
        if info.is_dir():
            make_folder(dest, info.filename)
            continue
        # Its folder resolves inside, and its own name is a plain one (_entry_parts refuses '..', '.',
        # links): the file cannot land outside.
        make_folder(dest.parent, info.filename)
        with _open_entry(zf, info) as src, open(dest, "wb") as out:
            while chunk := _read_chunk(src, info):
                written += len(chunk)
                if written > max_total_bytes:
                    raise InstallError(
                        f"zip expands to more than {max_total_bytes} bytes (at entry {info.filename!r})"
                    )
                out.write(chunk)
            executable = (info.external_attr >> 16) & 0o111
            os.fchmod(out.fileno(), 0o755 if executable else 0o644)


def _check_compatible(home: KodiHome, manifest: AddonManifest) -> None:
    """Reject an xbmc.python (or xbmc.addon) requirement beyond what the emulated Kodi provides."""
    provided = CORE_ADDON_VERSIONS[home.kodi_version]
    for requirement in manifest.requires:
        have = provided.get(requirement.id)
        if have is not None and version_tuple(requirement.version) > version_tuple(have):
            raise InstallError(
                f"Add-on '{manifest.id}' is not compatible with Kodi: it requires {requirement.id} "
                f"{requirement.version}, Kodi {home.kodi_version} provides {have}"
            )
    if manifest.xbmc_python is None:
        return
    low, high = XBMC_PYTHON_RANGE[home.kodi_version]
    wanted = version_tuple(manifest.xbmc_python)
    if not version_tuple(low) <= wanted <= version_tuple(high):
        raise InstallError(
            f"Add-on '{manifest.id}' is not compatible with Kodi: it requires xbmc.python "
            f"{manifest.xbmc_python}, Kodi {home.kodi_version} provides {low} to {high}"
        )


def _harness_warnings(manifest: AddonManifest) -> list[str]:
    """Warnings Kodi does not log but a developer wants: things Kodi silently ignores."""
    warnings: list[str] = []
    if manifest.has_service_start_attribute:
        warnings.append(
            f"'{manifest.id}': the xbmc.service start=\"{manifest.service_start}\" attribute is obsolete "
            "since Kodi 18 and ignored (the service starts on enable and at every Kodi start)"
        )
    if manifest.xbmc_python is None and (
        manifest.plugin_library or manifest.service_library or manifest.script_library
    ):
        warnings.append(f"'{manifest.id}' has Python entry points but does not import xbmc.python")
    return warnings


@dataclass
class _Checked:
    """One zip after every check that needs no writing: its root folder, entries and manifest."""

    zip_path: Path
    root: str
    entries: list[tuple[zipfile.ZipInfo, list[str]]]
    manifest: AddonManifest


def _inspect(home: KodiHome, zip_path: Path, max_total_bytes: int) -> _Checked:
    """Check the archive and its addon.xml against the emulated Kodi; writes nothing."""
    if not zip_path.is_file():
        raise InstallError(f"no such zip file: {zip_path}")
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InstallError(f"{zip_path.name} is not a valid zip file ({exc})") from None
    with zf:
        root, entries = _check_archive(zf, max_total_bytes)
        if not is_valid_addon_id(root) or root in _RESERVED_IDS:
            raise InstallError(f"top-level folder {root!r} is not a valid add-on id")
        manifest_entry = next(
            (info for info, parts in entries if parts == [root, "addon.xml"] and not info.is_dir()), None
        )
        if manifest_entry is None:
            raise InstallError(f"{root}/addon.xml is missing from the zip (as a file)")
        try:
            manifest = parse_addon_xml(
                _read_entry(zf, manifest_entry, zip_path), addon_path=home.addons_dir / root
            )
        except ManifestError as exc:
            raise InstallError(f"{root}/addon.xml: {exc}") from None
    if manifest.id != root:
        raise InstallError(
            f"top-level folder {root!r} does not match the add-on id {manifest.id!r} in addon.xml"
        )
    _check_compatible(home, manifest)
    return _Checked(zip_path, root, entries, manifest)


def _stage(home: KodiHome, checked: _Checked, max_total_bytes: int) -> Path:
    """Extract into a new staging folder inside addons/ (the caller removes it); returns that folder."""
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=home.addons_dir))
    try:
        with zipfile.ZipFile(checked.zip_path) as zf:
            _extract(zf, checked.entries, staging / checked.root, max_total_bytes)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _commit(home: KodiHome, checked: _Checked, staging: Path) -> None:
    """Rename the staged add-on into place; the old version goes, or comes back if the rename fails."""
    final = home.addons_dir / checked.root
    previous = None
    if final.exists() or final.is_symlink():
        previous = staging / ".previous"
        os.rename(final, previous)
    try:
        os.rename(staging / checked.root, final)
    except OSError:
        if previous is not None:
            os.rename(previous, final)  # put the old version back
        raise


def zip_sources(sources: Iterable[str | Path]) -> list[Path]:
    """The zips to install: each source is a zip, or a folder whose *.zip files are all taken."""
    zips: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() == ".zip" and p.is_file())
            if not found:
                raise InstallError(f"{path} holds no add-on zips (*.zip)")
            zips.extend(found)
        else:
            zips.append(path)
    return zips


def _available(home: KodiHome, batch: dict[str, _Checked]) -> Available:
    """Installed add-ons, overridden by the ones about to be installed (enabled or not, as Kodi counts)."""
    entries = {addon_id: (m.version, m.abi, m.requires) for addon_id, m in load_installed(home).items()}
    for addon_id, checked in batch.items():
        m = checked.manifest
        entries[addon_id] = (m.version, m.abi, m.requires)
    return Available(entries)


def install_zips(
    home: KodiHome, sources: Iterable[str | Path], *, max_total_bytes: int = MAX_TOTAL_BYTES
) -> list[AddonManifest]:
    """Install several add-on zips (or folders of zips) as one request, dependencies first.

    Every zip is checked, and every `<requires>` resolved against the installed add-ons plus this
    batch the way Kodi does (dependencies.py), before anything is written: a refusal leaves the
    add-ons as they were and only logs Kodi's lines to kodi.log. The manifests come back in the
    order they were installed; each is enabled, with its warnings in `.warnings`.
    """
    zips = zip_sources(sources)
    if not zips:
        raise InstallError("nothing to install: no zip given")
    home.create()
    batch: dict[str, _Checked] = {}
    for zip_path in zips:
        checked = _inspect(home, zip_path, max_total_bytes)
        other = batch.get(checked.manifest.id)
        if other is not None:
            raise InstallError(
                f"add-on '{checked.manifest.id}' is given twice ({other.zip_path.name}, {zip_path.name})"
            )
        batch[checked.manifest.id] = checked
    available = _available(home, batch)
    for addon_id, checked in batch.items():
        failed = first_unsatisfied(addon_id, checked.manifest.requires, available)
        if failed is not None:
            # Kodi also logs failed.debug_line, at DEBUG: shown only with debug logging on.
            KodiLog(home.log_path).write(failed.error_line, LOGERROR)
            raise InstallError(failed.error_line)
    order = install_order(list(batch), lambda addon_id: [r.id for r in batch[addon_id].manifest.requires])
    # Every zip is extracted before any goes into place: a damaged entry (found only when its data
    # is read) in the last zip leaves the whole request uninstalled, not half of it.
    staged: dict[str, Path] = {}
    try:
        for addon_id in order:
            staged[addon_id] = _stage(home, batch[addon_id], max_total_bytes)
        for addon_id in order:
            _commit(home, batch[addon_id], staged[addon_id])
    finally:
        for staging in staged.values():
            shutil.rmtree(staging, ignore_errors=True)
    for addon_id in order:
        bytecode_store.seed(home.addons_dir / batch[addon_id].root)
    installed: list[AddonManifest] = []
    for addon_id in order:
        manifest = batch[addon_id].manifest
        manifest.warnings = _harness_warnings(manifest)
        set_enabled(home, manifest.id, True)
        manifest.enabled = True
        installed.append(manifest)
    return installed


def install_zip(
    home: KodiHome, zip_path: str | Path, *, max_total_bytes: int = MAX_TOTAL_BYTES
) -> AddonManifest:
    """Install (or atomically replace) and enable the add-on in `zip_path`; warnings in .warnings.

    Its required dependencies must be installed already (or use install_zips with all of them).
    """
    zip_path = Path(zip_path)
    if zip_path.is_dir():
        raise InstallError(f"{zip_path} is a folder, not a zip (install_zips takes folders of zips)")
    return install_zips(home, [zip_path], max_total_bytes=max_total_bytes)[0]


def _read_flags(home: KodiHome) -> dict[str, bool]:
    try:
        data = json.loads((home.state_dir / _ENABLED_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return {str(k): bool(v) for k, v in data.get("enabled", {}).items()}


def set_enabled(home: KodiHome, addon_id: str, enabled: bool) -> None:
    """Record the add-on's enabled flag (Kodi keeps it in its add-on database)."""
    flags = _read_flags(home)
    flags[addon_id] = bool(enabled)
    home.state_dir.mkdir(parents=True, exist_ok=True)
    tmp = home.state_dir / f".{_ENABLED_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"enabled": flags}, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, home.state_dir / _ENABLED_FILE)


def is_enabled(home: KodiHome, addon_id: str) -> bool:
    """True when the add-on is installed and enabled (unpacked by hand means disabled, as in Kodi)."""
    return (home.addons_dir / addon_id / "addon.xml").is_file() and _read_flags(home).get(addon_id, False)


def missing_dependency_line(dependency: str, addon_id: str) -> str:
    """CAddonMgr's warning when an add-on is enabled without a required dependency (measured, Kodi 20.1/21.2)."""
    return f"CAddonMgr: '{dependency}' required by '{addon_id}' is missing. Add-on may not function correctly"


def enable_addon(home: KodiHome, addon_id: str) -> AddonManifest:
    """Enable an add-on folder put into addons/ by hand, as Addons.SetAddonEnabled does in Kodi 20/21.

    Unlike a zip install, nothing is refused for dependencies (measured in the real-Kodi lane,
    tests/patterns/facts.py UNPACKED_DEPENDENCIES): Kodi walks the required (not optional) imports
    recursively, logs one warning per add-on that is not installed (naming the add-on being enabled),
    enables the installed ones too, and checks no versions: a too-old dependency is used as it is.
    An xbmc.python beyond the emulated Kodi's is refused (Kodi leaves it disabled with an error).
    """
    folder = home.addons_dir / addon_id
    if not (folder / "addon.xml").is_file():
        raise InstallError(f"no add-on folder {folder} (with an addon.xml) to enable")
    manifest = parse_addon_xml(folder / "addon.xml")
    if manifest.id != addon_id:
        raise InstallError(f"folder {folder.name!r} holds add-on {manifest.id!r}: Kodi ignores it")
    _check_compatible(home, manifest)
    needed: list[str] = []
    missing: list[str] = []

    def resolve(dep_id: str) -> None:
        # Kodi's CAddonMgr::ResolveDependencies: depth-first, optional imports skipped.
        if dep_id in needed or dep_id in missing:
            return
        xml = home.addons_dir / dep_id / "addon.xml"
        try:
            dep = parse_addon_xml(xml) if xml.is_file() else None
        except ManifestError:
            dep = None  # Kodi does not list an unreadable add-on as installed
        if dep is None:
            missing.append(dep_id)
            return
        needed.append(dep_id)
        for req in dep.requires:
            if not req.optional and not is_provided_by_kodi(req.id):
                resolve(req.id)

    resolve(addon_id)
    log = KodiLog(home.log_path)
    for dep_id in missing:
        log.write(missing_dependency_line(dep_id, addon_id), LOGWARNING)
    for dep_id in reversed(needed):  # dependencies first, as Kodi enables them
        set_enabled(home, dep_id, True)
    manifest.enabled = True
    manifest.warnings = _harness_warnings(manifest)
    return manifest


def uninstall(home: KodiHome, addon_id: str) -> None:
    """Remove an installed add-on folder (its addon_data stays, as in Kodi)."""
    shutil.rmtree(home.addon_dir(addon_id))
    flags = _read_flags(home)
    if flags.pop(addon_id, None) is not None:
        set_enabled(home, addon_id, False)


def load_installed(home: KodiHome) -> dict[str, AddonManifest]:
    """id -> manifest for every add-on folder with a readable addon.xml (broken ones skipped)."""
    flags = _read_flags(home)
    installed: dict[str, AddonManifest] = {}
    if not home.addons_dir.is_dir():
        return installed
    for folder in sorted(home.addons_dir.iterdir()):
        if folder.name.startswith(".") or folder.name in _RESERVED_IDS or not folder.is_dir():
            continue
        try:
            manifest = parse_addon_xml(folder / "addon.xml")
        except ManifestError:
            continue
        if manifest.id != folder.name:
            continue
        manifest.enabled = flags.get(manifest.id, False)
        installed[manifest.id] = manifest
    return installed


def python_paths(home: KodiHome, manifest: AddonManifest) -> list[str]:
    """sys.path entries for the add-on's installed dependencies (their `lib`), depth-first in <requires> order."""
    paths: list[str] = []
    visited = {manifest.id}

    def visit(requirements: list[Requirement]) -> None:
        for req in requirements:
            if req.id in visited or is_provided_by_kodi(req.id):
                continue
            visited.add(req.id)
            dep_xml = home.addons_dir / req.id / "addon.xml"
            if not dep_xml.is_file():
                continue  # a missing optional import: Kodi adds nothing for it
            try:
                dep = parse_addon_xml(dep_xml)
            except ManifestError:
                continue
            if dep.module_lib is not None:
                lib = str(dep.path / dep.module_lib)
                if lib not in paths:
                    paths.append(lib)
            visit(dep.requires)

    visit(manifest.requires)
    return paths
