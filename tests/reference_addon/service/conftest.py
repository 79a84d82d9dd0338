"""Fixtures for the service, the legacy-cache migration and the device auth flow."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from fake_kodi.pytest_plugin import build_addon_zip

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


# --- the add-on installed in a fake Kodi, talking to the Trakt simulator over HTTP -----------------

sim_module = pytest.importorskip("trakt_cassettes.sim")

ADDON_ID = "plugin.video.aiostreams"
SCENARIOS = Path(__file__).resolve().parents[3] / "trakt_cassettes" / "scenarios"
SMALL_LIBRARY = SCENARIOS / "small_library.yaml"
BUILD_SCRIPT = ADDON_DIR.parent / "build.py"


@pytest.fixture(scope="session")
def addon_zip_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-on zip, built by reference_addon/build.py when it exists, else zipped the same way."""
    out = tmp_path_factory.mktemp("dist")
    if BUILD_SCRIPT.is_file():
        spec = importlib.util.spec_from_file_location("aiostreams_build", BUILD_SCRIPT)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "build"):
            return Path(module.build(out))
    return build_addon_zip(ADDON_DIR, out)


class World:
    """A fake Kodi with the add-on installed, its settings pointing at a served Trakt simulator."""

    def __init__(self, kodi: Kodi, sim, server):
        self.kodi = kodi
        self.sim = sim
        self.server = server

    @property
    def profile(self) -> Path:
        return self.kodi.home.addon_data_dir(ADDON_ID)

    @property
    def db_path(self) -> Path:
        return self.profile / "trakt_sync.db"

    def settings(self, **values) -> None:
        self.kodi.set_settings(ADDON_ID, **values)

    def requests(self, path: str | None = None) -> list[dict]:
        return [entry for entry in self.sim.request_log if path is None or entry["path"] == path]

    def syncs(self) -> int:
        """How many syncs reached Trakt: each starts with GET /sync/last_activities."""
        return len(self.requests("/sync/last_activities"))

    def prop(self, key: str) -> str:
        return self.kodi.window_property(f"{ADDON_ID}.{key}")


def make_world(kodi: Kodi, zip_path: Path, sim, server, **settings) -> World:
    kodi.install(zip_path, dependencies=dependency_zips(zip_path))
    kodi.clock.set(sim.clock.now())
    user = sim.scenario.user
    values = {
        "trakt_api_url": server.url,
        "trakt_client_id": sim.scenario.app.get("client_id", "sim-client-id"),
        "trakt_client_secret": sim.scenario.app.get("client_secret", "sim-client-secret"),
        "trakt_access_token": user.get("access_token") or "",
        "trakt_refresh_token": user.get("refresh_token") or "",
        "trakt_token_expires": str(int(sim.clock.now() + 30 * 86400)),
        "auto_sync": True,
        "sync_interval": 5,
    }
    values.update(settings)
    kodi.set_settings(ADDON_ID, **values)
    return World(kodi, sim, server)


@pytest.fixture
def sim():
    """A fresh simulator of the small_library scenario (its own clock: syncs take no virtual time)."""
    return sim_module.Simulator.from_file(SMALL_LIBRARY)


@pytest.fixture
def served(sim) -> Iterator:
    """The simulator on 127.0.0.1 (a free port)."""
    with sim.serve(port=0) as server:
        yield server


@pytest.fixture
def world(kodi: Kodi, addon_zip_path: Path, sim, served) -> World:
    """The add-on installed and authorised against the simulator; auto-sync on, every 5 minutes."""
    return make_world(kodi, addon_zip_path, sim, served)
