"""Build the installable add-on zip: `python reference_addon/build.py [OUT_DIR]` -> dist/<id>-<version>.zip.

Deterministic: entries sorted, fixed timestamps and permissions, so two builds are byte-identical.
Only what Kodi needs ships (addon.xml, entry files, LICENSE, resources/), under one top folder
named after the add-on id; no __pycache__, .pyc or tests.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent / "plugin.video.aiostreams"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "dist"
TOP_LEVEL = ("addon.xml", "addon.py", "service.py", "LICENSE.txt", "README.md", "changelog.txt", "resources")
EXCLUDED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "tests", ".git"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".orig", ".rej", ".swp"}
FIXED_TIME = (2026, 11, 30, 0, 0, 0)  # the release date; zip timestamps never depend on the checkout
FILE_MODE = 0o100644 << 16


def addon_identity(addon_dir: Path = ADDON_DIR) -> tuple[str, str]:
    """(id, version) from addon.xml."""
    root = ET.parse(addon_dir / "addon.xml").getroot()
    return root.attrib["id"], root.attrib["version"]


def shipped_files(addon_dir: Path = ADDON_DIR) -> list[Path]:
    """Every file that goes into the zip, relative to the add-on folder, sorted."""
    files = []
    for name in TOP_LEVEL:
        path = addon_dir / name
        if path.is_file():
            files.append(Path(name))
        elif path.is_dir():
            for child in path.rglob("*"):
                relative = child.relative_to(addon_dir)
                if not child.is_file() or EXCLUDED_DIRS.intersection(relative.parts):
                    continue
                if child.suffix in EXCLUDED_SUFFIXES or child.name.startswith("."):
                    continue
                files.append(relative)
    return sorted(files, key=lambda p: p.as_posix())


def build(out_dir: str | Path = DEFAULT_OUT, addon_dir: str | Path = ADDON_DIR) -> Path:
    """Write `<out_dir>/<id>-<version>.zip` and return its path."""
    addon_dir = Path(addon_dir)
    addon_id, version = addon_identity(addon_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{addon_id}-{version}.zip"
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for relative in shipped_files(addon_dir):
            info = zipfile.ZipInfo(f"{addon_id}/{relative.as_posix()}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = FILE_MODE
            info.create_system = 3  # Unix, whatever the build host is
            archive.writestr(info, (addon_dir / relative).read_bytes())
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """CLI: build and print the zip's path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out_dir", nargs="?", default=str(DEFAULT_OUT), help="folder for the zip (default: dist/)"
    )
    args = parser.parse_args(argv)
    print(build(args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
