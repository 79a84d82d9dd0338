"""Fixtures for the service, the legacy-cache migration and the device auth flow."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ADDON_DIR = Path(__file__).resolve().parents[3] / "reference_addon" / "plugin.video.aiostreams"
ADDON_LIB = ADDON_DIR / "resources" / "lib"
if str(ADDON_LIB) not in sys.path:
    sys.path.insert(0, str(ADDON_LIB))

from database.connection import Database  # noqa: E402


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """An add-on profile folder (special://profile/addon_data/<id>)."""
    folder = tmp_path / "profile"
    folder.mkdir()
    return folder


@pytest.fixture
def mirror(profile: Path):
    """A fresh mirror database in the profile."""
    database = Database(str(profile / "trakt_sync.db"))
    yield database
    database.close()
