"""The built add-on zip in a fresh fake Kodi, talking to the Trakt + AIOStreams simulator over real HTTP."""

from __future__ import annotations

import importlib.util
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from fake_kodi.host.plugin_runner import run_plugin
from fake_kodi.host.results import PluginResult
from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from trakt_cassettes.sim import Simulator, VirtualClock
from trakt_cassettes.sim.clock import parse_time

ROOT = Path(__file__).resolve().parents[3]
BUILD_SCRIPT = ROOT / "reference_addon" / "build.py"
SMALL_LIBRARY = ROOT / "trakt_cassettes" / "scenarios" / "small_library.yaml"
ADDON_ID = "plugin.video.aiostreams"
BASE = f"plugin://{ADDON_ID}/"


def load_build_module():
    """reference_addon/build.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("aiostreams_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-on zip built by build.py once per session."""
    return load_build_module().build(tmp_path_factory.mktemp("dist"))


def url(action: str = "", **params: object) -> str:
    """A plugin:// URL of the add-on (same form as plugin.url_for)."""
    if not action and not params:
        return BASE
    query = {"action": action, **{key: str(value) for key, value in params.items()}}
    return BASE + "?" + urlencode(sorted(query.items()))


class AddonWorld:
    """A fake Kodi with the add-on installed and its settings pointing at a served simulator."""

    def __init__(self, kodi: Kodi, sim: Simulator, server, manifest):
        self.kodi = kodi
        self.sim = sim
        self.server = server
        self.manifest = manifest

    @property
    def db_path(self) -> Path:
        return self.kodi.home.addon_data_dir(ADDON_ID) / "trakt_sync.db"

    def run(self, action: str = "", answers=(), **params: object) -> PluginResult:
        """Run one plugin:// call of the add-on."""
        return self.kodi.run(url(action, **params), answers=answers)

    def run_plugin(self, action: str = "", answers=(), **params: object) -> PluginResult:
        """Run a call the way RunPlugin does (handle -1): context actions and settings buttons."""
        return run_plugin(self.kodi.home, url(action, **params), answers, handle=-1)

    def sync(self) -> PluginResult:
        """A forced sync through the plugin route; asserts that it synced."""
        result = self.run("force_trakt_sync")
        messages = [n["message"] for n in result.notifications]
        assert any(m.startswith("Trakt sync finished") for m in messages), (messages, result.log)
        return result

    def trakt_requests(self) -> list[dict]:
        """Requests the simulator got on the Trakt API (OAuth and Stremio excluded)."""
        return [entry for entry in self.sim.request_log if entry.get("api") == "trakt"]

    def query(self, sql: str, params=()) -> list[tuple]:
        conn = sqlite3.connect(str(self.db_path))
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def notifications(self, result: PluginResult) -> list[str]:
        return [n["message"] for n in result.notifications]


@contextmanager
def make_world(kodi: Kodi, zip_path: Path, scenario) -> Iterator[AddonWorld]:
    """Install the zip, serve `scenario` (a path or a dict) on the home's clock, point the settings at it."""
    manifest = kodi.install(zip_path, dependencies=dependency_zips(zip_path))
    sim_source = Simulator.from_file(scenario) if isinstance(scenario, Path) else Simulator(scenario)
    kodi.clock.set(parse_time(sim_source.scenario.now))
    sim = Simulator(sim_source.scenario, clock=VirtualClock.from_file(kodi.clock.path))
    server = sim.serve(port=0)
    try:
        now = kodi.clock.now()
        kodi.set_settings(
            ADDON_ID,
            aiostreams_manifest_url=f"{server.url}/stremio/cfg/manifest.json",
            trakt_api_url=server.url,
            trakt_client_id="sim-client-id",
            trakt_client_secret="sim-client-secret",
            trakt_access_token=sim.scenario.user["access_token"],
            trakt_refresh_token=sim.scenario.user.get("refresh_token") or "",
            trakt_token_expires=str(int(now + 30 * 86400)),
        )
        yield AddonWorld(kodi, sim, server, manifest)
    finally:
        server.stop()


@pytest.fixture
def world(kodi: Kodi, built_zip: Path) -> Iterator[AddonWorld]:
    """small_library served by the simulator, the add-on installed, not synced yet."""
    with make_world(kodi, built_zip, SMALL_LIBRARY) as made:
        yield made


@pytest.fixture
def synced(world: AddonWorld) -> AddonWorld:
    """`world` after one forced sync (the mirror holds small_library), request log cleared."""
    world.sync()
    world.sim.request_log.clear()
    return world


def items_by_label(result: PluginResult) -> dict[str, dict]:
    """The listed items keyed by label."""
    return {item["label"]: item for item in result.items}
