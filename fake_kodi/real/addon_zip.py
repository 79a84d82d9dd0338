"""Kodi add-on zips: reading one's id (checked against its layout), building them from source folders."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree


def addon_id_of_zip(zip_path: Path) -> str:
    """The add-on id of a Kodi add-on zip: one top-level folder named after the id in its addon.xml."""
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        if len(tops) != 1:
            raise ValueError(f"{zip_path.name}: expected one top-level folder, found {sorted(tops)}")
        top = tops.pop()
        try:
            addon_xml = archive.read(f"{top}/addon.xml")
        except KeyError:
            raise ValueError(f"{zip_path.name}: no {top}/addon.xml") from None
    addon_id = ElementTree.fromstring(addon_xml).get("id")
    if addon_id != top:
        raise ValueError(f"{zip_path.name}: folder {top!r} does not match addon id {addon_id!r}")
    return addon_id


def zip_addon_folder(folder: Path, target_dir: Path) -> Path:
    """Zip an add-on source folder as Kodi wants it (one top-level folder named after the id, no bytecode)."""
    addon_xml = folder / "addon.xml"
    if not addon_xml.is_file():
        raise ValueError(f"{folder}: no addon.xml")
    addon_id = ElementTree.parse(addon_xml).getroot().get("id") or ""
    if not addon_id:
        raise ValueError(f"{addon_xml}: no add-on id")
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{addon_id}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, f"{addon_id}/{path.relative_to(folder).as_posix()}")
    return target


def collect_addon_zips(zips: Iterable[Path], folders: Iterable[Path], scratch: Path) -> list[Path]:
    """The zips to install: the given ones, then each folder's add-ons (zipped into `scratch`).

    A folder is one add-on (it holds addon.xml) or a folder of add-ons: every sub-folder with an addon.xml and
    every .zip in it. Duplicate ids are refused: Kodi would keep only one of them.
    """
    found = [Path(zip_path) for zip_path in zips]
    for folder in (Path(f) for f in folders):
        if not folder.is_dir():
            raise ValueError(f"{folder}: not a folder")
        if (folder / "addon.xml").is_file():
            found.append(zip_addon_folder(folder, scratch))
            continue
        entries = sorted(folder.iterdir())
        found += [zip_addon_folder(entry, scratch) for entry in entries if (entry / "addon.xml").is_file()]
        found += [entry for entry in entries if entry.suffix == ".zip" and entry.is_file()]
    ids: dict[str, Path] = {}
    for zip_path in found:
        try:
            addon_id = addon_id_of_zip(zip_path)
        except (OSError, zipfile.BadZipFile) as error:
            raise ValueError(f"{zip_path}: not an add-on zip ({error})") from None
        if addon_id in ids:
            raise ValueError(f"{addon_id} given twice: {ids[addon_id]} and {zip_path}")
        ids[addon_id] = zip_path
    return _dependencies_first(ids)


def _required_ids(zip_path: Path, addon_id: str) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        root = ElementTree.fromstring(archive.read(f"{addon_id}/addon.xml"))
    return [item.get("addon", "") for item in root.iterfind("requires/import")]


def _dependencies_first(zips: dict[str, Path]) -> list[Path]:
    # Given order kept, but an add-on comes after the given add-ons it imports: they are enabled in this
    # order once Kodi runs, and the first zip stays first unless it depends on another one.
    ordered: list[str] = []

    def place(addon_id: str, seen: tuple[str, ...]) -> None:
        if addon_id in ordered or addon_id in seen:
            return  # placed already, or an import cycle (Kodi refuses those itself)
        for required in _required_ids(zips[addon_id], addon_id):
            if required in zips:
                place(required, (*seen, addon_id))
        ordered.append(addon_id)

    for addon_id in zips:
        place(addon_id, ())
    return [zips[addon_id] for addon_id in ordered]
