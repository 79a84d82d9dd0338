"""Progress rules (TRAKT_API.md §5), one test per rule, plus the documented example reproduced."""

from __future__ import annotations

from trakt_cassettes.sim import Simulator

from .sim_helpers import assert_schema, call, mini_scenario


def progress(sim, query: str = "", show: str = "tt0000010") -> dict:
    answer = call(sim, "GET", f"/shows/{show}/progress/watched{query}")
    assert answer.status == 200, answer.body
    assert_schema("progress_watched", answer.json())
    return answer.json()


def watched(*episodes, **extra) -> Simulator:
    history = [{"show": "tt0000010", "season": s, "episode": e, "watched_at": at} for s, e, at in episodes]
    return Simulator(mini_scenario(history=history, **extra))


def test_documented_example_is_reproduced_exactly(progress_sim):
    assert progress(progress_sim, show="show-a") == {
        "aired": 4, "completed": 2, "last_watched_at": "2025-02-02T20:00:00.000Z", "reset_at": None,
        "seasons": [{"number": 1, "title": "Season 1", "aired": 4, "completed": 2, "episodes": [
            {"number": 1, "completed": True, "last_watched_at": "2025-01-09T20:00:00.000Z"},
            {"number": 2, "completed": False, "last_watched_at": None},
            {"number": 3, "completed": True, "last_watched_at": "2025-02-02T20:00:00.000Z"},
            {"number": 4, "completed": False, "last_watched_at": None}]}],
        "hidden_seasons": [{"number": 2, "ids": {"trakt": 42, "tvdb": 72, "tmdb": 62}}],
        "next_episode": {"season": 1, "number": 4, "title": "Four", "ids": {"trakt": 34, "tvdb": 84, "imdb": None, "tmdb": 94}},
        "last_episode": {"season": 1, "number": 3, "title": "Three", "ids": {"trakt": 33, "tvdb": 83, "imdb": None, "tmdb": 93}},
    }  # fmt: skip


def test_unaired_episodes_are_not_counted():
    data = progress(watched((1, 1, "2026-01-01T00:00:00Z")))
    assert (data["aired"], [e["number"] for e in data["seasons"][0]["episodes"]]) == (3, [1, 2, 3])


def test_episode_airs_once_the_clock_passes_its_date():
    sim = watched((1, 1, "2026-01-01T00:00:00Z"))
    sim.clock.set("2027-01-02T00:00:00Z")
    assert progress(sim)["aired"] == 4


def test_specials_are_excluded_by_default():
    data = progress(watched((0, 1, "2026-01-01T00:00:00Z")))
    assert ([s["number"] for s in data["seasons"]], data["completed"]) == ([1], 0)


def test_specials_true_lists_and_counts_season_zero():
    data = progress(watched((0, 1, "2026-01-01T00:00:00Z")), "?specials=true")
    assert ([s["number"] for s in data["seasons"]], data["aired"], data["completed"]) == ([0, 1], 4, 1)


def test_count_specials_false_lists_season_zero_without_counting_it():
    data = progress(watched((0, 1, "2026-01-01T00:00:00Z")), "?specials=true&count_specials=false")
    assert ([s["number"] for s in data["seasons"]], data["aired"], data["completed"]) == ([0, 1], 3, 0)


def test_hidden_true_puts_hidden_seasons_back(progress_sim):
    data = progress(progress_sim, "?hidden=true", show="tt02")
    assert ([s["number"] for s in data["seasons"]], data["aired"], data["hidden_seasons"]) == ([1, 2], 5, [])


def test_last_episode_is_latest_in_air_order_not_most_recent():
    sim = watched((1, 3, "2026-01-01T00:00:00Z"), (1, 1, "2026-02-01T00:00:00Z"))
    data = progress(sim)
    assert (data["last_episode"]["number"], data["next_episode"]) == (3, None)


def test_last_activity_watched_uses_most_recent_play():
    sim = watched((1, 3, "2026-01-01T00:00:00Z"), (1, 1, "2026-02-01T00:00:00Z"))
    data = progress(sim, "?last_activity=watched")
    assert (data["last_episode"]["number"], data["next_episode"]["number"]) == (1, 2)


def test_next_episode_is_null_when_nothing_follows_even_with_gaps():
    data = progress(watched((1, 3, "2026-01-01T00:00:00Z")))
    assert (data["next_episode"], data["completed"], data["aired"]) == (None, 1, 3)


def test_nothing_watched_gives_first_episode_as_next_and_null_last():
    data = progress(Simulator(mini_scenario()))
    assert (data["next_episode"]["number"], data["last_episode"], data["last_watched_at"]) == (1, None, None)


def test_reset_at_is_echoed_without_adjusting_stats():
    sim = watched(
        (1, 1, "2026-01-01T00:00:00Z"), resets=[{"show": "tt0000010", "reset_at": "2026-06-01T00:00:00Z"}]
    )
    data = progress(sim)
    assert (data["reset_at"], data["completed"]) == ("2026-06-01T00:00:00.000Z", 1)


def test_progress_needs_a_token():
    answer = call(Simulator(mini_scenario()), "GET", "/shows/tt0000010/progress/watched", token=None)
    assert (answer.status, answer.json()["error"]) == (401, "invalid_token")
