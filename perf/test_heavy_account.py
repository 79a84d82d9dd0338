"""The incremental watched sync on a heavy account: 100,000 plays, one more, then a sync.

The large library has few plays per show; this account has every episode of 2,500 shows watched, so
the `extended=min` map the incremental sync reads is as big as a heavy real account's. Measured: the
map's size, requests, wall time and peak RSS (fresh interpreter, real HTTP) of that sync, and the
full paged re-read it replaces.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time

import pytest

from perf.support import (
    BASE_URL,
    MAP_LIMIT,
    ROOT,
    Database,
    Simulator,
    SimulatorTimer,
    SyncEngine,
    copy_database,
    make_client,
    perf_scale,
)
from trakt_cassettes.cassettes.catalog import large_library_scenario

SEASONS, EPISODES = 4, 10


def heavy_scenario() -> dict:
    shows = max(10, int(2500 * perf_scale()))
    scenario = large_library_scenario(
        shows=shows, seasons_per_show=SEASONS, episodes_per_season=EPISODES, movies=40, watchlist=4
    )
    scenario["history"] = [
        {"show": f"tt1{n:07d}", "season": season, "episode": episode, "watched_at": "2026-06-01T20:00:00Z"}
        for n in range(1, shows + 1)
        for season in range(1, SEASONS + 1)
        for episode in range(1, EPISODES + 1)
    ]
    return scenario


@pytest.fixture(scope="module")
def heavy(tmp_path_factory):
    """A simulator with the heavy account and a mirror after its first sync (watched areas only)."""
    folder = tmp_path_factory.mktemp("heavy")
    sim = Simulator(heavy_scenario())
    db_path = str(folder / "first.db")
    db = Database(db_path)
    try:
        with sim.intercept(base_url=BASE_URL):
            assert SyncEngine(db, make_client(sim), sim.clock.now, metadata_budget=0).run().ok
            # The min map names episodes by Trakt id, which the mirror learns from each show's seasons: read
            # them all, as the service's metadata backfill has by then (paced under Trakt's GET limit).
            backfill = SyncEngine(
                db, make_client(sim), sim.clock.now, metadata_budget=len(sim.scenario.catalog.shows)
            )
            assert backfill.run().metadata_pending == 0
            sim.clock.advance(600)
            body = {"shows": [{"ids": {"trakt": 1}, "seasons": [{"number": 1, "episodes": [{"number": 1}]}]}]}
            assert make_client(sim).post("/sync/history", body)["added"]["episodes"] == 1
            sim.clock.advance(60)
    finally:
        db.close()
    return sim, db_path, folder


def _sync(sim: Simulator, source: str, target: str, force: bool) -> tuple[float, object, float]:
    """(wall seconds, report, of which seconds inside the simulator) of one sync of a copy of `source`."""
    copy_database(source, target)
    db = Database(target)
    timer = SimulatorTimer(sim)
    try:
        with sim.intercept(base_url=BASE_URL):
            started = time.perf_counter()
            report = SyncEngine(db, make_client(sim), sim.clock.now, metadata_budget=0).run(force=force)
            return time.perf_counter() - started, report, timer.seconds
    finally:
        db.close()


def map_requests(sim: Simulator) -> int:
    """last_activities, then every page of the shows' min map (every show here is watched)."""
    return 1 + math.ceil(len(sim.scenario.catalog.shows) / MAP_LIMIT["show"])


def test_one_new_play_on_a_heavy_account_costs_last_activities_and_the_map_pages(heavy, figures):
    sim, db_path, folder = heavy
    seconds, report, in_simulator = _sync(sim, db_path, str(folder / "incremental.db"), force=False)
    assert (report.requests, report.synced, report.failed) == (map_requests(sim), ["watched_shows"], {})
    full_seconds, full, _ = _sync(sim, db_path, str(folder / "full.db"), force=True)
    assert full.ok
    with sim.intercept(base_url=BASE_URL):
        answer = make_client(sim).get_map(
            "/sync/watched/shows", {"extended": "min", "specials": "true"}, limit=MAP_LIMIT["show"]
        )
    plays = sum(
        len(times) for seasons in answer.values() for eps in seasons.values() for times in eps.values()
    )
    assert plays == len(sim.scenario.history) + 1
    figures["heavy_account_new_play"] = {
        "plays": plays,
        "min_map_kb": round(len(json.dumps(answer, separators=(",", ":"))) / 1024),
        "requests": report.requests,
        "seconds": round(seconds, 3),
        "seconds_in_simulator": round(in_simulator, 3),
        "full_read_requests": full.requests,
        "full_read_seconds": round(full_seconds, 3),
    }


def test_peak_rss_of_the_incremental_sync_on_a_heavy_account(heavy, figures):
    sim, db_path, folder = heavy
    target = str(folder / "rss.db")
    copy_database(db_path, target)
    with sim.serve() as server:
        child = subprocess.run(
            [sys.executable, "-m", "perf.rss_child", server.url, target, sim.scenario.user["access_token"], "0"],
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert child.returncode == 0, child.stderr[-2000:]
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    assert measured["ok"] is True and measured["requests"] == map_requests(sim)
    figures.setdefault("heavy_account_new_play", {})["peak_rss_mb"] = round(measured["vm_hwm_kb"] / 1024, 1)
    figures["heavy_account_new_play"]["rss_child_requests"] = measured["requests"]
