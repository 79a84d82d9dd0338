"""Item 1: SIGKILL a real syncing process at many points; the mirror stays sound and converges.

A mirror synced from an older account state (`state_a`) is synced towards the current one
(`state_b`) by crash_driver.py, which kills itself after its Nth SQLite statement (so inside
transactions: between BEGIN, the writes and COMMIT) or before its Nth HTTP request. A second
series kills during the legacy 2.7 cache import that precedes the first sync.
"""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest

from aiostreams.sync import SyncEngine
from aiostreams.tokens import MemoryTokenStore, Tokens
from aiostreams.trakt_client import TraktClient
from database.connection import Database
from database.migration import LEGACY_FILES

from .conftest import run_driver
from .support import (
    AREA_TABLES,
    area_rows,
    area_stamps,
    connect,
    integrity,
    show_metadata_rows,
    state_a,
    state_b,
)

STATEMENT_KILLS = 40
REQUEST_KILLS = 8
MIGRATION_KILLS = 10
LOCK_TTL = 900.0  # the sync lock of a killed process expires after this; the next run comes later
TRAKT_HEADERS = {
    "Authorization": "Bearer test-token",
    "trakt-api-version": "2",
    "trakt-api-key": "sim-client-id",
}
LEGACY_PATHS = {
    "watched_movies": "/sync/watched/movies",
    "watched_shows": "/sync/watched/shows?extended=progress",
    "watchlist_movies": "/sync/watchlist/movies/rank/asc",
    "watchlist_shows": "/sync/watchlist/shows/rank/asc",
}


class Snapshot:
    """What a mirror file holds, per area and per show."""

    def __init__(self, path: Path):
        conn = connect(path)
        try:
            self.rows = {area: area_rows(conn, area) for area in AREA_TABLES}
            self.stamps = area_stamps(conn)
            self.shows = show_metadata_rows(conn)
            self.integrity = integrity(conn)
        finally:
            conn.close()

    def area(self, name: str) -> tuple:
        return self.rows[name], self.stamps.get(name)


def sync_in_process(db_path: Path, url: str, now: float) -> None:
    """The next run after a crash (here, in the test process)."""
    db = Database(str(db_path))
    try:
        client = TraktClient(
            url, "sim-client-id", "sim-client-secret",
            MemoryTokenStore(Tokens("test-token", "test-refresh", now + 86400 * 30)),
            lambda: now, lambda _s: None, lambda: False,
        )  # fmt: skip
        report = SyncEngine(db, client, lambda: now, log=lambda _m: None).run()
        assert not report.failed, report.failed
    finally:
        db.close()


class CrashWorld:
    """Both account states served, an old mirror, the new reference mirror and each run's size."""

    def __init__(self, root: Path, served_sim):
        self.root = root
        # Dozens of runs at one virtual instant would pass Trakt's 500 GETs per 5 minutes: the limit is
        # test_rate_limits' subject, not this module's.
        unlimited = {"rate_limits": {"enabled": False}}
        self.sim_a, server_a = served_sim({**state_a(), **unlimited})
        self.sim_b, server_b = served_sim({**state_b(), **unlimited})
        self.url_a, self.url_b = server_a.url, server_b.url
        self.now = self.sim_b.clock.now()
        self.old_db = root / "old.db"
        self._run(self.old_db, url=self.url_a, force=True)
        self.new_db = root / "new.db"
        shutil.copy(self.old_db, self.new_db)
        self.sync_counts = self._run(self.new_db, url=self.url_b)
        # The legacy series: a fresh profile whose 2.7 cache holds state A's answers.
        self.profile = root / "profile"
        (self.profile / "cache").mkdir(parents=True)
        for area, path in LEGACY_PATHS.items():
            status, _headers, body = self.sim_a.handle("GET", path, TRAKT_HEADERS, b"")
            assert status == 200, (path, status)
            (self.profile / "cache" / LEGACY_FILES[area]).write_bytes(body)
        self.imported_db = root / "imported.db"
        self._run(self.imported_db, url=self.url_b, migrate=True, profile=str(self.profile), sync=False)
        self.migrated_db = root / "migrated.db"
        self.migration_counts = self._run(
            self.migrated_db, url=self.url_b, migrate=True, profile=str(self.profile)
        )
        (self.profile / ".migration_complete").unlink()
        self.old, self.new = Snapshot(self.old_db), Snapshot(self.new_db)
        self.imported, self.empty = Snapshot(self.imported_db), None

    def _run(self, db: Path, **spec) -> dict:
        result = run_driver(self.root, db=str(db), now=self.now, **spec)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture(scope="module")
def crash_world(tmp_path_factory, served_sim) -> CrashWorld:
    return CrashWorld(tmp_path_factory.mktemp("crash"), served_sim)


def kill_and_check(
    world: CrashWorld, tmp_path: Path, kind: str, fraction: float, migrate: bool, figures
) -> None:
    counts = world.migration_counts if migrate else world.sync_counts
    point = max(1, round(counts[kind + "s"] * fraction))
    db = tmp_path / "mirror.db"
    if not migrate:
        shutil.copy(world.old_db, db)
    extra = {"migrate": True, "profile": str(world.profile)} if migrate else {}
    if migrate:
        marker = world.profile / ".migration_complete"
        marker.unlink(missing_ok=True)
    result = run_driver(tmp_path, db=str(db), url=world.url_b, now=world.now, kill_at={kind: point}, **extra)
    assert result.returncode == -signal.SIGKILL, (point, result.stdout, result.stderr)
    figures.add("crash_kill_points")
    figures.add(f"crash_kill_points_{'migration' if migrate else kind}")
    after = Snapshot(db)
    assert after.integrity == "ok"
    allowed = [world.imported, world.new] if migrate else [world.old, world.new]
    for area in AREA_TABLES:
        states = [snapshot.area(area) for snapshot in allowed]
        if migrate:
            states.append((tuple(() for _ in AREA_TABLES[area]), None))  # not imported yet
        assert after.area(area) in states, f"{area} is half old, half new after a kill at {kind} {point}"
    for show, rows in after.shows.items():
        assert rows in [snapshot.shows.get(show) for snapshot in allowed], f"show {show} metadata is mixed"
    sync_in_process(db, world.url_b, world.now + LOCK_TTL + 60)
    converged = Snapshot(db)
    assert converged.rows == world.new.rows
    assert converged.shows == world.new.shows
    if migrate:
        (world.profile / ".migration_complete").unlink(missing_ok=True)


FRACTIONS_STATEMENTS = [(index + 1) / (STATEMENT_KILLS + 1) for index in range(STATEMENT_KILLS)]
FRACTIONS_REQUESTS = [(index + 1) / (REQUEST_KILLS + 1) for index in range(REQUEST_KILLS)]
FRACTIONS_MIGRATION = [(index + 1) / (MIGRATION_KILLS + 1) for index in range(MIGRATION_KILLS)]


@pytest.mark.parametrize("fraction", FRACTIONS_STATEMENTS, ids=lambda f: f"{f:.2f}")
def test_kill_after_a_statement_leaves_every_area_wholly_old_or_new(crash_world, tmp_path, fraction, figures):
    kill_and_check(crash_world, tmp_path, "statement", fraction, migrate=False, figures=figures)


@pytest.mark.parametrize("fraction", FRACTIONS_REQUESTS, ids=lambda f: f"{f:.2f}")
def test_kill_before_a_request_leaves_every_area_wholly_old_or_new(crash_world, tmp_path, fraction, figures):
    kill_and_check(crash_world, tmp_path, "request", fraction, migrate=False, figures=figures)


@pytest.mark.parametrize("fraction", FRACTIONS_MIGRATION, ids=lambda f: f"{f:.2f}")
def test_kill_during_the_legacy_import_leaves_every_area_empty_imported_or_new(
    crash_world, tmp_path, fraction, figures
):
    kill_and_check(crash_world, tmp_path, "statement", fraction, migrate=True, figures=figures)


def test_a_full_run_has_enough_points_to_spread_the_kills(crash_world, figures):
    figures.set("crash_sync_statements", crash_world.sync_counts["statements"])
    figures.set("crash_sync_requests", crash_world.sync_counts["requests"])
    figures.set("crash_migration_statements", crash_world.migration_counts["statements"])
    assert crash_world.sync_counts["statements"] >= STATEMENT_KILLS
    assert crash_world.sync_counts["requests"] >= REQUEST_KILLS
    assert crash_world.old.rows != crash_world.new.rows  # every kill really lands between two states
