"""Item 4: an abort in every phase of the service returns within a second (real processes); the next start is clean."""

from __future__ import annotations

import json
import time

import pytest

from fake_kodi.host.service_driver import ServiceProcess

from .kodi_world import ADDON_ID, KodiWorld, build_zip
from .support import state_b

ABORT_BUDGET_MS = 1000.0
EVERY = 1000
HUNG = 20.0  # real seconds a hung request would hold the service without an interruptible wait
AREA_PATHS = {
    "watched_movies": "/sync/watched/movies",
    "watched_shows": "/sync/watched/shows",
    "watchlist_movies": "/sync/watchlist/movies",
    "watchlist_shows": "/sync/watchlist/shows",
    "playback": "/sync/playback",
    "hidden": "/users/hidden/progress_watched",
    "backfill": "/shows/",
}
LEGACY_MOVIES = 40_000  # a 2.7 cache big enough that importing it takes a noticeable time


@pytest.fixture(scope="module")
def zip_path(tmp_path_factory):
    return build_zip(tmp_path_factory.mktemp("dist"))


class Latencies:
    """Where each abort test puts its latency: counted and pooled over the run, whichever worker ran it."""

    def __init__(self, figures) -> None:
        self.figures = figures

    def append(self, latency_ms: float) -> None:
        self.figures.add("abort_cases")
        self.figures.sample("abort_latency_ms", latency_ms)


@pytest.fixture
def latencies(figures) -> Latencies:
    return Latencies(figures)


@pytest.fixture
def world(kodi, zip_path, served_sim) -> KodiWorld:
    sim, server = served_sim(state_b())
    return KodiWorld(kodi, zip_path, sim, server.url, auto_sync=False)


def start_busy(world: KodiWorld) -> ServiceProcess:
    """Start the service without waiting for its first wait (it may be busy importing)."""
    service = ServiceProcess(world.kodi.home, ADDON_ID)
    service._expect = lambda timeout: {"state": "running"}  # noqa: SLF001 - start() must not block here
    service.start()
    del service._expect
    service.state = "running"
    return service


def resumes_cleanly(world: KodiWorld) -> None:
    world.sim.clear_faults()
    world.kodi.set_settings(ADDON_ID, auto_sync=True)
    result = world.kodi.service(ADDON_ID, virtual_seconds=30)
    assert result.ok, result.log
    assert world.prop("sync.last_result") == "ok"


def test_abort_while_idle_returns_within_a_second(world, latencies):
    world.kodi.set_settings(ADDON_ID, auto_sync=True)
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(600)
        result = service.abort()
    latencies.append(result.abort_latency_ms)
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    resumes_cleanly(world)


@pytest.mark.parametrize("phase", list(AREA_PATHS))
def test_abort_during_a_slow_answer_returns_within_a_second(world, phase, latencies):
    world.sim.add_fault(path="^" + AREA_PATHS[phase], kind="slow", real_delay=0.5, times=EVERY)
    service = world.kodi.start_service(ADDON_ID)
    try:
        service.schedule(0.0, "setting", "auto_sync=true")
        service.advance(5, wait=False)
        world.wait_for_request(AREA_PATHS[phase])
        result = service.abort_now()
    finally:
        service.close()
    latencies.append(result.abort_latency_ms)
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    resumes_cleanly(world)


def test_abort_inside_a_hung_request_returns_within_a_second(world, latencies):
    world.sim.add_fault(path="^/sync/watched/shows", kind="timeout", real_delay=HUNG, times=EVERY)
    service = world.kodi.start_service(ADDON_ID)
    try:
        service.schedule(0.0, "setting", "auto_sync=true")
        service.advance(5, wait=False)
        world.wait_for_request("/sync/watched/shows")
        time.sleep(0.3)  # the request is now hanging on the socket
        result = service.abort_now()
    finally:
        service.close()
    latencies.append(result.abort_latency_ms)
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    resumes_cleanly(world)


def write_big_legacy_cache(world: KodiWorld) -> None:
    cache = world.profile / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    movies = [
        {"plays": 1, "last_watched_at": "2026-01-01T00:00:00.000Z", "last_updated_at": "2026-01-01T00:00:00.000Z",
         "movie": {"title": f"Film {n}", "year": 2000, "ids": {"trakt": 1_000_000 + n, "imdb": f"tt{9_000_000 + n}"}}}
        for n in range(LEGACY_MOVIES)
    ]  # fmt: skip
    (cache / "watched_movies.json").write_text(json.dumps(movies), encoding="utf-8")


def test_abort_during_the_legacy_import_returns_within_a_second(world, latencies):
    write_big_legacy_cache(world)
    service = start_busy(world)
    try:
        deadline = time.monotonic() + 30
        while not world.db_path.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.05)  # inside the import now
        result = service.abort_now()
    finally:
        service.close()
    latencies.append(result.abort_latency_ms)
    assert result.ok, result.log
    assert result.abort_latency_ms < ABORT_BUDGET_MS
    resumes_cleanly(world)
    assert (world.profile / ".migration_complete").is_file()


def test_abort_inside_the_import_transaction_rolls_it_back_and_leaves_no_marker(tmp_path):
    from database.connection import Database
    from database.migration import MARKER_NAME, DatabaseMigration

    profile = tmp_path / "profile"
    (profile / "cache").mkdir(parents=True)
    movies = [{"plays": 1, "movie": {"title": f"F{n}", "ids": {"trakt": n + 1}}} for n in range(5000)]
    (profile / "cache" / "watched_movies.json").write_text(json.dumps(movies), encoding="utf-8")
    db = Database(str(profile / "trakt_sync.db"))
    polls = iter(range(10**9))
    # False for the look before the area and the 3 parse chunks, then True inside the write (progress handler).
    report = DatabaseMigration(
        str(profile), db, clock=lambda: 0.0, abort_check=lambda: next(polls) >= 4
    ).run()
    rows = db.query("SELECT COUNT(*) FROM watched_movies")[0][0]
    db.close()
    assert report.error == "aborted: Kodi is shutting down"
    assert not report.completed
    assert rows == 0
    assert not (profile / MARKER_NAME).exists()
