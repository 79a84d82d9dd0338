"""Show progress computed from the mirror with Trakt's exact rules and shape.

Rules (GET /shows/{id}/progress/watched, default parameters): only aired episodes count; specials
(season 0) are left out; hidden seasons are removed and listed in `hidden_seasons`; `last_episode`
is the watched episode latest in air order; `next_episode` is the first aired episode after it
(null when none follows, even with earlier gaps); `reset_at` is echoed and the stats are NOT
adjusted. Next Up (`next_up`) is the add-on's own view and does honour `reset_at`.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from aiostreams.models import epoch_to_ts
from database import queries
from database.connection import Database
from database.queries import ProgressInputs

_NUMBER = itemgetter(1)  # an episode row's number
_NO_SEASON = (None, None, None, None)


def _episode_object(episode: tuple) -> dict[str, Any]:
    season, number, title, trakt, tvdb, imdb, tmdb, _ = episode
    return {
        "season": season,
        "number": number,
        "title": title,
        "ids": {"trakt": trakt, "tvdb": tvdb, "imdb": imdb, "tmdb": tmdb},
    }


def compute_progress(inputs: ProgressInputs, now: str, honour_reset: bool = False) -> dict[str, Any]:
    """Trakt's progress object for one show; `now` is a Trakt timestamp deciding what has aired."""
    reset_at = inputs.reset_at
    plays_of = inputs.plays
    hidden = inputs.hidden_seasons
    no_play = (0, None)
    reset_applies = bool(honour_reset and reset_at)
    by_season: dict[int, list[tuple]] = {}
    for episode in inputs.episodes:
        season = episode[0]
        if season == 0 or season in hidden:
            continue
        aired_at = episode[7]
        if aired_at is not None and aired_at <= now:
            rows = by_season.get(season)
            if rows is None:  # not setdefault: that builds an empty list for every episode
                rows = by_season[season] = []
            rows.append(episode)
    seasons_out: list[dict[str, Any]] = []
    last_watched_at = None
    # Air order is the air date, then season and number (a special-order release airs out of
    # sequence). Episodes are visited by season and number; while their air dates never go down,
    # that visit order IS air order, and last/next episode fall out of the walk without a sort.
    in_air_order = True
    previous_air = ""
    last = next_up = None  # episode rows
    want_next = True
    aired_total = completed_total = 0
    for season in sorted(by_season):
        aired = by_season[season]
        aired.sort(key=_NUMBER)
        episodes_out = []
        completed = 0
        for episode in aired:
            number = episode[1]
            plays, watched_at = plays_of.get((season, number), no_play)
            if reset_applies and (watched_at is None or watched_at < reset_at):
                plays, watched_at = 0, None  # a play before the rewatch began does not count here
            aired_at = episode[7]
            if aired_at < previous_air:
                in_air_order = False
            previous_air = aired_at
            if plays > 0:
                completed += 1
                if watched_at and (last_watched_at is None or watched_at > last_watched_at):
                    last_watched_at = watched_at
                episodes_out.append({"number": number, "completed": True, "last_watched_at": watched_at})
                last, want_next, next_up = episode, True, None
            else:
                episodes_out.append({"number": number, "completed": False, "last_watched_at": None})
                if want_next:
                    next_up, want_next = episode, False
        title = inputs.seasons.get(season, _NO_SEASON)[3] or f"Season {season}"
        seasons_out.append(
            {
                "number": season,
                "title": title,
                "aired": len(aired),
                "completed": completed,
                "episodes": episodes_out,
            }
        )
        aired_total += len(aired)
        completed_total += completed
    if not in_air_order:
        last, next_up = _last_and_next_in_air_order(by_season, seasons_out)
    return {
        "aired": aired_total,
        "completed": completed_total,
        "last_watched_at": last_watched_at,
        "reset_at": reset_at,
        "seasons": seasons_out,
        "hidden_seasons": _hidden_seasons(inputs),
        "next_episode": _episode_object(next_up) if next_up else None,
        "last_episode": _episode_object(last) if last else None,
    }


def _last_and_next_in_air_order(
    by_season: dict[int, list[tuple]], seasons_out: list[dict[str, Any]]
) -> tuple[tuple | None, tuple | None]:
    """The watched episode latest in air order and the aired episode right after it, by sorting."""
    counted = []  # (air date, season, number, position, completed, episode row): never compares further
    for season_out in seasons_out:
        season, shown = season_out["number"], season_out["episodes"]
        for position, episode in enumerate(by_season[season]):
            counted.append(
                (episode[7], season, episode[1], len(counted), shown[position]["completed"], episode)
            )
    counted.sort()
    last_index = -1
    for index, entry in enumerate(counted):
        if entry[4]:
            last_index = index
    last = counted[last_index] if last_index >= 0 else None
    following = counted[last_index + 1] if last_index + 1 < len(counted) else None
    return (
        last[5] if last else None,
        following[5] if following else None,
    )


def _hidden_seasons(inputs: ProgressInputs) -> list[dict[str, Any]]:
    hidden = []
    for number in sorted(inputs.hidden_seasons):
        trakt, tvdb, tmdb = inputs.hidden_seasons[number]
        known = inputs.seasons.get(number)
        if known is not None:  # the season list is the fuller source of ids
            trakt, tvdb, tmdb = (trakt or known[0]), (tvdb or known[1]), (tmdb or known[2])
        hidden.append({"number": number, "ids": {"trakt": trakt, "tvdb": tvdb, "tmdb": tmdb}})
    return hidden


def show_progress(
    db: Database, show_trakt_id: int, now_epoch: float, honour_reset: bool = False
) -> dict[str, Any]:
    """Progress of one show from the mirror (its metadata must have been fetched)."""
    return compute_progress(queries.progress_inputs(db, show_trakt_id), epoch_to_ts(now_epoch), honour_reset)


def next_up(db: Database, now_epoch: float, limit: int | None = None) -> list[dict[str, Any]]:
    """Next episode of every watched, unhidden show, most recently watched first; plays before reset_at ignored."""
    now = epoch_to_ts(now_epoch)
    items = []
    for show_id, watched_at in queries.next_up_candidates(db):
        if not queries.has_metadata(db, show_id):
            continue
        progress = compute_progress(queries.progress_inputs(db, show_id), now, honour_reset=True)
        if progress["next_episode"] is None:
            continue
        items.append(
            {
                "show": queries.show_summary(db, show_id),
                "episode": progress["next_episode"],
                "last_watched_at": watched_at,
                "reset_at": progress["reset_at"],
            }
        )
        if limit is not None and len(items) >= limit:
            break
    return items
