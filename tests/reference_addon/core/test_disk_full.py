"""A full disk while the mirror is written: the real cause is reported, synced rows stay, the next sync converges.

`PRAGMA max_page_count` caps the file the way a full disk does: SQLite answers SQLITE_FULL ("database
or disk is full") and may end the transaction itself, which is what used to be masked by a failing
ROLLBACK ("cannot rollback - no transaction is active").
"""

from __future__ import annotations

import sqlite3

import pytest
import responses

from aiostreams.sync import SyncEngine
from database.migrations import migrate
from database.rollback import roll_back

from .fake_trakt import FakeTrakt, movie
from .test_sync import T0, library

BIG = "x" * 200_000


def _fill_up(conn: sqlite3.Connection) -> None:
    """Leave no free page: the next write that needs one fails with SQLITE_FULL."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_inside_a_transaction_reports_the_real_cause(db) -> None:
    with db.transaction() as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    _fill_up(db.conn)
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        with db.transaction() as conn:
            conn.execute("INSERT INTO notes VALUES (?)", (BIG,))
    assert not db.conn.in_transaction
    assert db.query("SELECT text FROM notes") == [("kept",)]


def test_a_migration_on_a_full_disk_reports_the_real_cause(tmp_path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    conn.execute("CREATE TABLE filler (x)")
    _fill_up(conn)
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


def test_roll_back_without_an_open_transaction_is_quiet(tmp_path) -> None:
    conn = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
    roll_back(conn)  # must not raise "cannot rollback - no transaction is active"
    conn.execute("BEGIN")
    roll_back(conn)
    assert not conn.in_transaction
    conn.close()


def test_a_sync_on_a_full_disk_keeps_what_was_synced_and_converges_once_space_is_back(
    db, client, clock
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        trakt = FakeTrakt(rsps)
        library(trakt)
        first = SyncEngine(db, client, clock).run()
        assert first.ok, first.failed
        before = db.query("SELECT movie_trakt_id, plays FROM watched_movies ORDER BY movie_trakt_id")
        # A thousand new plays need pages the "disk" no longer has.
        trakt.data["/sync/watched/movies"] = [
            {
                "plays": 1,
                "last_watched_at": T0,
                "last_updated_at": T0,
                "movie": movie(1000 + n, f"tt9{n:06d}"),
            }
            for n in range(1000)
        ] + trakt.data["/sync/watched/movies"]
        trakt.bump("movies__watched_at", stamp="2026-10-05T10:00:00.000Z")
        _fill_up(db.conn)
        full = SyncEngine(db, client, clock).run()
        assert "watched_movies" in full.failed
        assert "database or disk is full" in full.failed["watched_movies"]
        assert db.query("SELECT movie_trakt_id, plays FROM watched_movies ORDER BY movie_trakt_id") == before
        db.conn.execute("PRAGMA max_page_count = 1073741823")  # space is back
        clock.advance(600)
        again = SyncEngine(db, client, clock).run()
        assert again.ok, again.failed
        assert db.query("SELECT COUNT(*) FROM watched_movies") == [(1001,)]
