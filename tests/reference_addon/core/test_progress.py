"""Trakt's progress rules computed from mirror rows (pure: ProgressInputs in, Trakt's JSON out)."""

from __future__ import annotations

import re

from aiostreams.progress import compute_progress
from database.queries import ProgressInputs

NOW = "2026-11-01T12:00:00.000Z"
PAST = "2026-01-0{}T20:00:00.000Z"
FUTURE = "2027-01-01T20:00:00.000Z"
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def ep(season, number, aired=None, title=None):
    trakt = season * 100 + number
    return (season, number, title or f"E{number}", trakt, trakt + 1000, None, trakt + 2000, aired)


def show(episodes, plays=None, hidden=None, reset_at=None):
    inputs = ProgressInputs(show_trakt_id=1, reset_at=reset_at)
    inputs.episodes = episodes
    inputs.seasons = {s: (s + 40, s + 70, s + 60, f"Season {s}") for s in {e[0] for e in episodes}}
    inputs.plays = {key: (1, watched) for key, watched in (plays or {}).items()}
    inputs.hidden_seasons = hidden or {}
    return inputs


def season_one(count=4):
    return [ep(1, n, PAST.format(n)) for n in range(1, count + 1)]


def test_counting_unaired_episodes_and_specials_is_impossible():
    """Pitfall: unaired, undated and season-0 episodes never count."""
    episodes = [*season_one(2), ep(1, 3, FUTURE), ep(1, 4, None), ep(0, 1, PAST.format(1))]
    progress = compute_progress(show(episodes, {(0, 1): PAST.format(5)}), NOW)
    assert (progress["aired"], progress["completed"]) == (2, 0)
    assert [s["number"] for s in progress["seasons"]] == [1]
    assert [e["number"] for e in progress["seasons"][0]["episodes"]] == [1, 2]


def test_next_episode_taken_as_the_first_gap_is_impossible():
    """Pitfall: next_episode follows the highest aired episode watched, not the first gap."""
    progress = compute_progress(show(season_one(), {(1, 1): PAST.format(1), (1, 3): PAST.format(3)}), NOW)
    assert progress["last_episode"]["number"] == 3
    assert progress["next_episode"] == {
        "season": 1, "number": 4, "title": "E4", "ids": {"trakt": 104, "tvdb": 1104, "imdb": None, "tmdb": 2104},
    }  # fmt: skip


def test_next_episode_is_null_when_nothing_aired_follows_even_with_gaps():
    progress = compute_progress(show(season_one(), {(1, 1): PAST.format(1), (1, 4): PAST.format(4)}), NOW)
    assert progress["next_episode"] is None
    assert progress["completed"] == 2


def test_last_episode_is_latest_in_air_order_not_most_recently_watched():
    plays = {(1, 3): "2026-02-01T00:00:00.000Z", (1, 1): "2026-05-01T00:00:00.000Z"}
    progress = compute_progress(show(season_one(), plays), NOW)
    assert progress["last_episode"]["number"] == 3
    assert progress["last_watched_at"] == "2026-05-01T00:00:00.000Z"


def test_hidden_season_is_removed_and_listed_with_ids():
    episodes = [*season_one(2), ep(2, 1, PAST.format(3))]
    progress = compute_progress(show(episodes, {(2, 1): PAST.format(4)}, hidden={2: (42, 72, 62)}), NOW)
    assert [s["number"] for s in progress["seasons"]] == [1]
    assert progress["hidden_seasons"] == [{"number": 2, "ids": {"trakt": 42, "tvdb": 72, "tmdb": 62}}]
    assert (progress["aired"], progress["completed"], progress["last_episode"]) == (2, 0, None)


def test_reset_at_is_echoed_and_stats_are_not_adjusted():
    plays = {(1, 1): PAST.format(1), (1, 2): PAST.format(2)}
    progress = compute_progress(show(season_one(), plays, reset_at="2026-06-01T00:00:00.000Z"), NOW)
    assert progress["reset_at"] == "2026-06-01T00:00:00.000Z"
    assert progress["completed"] == 2 and progress["next_episode"]["number"] == 3


def test_next_up_view_ignores_plays_before_reset_at():
    plays = {(1, 1): PAST.format(1), (1, 2): "2026-07-01T00:00:00.000Z"}
    progress = compute_progress(
        show(season_one(), plays, reset_at="2026-06-01T00:00:00.000Z"), NOW, honour_reset=True
    )
    assert progress["completed"] == 1
    assert progress["next_episode"]["number"] == 3
    assert progress["seasons"][0]["episodes"][0] == {"number": 1, "completed": False, "last_watched_at": None}


def test_nothing_watched_keeps_every_key_with_null_and_offers_the_first_episode():
    progress = compute_progress(show(season_one(2)), NOW)
    assert list(progress) == [
        "aired", "completed", "last_watched_at", "reset_at", "seasons", "hidden_seasons", "next_episode", "last_episode",
    ]  # fmt: skip
    assert (
        progress["last_episode"] is None
        and progress["last_watched_at"] is None
        and progress["reset_at"] is None
    )
    assert progress["next_episode"]["number"] == 1
    assert progress["seasons"][0] == {
        "number": 1, "title": "Season 1", "aired": 2, "completed": 0,
        "episodes": [{"number": 1, "completed": False, "last_watched_at": None},
                     {"number": 2, "completed": False, "last_watched_at": None}],
    }  # fmt: skip


def test_show_watched_only_in_specials_has_no_last_episode():
    episodes = [*season_one(2), ep(0, 1, PAST.format(1))]
    progress = compute_progress(show(episodes, {(0, 1): PAST.format(2)}), NOW)
    assert (
        progress["completed"] == 0
        and progress["last_episode"] is None
        and progress["last_watched_at"] is None
    )


def test_timestamps_use_trakts_millisecond_z_format():
    progress = compute_progress(show(season_one(1), {(1, 1): PAST.format(1)}), NOW)
    assert TS_RE.match(progress["last_watched_at"])
    assert TS_RE.match(progress["seasons"][0]["episodes"][0]["last_watched_at"])
