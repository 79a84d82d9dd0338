"""trakt.is_watched / is_in_watchlist / get_show_progress: mirror first, the Trakt API when it cannot answer."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import responses

import trakt
from aiostreams.sync import SyncEngine

from .conftest import make_client
from .fake_trakt import T0, FakeTrakt, movie, show
from .test_sync import library, seasons_of

PROGRESS_API = {
    "aired": 3, "completed": 2, "last_watched_at": T0, "reset_at": None,
    "seasons": [{"number": 1, "title": "Season 1", "aired": 3, "completed": 2, "episodes": [
        {"number": 1, "completed": True, "last_watched_at": T0}, {"number": 2, "completed": True, "last_watched_at": T0},
        {"number": 3, "completed": False, "last_watched_at": None}]}],
    "hidden_seasons": [],
    "next_episode": {"season": 1, "number": 3, "title": "E3", "ids": {"trakt": 33, "tvdb": None, "imdb": None, "tmdb": None}},
    "last_episode": {"season": 1, "number": 2, "title": "E2", "ids": {"trakt": 32, "tvdb": None, "imdb": None, "tmdb": None}},
}  # fmt: skip
ITEMS = [
    ("movie", "tt01"),
    ("movie", "tt03"),
    ("movie", "tt99"),
    ("show", "tt02"),
    ("series", "tt02"),
    ("show", "tt98"),
]


@pytest.fixture
def trakt_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeTrakt(rsps)
        library(fake)
        fake.data["/sync/watchlist/shows/rank/asc"] = [
            {"rank": 1, "id": 9, "listed_at": T0, "type": "show", "show": show(2, "tt02")}
        ]
        fake.data["/shows/tt02/progress/watched"] = PROGRESS_API
        yield fake
    trakt.reset()


@pytest.fixture
def configure(db_path, clock, token_store):
    def _configure(path=db_path, busy_timeout_ms=2000):
        trakt.configure(db_path=path, client_factory=lambda: make_client(clock, token_store), clock=clock,
                        busy_timeout_ms=busy_timeout_ms)  # fmt: skip

    yield _configure
    trakt.reset()


@pytest.fixture
def synced(db, client, clock, trakt_api):
    SyncEngine(db, client, clock).run()
    trakt_api.paths.clear()
    return db


def answers():
    return (trakt.watched_many(ITEMS), trakt.watchlist_many(ITEMS), trakt.get_show_progress("tt02"))


def test_unknown_media_type_is_a_value_error_with_a_clear_message(configure):
    configure()
    with pytest.raises(ValueError, match="media_type must be 'movie', 'show' or 'series', not 'episode'"):
        trakt.is_watched("episode", "tt01")


def test_empty_imdb_id_is_a_value_error(configure):
    configure()
    with pytest.raises(ValueError, match="imdb_id must be a non-empty string"):
        trakt.is_in_watchlist("movie", "  ")


def test_unconfigured_api_outside_kodi_says_how_to_configure():
    trakt.reset()
    with pytest.raises(
        trakt.NotConfigured, match=r"trakt.configure\(db_path=..., client_factory=...\) was not called"
    ):
        trakt.is_watched("movie", "tt01")


def test_synced_mirror_answers_with_zero_requests(synced, configure, trakt_api):
    configure()
    assert trakt.is_watched("movie", "tt01") is True
    assert trakt.is_watched("series", "tt02") is True
    assert trakt.is_watched("movie", "tt03") is False
    assert trakt.is_in_watchlist("movie", "tt03") is True
    assert trakt.is_in_watchlist("show", "tt02") is True
    assert trakt.get_show_progress("tt02") == PROGRESS_API
    assert trakt_api.paths == []


def test_fallback_that_can_never_run_is_impossible_without_a_database(configure, trakt_api, tmp_path):
    """Pitfall: with no database file the API path answers (and no file is created by asking)."""
    configure(path=str(tmp_path / "missing.db"))
    assert trakt.is_watched("movie", "tt01") is True
    assert trakt_api.paths == ["/sync/watched/movies"]
    assert not (tmp_path / "missing.db").exists()


def test_mirror_and_api_give_the_same_answers_in_the_same_shape(synced, configure, trakt_api, tmp_path):
    configure()
    from_mirror = answers()
    assert trakt_api.paths == []
    configure(path=str(tmp_path / "missing.db"))
    from_api = answers()
    assert trakt_api.paths  # the API really answered
    assert from_mirror == from_api


def test_corrupt_database_file_falls_back_to_the_api(configure, trakt_api, tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not an sqlite database" * 100)
    configure(path=str(path))
    assert trakt.is_in_watchlist("movie", "tt03") is True
    assert trakt_api.paths == ["/sync/watchlist/movies/rank/asc"]


def test_area_never_synced_falls_back_to_the_api(db, configure, trakt_api):
    configure()
    assert trakt.get_show_progress("tt02") == PROGRESS_API
    assert trakt_api.paths == ["/shows/tt02/progress/watched"]


def test_single_lookups_answer_as_the_batch_calls_do(synced, configure, trakt_api):
    """is_watched / is_in_watchlist read one statement each (issue 18); their answers are the batch calls'."""
    configure()
    padded = [(media_type, f" {imdb} ") for media_type, imdb in ITEMS]
    watched, listed = trakt.watched_many(padded), trakt.watchlist_many(padded)
    assert [trakt.is_watched(*item) for item in padded] == [watched[(t, i.strip())] for t, i in padded]
    assert [trakt.is_in_watchlist(*item) for item in padded] == [listed[(t, i.strip())] for t, i in padded]
    assert list(watched.values()) == [True, False, False, True, True, False]
    assert list(listed.values()) == [False, True, False, True, True, False]
    assert trakt_api.paths == []


@pytest.mark.parametrize(
    ("call", "item", "path"),
    [
        (trakt.is_watched, ("movie", "tt01"), "/sync/watched/movies"),
        (trakt.is_watched, ("series", "tt02"), "/sync/watched/shows"),
        (trakt.is_in_watchlist, ("movie", "tt03"), "/sync/watchlist/movies/rank/asc"),
        (trakt.is_in_watchlist, ("show", "tt02"), "/sync/watchlist/shows/rank/asc"),
    ],
)
def test_single_lookup_of_an_area_never_synced_falls_back_to_the_api(
    db, configure, trakt_api, call, item, path
):
    configure()
    assert call(*item) is True
    assert trakt_api.paths == [path]


def test_single_lookup_when_the_open_mirror_fails_asks_the_api_then_the_mirror_again(
    synced, configure, trakt_api, db_path
):
    """The warm connection is kept on the configuration; an SQLite error drops it, as before."""
    configure()
    assert trakt.is_watched("movie", "tt01") is True  # the connection is open and kept
    synced.conn.execute("ALTER TABLE watched_movies RENAME TO watched_movies_gone")
    assert trakt.is_watched("movie", "tt01") is True  # "no such table" on the kept connection: the API
    assert trakt_api.paths == ["/sync/watched/movies"]
    synced.conn.execute("ALTER TABLE watched_movies_gone RENAME TO watched_movies")
    trakt_api.paths.clear()
    assert trakt.is_watched("movie", "tt01") is True  # the failed connection was dropped; the mirror answers
    assert trakt_api.paths == []


LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.read()
    """
)


def test_database_locked_by_another_process_past_the_timeout_falls_back(
    synced, configure, trakt_api, db_path
):
    synced.close()
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, db_path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        configure(busy_timeout_ms=50)
        assert trakt.is_watched("movie", "tt01") is True
        assert trakt_api.paths == ["/sync/watched/movies"]
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)


def test_batch_overlay_makes_one_query_per_page_of_100(synced, configure, db_path):
    configure()
    trakt.is_watched("movie", "tt01")  # open the connection
    statements = []
    trakt._config.connections.get(db_path).conn.set_trace_callback(statements.append)
    items = [("movie", f"tt{n:05d}") for n in range(150)] + [("show", f"tt9{n:04d}") for n in range(50)]
    result = trakt.watched_many(items)
    overlay = [sql for sql in statements if "JOIN watched_movies" in sql]
    assert len(result) == 200 and len(overlay) == 2


def test_first_progress_request_fetches_the_shows_seasons_once(db, client, clock, trakt_api, configure):
    trakt_api.data["/sync/watchlist/shows/rank/asc"] = [
        {"rank": 1, "id": 9, "listed_at": T0, "type": "show", "show": show(5, "tt05")}
    ]
    trakt_api.data["/shows/5/seasons"] = seasons_of(2)
    SyncEngine(db, client, clock).run()
    trakt_api.paths.clear()
    configure()
    first = trakt.get_show_progress("tt05")
    second = trakt.get_show_progress("tt05")
    assert trakt_api.paths == ["/shows/5/seasons"]
    assert first == second and (first["aired"], first["completed"], first["next_episode"]["number"]) == (
        2,
        0,
        1,
    )


def test_show_unknown_to_trakt_gives_none(synced, configure, trakt_api):
    configure()
    assert trakt.get_show_progress("tt404") is None
    assert trakt_api.paths == ["/shows/tt404/progress/watched"]


def test_title_without_imdb_id_is_stored_and_never_matches(db, client, clock, trakt_api, configure):
    trakt_api.data["/sync/watched/movies"] = [
        {"plays": 1, "last_watched_at": T0, "last_updated_at": T0, "movie": movie(8, "")},
        {"plays": 1, "last_watched_at": T0, "last_updated_at": T0, "movie": movie(9, None)},
    ]
    SyncEngine(db, client, clock).run()
    configure()
    assert db.query("SELECT trakt_id, imdb_id FROM movies WHERE trakt_id IN (8, 9)") == [(8, None), (9, None)]
    assert trakt.watched_many([("movie", "tt01")]) == {("movie", "tt01"): False}
