"""Computed views over the account: `/shows/{id}/progress/watched` and `/sync/watched/*` rows.

Progress follows Trakt's rules (TRAKT_API.md §5): aired episodes only; specials only with
`specials=true` (and uncounted with `count_specials=false`); seasons hidden in `progress_watched`
removed and listed in `hidden_seasons` unless `hidden=true`; `last_episode` is the watched episode
latest in air order (`last_activity=watched`: the most recently watched); `next_episode` is the
first unwatched aired episode after it, null when none follows even if gaps remain; `reset_at` is
only echoed.
"""

from __future__ import annotations

from .clock import parse_time
from .media import Show
from .shapes import episode_json, iso, movie_json, season_ids_json, show_json
from .state import TraktState


def _episode_plays(state: TraktState) -> dict[int, tuple[int, float]]:
    """episode trakt id -> (plays, last watched_at)."""
    plays: dict[int, tuple[int, float]] = {}
    for play in state.plays:
        if play.kind == "episode":
            count, last = plays.get(play.trakt, (0, 0.0))
            plays[play.trakt] = (count + 1, max(last, play.watched_at))
    return plays


def show_progress(
    state: TraktState, show: Show, hidden: bool = False, specials: bool = False, count_specials: bool = True,
    last_activity: str = "aired",
) -> dict:  # fmt: skip
    """The progress JSON of one show for the account."""
    now = state.clock.now()
    plays = _episode_plays(state)
    hidden_seasons = state.hidden_seasons(show)
    hidden_numbers = {season.number for season in hidden_seasons}
    seasons_out, counted = [], []
    total_aired = total_completed = 0
    for season in sorted(show.seasons, key=lambda s: s.number):
        if (season.number == 0 and not specials) or (season.number in hidden_numbers and not hidden):
            continue
        aired = sorted((e for e in season.episodes if e.aired(now)), key=lambda e: e.number)
        if not aired:
            continue
        rows, completed = [], 0
        for episode in aired:
            watched = plays.get(episode.ids["trakt"])
            completed += 1 if watched else 0
            rows.append(
                {
                    "number": episode.number,
                    "completed": bool(watched),
                    "last_watched_at": iso(watched[1]) if watched else None,
                }
            )
        title = season.title or ("Specials" if season.number == 0 else f"Season {season.number}")
        seasons_out.append(
            {
                "number": season.number,
                "title": title,
                "aired": len(aired),
                "completed": completed,
                "episodes": rows,
            }
        )
        if season.number == 0 and not count_specials:
            continue
        total_aired, total_completed = total_aired + len(aired), total_completed + completed
        counted.extend(aired)
    counted.sort(key=lambda e: e.air_key())
    watched = [e for e in counted if e.ids["trakt"] in plays]
    last = None
    if watched:
        if last_activity == "watched":
            last = max(watched, key=lambda e: (plays[e.ids["trakt"]][1], e.air_key()))
        else:
            last = watched[-1]
    start = counted.index(last) + 1 if last is not None else 0
    following = next((e for e in counted[start:] if e.ids["trakt"] not in plays), None)
    return {
        "aired": total_aired, "completed": total_completed,
        "last_watched_at": iso(max((plays[e.ids["trakt"]][1] for e in watched), default=None)),
        "reset_at": iso(state.resets.get(show.ids["trakt"])), "seasons": seasons_out,
        "hidden_seasons": [] if hidden else [season_ids_json(s) for s in sorted(hidden_seasons, key=lambda s: s.number)],
        "next_episode": episode_json(following) if following else None,
        "last_episode": episode_json(last) if last else None,
    }  # fmt: skip


def watched_movies(state: TraktState, full: bool = False) -> list[dict]:
    """`/sync/watched/movies` rows, most played first."""
    rows: dict[int, list] = {}
    for play in state.plays:
        if play.kind == "movie":
            rows.setdefault(play.trakt, []).append(play.watched_at)
    out = []
    for trakt, times in rows.items():
        movie = state.catalog.movie(trakt)
        out.append({
            "plays": len(times), "last_watched_at": iso(max(times)),
            "last_updated_at": iso(state.watched_updated.get(("movie", trakt), max(times))),
            "movie": movie_json(movie, full, state.scenario.now),
        })  # fmt: skip
    out.sort(
        key=lambda row: (
            -row["plays"],
            row["last_watched_at"] and -_key(row["last_watched_at"]),
            row["movie"]["ids"]["trakt"],
        )
    )
    return out


def watched_min_movies(state: TraktState) -> dict[int, list[str]]:
    """`extended=min` movies: every play time of each watched movie, oldest first."""
    out: dict[int, list[float]] = {}
    for play in state.plays:
        if play.kind == "movie":
            out.setdefault(play.trakt, []).append(play.watched_at)
    return {trakt: [iso(t) for t in sorted(times)] for trakt, times in out.items()}


def watched_min_shows(
    state: TraktState, specials: bool, season_numbers: bool = False
) -> dict[int, dict[str, dict[str, list[str]]]]:
    """`extended=min` shows: play times by season and episode **Trakt id**, oldest first.

    Keys are ids, not numbers (trakt-api contract `watchedShowsMinimalResponseSchema.ts`, trakt-java's
    `{"77712": {"95726": {"1498291": [...]}}}`); `season_numbers=true` makes the season key
    `"<season id>|<season number>"`. Season 0 only with `specials=true`."""
    out: dict[int, dict[tuple[int, int], dict[int, list[float]]]] = {}
    for play in state.plays:
        if play.kind != "episode":
            continue
        episode = state.episode(play.trakt)
        if episode.season == 0 and not specials:
            continue
        season = state.catalog.show(episode.show_trakt).season(episode.season)
        seasons = out.setdefault(episode.show_trakt, {})
        episodes = seasons.setdefault((episode.season, season.ids["trakt"]), {})
        episodes.setdefault(episode.ids["trakt"], []).append(play.watched_at)
    return {
        trakt: {
            (f"{season_id}|{number}" if season_numbers else str(season_id)): {
                str(episode_id): [iso(t) for t in sorted(times)] for episode_id, times in sorted(eps.items())
            }
            for (number, season_id), eps in sorted(seasons.items())
        }
        for trakt, seasons in out.items()
    }


def watched_shows(
    state: TraktState, seasons: bool = True, specials: bool = True, full: bool = False
) -> list[dict]:
    """`/sync/watched/shows` rows, most played first; `seasons=False` drops the seasons key."""
    per_show: dict[int, dict[tuple[int, int], list[float]]] = {}
    for play in state.plays:
        if play.kind == "episode":
            episode = state.episode(play.trakt)
            per_show.setdefault(episode.show_trakt, {}).setdefault(
                (episode.season, episode.number), []
            ).append(play.watched_at)
    out = []
    for trakt, episodes in per_show.items():
        show = state.catalog.show(trakt)
        every = [t for times in episodes.values() for t in times]
        row = {
            "plays": len(every), "last_watched_at": iso(max(every)),
            "last_updated_at": iso(state.watched_updated.get(("show", trakt), max(every))),
            "reset_at": iso(state.resets.get(trakt)), "show": show_json(show, full, state.clock.now(), state.scenario.now),
        }  # fmt: skip
        if seasons:
            by_season: dict[int, list] = {}
            for (season, number), times in sorted(episodes.items()):
                if season == 0 and not specials:
                    continue
                by_season.setdefault(season, []).append(
                    {"number": number, "plays": len(times), "last_watched_at": iso(max(times))}
                )
            row["seasons"] = [{"number": n, "episodes": eps} for n, eps in sorted(by_season.items())]
        out.append(row)
    out.sort(key=lambda row: (-row["plays"], -_key(row["last_watched_at"]), row["show"]["ids"]["trakt"]))
    return out


def watched_episodes(state: TraktState, full: bool = False) -> list[dict]:
    """`/sync/watched/episodes` rows, most recently watched first.

    The contract (sync/index.ts `/watched/:type`) gives only `plays`, `last_watched_at` and `type`
    and lets the rest pass through; the `episode` + `show` objects follow every other episode row."""
    plays = _episode_plays(state)
    out = [
        {"plays": count, "last_watched_at": iso(last), "type": "episode", **_episode_item(state, trakt, full)}
        for trakt, (count, last) in plays.items()
    ]
    out.sort(key=lambda row: (-_key(row["last_watched_at"]), row["episode"]["ids"]["trakt"]))
    return out


def _episode_item(state: TraktState, trakt: int, full: bool) -> dict:
    episode = state.episode(trakt)
    show = state.catalog.show_of(episode)
    return {
        "episode": episode_json(episode, full, state.scenario.now),
        "show": show_json(show, full, state.clock.now(), state.scenario.now),
    }


def _key(timestamp: str) -> float:
    return parse_time(timestamp)
