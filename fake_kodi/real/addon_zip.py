"""Reading a Kodi add-on zip: its id, checked against its layout."""

from __future__ import annotations

import zipfile
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
