"""Every endpoint's shape against contracts/schemas, and Trakt's header/auth/status rules."""

from __future__ import annotations

import pytest

from trakt_cassettes.sim import Simulator

from .sim_helpers import assert_schema, call, mini_scenario, trakt_headers

SHAPES = [
    ("/sync/last_activities", "last_activities"),
    ("/sync/watched/movies?extended=full", "watched_movies"),
    ("/sync/watched/shows?extended=full,progress&specials=true", "watched_shows"),
    ("/sync/history?extended=full", "history"),
    ("/sync/history/shows/1", "history"),
    ("/sync/watchlist", "watchlist"),
    ("/sync/watchlist/movies/title/desc", "watchlist"),
    ("/sync/playback", "playback"),
    ("/sync/playback/episodes", "playback"),
    ("/users/hidden/progress_watched", "hidden"),
    ("/users/hidden/calendar?type=movie", "hidden"),
    ("/users/settings", "settings"),
    ("/shows/tt0903747?extended=full", "show"),
    ("/shows/breaking-bad/seasons?extended=full,episodes", "seasons"),
    ("/shows/1/seasons/1?extended=full", "season_episodes"),
    ("/shows/3/progress/watched?specials=true&hidden=true", "progress_watched"),
    ("/movies/tt0372784?extended=full", "movie"),
    ("/movies/9?extended=full", "movie"),
    ("/search/imdb/tt0959621", "search"),
    ("/search/tmdb/272?type=movie", "search"),
]


@pytest.mark.parametrize(("path", "schema"), SHAPES)
def test_answer_matches_its_schema(small_sim, path, schema):
    answer = call(small_sim, "GET", path)
    assert (answer.status, answer.headers["Content-Type"]) == (200, "application/json; charset=utf-8")
    assert_schema(schema, answer.json())


def test_path_id_accepts_trakt_id_slug_and_imdb(small_sim):
    titles = {
        call(small_sim, "GET", f"/shows/{ref}").json()["title"] for ref in ("1", "breaking-bad", "tt0903747")
    }
    assert titles == {"Breaking Bad"}


def test_unknown_show_answers_404(small_sim):
    answer = call(small_sim, "GET", "/shows/tt0000000")
    assert (answer.status, answer.json()["error"]) == (404, "not_found")


def test_wrong_method_answers_405(small_sim):
    assert call(small_sim, "DELETE", "/sync/last_activities").status == 405


def test_missing_api_key_answers_403(small_sim):
    headers = trakt_headers()
    del headers["trakt-api-key"]
    answer = call(small_sim, "GET", "/shows/1", headers=headers)
    assert (answer.status, answer.json()["error"]) == (403, "forbidden")


def test_wrong_api_key_answers_403_when_the_scenario_pins_a_client_id(small_sim):
    assert call(small_sim, "GET", "/shows/1", headers=trakt_headers(client_id="someone-else")).status == 403


def test_missing_api_version_answers_400(small_sim):
    headers = trakt_headers()
    del headers["trakt-api-version"]
    answer = call(small_sim, "GET", "/shows/1", headers=headers)
    assert (answer.status, answer.json()["error_description"]) == (400, "trakt-api-version header must be 2")


def test_write_without_json_content_type_answers_412(small_sim):
    headers = {**trakt_headers(), "Content-Type": "text/plain"}
    assert call(small_sim, "POST", "/sync/history", {"movies": []}, headers=headers).status == 412


def test_write_without_bearer_answers_401(small_sim):
    assert call(small_sim, "POST", "/sync/watchlist", {"movies": []}, token=None).status == 401


def test_locked_account_answers_423_with_its_headers():
    sim = Simulator(mini_scenario(user={"username": "bob", "access_token": "test-token", "locked": True}))
    answer = call(sim, "GET", "/sync/last_activities")
    assert (answer.status, answer.headers["X-Account-Locked"]) == (423, "true")


def test_media_endpoints_work_without_a_token(small_sim):
    assert call(small_sim, "GET", "/movies/tt0372784", token=None).status == 200


def test_watched_shows_have_no_seasons_without_extended_progress(small_sim):
    rows = call(small_sim, "GET", "/sync/watched/shows").json()
    assert all("seasons" not in row for row in rows)


def test_watched_shows_leave_out_specials_unless_asked(small_sim):
    rows = call(small_sim, "GET", "/sync/watched/shows?extended=progress").json()
    assert [s["number"] for s in rows[0]["seasons"]] == [1]


def test_blueprint_mode_returns_seasons_with_specials_by_default():
    sim = Simulator(mini_scenario(api={"drift": False}, history=[{"show": 10, "season": 0, "episode": 1}]))
    rows = call(sim, "GET", "/sync/watched/shows").json()
    assert [s["number"] for s in rows[0]["seasons"]] == [0]


def test_watched_show_plays_is_the_sum_of_episode_plays(small_sim):
    row = next(
        r for r in call(small_sim, "GET", "/sync/watched/shows").json() if r["show"]["ids"]["trakt"] == 1
    )
    assert (row["plays"], row["reset_at"]) == (4, "2026-10-15T00:00:00.000Z")


def test_watchlist_sort_headers_report_list_default_and_applied_sort(small_sim):
    answer = call(small_sim, "GET", "/sync/watchlist/all/added/desc")
    headers = {
        k: answer.headers[k] for k in ("X-Sort-By", "X-Sort-How", "X-Applied-Sort-By", "X-Applied-Sort-How")
    }
    assert (headers, [r["rank"] for r in answer.json()]) == (
        {"X-Sort-By": "rank", "X-Sort-How": "asc", "X-Applied-Sort-By": "added", "X-Applied-Sort-How": "desc"}, [3, 2, 1])  # fmt: skip


def test_vip_sort_falls_back_to_rank_for_free_users(small_sim):
    assert call(small_sim, "GET", "/sync/watchlist/all/imdb_rating").headers["X-Applied-Sort-By"] == "rank"


def test_history_filters_by_type_and_id(small_sim):
    rows = call(small_sim, "GET", "/sync/history/movies/6").json()
    assert [(r["type"], r["movie"]["ids"]["trakt"]) for r in rows] == [("movie", 6), ("movie", 6)]


def test_history_is_newest_first_and_filters_by_dates(small_sim):
    rows = call(
        small_sim, "GET", "/sync/history?start_at=2026-10-01T00:00:00.000Z&end_at=2026-10-02T00:00:00.000Z"
    ).json()
    assert [r["watched_at"] for r in rows] == ["2026-10-01T21:00:00.000Z", "2026-10-01T20:00:00.000Z"]


def test_search_without_match_is_an_empty_list(small_sim):
    assert call(small_sim, "GET", "/search/imdb/tt0000001").json() == []


def test_seasons_include_specials_and_nested_episodes(small_sim):
    seasons = call(small_sim, "GET", "/shows/1/seasons?extended=episodes").json()
    assert ([s["number"] for s in seasons], len(seasons[1]["episodes"])) == ([0, 1, 2], 3)


def test_titles_without_imdb_id_have_null_imdb(small_sim):
    assert call(small_sim, "GET", "/shows/3").json()["ids"]["imdb"] is None


def test_settings_report_the_scenario_limits():
    sim = Simulator(mini_scenario(limits={"watchlist": 100}))
    assert call(sim, "GET", "/users/settings").json()["limits"]["watchlist"] == {"item_count": 100}


def test_hidden_remove_answers_deleted_counts(small_sim):
    answer = call(
        small_sim, "POST", "/users/hidden/progress_watched/remove", {"seasons": [{"ids": {"trakt": 4003}}]}
    )
    assert_schema("hidden_remove", answer.json())
    assert (answer.status, answer.json()["deleted"]["seasons"]) == (200, 1)


def test_watchlist_remove_answers_deleted_counts(small_sim):
    answer = call(small_sim, "POST", "/sync/watchlist/remove", {"movies": [{"ids": {"imdb": "tt0468569"}}]})
    assert_schema("watchlist_remove", answer.json())
    assert (answer.json()["deleted"]["movies"], answer.json()["list"]["item_count"]) == (1, 2)
