"""SyncEngine against canned Trakt answers: stale areas only, one transaction per area, pitfalls."""

from __future__ import annotations

import pytest
import responses

from aiostreams.sync import SyncEngine
from database import queries

from .fake_trakt import T0, FakeTrakt, activities, movie, show

T1 = "2026-10-02T10:00:00.000Z"


@pytest.fixture
def trakt():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeTrakt(rsps)


@pytest.fixture
def engine(db, client, clock):
    return SyncEngine(db, client, clock)


def watched_show(trakt_id, imdb, episodes, reset_at=None):
    seasons = {}
    for season, number in episodes:
        seasons.setdefault(season, []).append({"number": number, "plays": 1, "last_watched_at": T0})
    return {"plays": len(episodes), "last_watched_at": T0, "last_updated_at": T0, "reset_at": reset_at,
            "show": show(trakt_id, imdb), "seasons": [{"number": n, "episodes": e} for n, e in seasons.items()]}  # fmt: skip


def seasons_of(count):
    return [{"number": 1, "ids": {"trakt": 41, "tvdb": 71, "tmdb": 61}, "title": "Season 1",
             "episodes": [{"season": 1, "number": n, "title": f"E{n}", "ids": {"trakt": 30 + n, "tvdb": None, "imdb": None, "tmdb": None},
                           "first_aired": f"2020-01-0{n}T20:00:00.000Z"} for n in range(1, count + 1)]}]  # fmt: skip


def library(trakt):
    trakt.data["/sync/watched/movies"] = [
        {"plays": 2, "last_watched_at": T0, "last_updated_at": T0, "movie": movie(1, "tt01")}
    ]
    trakt.data["/sync/watched/shows"] = [watched_show(2, "tt02", [(1, 1), (1, 2)])]
    trakt.data["/shows/2/seasons"] = seasons_of(3)
    trakt.data["/sync/watchlist/movies/rank/asc"] = [
        {"rank": 1, "id": 501, "listed_at": T0, "type": "movie", "movie": movie(3, "tt03")}
    ]


def test_first_sync_fetches_every_area_and_metadata(engine, trakt, db):
    library(trakt)
    report = engine.run()
    assert report.ok, report.failed
    assert sorted(report.synced) == sorted(
        ["watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows", "playback", "hidden"]
    )
    assert report.requests == 9  # last_activities + 6 areas (hidden reads 2 sections) + 1 show's seasons
    assert report.rows["watched_episodes"].inserted == 2 and report.rows["episodes"].inserted == 3
    assert db.query("SELECT COUNT(*) FROM sync_state WHERE remote_at = ?", (T0,)) == [(6,)]


def test_no_change_sync_makes_exactly_one_request(engine, trakt):
    library(trakt)
    engine.run()
    report = engine.run()
    assert report.requests == 1
    assert set(report.skipped) == {"watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows",
                                   "playback", "hidden"}  # fmt: skip


def test_only_the_stale_area_is_fetched(engine, trakt):
    library(trakt)
    engine.run()
    trakt.paths.clear()
    trakt.bump("movies__paused_at", stamp=T1)
    report = engine.run()
    assert trakt.paths == ["/sync/last_activities", "/sync/playback"]
    assert report.synced == ["playback"]


def test_advancing_the_timestamp_of_a_failed_area_is_impossible(engine, trakt, db):
    """Pitfall: a failed area keeps its old rows AND old timestamp, so the next run retries it."""
    library(trakt)
    engine.run()
    trakt.bump("movies__watched_at", stamp=T1)
    trakt.data["/sync/watched/movies"] = []
    trakt.fail["/sync/watched/movies"] = 500
    report = engine.run()
    assert "watched_movies" in report.failed and "ServerUnavailableError" in report.failed["watched_movies"]
    assert db.query("SELECT remote_at, status FROM sync_state WHERE area = 'watched_movies'") == [
        (T0, "failed")
    ]
    assert db.query("SELECT COUNT(*) FROM watched_movies") == [(1,)]
    del trakt.fail["/sync/watched/movies"]
    assert "watched_movies" in engine.run().synced


def test_failed_area_does_not_stop_the_others(engine, trakt, db):
    library(trakt)
    trakt.fail["/sync/watched/shows"] = 404
    report = engine.run()
    assert list(report.failed) == ["watched_shows"]
    assert "watchlist_movies" in report.synced and "hidden" in report.synced


def test_deleting_rows_before_the_fetch_that_refills_them_is_impossible(engine, trakt, db):
    """Pitfall: a fetch that dies on page 2 of 2 leaves the old watchlist intact."""
    library(trakt)
    engine.run()
    trakt.bump("watchlist__updated_at", stamp=T1)
    trakt.data["/sync/watchlist/movies/rank/asc"] = [
        {"rank": n, "id": 600 + n, "listed_at": T1, "type": "movie", "movie": movie(10 + n, f"tt1{n}")}
        for n in range(3)
    ]
    trakt.page_size["/sync/watchlist/movies/rank/asc"] = 2
    calls = {"n": 0}
    original = engine.client.session.request

    def failing_second_page(method, url, **kwargs):
        if "watchlist/movies" in url and kwargs.get("params", {}).get("page") == 2:
            calls["n"] += 1
            raise __import__("requests").ConnectionError("dropped")
        return original(method, url, **kwargs)

    engine.client.session.request = failing_second_page
    report = engine.run()
    assert "watchlist_movies" in report.failed and calls["n"] == 5
    assert db.query("SELECT trakt_id FROM watchlist WHERE media_type = 'movie'") == [(3,)]


def test_watchlist_over_several_pages_is_read_completely(engine, trakt, db):
    trakt.data["/sync/watchlist/shows/rank/asc"] = [
        {"rank": n, "id": 700 + n, "listed_at": T0, "type": "show", "show": show(100 + n, f"tt5{n:02d}")}
        for n in range(7)
    ]
    trakt.page_size["/sync/watchlist/shows/rank/asc"] = 3
    engine.run()
    assert db.query("SELECT COUNT(*) FROM watchlist WHERE media_type = 'show'") == [(7,)]


def test_hidden_items_paginated_at_ten_are_all_read(engine, trakt, db):
    trakt.data["/users/hidden/progress_watched"] = [
        {"hidden_at": T0, "type": "show", "show": show(200 + n, f"tt6{n:02d}")} for n in range(23)
    ] + [{"hidden_at": T0, "type": "season", "season": {"number": 2, "ids": {"trakt": 9, "tvdb": 8, "tmdb": 7}},
          "show": show(2, "tt02")}]  # fmt: skip
    trakt.page_size["/users/hidden/progress_watched"] = 10
    engine.run()
    assert db.query("SELECT COUNT(*) FROM hidden_shows") == [(23,)]
    assert db.query("SELECT show_trakt_id, number, trakt_id FROM hidden_seasons") == [(2, 2, 9)]


def test_a_progress_reset_of_a_show_without_plays_is_mirrored(engine, trakt, db):
    trakt.data["/users/hidden/progress_watched_reset"] = [
        {"hidden_at": "2026-05-01T00:00:00Z", "type": "show", "show": show(9, "tt09")}
    ]
    engine.run()
    assert db.query("SELECT show_trakt_id, reset_at FROM show_resets") == [(9, "2026-05-01T00:00:00.000Z")]
    assert queries.progress_inputs(db, 9).reset_at == "2026-05-01T00:00:00.000Z"


def test_reset_at_sent_with_the_plays_wins_over_the_hidden_reset_list(engine, trakt, db):
    trakt.data["/sync/watched/shows"] = [
        watched_show(2, "tt02", [(1, 1)], reset_at="2026-06-01T00:00:00.000Z")
    ]
    trakt.data["/users/hidden/progress_watched_reset"] = [
        {"hidden_at": "2026-05-01T00:00:00.000Z", "type": "show", "show": show(2, "tt02")}
    ]
    engine.run()
    assert queries.progress_inputs(db, 2).reset_at == "2026-06-01T00:00:00.000Z"


def test_on_area_is_called_before_each_stale_area_is_fetched(db, client, clock, trakt):
    library(trakt)
    calls = []
    engine = SyncEngine(db, client, clock, on_area=lambda *args: calls.append((*args, list(trakt.paths))))
    engine.run()
    assert [call[:3] for call in calls][:2] == [("watchlist_movies", 1, 6), ("watchlist_shows", 2, 6)]
    assert calls[1][3] == ["/sync/last_activities", "/sync/watchlist/movies/rank/asc"]  # before its own fetch
    calls.clear()
    trakt.bump("movies__paused_at", stamp=T1)
    engine.run()
    assert [call[:3] for call in calls] == [("playback", 5, 6)]


def test_a_play_removed_on_trakt_disappears_after_the_next_sync(engine, trakt, db):
    library(trakt)
    engine.run()
    trakt.data["/sync/watched/shows"] = [watched_show(2, "tt02", [(1, 1)])]
    trakt.bump("episodes__watched_at", stamp=T1)  # removal bumps only the activity, not last_updated_at
    report = engine.run()
    assert db.query("SELECT season, number FROM watched_episodes") == [(1, 1)]
    assert report.rows["watched_episodes"].deleted == 1


def test_unknown_keys_in_last_activities_never_break_parsing(engine, trakt):
    trakt.data["/sync/last_activities"] = activities()
    trakt.data["/sync/last_activities"]["favorites"] = {"updated_at": T0}
    trakt.data["/sync/last_activities"]["movies"]["reacted_at"] = 12345
    trakt.data["/sync/last_activities"]["shows"] = None
    report = engine.run()
    assert report.ok, report.failed


def test_clear_resets_activities_so_the_next_sync_fetches_everything(engine, trakt, db):
    library(trakt)
    engine.run()
    engine.clear()
    assert db.query("SELECT COUNT(*) FROM sync_state") == [(0,)]
    report = engine.run()
    assert len(report.synced) == 6 and db.query("SELECT COUNT(*) FROM watched_movies") == [(1,)]


def test_a_new_activity_key_moving_fetches_nothing_more(engine, trakt):
    # `collaborations` is in Trakt's 2026 contract; the add-on knows no such area, so a change there
    # (and the `all` it moves) must neither break the sync nor trigger a fetch.
    library(trakt)
    engine.run()
    trakt.paths.clear()
    trakt.data["/sync/last_activities"]["collaborations"] = {"updated_at": T1}
    trakt.data["/sync/last_activities"]["all"] = T1
    report = engine.run()
    assert report.ok, report.failed
    assert trakt.paths == ["/sync/last_activities"]


def test_last_activities_failure_writes_nothing(engine, trakt, db):
    trakt.fail["/sync/last_activities"] = 503
    report = engine.run()
    assert "last_activities" in report.failed and report.synced == []
    assert db.query("SELECT COUNT(*) FROM sync_state") == [(0,)]


def test_a_second_sync_while_one_runs_is_skipped(engine, trakt, db, clock):
    holder = db.lock("sync", clock=clock)
    assert holder.try_acquire()
    report = engine.run()
    assert report.skipped == {"all": "another sync is running"} and report.requests == 0


def test_metadata_backfill_respects_the_request_budget(db, client, clock, trakt):
    trakt.data["/sync/watched/shows"] = [watched_show(300 + n, f"tt7{n:02d}", [(1, 1)]) for n in range(5)]
    for n in range(5):
        trakt.data[f"/shows/{300 + n}/seasons"] = seasons_of(2)
    engine = SyncEngine(db, client, clock, metadata_budget=2)
    first = engine.run()
    assert first.rows["show_metadata"].inserted == 2 and first.metadata_pending == 3
    second = engine.run()
    assert second.requests == 1 + 2 and second.metadata_pending == 1


DAY = 86400.0


@pytest.fixture
def long_engine(db, clock):
    """An engine whose token outlives the weeks these tests move the clock."""
    from aiostreams.tokens import MemoryTokenStore, Tokens

    from .conftest import ACCESS_TOKEN, REFRESH_TOKEN, make_client

    store = MemoryTokenStore(Tokens(ACCESS_TOKEN, REFRESH_TOKEN, clock() + 90 * DAY))
    return SyncEngine(db, make_client(clock, store), clock)


def test_a_dormant_show_is_re_read_monthly_not_daily(long_engine, trakt, clock):
    engine = long_engine
    library(trakt)  # its episodes aired in 2020
    assert engine.run().ok
    clock.advance(DAY + 3600)
    report = engine.run()
    assert (report.requests, report.metadata_pending) == (1, 0)  # a no-change sync stays one request
    clock.advance(30 * DAY)
    report = engine.run()
    assert report.requests == 2 and report.rows["show_metadata"].updated == 1
    assert trakt.paths[-1] == "/shows/2/seasons"


@pytest.mark.parametrize("first_aired", ["2026-09-01T20:00:00.000Z", "2027-01-01T20:00:00.000Z", None])
def test_a_show_with_recent_upcoming_or_undated_episodes_is_re_read_daily(
    long_engine, trakt, clock, first_aired
):
    engine = long_engine
    library(trakt)
    seasons = seasons_of(3)
    seasons[0]["episodes"][-1]["first_aired"] = first_aired
    trakt.data["/shows/2/seasons"] = seasons
    assert engine.run().ok
    clock.advance(DAY - 60)
    assert engine.run().requests == 1
    clock.advance(3600)
    report = engine.run()
    assert report.requests == 2 and trakt.paths[-1] == "/shows/2/seasons"


def test_abort_stops_the_sync_and_keeps_timestamps(db, clock, token_store, trakt):
    from .conftest import make_client

    library(trakt)
    client = make_client(clock, token_store, abort_check=lambda: len(trakt.paths) >= 3)
    report = SyncEngine(db, client, clock).run()
    assert report.aborted and len(trakt.paths) == 3
    assert db.query("SELECT COUNT(*) FROM sync_state WHERE remote_at IS NOT NULL") == [(2,)]
