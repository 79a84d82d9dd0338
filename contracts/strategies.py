"""Hypothesis strategies: small random Trakt libraries (scenario dicts) and the churn applied after a sync."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from contracts.support import NOW, STAND_IN_TOKEN, make_show, scenario_yaml

NOW_DT = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)  # contracts.support.NOW as a datetime

PROFILE_NAME = "contracts-" + os.environ.get("CONTRACTS_HYPOTHESIS_PROFILE", "ci")
# A generated contract runs as SHARDS tests that share its examples: pytest-xdist hands out whole tests,
# so one 300-example test (about a minute) would be one worker's minute however many workers or hosts
# there are. Every worker must see the same number (workers on other hosts get it with env: in --tx).
SHARDS = max(1, int(os.environ.get("CONTRACTS_HYPOTHESIS_SHARDS", "4")))


def shard_settings(fraction: float = 1.0, at_least: int = 1) -> settings:
    """The profile's settings for one shard: `fraction` of its examples (at least `at_least`) over SHARDS.

    Each shard draws its own random examples (hypothesis seeds every run afresh), so the shards
    together try what one test of that many examples would; with a fixed --hypothesis-seed they
    would repeat each other, so do not fix it for these.
    """
    profile = settings.get_profile(PROFILE_NAME)
    total = max(at_least, round(profile.max_examples * fraction))
    return settings(profile, max_examples=math.ceil(total / SHARDS))


def at(days: int, hours: int = 0) -> str:
    """A Trakt-style time `days` (+ `hours`) from NOW; 0 is exactly NOW (the aired boundary)."""
    return (NOW_DT + timedelta(days=days, hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


# Air dates cluster around NOW: mostly aired, some in the future, some unknown, some on the same day.
air_dates = st.integers(-41, 8).map(
    lambda days: None if days == -41 else at(days)
)  # -41 stands for "undated"
watch_times = st.tuples(st.integers(-60, -1), st.integers(0, 23)).map(lambda dh: at(*dh))


@st.composite
def show_strategy(draw, trakt_id: int) -> dict:
    """One show: optional specials, 1-3 seasons of 1-4 episodes; an imdb id most of the time."""
    numbers = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True))
    seasons = {n: draw(st.lists(air_dates, min_size=1, max_size=4)) for n in sorted(numbers)}
    imdb = draw(st.sampled_from([f"tt{9000000 + trakt_id}"] * 4 + [None]))
    show = make_show(trakt_id, imdb, seasons)
    for season in show["seasons"]:  # Trakt titles are nullable: named seasons, untitled episodes
        if draw(st.integers(0, 3)) == 0:
            season["title"] = f"Part {season['number']}"
        for episode in season["episodes"]:
            if draw(st.integers(0, 5)) == 0:
                episode["title"] = None
    return show


def episode_keys(show: dict) -> list[tuple[int, int, int]]:
    """(show trakt id, season, episode) of every episode of a generated show."""
    return [(show["ids"]["trakt"], season["number"], episode["number"])
            for season in show["seasons"] for episode in season["episodes"]]  # fmt: skip


def episode_trakt_id(show_id: int, season: int, number: int) -> int:
    """The trakt id make_show gives that episode."""
    return show_id * 10000 + season * 100 + number


@dataclass
class Churn:
    """What happens on Trakt between the first sync and the checked one."""

    add_plays: list[tuple[int, str]] = field(default_factory=list)  # (episode trakt id, watched_at)
    add_movie_plays: list[tuple[int, str]] = field(default_factory=list)  # (movie trakt id, watched_at)
    remove_movie_plays: list[int] = field(default_factory=list)  # movie trakt ids (all their plays)
    remove_plays: list[int] = field(default_factory=list)  # episode trakt ids (all their plays)
    watchlist_add: list[tuple[str, int]] = field(default_factory=list)  # (movie|show, trakt id)
    watchlist_remove: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The churn as plain data for the failure report."""
        return {key: value for key, value in self.__dict__.items() if value}


def pick(draw, items: list, max_size: int, unique: bool = False) -> list:
    """Draw up to max_size of `items` (none when there are none)."""
    return draw(st.lists(st.sampled_from(items), max_size=max_size, unique=unique)) if items else []


@st.composite
def library_strategy(draw) -> tuple[dict, Churn]:
    """A scenario dict (shows, movies, plays, resets, hidden seasons, watchlist) and a churn."""
    shows = [draw(show_strategy(trakt_id)) for trakt_id in range(1, draw(st.integers(1, 3)) + 1)]
    movies = [{"title": f"Movie {n}", "year": 2020, "ids": {"trakt": 500 + n, "imdb": f"tt8{n:06d}", "tmdb": 600 + n}}
              for n in range(1, draw(st.integers(0, 2)) + 1)]  # fmt: skip
    episodes = [key for show in shows for key in episode_keys(show)]
    # A binge (the first k episodes of each show, in listing order) plus a few random plays and rewatches.
    binged = [
        key for show in shows for key in episode_keys(show)[: draw(st.integers(0, len(episode_keys(show))))]
    ]
    history = [{"show": s, "season": n, "episode": e, "watched_at": draw(watch_times)}
               for s, n, e in binged + pick(draw, episodes, 6)]  # fmt: skip
    history += [{"movie": m["ids"]["trakt"], "watched_at": draw(watch_times)}
                for m in pick(draw, movies, 3)]  # fmt: skip
    # A reset on a show without plays is a known gap of the mirror (see test_rules); keep resets on watched shows.
    watched_shows = sorted({entry["show"] for entry in history if "show" in entry})
    resets = [
        {"show": trakt_id, "reset_at": draw(watch_times)} for trakt_id in watched_shows if draw(st.booleans())
    ]
    reset_shows = {reset["show"] for reset in resets}
    hidden = [{"show": show["ids"]["trakt"], "season": season["number"], "hidden_at": at(-1)}
              for show in shows for season in show["seasons"] if draw(st.integers(0, 4)) == 0]  # fmt: skip
    hidden += [
        {"show": show["ids"]["trakt"], "hidden_at": at(-1)} for show in shows if draw(st.integers(0, 5)) == 0
    ]
    titles = [("show", s["ids"]["trakt"]) for s in shows] + [("movie", m["ids"]["trakt"]) for m in movies]
    listed = pick(draw, titles, 3, unique=True)
    scenario = {
        "now": NOW,
        "user": {"username": "generated", "access_token": STAND_IN_TOKEN},
        "shows": shows,
        "movies": movies,
        "history": history,
        "resets": resets,
        "hidden": {"progress_watched": hidden} if hidden else {},
        "watchlist": [{kind: trakt_id, "listed_at": at(-2)} for kind, trakt_id in listed],
        # Both API generations: the 2026 drift (paged watched lists, seasons only on request) and the blueprint.
        "api": {"drift": draw(st.booleans()), "strict_paging": draw(st.booleans())},
    }
    churn = Churn(
        add_plays=[
            (episode_trakt_id(*key), draw(watch_times)) for key in pick(draw, episodes, 3)
        ],  # fmt: skip
        remove_plays=sorted(
            {
                episode_trakt_id(e["show"], e["season"], e["episode"])
                for e in pick(draw, history, 2)
                if e.get("show") not in reset_shows | {None}
            }
        ),  # fmt: skip
        add_movie_plays=[(movie["ids"]["trakt"], draw(watch_times)) for movie in pick(draw, movies, 2)],
        remove_movie_plays=sorted({movie["ids"]["trakt"] for movie in pick(draw, movies, 1)}),
        watchlist_add=pick(draw, titles, 2, unique=True),
        watchlist_remove=pick(draw, listed, 2, unique=True),
    )
    return scenario, churn


def apply_churn(world: Any, churn: Churn) -> None:
    """Change the account on Trakt through its API, as another device would."""
    client = world.client()
    if churn.add_plays:
        body = [
            {"ids": {"trakt": trakt_id}, "watched_at": watched_at} for trakt_id, watched_at in churn.add_plays
        ]
        client.post("/sync/history", {"episodes": body})
    if churn.add_movie_plays:
        body = [{"ids": {"trakt": trakt_id}, "watched_at": at} for trakt_id, at in churn.add_movie_plays]
        client.post("/sync/history", {"movies": body})
    if churn.remove_plays or churn.remove_movie_plays:
        client.post("/sync/history/remove", {"episodes": [{"ids": {"trakt": t}} for t in churn.remove_plays],
                                             "movies": [{"ids": {"trakt": t}} for t in churn.remove_movie_plays]})  # fmt: skip
    for path, entries in (
        ("/sync/watchlist", churn.watchlist_add),
        ("/sync/watchlist/remove", churn.watchlist_remove),
    ):
        if entries:
            body: dict = {}
            for kind, trakt_id in entries:
                body.setdefault(f"{kind}s", []).append({"ids": {"trakt": trakt_id}})
            client.post(path, body)
    world.sim.clock.advance(60)


def failure_report(scenario: dict, churn: Churn, failures: list[str]) -> str:
    """The failures, then the scenario as a file (a regression cassette in the making) and the churn."""
    return (
        "\n\n".join(failures)
        + "\n\n# --- minimal scenario (save as a scenario .yaml) ---\n"
        + scenario_yaml(scenario)
        + "# --- then, after the first sync, on Trakt ---\n"
        + scenario_yaml({"churn": churn.as_dict()})
    )
