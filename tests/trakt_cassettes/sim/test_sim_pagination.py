"""Pagination: X-Pagination-* headers, optional pagination, clamping, pages past the end."""

from __future__ import annotations

from trakt_cassettes.sim import Simulator

from .sim_helpers import call, mini_scenario


def many_movies(count: int, **extra) -> Simulator:
    movies = [{"title": f"M{i}", "year": 2000, "ids": {"trakt": 1000 + i}} for i in range(count)]
    return Simulator(mini_scenario(movies=movies, watchlist=[{"movie": 1000 + i} for i in range(count)],
                                   history=[{"movie": 1000 + i, "watched_at": "2026-01-01T00:00:00Z"} for i in range(count)], **extra))  # fmt: skip


def pages(answer) -> tuple:
    h = answer.headers
    return (
        h["X-Pagination-Page"],
        h["X-Pagination-Limit"],
        h["X-Pagination-Page-Count"],
        h["X-Pagination-Item-Count"],
    )


def test_history_pages_carry_pagination_headers():
    answer = call(many_movies(25), "GET", "/sync/history?page=2&limit=10")
    assert (pages(answer), len(answer.json())) == (("2", "10", "3", "25"), 10)


def test_history_default_page_is_100_in_2026_mode():
    answer = call(many_movies(120), "GET", "/sync/history")
    assert (pages(answer), len(answer.json())) == (("1", "100", "2", "120"), 100)


def test_history_default_page_is_10_in_blueprint_mode():
    assert len(call(many_movies(25, api={"drift": False}), "GET", "/sync/history").json()) == 10


def test_watchlist_without_page_or_limit_is_its_first_100_items_in_2026_mode():
    answer = call(many_movies(150), "GET", "/sync/watchlist")
    assert (pages(answer), len(answer.json())) == (("1", "100", "2", "150"), 100)


def test_watched_lists_without_page_or_limit_are_their_first_100_items_in_2026_mode():
    sim = many_movies(150)
    for path in ("/sync/watched/movies", "/sync/watched/movies?extended=full"):
        answer = call(sim, "GET", path)
        assert (pages(answer), len(answer.json())) == (("1", "100", "2", "150"), 100)


def test_without_strict_paging_the_watchlist_returns_everything_without_headers():
    answer = call(many_movies(300, api={"strict_paging": False}), "GET", "/sync/watchlist")
    assert (len(answer.json()), "X-Pagination-Page" in answer.headers) == (300, False)


def test_the_blueprint_returns_the_whole_watchlist_unless_asked():
    answer = call(many_movies(150, api={"drift": False}), "GET", "/sync/watchlist")
    assert (len(answer.json()), "X-Pagination-Page" in answer.headers) == (150, False)


def test_playback_stays_pagination_optional():
    movies = [{"title": f"M{i}", "year": 2000, "ids": {"trakt": 1000 + i}} for i in range(120)]
    playback = [
        {"movie": 1000 + i, "progress": 10.0, "paused_at": "2026-10-01T00:00:00Z"} for i in range(120)
    ]
    answer = call(Simulator(mini_scenario(movies=movies, playback=playback)), "GET", "/sync/playback")
    assert (len(answer.json()), "X-Pagination-Page" in answer.headers) == (120, False)


def test_limit_is_clamped_to_250():
    answer = call(many_movies(300), "GET", "/sync/watchlist?limit=1000")
    assert (pages(answer), len(answer.json())) == (("1", "250", "2", "300"), 250)


def test_page_past_the_end_is_empty():
    answer = call(many_movies(5), "GET", "/sync/watchlist?page=3&limit=5")
    assert (answer.status, answer.json(), answer.headers["X-Pagination-Page-Count"]) == (200, [], "1")


def test_watched_movies_page_when_asked():
    answer = call(many_movies(30), "GET", "/sync/watched/movies?page=3&limit=10")
    assert (pages(answer), len(answer.json())) == (("3", "10", "3", "30"), 10)


def test_hidden_defaults_to_10_per_page():
    movies = [{"title": f"M{i}", "ids": {"trakt": 1000 + i}} for i in range(12)]
    sim = Simulator(
        mini_scenario(movies=movies, hidden={"calendar": [{"movie": 1000 + i} for i in range(12)]})
    )
    answer = call(sim, "GET", "/users/hidden/calendar")
    assert (pages(answer), len(answer.json())) == (("1", "10", "2", "12"), 10)


def test_walking_all_watchlist_pages_yields_every_item_once():
    sim = many_movies(7)
    seen = []
    for page in range(1, 4):
        seen += [
            row["movie"]["ids"]["trakt"]
            for row in call(sim, "GET", f"/sync/watchlist?page={page}&limit=3").json()
        ]
    assert sorted(seen) == [1000 + i for i in range(7)]


def test_bad_page_value_answers_400():
    answer = call(many_movies(1), "GET", "/sync/history?page=abc")
    assert (answer.status, answer.json()["error_description"]) == (400, "not a positive integer: 'abc'")
