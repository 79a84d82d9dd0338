"""Item 3: simulator faults per area and at random points; failed areas keep rows and timestamps."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from aiostreams.sync_areas import AREA_NAMES

from .support import AREA_TABLES, area_rows, area_stamps, connect, show_metadata_rows, state_a, state_b
from .sync_world import SyncWorld, copy_mirror

EVERY = 1000  # a fault on every matching request
MAX_RETRIES = 4
AREA_PATHS = {
    "watched_movies": "^/sync/watched/movies",
    "watched_shows": "^/sync/watched/shows",
    "watchlist_movies": "^/sync/watchlist/movies",
    "watchlist_shows": "^/sync/watchlist/shows",
    "playback": "^/sync/playback",
    "hidden": "^/users/hidden/progress_watched",
}
RETRIED = [500, 502, 503, 504, 520, 521, 522]
NOT_RETRIED = [420, 426]
FATAL = [423]


def mirror_state(path: Path) -> dict:
    conn = connect(path)
    try:
        return {
            "rows": {area: area_rows(conn, area) for area in AREA_TABLES},
            "stamps": area_stamps(conn),
            "shows": show_metadata_rows(conn),
        }
    finally:
        conn.close()


class FaultBench:
    """A mirror synced from state A; the simulator serves state B; the clean B result for comparison."""

    def __init__(self, root: Path, served_sim):
        sim_a, server_a = served_sim(state_a())
        self.old_db = root / "old.db"
        world = SyncWorld(sim_a, server_a.url, self.old_db)
        assert world.engine.run(force=True).ok
        world.close()
        self.sim, server = served_sim(state_b())
        self.url = server.url
        self.old = mirror_state(self.old_db)
        clean = self.world(root / "clean.db")
        assert clean.engine.run().ok
        clean.close()
        self.new = mirror_state(root / "clean.db")
        assert all(self.old["rows"][a] != self.new["rows"][a] for a in AREA_NAMES)

    def world(self, db_path: Path, **options) -> SyncWorld:
        """A fresh copy of the old mirror and a client on the shared simulator (faults and log cleared)."""
        self.sim.reset(reset_clock=False)  # tokens a refresh rotated come back, faults and log go
        self.sim.clear_faults()
        self.sim.request_log.clear()
        return SyncWorld(self.sim, self.url, copy_mirror(self.old_db, db_path), **options)


@pytest.fixture(scope="module")
def bench(tmp_path_factory, served_sim) -> FaultBench:
    return FaultBench(tmp_path_factory.mktemp("faults"), served_sim)


def requests_to(sim, pattern: str) -> int:
    import re

    return sum(1 for entry in sim.request_log if re.search(pattern, entry["path"]))


def assert_area_kept_others_new(bench: FaultBench, db_path: Path, failed: set[str]) -> None:
    state = mirror_state(db_path)
    for area in AREA_NAMES:
        expected = bench.old if area in failed else bench.new
        assert state["rows"][area] == expected["rows"][area], area
        assert state["stamps"].get(area) == expected["stamps"].get(area), area


def run_with_fault(bench, tmp_path, area, figures, **fault):
    world = bench.world(tmp_path / "mirror.db")
    bench.sim.add_fault(path=AREA_PATHS[area], **fault)
    report = world.engine.run()
    world.close()
    figures.add("fault_cases")
    return world, report


@pytest.mark.parametrize("area", AREA_NAMES)
@pytest.mark.parametrize("status", RETRIED)
def test_server_errors_are_retried_a_bounded_number_of_times(bench, tmp_path, area, status, figures):
    world, report = run_with_fault(bench, tmp_path, area, figures, status=status, times=EVERY)
    assert requests_to(bench.sim, AREA_PATHS[area]) == MAX_RETRIES + 1
    assert report.failed[area].startswith("ServerUnavailableError: Trakt is unavailable (HTTP")
    backoffs = [2.0 * 2**step for step in range(MAX_RETRIES)]  # 2, 4, 8, 16 s plus up to 2 s jitter each
    assert sum(backoffs) <= sum(world.sleeps) <= sum(backoffs) + 2.0 * MAX_RETRIES
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", {area})


@pytest.mark.parametrize("area", AREA_NAMES)
@pytest.mark.parametrize("kind", ["timeout", "reset"])
def test_timeouts_and_resets_are_retried_then_the_area_keeps_its_rows(bench, tmp_path, area, kind, figures):
    _world, report = run_with_fault(bench, tmp_path, area, figures, kind=kind, real_delay=0.02, times=EVERY)
    assert requests_to(bench.sim, AREA_PATHS[area]) == MAX_RETRIES + 1
    assert report.failed[area].startswith("NetworkError: Trakt did not answer GET")
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", {area})


@pytest.mark.parametrize("area", AREA_NAMES)
@pytest.mark.parametrize("kind", ["malformed_json", "truncated_json"])
def test_broken_json_fails_only_its_area(bench, tmp_path, area, kind, figures):
    _world, report = run_with_fault(bench, tmp_path, area, figures, kind=kind, times=1)
    assert report.failed[area].startswith("MalformedResponseError: Trakt sent malformed JSON for GET")
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", {area})


@pytest.mark.parametrize("area", AREA_NAMES)
def test_one_429_is_waited_out_then_the_area_syncs(bench, tmp_path, area, figures):
    world, report = run_with_fault(bench, tmp_path, area, figures, status=429, headers={"Retry-After": "37"})
    assert report.ok, report.failed
    assert sum(world.sleeps) == 37
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", set())


@pytest.mark.parametrize("area", AREA_NAMES)
@pytest.mark.parametrize("status", NOT_RETRIED)
def test_account_limit_and_vip_statuses_are_not_retried(bench, tmp_path, area, status, figures):
    world, report = run_with_fault(bench, tmp_path, area, figures, status=status, times=EVERY)
    assert requests_to(bench.sim, AREA_PATHS[area]) == 1
    assert world.sleeps == []
    assert area in report.failed
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", {area})


@pytest.mark.parametrize("area", AREA_NAMES)
def test_locked_account_stops_the_run_and_keeps_the_rest_of_the_mirror(bench, tmp_path, area, figures):
    _world, report = run_with_fault(bench, tmp_path, area, figures, status=423, times=EVERY)
    assert requests_to(bench.sim, AREA_PATHS[area]) == 1
    assert report.failed[area].startswith("fatal: AccountLockedError")
    later = set(AREA_NAMES[AREA_NAMES.index(area) :])
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", later)


@pytest.mark.parametrize("area", AREA_NAMES)
def test_one_401_refreshes_once_then_the_area_syncs(bench, tmp_path, area, figures):
    world, report = run_with_fault(bench, tmp_path, area, figures, status=401, times=1)
    assert report.ok, report.failed
    assert requests_to(bench.sim, "^/oauth/token") == 1
    assert world.tokens.load().access_token != "test-token"
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", set())


@pytest.mark.parametrize("area", AREA_NAMES)
def test_a_rejected_refresh_ends_the_login_and_keeps_the_mirror(bench, tmp_path, area, figures):
    world = bench.world(tmp_path / "mirror.db")
    bench.sim.add_fault(path=AREA_PATHS[area], status=401, times=1)
    # Trakt's 2026 answer to a dead refresh token (contract tokenErrorResponseSchema.ts).
    invalid_grant = {
        "error": "invalid_grant",
        "error_description": "The provided authorization grant is invalid",
    }
    bench.sim.add_fault(path="^/oauth/token", status=400, body=invalid_grant, times=EVERY)
    report = world.engine.run()
    world.close()
    figures.add("fault_cases")
    assert report.failed[area].startswith("fatal: LoginExpired")
    assert requests_to(bench.sim, "^/oauth/token") == 1
    assert world.tokens.load() is None  # the dead pair is gone: nothing retries it
    assert_area_kept_others_new(bench, tmp_path / "mirror.db", set(AREA_NAMES[AREA_NAMES.index(area) :]))


def test_a_404_for_one_show_skips_it_and_the_rest_proceed(bench, tmp_path, figures):
    world = bench.world(tmp_path / "mirror.db")
    bench.sim.add_fault(path="^/shows/3/seasons", status=404, times=EVERY)
    report = world.engine.run()
    world.close()
    figures.add("fault_cases")
    assert report.ok, report.failed
    shows = mirror_state(tmp_path / "mirror.db")["shows"]
    assert shows[3][1] == ()  # remembered as fetched, with no episodes
    assert {show: rows for show, rows in shows.items() if show != 3} == {
        show: rows for show, rows in bench.new["shows"].items() if show != 3
    }


RANDOM_KINDS = [
    {"status": 503, "times": EVERY},
    {"kind": "reset", "real_delay": 0.02, "times": EVERY},
    {"kind": "truncated_json"},
    {"status": 420},
    {"status": 429, "headers": {"Retry-After": "5"}},
    {"status": 401},
]


@pytest.mark.parametrize("seed", range(24))
def test_a_fault_at_a_random_request_keeps_every_area_old_or_new_and_the_next_run_converges(
    bench, tmp_path, seed, figures
):
    rng = random.Random(seed)
    world = bench.world(tmp_path / "mirror.db")
    fault = dict(rng.choice(RANDOM_KINDS))
    bench.sim.add_fault(path="^/(sync|users|shows)/", nth=rng.randint(1, 9), **fault)
    report = world.engine.run()
    figures.add("fault_cases")
    state = mirror_state(tmp_path / "mirror.db")
    for area in AREA_NAMES:
        pair = (state["rows"][area], state["stamps"].get(area))
        options = [(s["rows"][area], s["stamps"].get(area)) for s in (bench.old, bench.new)]
        assert pair in options, (area, fault, report.failed)
    bench.sim.clear_faults()
    assert world.engine.run().ok
    world.close()
    assert mirror_state(tmp_path / "mirror.db")["rows"] == bench.new["rows"]
