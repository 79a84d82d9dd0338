"""Writes to the mirror: explicit-column upserts, scoped replace, clear."""

from __future__ import annotations

from aiostreams.sync_areas import write_show_metadata, write_watched_shows
from database import store

SHOW = (10, "tt10", 110, 210, "show-ten", "Show Ten", 2020)


def _metadata_rows():
    return {
        "seasons": [(10, 1, 101, 201, 301, "Season 1")],
        "episodes": [(10, 1, 1, "One", 1001, 2001, None, 3001, "2020-01-01T00:00:00.000Z")],
    }


def test_upsert_counts_inserted_updated_and_unchanged(db):
    with db.transaction() as conn:
        first = store.upsert_shows(conn, [SHOW, (11, None, None, None, "b", "B", 2021)])
    with db.transaction() as conn:
        second = store.upsert_shows(conn, [SHOW, (11, "tt11", None, None, "b", "B", 2021)])
    assert first.as_dict() == {"inserted": 2, "updated": 0, "deleted": 0}
    assert second.as_dict() == {"inserted": 0, "updated": 1, "deleted": 0}


def test_replace_rows_touches_only_its_scope(db):
    with db.transaction() as conn:
        store.upsert_shows(conn, [SHOW])
        store.replace_rows(
            conn, "watchlist", ("media_type", "trakt_id"), ("rank",), [("movie", 1, 1), ("show", 10, 1)]
        )
        counts = store.replace_rows(
            conn, "watchlist", ("media_type", "trakt_id"), ("rank",), [("movie", 2, 1)],
            scope=("media_type = ?", ("movie",)),
        )  # fmt: skip
    assert counts.as_dict() == {"inserted": 1, "updated": 0, "deleted": 1}
    assert db.query("SELECT media_type, trakt_id FROM watchlist ORDER BY 1") == [("movie", 2), ("show", 10)]


def test_insert_or_replace_whole_rows_never_wipes_other_areas_columns(db):
    """Pitfall: re-writing a show from the watched area must keep the metadata area's rows."""
    with db.transaction() as conn:
        store.upsert_shows(conn, [SHOW])
        write_show_metadata(conn, 10, _metadata_rows(), "2026-01-01T00:00:00.000Z")
    renamed = (10, "tt10", 110, 210, "show-ten", "Show Ten (renamed)", 2020)
    with db.transaction() as conn:
        write_watched_shows(
            conn,
            {
                "shows": [renamed],
                "watched_shows": [(10, 1, None, None, None)],
                "watched_episodes": [(10, 1, 1, 1, None)],
            },
        )
    assert db.query("SELECT title FROM shows WHERE trakt_id = 10") == [("Show Ten (renamed)",)]
    assert db.query("SELECT COUNT(*) FROM episodes WHERE show_trakt_id = 10") == [(1,)]
    assert db.query("SELECT fetched_at FROM show_metadata") == [("2026-01-01T00:00:00.000Z",)]


def test_area_failure_keeps_the_stored_remote_timestamp(db):
    with db.transaction() as conn:
        store.record_area_success(
            conn, "watched_movies", "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"
        )
        store.record_area_failure(conn, "watched_movies", "ServerUnavailableError: boom")
    assert db.query("SELECT remote_at, status, error FROM sync_state") == [
        ("2026-01-01T00:00:00.000Z", "failed", "ServerUnavailableError: boom")
    ]


def test_clear_keeping_activity_timestamps_is_impossible(db):
    """Pitfall: clear empties the Trakt tables AND sync_state, so the next sync fetches everything."""
    with db.transaction() as conn:
        store.upsert_shows(conn, [SHOW])
        write_show_metadata(conn, 10, _metadata_rows(), "2026-01-01T00:00:00.000Z")
        store.record_area_success(
            conn, "watched_shows", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"
        )
        store.clear_trakt_data(conn)
    for table in ("shows", "episodes", "seasons", "show_metadata", "sync_state"):
        assert db.query(f"SELECT COUNT(*) FROM {table}") == [(0,)], table


def test_clean_imdb_treats_empty_string_as_null():
    assert store.clean_imdb("") is None
    assert store.clean_imdb(None) is None
    assert store.clean_imdb("tt1") == "tt1"
