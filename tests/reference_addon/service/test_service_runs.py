"""What the service does around the sync: abort latency, the cross-process lock, tokens, errors, pacing."""

from __future__ import annotations

import json
import sqlite3
import time

from database.connection import ProcessLock

from .conftest import ADDON_ID, make_world, sim_module

MINUTE = 60.0
ABORT_BUDGET_MS = 1000.0
EVERY = 1000  # a fault that fires on every matching request (add_fault drops times=None)


def wait_for_request(world, path: str, timeout: float = 30.0) -> None:
    """Block (real time) until the simulator has seen a request to `path`."""
    deadline = time.monotonic() + timeout
    while not world.requests(path):
        if time.monotonic() > deadline:
            raise AssertionError(f"no request to {path} within {timeout} s: {world.requests()}")
        time.sleep(0.01)


def test_abort_while_idle_returns_within_a_second(world):
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(10 * MINUTE)
        result = service.abort()
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS


def test_abort_during_a_sync_returns_within_a_second(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, auto_sync=False)
    sim.add_fault(path="^/sync/", kind="slow", real_delay=0.3, times=EVERY)
    service = world.kodi.start_service(ADDON_ID)
    try:
        service.schedule(0.0, "setting", "auto_sync=true")
        service.advance(5, wait=False)
        wait_for_request(world, "/sync/watched/movies")
        result = service.abort_now()
    finally:
        service.close()
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    assert not world.requests("/users/hidden/progress_watched")  # the sync stopped between requests


def test_aborted_sync_releases_the_lock_for_the_next_start(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, auto_sync=False)
    fault = sim.add_fault(path="^/sync/", kind="slow", real_delay=0.3, times=EVERY)
    service = world.kodi.start_service(ADDON_ID)
    try:
        service.schedule(0.0, "setting", "auto_sync=true")
        service.advance(5, wait=False)
        wait_for_request(world, "/sync/watched/movies")
        service.abort_now()
    finally:
        service.close()
    sim.faults.remove(fault)
    world.kodi.service(ADDON_ID, virtual_seconds=30)
    assert world.prop("sync.last_result") == "ok"


def test_sync_held_by_another_process_is_skipped(world):
    world.kodi.service(ADDON_ID, virtual_seconds=1)  # creates the mirror
    before = len(world.requests())
    now = world.kodi.clock.now()
    lock = ProcessLock(str(world.db_path), "sync", ttl=3600, clock=lambda: now)
    assert lock.try_acquire()
    try:
        result = world.kodi.service(ADDON_ID, virtual_seconds=30)
    finally:
        lock.release()
    assert result.ok
    assert len(world.requests()) == before
    assert world.prop("sync.last_result") == "busy"


def test_not_authorised_makes_no_requests(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, trakt_access_token="", trakt_refresh_token="")
    result = world.kodi.service(ADDON_ID, virtual_seconds=11 * MINUTE)
    assert result.ok
    assert world.requests() == []
    assert world.prop("sync.last_result") == "not_authorised"


def test_locked_account_is_reported_once(kodi, addon_zip_path, served):
    world = make_world(kodi, addon_zip_path, served.simulator, served)
    served.simulator.state.user["locked"] = True
    result = world.kodi.service(ADDON_ID, virtual_seconds=11 * MINUTE)
    # Once seen (1 sync instead of 3) in a loaded shifted-clock run: the service's own log says why.
    assert world.syncs() == 3, result.log
    assert [note["message"] for note in result.notifications] == [
        "Your Trakt account is locked; contact Trakt support"
    ]
    assert world.prop("sync.last_result") == "failed"


LOGIN_ENDED = "Trakt ended the login: authorise Trakt again in the add-on settings"


def test_a_refresh_token_trakt_rejects_asks_once_to_authorise_again(kodi, addon_zip_path, sim, served):
    # Another device refreshed this login: Trakt rotated the pair, so both tokens the add-on keeps are dead.
    sim.state.tokens.refresh(sim.scenario.user["refresh_token"])
    world = make_world(kodi, addon_zip_path, sim, served)
    result = world.kodi.service(ADDON_ID, virtual_seconds=11 * MINUTE)  # syncs due at 0, 5 and 10 min
    assert result.ok, result.log
    answered = [(entry["path"], entry["status"]) for entry in world.requests()]
    assert answered == [("/sync/last_activities", 401), ("/oauth/token", 400)]  # then nothing: no loop
    assert [note["message"] for note in result.notifications] == [LOGIN_ENDED]
    settings = world.kodi.settings(ADDON_ID)
    assert [settings[key] for key in ("trakt_access_token", "trakt_refresh_token")] == ["", ""]
    assert (world.prop("sync.last_result"), world.prop("trakt.login_expired")) == ("not_authorised", "")
    assert "test-refresh" not in world.kodi.log_text()


def test_window_properties_describe_the_last_sync(world):
    world.kodi.service(ADDON_ID, virtual_seconds=30)
    start = world.sim.clock.now()
    assert world.prop("sync.last_run") == str(int(start))
    summary = json.loads(world.prop("sync.last_summary"))
    assert summary["reason"] == "start" and summary["requests"] == 11 and summary["failed"] == []
    assert world.prop("service.state") == ""  # cleared when the service stopped


def test_service_state_is_published_while_running(world):
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        assert world.prop("service.state") == "running"
        assert world.prop("sync.next_run") == str(int(world.sim.clock.now() + 5 * MINUTE))


def many_shows_scenario(count: int) -> dict:
    shows = [
        {"title": f"Show {n}", "year": 2020, "ids": {"trakt": 100 + n, "imdb": f"tt9{n:06d}"},
         "seasons": [{"number": 1, "episodes": [{"number": 1, "first_aired": "2024-01-01T00:00:00Z"}]}]}
        for n in range(count)
    ]  # fmt: skip
    history = [
        {"show": 100 + n, "season": 1, "episode": 1, "watched_at": f"2026-10-{1 + n % 28:02d}T20:00:00Z"}
        for n in range(count)
    ]
    return {
        "name": "many_shows",
        "now": "2026-11-01T12:00:00Z",
        "app": {"client_id": "sim-client-id", "client_secret": "sim-client-secret"},
        "user": {"username": "bob", "access_token": "test-token", "refresh_token": "test-refresh"},
        "shows": shows,
        "history": history,
    }


def test_show_metadata_backfill_is_spread_over_runs(kodi, addon_zip_path):
    sim = sim_module.Simulator(many_shows_scenario(30))
    with sim.serve(port=0) as server:
        world = make_world(kodi, addon_zip_path, sim, server)
        world.kodi.service(ADDON_ID, virtual_seconds=6 * MINUTE)
    per_sync: list[int] = []
    for entry in world.requests():
        if entry["path"] == "/sync/last_activities":
            per_sync.append(0)
        elif entry["path"].endswith("/seasons"):
            per_sync[-1] += 1
    assert per_sync == [25, 5]


def test_legacy_cache_is_imported_at_start(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, auto_sync=False)
    cache = world.profile / "cache"
    cache.mkdir(parents=True)
    movie = {"title": "Batman Begins", "year": 2005, "ids": {"trakt": 6, "imdb": "tt0372784"}}
    (cache / "watched_movies.json").write_text(json.dumps([{"plays": 1, "movie": movie}]), encoding="utf-8")
    result = world.kodi.service(ADDON_ID, virtual_seconds=10)
    assert result.ok
    assert (world.profile / ".migration_complete").is_file()
    with sqlite3.connect(world.db_path) as conn:
        assert conn.execute("SELECT movie_trakt_id, plays FROM watched_movies").fetchall() == [(6, 1)]
    assert world.requests() == []


def test_abort_during_a_rate_limit_wait_returns_within_a_second(world):
    world.sim.add_fault(
        path="^/sync/watched/movies$", status=429, headers={"Retry-After": "120"}, times=EVERY
    )
    service = world.kodi.start_service(ADDON_ID)  # idle inside the sync's Retry-After wait
    try:
        service.advance(30)
        assert world.prop("sync.running") == "true"
        result = service.abort()
    finally:
        service.close()
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    assert len(world.requests("/sync/watched/movies")) == 1


def post_to_sim(world, path: str, body: dict) -> None:
    """A change made on "Trakt" by another client (a real HTTP write to the simulator)."""
    import requests

    headers = {
        "Authorization": "Bearer " + world.sim.scenario.user["access_token"],
        "trakt-api-key": world.sim.scenario.app.get("client_id", "sim-client-id"),
        "trakt-api-version": "2",
        "Content-Type": "application/json",
    }
    answer = requests.post(world.server.url + path, data=json.dumps(body), headers=headers, timeout=10)
    assert answer.status_code == 201, answer.text


def area_snapshot(world, area: str, table: str) -> tuple[list, list]:
    with sqlite3.connect(world.db_path) as conn:
        state = conn.execute("SELECT remote_at, synced_at FROM sync_state WHERE area = ?", (area,)).fetchall()
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    return state, rows


def test_abort_during_a_hung_request_returns_within_a_second_and_keeps_the_area(world):
    world.kodi.service(ADDON_ID, virtual_seconds=30)  # first sync: every area stored
    before = area_snapshot(world, "watched_movies", "watched_movies")
    world.sim.clock.advance(MINUTE)
    post_to_sim(world, "/sync/history", {"movies": [{"ids": {"imdb": "tt0372784"}}]})  # watched_movies stale
    world.sim.add_fault(path="^/sync/watched/movies$", kind="slow", real_delay=20.0, times=EVERY)
    world.settings(auto_sync=False)  # start idle, then switch it on: the sync runs while we watch
    service = world.kodi.start_service(ADDON_ID)
    try:
        service.schedule(0.0, "setting", "auto_sync=true")
        service.advance(5, wait=False)
        deadline = time.monotonic() + 30
        while len(world.requests("/sync/watched/movies")) < 2:  # the second sync hangs in it
            assert time.monotonic() < deadline, world.requests()
            time.sleep(0.01)
        result = service.abort_now()
    finally:
        service.close()
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    assert area_snapshot(world, "watched_movies", "watched_movies") == before
