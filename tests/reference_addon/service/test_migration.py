"""The legacy 2.7 JSON cache import (`DatabaseMigration`) on real SQLite files in a profile folder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from aiostreams.sync import SyncEngine
from database import queries
from database.migration import LEGACY_STAMP, MARKER_NAME, DatabaseMigration

NOW = 1_793_000_000.0

MOVIE = {
    "title": "Batman Begins",
    "year": 2005,
    "ids": {"trakt": 6, "slug": "batman-begins", "imdb": "tt0372784"},
}
SHOW = {
    "title": "Breaking Bad",
    "year": 2008,
    "ids": {"trakt": 1, "slug": "breaking-bad", "imdb": "tt0903747"},
}
WATCHED_MOVIES = [
    {"plays": 2, "last_watched_at": "2026-10-01T20:00:00.000Z", "last_updated_at": "2026-10-01T20:00:00.000Z",
     "movie": MOVIE},
]  # fmt: skip
WATCHED_SHOWS = [
    {"plays": 3, "last_watched_at": "2026-10-20T20:00:00.000Z", "last_updated_at": "2026-10-20T20:00:00.000Z",
     "reset_at": None, "show": SHOW,
     "seasons": [{"number": 1, "episodes": [{"number": 1, "plays": 2, "last_watched_at": "2026-10-20T20:00:00.000Z"},
                                            {"number": 2, "plays": 1, "last_watched_at": "2026-09-02T20:00:00.000Z"}]}]},
]  # fmt: skip
WATCHLIST_MOVIES = [
    {"rank": 1, "id": 101, "listed_at": "2026-08-01T00:00:00.000Z", "notes": None, "type": "movie",
     "movie": {"title": "Inception", "year": 2010, "ids": {"trakt": 8, "slug": "inception", "imdb": "tt1375666"}}},
]  # fmt: skip
WATCHLIST_SHOWS = [
    {"rank": 1, "id": 102, "listed_at": "2026-08-03T00:00:00.000Z", "notes": None, "type": "show",
     "show": {"title": "Severance", "year": 2022, "ids": {"trakt": 2, "slug": "severance", "imdb": "tt11280740"}}},
]  # fmt: skip
ALL_FILES = {
    "watched_movies.json": WATCHED_MOVIES,
    "watched_shows.json": WATCHED_SHOWS,
    "watchlist_movies.json": WATCHLIST_MOVIES,
    "watchlist_shows.json": WATCHLIST_SHOWS,
}


def write_cache(profile: Path, files: dict[str, object]) -> Path:
    cache = profile / "cache"
    cache.mkdir(exist_ok=True)
    for name, payload in files.items():
        text = payload if isinstance(payload, str) else json.dumps(payload)
        (cache / name).write_text(text, encoding="utf-8")
    return cache


def migration(profile: Path, mirror, warnings: list[str] | None = None) -> DatabaseMigration:
    sink = warnings if warnings is not None else []
    return DatabaseMigration(str(profile), mirror, clock=lambda: NOW, warn=sink.append)


def test_fresh_profile_completes_with_nothing_to_import(profile, mirror):
    report = migration(profile, mirror).run()
    assert report.completed and report.imported == {} and report.skipped == {}
    assert (profile / MARKER_NAME).exists()


def test_legacy_files_are_imported_into_the_mirror(profile, mirror):
    write_cache(profile, ALL_FILES)
    report = migration(profile, mirror).run()
    assert report.completed
    assert set(report.imported) == {"watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows"}
    assert queries.watched_imdb_ids(mirror, ["tt0372784"], ["tt0903747"]) == {
        ("movie", "tt0372784"),
        ("show", "tt0903747"),
    }
    assert queries.watchlisted_imdb_ids(mirror, ["tt1375666"], ["tt11280740"]) == {
        ("movie", "tt1375666"),
        ("show", "tt11280740"),
    }
    assert mirror.query("SELECT season, number, plays FROM watched_episodes ORDER BY number") == [
        (1, 1, 2),
        (1, 2, 1),
    ]


def test_imported_areas_answer_from_the_mirror_but_are_stale(profile, mirror):
    write_cache(profile, ALL_FILES)
    migration(profile, mirror).run()
    assert queries.areas_synced(mirror, ["watched_movies", "watchlist_shows"])
    stamps = dict(mirror.query("SELECT area, remote_at FROM sync_state"))
    assert stamps == {name: LEGACY_STAMP for name in stamps} and len(stamps) == 4
    assert not queries.area_synced(mirror, "hidden")


def test_next_sync_refetches_every_imported_area(profile, mirror):
    write_cache(profile, ALL_FILES)
    migration(profile, mirror).run()
    activities = {
        "movies": {"watched_at": "2026-10-01T20:00:00.000Z", "watchlisted_at": "2026-08-02T00:00:00.000Z"},
        "episodes": {"watched_at": "2026-10-20T20:00:00.000Z"},
        "shows": {"watchlisted_at": "2026-08-03T00:00:00.000Z"},
    }

    class RecordingClient:
        requests_made = 0
        paths: list[str] = []

        def get(self, path, params=None, auth=True):
            self.paths.append(path)
            return activities

        def get_all(self, path, params=None, auth=True):
            self.paths.append(path)
            return []

        def get_map(
            self, path, params=None, limit=None
        ):  # a Trakt without extended=min maps: the full read follows
            self.paths.append(path)
            return []

    client = RecordingClient()
    report = SyncEngine(mirror, client, lambda: NOW).run()
    for area in ("watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows"):
        assert area in report.synced
    assert "/sync/watched/movies" in client.paths and "/sync/watchlist/shows/rank/asc" in client.paths


def test_corrupt_file_is_skipped_with_a_warning_and_the_rest_imported(profile, mirror):
    write_cache(profile, {**ALL_FILES, "watched_shows.json": '[{"plays": 1, "show": '})
    warnings: list[str] = []
    report = migration(profile, mirror, warnings).run()
    assert report.completed
    assert report.skipped["watched_shows.json"].startswith("JSONDecodeError")
    assert "watched_shows" not in report.imported and "watched_movies" in report.imported
    assert warnings == [
        f"legacy cache file watched_shows.json skipped: {report.skipped['watched_shows.json']}"
    ]
    assert not queries.area_synced(mirror, "watched_shows")


def test_file_with_the_wrong_shape_is_skipped(profile, mirror):
    write_cache(profile, {"watchlist_movies.json": {"error": "not a list"}})
    report = migration(profile, mirror).run()
    assert report.skipped == {
        "watchlist_movies.json": "ValueError: watchlist movies: expected a list of objects"
    }
    assert mirror.query("SELECT COUNT(*) FROM watchlist") == [(0,)]


def test_nothing_is_deleted(profile, mirror):
    cache = write_cache(profile, {**ALL_FILES, "watched_shows.json": "garbage"})
    before = {path.name: path.read_bytes() for path in cache.iterdir()}
    migration(profile, mirror).run()
    assert {path.name: path.read_bytes() for path in cache.iterdir()} == before


def test_second_run_is_a_no_op(profile, mirror):
    write_cache(profile, ALL_FILES)
    migration(profile, mirror).run()
    with mirror.transaction() as conn:
        conn.execute("DELETE FROM watched_movies")
    report = migration(profile, mirror).run()
    assert report.already_done and not report.completed and report.imported == {}
    assert mirror.query("SELECT COUNT(*) FROM watched_movies") == [(0,)]


def test_area_already_synced_from_trakt_keeps_its_rows(profile, mirror):
    with mirror.transaction() as conn:
        conn.execute(
            "INSERT INTO sync_state (area, remote_at, synced_at, status) VALUES "
            "('watched_movies', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'ok')"
        )
    write_cache(profile, {"watched_movies.json": WATCHED_MOVIES})
    report = migration(profile, mirror).run()
    assert report.skipped == {"watched_movies.json": "area already synced"}
    assert mirror.query("SELECT COUNT(*) FROM watched_movies") == [(0,)]
    assert mirror.query("SELECT remote_at FROM sync_state") == [("2026-11-01T00:00:00.000Z",)]


def test_locked_database_leaves_no_marker_and_retries_next_start(profile, mirror):
    write_cache(profile, ALL_FILES)
    blocker = sqlite3.connect(str(profile / "trakt_sync.db"), timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        mirror.conn.execute("PRAGMA busy_timeout = 50")
        warnings: list[str] = []
        report = migration(profile, mirror, warnings).run()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not report.completed and report.error == "OperationalError: database is locked"
    assert not (profile / MARKER_NAME).exists()
    assert warnings == [
        "legacy cache import failed (OperationalError: database is locked); it will be retried at the next start"
    ]
    assert migration(profile, mirror).run().completed


def test_marker_records_what_was_imported(profile, mirror):
    write_cache(profile, {"watched_movies.json": WATCHED_MOVIES})
    migration(profile, mirror).run()
    marker = json.loads((profile / MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["completed"] is True
    assert marker["imported"] == {"watched_movies": 2}
    assert marker["finished_at"] == "2026-10-26T07:33:20.000Z"
