"""Zip an add-on source folder the way Kodi wants it: one top-level folder named after the id, no caches.

Kept apart from the pytest plugin so the CLIs (`trakt-cassettes record --addon FOLDER`) can zip a
folder without importing pytest.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

EXCLUDED_PARTS = {"__pycache__", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def build_addon_zip(source: str | Path, destination: str | Path) -> Path:
    """Zip the add-on folder `source` into `destination` (a .zip path or a folder); returns the zip."""
    source = Path(source).resolve()
    if not (source / "addon.xml").is_file():
        raise FileNotFoundError(f"{source} is not an add-on folder (no addon.xml)")
    destination = Path(destination)
    zip_path = destination if destination.suffix == ".zip" else destination / f"{source.name}.zip"
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if (
                EXCLUDED_PARTS.intersection(relative.parts)
                or path.suffix in (".pyc", ".pyo")
                or not path.is_file()
            ):
                continue
            archive.write(path, f"{source.name}/{relative.as_posix()}")
    return zip_path
