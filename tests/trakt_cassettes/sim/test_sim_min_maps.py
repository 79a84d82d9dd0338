"""The 2026 `extended=min` watched maps: keyed by Trakt ids (trakt-api contract), paged with headers."""

from __future__ import annotations

from trakt_cassettes.sim import Simulator

from .sim_helpers import assert_schema, call, mini_scenario
from .test_sim_pagination import many_movies, pages

PLAYS = [
    {"show": 10, "season": 0, "episode": 1, "watched_at": "2026-01-01T00:00:00Z"},
    {"show": 10, "season": 1, "episode": 2, "watched_at": "2026-01-03T00:00:00Z"},
    {"show": 10, "season": 1, "episode": 2, "watched_at": "2026-01-02T00:00:00Z"},
]


def shows_map(query: str = "") -> dict:
    answer = call(Simulator(mini_scenario(history=PLAYS)), "GET", f"/sync/watched/shows?extended=min{query}")
    assert answer.status == 200
    assert_schema("watched_shows_min", answer.json())
    return answer.json()


def test_the_shows_map_is_keyed_by_season_and_episode_trakt_ids_not_numbers():
    # Season 1 of show 10 has trakt id 101; its episode 2 has trakt id 1012.
    assert shows_map() == {"10": {"101": {"1012": ["2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"]}}}


def test_specials_come_keyed_by_the_specials_season_id_only_when_asked():
    assert shows_map("&specials=true")["10"]["100"] == {"1000": ["2026-01-01T00:00:00.000Z"]}


def test_season_numbers_key_each_season_by_id_and_number():
    assert set(shows_map("&specials=true&season_numbers=true")["10"]) == {"100|0", "101|1"}


def test_a_min_map_without_page_or_limit_is_its_first_page_of_100_with_headers():
    answer = call(many_movies(130), "GET", "/sync/watched/movies?extended=min")
    assert (pages(answer), len(answer.json())) == (("1", "100", "2", "130"), 100)


def test_a_min_map_honours_a_limit_above_the_lists_250():
    answer = call(many_movies(300), "GET", "/sync/watched/movies?extended=min&limit=1000")
    assert (pages(answer), len(answer.json())) == (("1", "1000", "1", "300"), 300)


def test_a_min_map_limit_is_clamped_to_10000():
    answer = call(many_movies(3), "GET", "/sync/watched/movies?extended=min&limit=50000")
    assert answer.headers["X-Pagination-Limit"] == "10000"


def test_walking_the_pages_of_a_min_map_yields_every_id_once():
    sim = many_movies(7)
    seen: list[str] = []
    for page in range(1, 4):
        seen += list(call(sim, "GET", f"/sync/watched/movies?extended=min&page={page}&limit=3").json())
    assert sorted(seen) == sorted(str(1000 + i) for i in range(7))
