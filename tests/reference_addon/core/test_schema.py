"""Schema, migrations and indexes of the mirror."""

from __future__ import annotations

import sqlite3

import pytest

from database.connection import Database, open_connection
from database.migrations import LATEST_VERSION, SchemaTooNew, migrate, user_version
from database.schema import STEPS


def test_fresh_database_is_at_latest_version(db):
    assert user_version(db.conn) == LATEST_VERSION == len(STEPS)


def test_connection_uses_wal_busy_timeout_and_foreign_keys(db):
    assert db.query("PRAGMA journal_mode")[0][0] == "wal"
    assert db.query("PRAGMA busy_timeout")[0][0] == 5000
    assert db.query("PRAGMA foreign_keys")[0][0] == 1


@pytest.mark.parametrize("start", range(0, LATEST_VERSION))
def test_migrates_forward_from_every_earlier_version(db_path, start):
    conn = open_connection(db_path)
    migrate(conn, target=start)
    if start >= 1:
        conn.execute("INSERT INTO shows (trakt_id, imdb_id, title) VALUES (1, 'tt01', 'Kept')")
    migrate(conn)
    assert user_version(conn) == LATEST_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "shows",
        "episodes",
        "watchlist",
        "playback",
        "hidden_seasons",
        "show_metadata",
        "locks",
    } <= tables
    if start >= 1:
        assert conn.execute("SELECT title FROM shows WHERE trakt_id = 1").fetchone() == ("Kept",)
    conn.close()


@pytest.mark.parametrize("start", [1, 2])
def test_migration_to_v3_adds_show_resets_and_marks_the_hidden_area_stale(db_path, start):
    conn = open_connection(db_path)
    migrate(conn, target=start)
    conn.executemany(
        "INSERT INTO sync_state (area, remote_at, synced_at, status) VALUES (?, ?, ?, 'ok')",
        [(area, "2026-10-01T10:00:00.000Z", "2026-10-01T10:00:05.000Z") for area in ("hidden", "playback")],
    )
    conn.commit()
    migrate(conn)
    stamps = dict(conn.execute("SELECT area, remote_at FROM sync_state"))
    assert stamps == {"hidden": None, "playback": "2026-10-01T10:00:00.000Z"}  # only hidden is refetched
    assert conn.execute("SELECT COUNT(*) FROM show_resets").fetchone() == (0,)
    conn.close()


def test_migration_is_idempotent(db_path):
    conn = open_connection(db_path)
    migrate(conn)
    assert migrate(conn) == LATEST_VERSION
    conn.close()


def test_schema_newer_than_the_addon_is_refused(db_path):
    conn = open_connection(db_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaTooNew, match=f"newer than this add-on supports \\({LATEST_VERSION}\\)"):
        migrate(conn)
    conn.close()


def test_failed_migration_step_leaves_the_old_version(db_path, monkeypatch):
    conn = open_connection(db_path)
    migrate(conn, target=1)
    monkeypatch.setattr("database.migrations.STEPS", (STEPS[0], STEPS[1] + ";\nCREATE TABLE broken (x"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, target=2)
    assert user_version(conn) == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'playback'").fetchone() is None
    conn.close()


def test_opening_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no mirror database at"):
        Database(str(tmp_path / "absent.db"), create=False)


LOOKUPS = {
    "show by imdb": "SELECT trakt_id FROM shows WHERE imdb_id = 'tt1'",
    "movie by imdb": "SELECT trakt_id FROM movies WHERE imdb_id = 'tt1'",
    "show by trakt": "SELECT imdb_id FROM shows WHERE trakt_id = 1",
    "movie by trakt": "SELECT imdb_id FROM movies WHERE trakt_id = 1",
    "watched movie": "SELECT plays FROM watched_movies WHERE movie_trakt_id = 1",
    "watched show": "SELECT plays FROM watched_shows WHERE show_trakt_id = 1",
    "episodes of show": "SELECT * FROM episodes WHERE show_trakt_id = 1",
    "plays of show": "SELECT * FROM watched_episodes WHERE show_trakt_id = 1",
    "watchlist item": "SELECT rank FROM watchlist WHERE media_type = 'movie' AND trakt_id = 1",
    "hidden seasons": "SELECT * FROM hidden_seasons WHERE show_trakt_id = 1",
    "playback movie": "SELECT progress FROM playback WHERE movie_trakt_id = 1",
}


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_no_indexes_on_imdb_id_every_lookup_is_an_index_seek(db, name):
    plan = " ".join(row[3] for row in db.query("EXPLAIN QUERY PLAN " + LOOKUPS[name]))
    assert plan.startswith("SEARCH"), plan
    assert "USING" in plan and ("INDEX" in plan or "PRIMARY KEY" in plan), plan
    assert "SCAN" not in plan, plan


def test_batch_overlay_query_seeks_by_imdb_index(db):
    from database.queries import watched_imdb_ids

    seen = []
    db.conn.set_trace_callback(seen.append)
    watched_imdb_ids(db, ["tt1", "tt2"], ["tt3"])
    db.conn.set_trace_callback(None)
    plan = " ".join(row[3] for row in db.query("EXPLAIN QUERY PLAN " + seen[-1]))
    assert "idx_movies_imdb" in plan and "idx_shows_imdb" in plan, plan
    assert " SCAN " not in f" {plan} ", plan
