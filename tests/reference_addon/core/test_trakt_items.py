"""Each area's parser skips a malformed Trakt item (and names it) and keeps the rest of its answer."""

from __future__ import annotations

import pytest
import responses

from aiostreams import trakt_items
from aiostreams.sync import SyncEngine

from .fake_trakt import T0, FakeTrakt, movie, show

NO_IDS_MOVIE = {"title": "No ids", "year": 2020}
STRING_ID_SHOW = {"title": "String id", "ids": {"trakt": "7"}}


def watched_movie(body):
    return {"plays": 1, "last_watched_at": T0, "last_updated_at": T0, "movie": body}


def watched_show(body, seasons):
    return {"plays": 1, "last_watched_at": T0, "last_updated_at": T0, "show": body, "seasons": seasons}


def one_episode(season=1, number=1):
    return [{"number": season, "episodes": [{"number": number, "plays": 1, "last_watched_at": T0}]}]


def test_watched_movies_skip_a_movie_without_ids_and_keep_the_rest():
    parsed = trakt_items.parse_watched_movies([watched_movie(movie(8, "tt8")), watched_movie(NO_IDS_MOVIE)])
    assert [row[0] for row in parsed.rows["movies"]] == [8]
    assert [row[0] for row in parsed.rows["watched_movies"]] == [8]
    assert parsed.skipped == ["watched movies: movie without a trakt id: 'No ids'"]


def test_watched_movies_skip_an_item_that_is_not_an_object():
    parsed = trakt_items.parse_watched_movies([watched_movie(movie(8, "tt8")), "garbage"])
    assert [row[0] for row in parsed.rows["movies"]] == [8]
    assert parsed.skipped == ["watched movies: TypeError: not an object: 'garbage'"]


def test_an_answer_that_is_not_a_list_is_unusable():
    with pytest.raises(ValueError, match="^watched movies: expected a list of objects$"):
        trakt_items.parse_watched_movies({"error": "not a list"})


def test_an_answer_whose_items_are_all_malformed_is_unusable():
    # Replacing the area with nothing would delete every stored row over a broken answer.
    with pytest.raises(ValueError, match=r"^watched movies: all 2 item\(s\) malformed$"):
        trakt_items.parse_watched_movies([watched_movie(NO_IDS_MOVIE), None])


def test_watched_shows_skip_a_show_whose_trakt_id_is_a_string():
    parsed = trakt_items.parse_watched_shows(
        [watched_show(show(5, "tt5"), one_episode()), watched_show(STRING_ID_SHOW, one_episode())]
    )
    assert [row[0] for row in parsed.rows["shows"]] == [5]
    assert parsed.rows["watched_episodes"] == [(5, 1, 1, 1, T0)]
    assert parsed.skipped == ["watched shows: show without a trakt id: 'String id'"]


def test_watched_shows_skip_a_show_with_a_malformed_episode_as_a_whole():
    broken = [{"number": 1, "episodes": [{"number": 1, "plays": 1}, {"number": "two", "plays": 1}]}]
    parsed = trakt_items.parse_watched_shows(
        [watched_show(show(5, "tt5"), one_episode()), watched_show(show(6, "tt6"), broken)]
    )
    assert [row[0] for row in parsed.rows["watched_shows"]] == [5]
    assert [row[0] for row in parsed.rows["watched_episodes"]] == [5]
    assert parsed.skipped == ["watched shows: episode number is not an integer: 'two' ('Show 6')"]


def test_a_watched_show_without_seasons_makes_the_answer_unusable():
    item = watched_show(show(5, "tt5"), None)
    with pytest.raises(trakt_items.UnusablePayload, match="^watched show 5 came without seasons$"):
        trakt_items.parse_watched_shows([item, watched_show(show(6, "tt6"), one_episode())])


def test_watchlist_skips_a_show_that_is_not_an_object_and_ignores_other_kinds():
    payload = [
        {"rank": 1, "type": "show", "listed_at": T0, "id": 11, "show": show(5, "tt5")},
        {"rank": 2, "type": "show", "listed_at": T0, "id": 12, "show": "not an object"},
        {"rank": 3, "type": "movie", "listed_at": T0, "id": 13, "movie": movie(8, "tt8")},
    ]
    parsed = trakt_items.parse_watchlist(payload, "show")
    assert parsed.rows["watchlist"] == [("show", 5, 1, T0, 11)]
    assert parsed.skipped == ["watchlist shows: AttributeError: 'str' object has no attribute 'get'"]


def test_playback_skips_an_episode_without_its_season_and_keeps_the_movie():
    payload = [
        {"id": 1, "type": "movie", "progress": 40.0, "paused_at": T0, "movie": movie(8, "tt8")},
        {"id": 2, "type": "episode", "progress": 10.0, "paused_at": T0, "show": show(5, "tt5"),
         "episode": {"number": 3, "title": "Pilot"}},
    ]  # fmt: skip
    parsed = trakt_items.parse_playback(payload)
    assert parsed.rows["playback"] == [(1, "movie", 8, None, None, None, 40.0, T0)]
    assert parsed.rows["shows"] == []
    assert parsed.skipped == ["playback: KeyError: 'season' ('Show 5')"]


def test_playback_skips_an_item_whose_progress_is_not_a_number():
    payload = [
        {"id": 1, "type": "movie", "progress": 40.0, "paused_at": T0, "movie": movie(8, "tt8")},
        {"id": 2, "type": "movie", "progress": "half", "paused_at": T0, "movie": movie(9, "tt9")},
    ]
    parsed = trakt_items.parse_playback(payload)
    assert [row[0] for row in parsed.rows["playback"]] == [1]
    assert parsed.skipped == ["playback: could not convert string to float: 'half' ('Movie 9')"]


def test_hidden_skips_a_season_without_a_number_and_a_reset_without_a_time():
    hidden = [
        {"type": "show", "hidden_at": T0, "show": show(5, "tt5")},
        {"type": "season", "hidden_at": T0, "show": show(6, "tt6"), "season": {"ids": {"trakt": 1}}},
    ]
    resets = [
        {"type": "show", "hidden_at": T0, "show": show(7, "tt7")},
        {"type": "show", "hidden_at": None, "show": show(8, "tt8")},
    ]
    parsed = trakt_items.parse_hidden(hidden, resets)
    assert parsed.rows["hidden_shows"] == [(5, T0)]
    assert parsed.rows["hidden_seasons"] == []
    assert parsed.rows["show_resets"] == [(7, T0)]
    assert parsed.skipped == [
        "hidden items: KeyError: 'number' ('Show 6')",
        "progress resets: a progress reset came without its time ('Show 8')",
    ]


def test_show_metadata_skips_an_episode_without_a_number_and_keeps_its_season():
    payload = [
        {"number": 1, "ids": {"trakt": 41}, "title": "Season 1",
         "episodes": [{"number": 1, "title": "E1", "ids": {"trakt": 31}},
                      {"title": "Special", "ids": {"trakt": 32}}]},
    ]  # fmt: skip
    parsed = trakt_items.parse_show_metadata(payload, 5)
    assert parsed.rows["seasons"] == [(5, 1, 41, None, None, "Season 1")]
    assert [row[2] for row in parsed.rows["episodes"]] == [1]
    assert parsed.skipped == ["season 1 of show 5: KeyError: 'number' ('Special')"]


@pytest.fixture
def trakt():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeTrakt(rsps)


def test_the_engine_syncs_the_rest_of_an_area_and_warns_once_with_the_count(db, client, clock, trakt):
    trakt.data["/sync/watched/movies"] = [
        watched_movie(movie(8, "tt8")), watched_movie(NO_IDS_MOVIE), watched_movie({"ids": {"trakt": None}}),
    ]  # fmt: skip
    logged, warned = [], []
    report = SyncEngine(db, client, clock, log=logged.append, warn=warned.append).run()
    assert "watched_movies" in report.synced and report.failed == {}
    assert db.query("SELECT movie_trakt_id FROM watched_movies") == [(8,)]
    assert warned == [
        "sync: area watched_movies skipped 2 malformed Trakt item(s): "
        "watched movies: movie without a trakt id: 'No ids'; watched movies: movie without a trakt id: None"
    ]


def test_the_engine_keeps_an_area_whose_answer_is_all_malformed(db, client, clock, trakt):
    trakt.data["/sync/watched/movies"] = [watched_movie(movie(8, "tt8"))]
    SyncEngine(db, client, clock).run()
    trakt.data["/sync/watched/movies"] = [watched_movie(NO_IDS_MOVIE)]
    report = SyncEngine(db, client, clock).run(force=True)
    assert report.failed["watched_movies"] == "ValueError: watched movies: all 1 item(s) malformed"
    assert db.query("SELECT movie_trakt_id FROM watched_movies") == [(8,)]
