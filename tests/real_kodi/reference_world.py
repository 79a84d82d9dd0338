"""The reference add-on's side of the real-Kodi lane: its zip, its settings file, and the fake Kodi's answer."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from trakt_cassettes.sim import Simulator, VirtualClock
from trakt_cassettes.sim.clock import parse_time

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "reference_addon" / "build.py"
SMALL_LIBRARY = ROOT / "trakt_cassettes" / "scenarios" / "small_library.yaml"
ADDON_ID = "plugin.video.aiostreams"
BASE = f"plugin://{ADDON_ID}/"
TOP_MOVIES = BASE + "?action=catalog&id=top&type=movie"
FORCE_SYNC = BASE + "?action=force_trakt_sync"
DATABASE_INFO = BASE + "?action=show_database_info"
# The fidelity report's routes: every listing a user browses, one page of each kind.
FIDELITY_ROUTES = (
    BASE,
    BASE + "?action=catalogs",
    TOP_MOVIES,
    BASE + "?action=catalog&id=trending&type=series",
    BASE + "?action=seasons&id=tt0903747",
    BASE + "?action=episodes&id=tt0903747&season=1",
    BASE + "?action=next_up",
    BASE + "?action=watchlist&type=movie",
    BASE + "?action=watchlist&type=show",
    BASE + "?action=tools",
)
# The fidelity report's table, printed in the terminal summary (pytest captures the test's own output).
FIDELITY_TABLE = pytest.StashKey[str]()
# The scenario's token as the add-on holds it: valid a year from the simulator's now.
TOKEN_LIFETIME = 365 * 86400


def build_zip(out_dir: Path) -> Path:
    """The add-on zip made by reference_addon/build.py (a script, so loaded by path)."""
    spec = importlib.util.spec_from_file_location("aiostreams_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(out_dir)


def addon_settings(sim: Simulator, server_url: str) -> dict[str, str]:
    """The add-on's settings pointing at a served simulator, as Kodi stores them (text).

    The token is valid from the simulator's now on: the wall clock for a simulator served to real Kodi
    (`Simulator.on_wall_clock`), the fake Kodi's clock for one that shares it.
    """
    user = sim.scenario.user
    return {
        "aiostreams_manifest_url": f"{server_url}/stremio/cfg/manifest.json",
        "trakt_api_url": server_url,
        "trakt_client_id": "sim-client-id",
        "trakt_client_secret": "sim-client-secret",
        "trakt_access_token": user["access_token"],
        "trakt_refresh_token": user.get("refresh_token") or "",
        "trakt_token_expires": str(int(sim.clock.now() + TOKEN_LIFETIME)),
        "auto_sync": "true",
        "sync_interval": "60",
    }


def overlays(items: list[dict[str, Any]]) -> dict[str, tuple[int, float, float]]:
    """label -> (playcount, resume position, resume total) from Files.GetDirectory items."""
    result = {}
    for item in items:
        resume = item.get("resume") or {}
        result[item["label"]] = (
            int(item.get("playcount") or 0),
            float(resume.get("position") or 0.0),
            float(resume.get("total") or 0.0),
        )
    return result


def fake_kodi_overlays(home: Path, zip_path: Path, url: str) -> dict[str, tuple[int, float, float]]:
    """The same page in a fresh fake Kodi synced against its own small_library simulator, as overlays().

    Fake Kodi's clock starts at the wall clock's now, as real Kodi's does, and the simulator shares it:
    both Kodis are compared at the same moment.
    """
    with Kodi(home) as fake:
        fake.install(zip_path, dependencies=dependency_zips(zip_path))
        scenario = Simulator.from_file(SMALL_LIBRARY).scenario
        fake.clock.set(max(time.time(), parse_time(scenario.now)))
        sim = Simulator(scenario, clock=VirtualClock.from_file(fake.clock.path))
        with sim.serve(port=0) as server:
            settings = addon_settings(sim, server.url)
            settings["auto_sync"] = "false"
            fake.set_settings(ADDON_ID, **settings)
            synced = fake.run(FORCE_SYNC)
            if synced.status == "exception":
                raise AssertionError(f"fake Kodi sync failed: {synced}")
            page = fake.run(url)
    if page.status != "directory":
        raise AssertionError(f"fake Kodi page {url} answered {page.status}")
    items = []
    for item in page.items:
        info = item.get("info", {})
        items.append(
            {"label": item["label"], "playcount": info.get("playcount"), "resume": info.get("resume")}
        )
    return overlays(items)


def fake_kodi_pages(
    home: Path,
    zip_path: Path,
    server_url: str,
    sim: Simulator,
    urls: Sequence[str],
    seconds: dict | None = None,
) -> dict:
    """url -> the fake Kodi's item records, after a forced sync against the served simulator (real time).

    `seconds`, when given, receives url -> how long the fake took to list it.
    """
    with Kodi(home) as fake:
        fake.install(zip_path, dependencies=dependency_zips(zip_path))
        settings = addon_settings(sim, server_url)
        settings["auto_sync"] = "false"
        fake.set_settings(ADDON_ID, **settings)
        synced = fake.run(FORCE_SYNC)
        if synced.status == "exception":
            raise AssertionError(f"fake Kodi sync failed: {synced}")
        pages = {}
        for url in urls:
            started = time.monotonic()
            page = fake.run(url)
            if seconds is not None:
                seconds[url] = round(time.monotonic() - started, 3)
            if page.status != "directory":
                raise AssertionError(f"fake Kodi page {url} answered {page.status}")
            pages[url] = page.items
    return pages


def wait_for(condition: Any, timeout: float, what: str) -> Any:
    """Poll `condition` every 50 ms until it returns something truthy; AssertionError naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)
