"""Show progress computed from the mirror with Trakt's exact rules and shape.

Rules (GET /shows/{id}/progress/watched, default parameters): only aired episodes count; specials
(season 0) are left out; hidden seasons are removed and listed in `hidden_seasons`; `last_episode`
is the watched episode latest in air order; `next_episode` is the first aired episode after it
(null when none follows, even with earlier gaps); `reset_at` is echoed and the stats are NOT
adjusted. Next Up (`next_up`) is the add-on's own view and does honour `reset_at`.
"""

from __future__ import annotations

from typing import Any

from aiostreams.models import epoch_to_ts
from database import queries
from database.connection import Database
from database.queries import ProgressInputs


def _episode_object(season: int, episode: tuple) -> dict[str, Any]:
    _, number, title, trakt, tvdb, imdb, tmdb, _ = episode
    return {
        "season": season,
        "number": number,
        "title": title,
        "ids": {"trakt": trakt, "tvdb": tvdb, "imdb": imdb, "tmdb": tmdb},
    }


def compute_progress(inputs: ProgressInputs, now: str, honour_reset: bool = False) -> dict[str, Any]:
    """Trakt's progress object for one show; `now` is a Trakt timestamp deciding what has aired."""
    reset_at = inputs.reset_at
    seasons_out: list[dict[str, Any]] = []
    counted: list[tuple[int, tuple, bool, str | None]] = []  # (season, episode row, completed, watched_at)
    by_season: dict[int, list[tuple]] = {}
    for episode in inputs.episodes:
        by_season.setdefault(episode[0], []).append(episode)
    for season in sorted(by_season):
        if season == 0 or season in inputs.hidden_seasons:
            continue
        aired = [ep for ep in by_season[season] if ep[7] is not None and ep[7] <= now]
        if not aired:
            continue
        episodes_out = []
        completed = 0
        for episode in sorted(aired, key=lambda ep: ep[1]):
            plays, watched_at = inputs.plays.get((season, episode[1]), (0, None))
            if honour_reset and reset_at and (watched_at is None or watched_at < reset_at):
                plays, watched_at = 0, None  # a play before the rewatch began does not count here
            done = plays > 0
            completed += done
            episodes_out.append(
                {"number": episode[1], "completed": done, "last_watched_at": watched_at if done else None}
            )
            counted.append((season, episode, done, watched_at if done else None))
        title = inputs.seasons.get(season, (None, None, None, None))[3] or f"Season {season}"
        seasons_out.append(
            {
                "number": season,
                "title": title,
                "aired": len(aired),
                "completed": completed,
                "episodes": episodes_out,
            }
        )

    # Air order is the air date, then season and number (a special-order release airs out of sequence).
    counted.sort(key=lambda entry: (entry[1][7], entry[0], entry[1][1]))
    watched = [entry for entry in counted if entry[2]]
    last = watched[-1] if watched else None
    if last is None:
        following = counted
    else:
        position = counted.index(last)
        following = counted[position + 1 :]
    next_entry = following[0] if following else None
    stamps = [entry[3] for entry in watched if entry[3]]
    return {
        "aired": len(counted),
        "completed": len(watched),
        "last_watched_at": max(stamps) if stamps else None,
        "reset_at": reset_at,
        "seasons": seasons_out,
        "hidden_seasons": _hidden_seasons(inputs),
        "next_episode": _episode_object(next_entry[0], next_entry[1]) if next_entry else None,
        "last_episode": _episode_object(last[0], last[1]) if last else None,
    }


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
