"""Incremental watched sync: Trakt's compact `extended=min` maps diffed against the mirror.

Since 2026, `GET /sync/watched/{movies|shows}?extended=min` returns every play time of every watched
item, in pages (`page`, `limit`, `X-Pagination-*`), keyed by Trakt ids: movies `{movie id: [times]}`,
shows `{show id: {season id: {episode id: [times]}}}` (trakt/trakt-api contract
`users/schema/response/watchedShowsMinimalResponseSchema.ts`; the inner keys are the season's and the
episode's Trakt ids, never their numbers). That is the complete watched state, so comparing it with the
mirror finds every change: new plays, back-dated plays and removed plays alike.

The mirror keys episodes by (season, number), as the full read gives them, and keeps each episode's
Trakt id in `episodes` (from `/shows/{id}/seasons`). A show whose map names an episode id the mirror
does not know has its seasons read now (and stored, sparing the metadata backfill that request); a
title the mirror never saw costs one request for its identity. When those requests would cost more than
re-reading the paged list, or the answer is not such a map, the caller does the full read.

The rows returned are the whole area (unchanged items keep their stored rows), so the area's usual
write makes the tables exactly this state. `ParsedArea.changed` names the items whose plays changed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiostreams import errors, trakt_items
from aiostreams.models import normalize_ts
from aiostreams.trakt_client import PAGE_LIMIT, TraktClient
from aiostreams.trakt_items import ParsedArea
from database import store
from database.connection import Database

SPECIALS = 0  # season number of specials: they count in a show's plays, but the mirror keeps no rows
# Page sizes asked for the maps: what Trakt's own web client asks (TRAKT_API.md §8.0). Trakt may answer
# with a smaller page; the limit it echoes is used for the rest.
MAP_LIMIT = {"movie": 10_000, "show": 1_000}
SEASON_KEY = re.compile(r"^\d+(\|\d+)?$")  # "<season id>", or "<season id>|<number>" (season_numbers=true)

if TYPE_CHECKING:  # only in annotations: subscripted builtins fail at runtime on Kodi's Python 3.8
    Plays = tuple[int, str | None]  # (plays, last_watched_at)


def _plays(times: Any) -> Plays:
    """A list of play times -> (plays, newest time); raises ValueError on anything else."""
    if not isinstance(times, list) or not times:
        raise ValueError("play times are not a non-empty list")
    stamps = [normalize_ts(t) if isinstance(t, str) else None for t in times]
    if None in stamps:
        raise ValueError("a play time is not a timestamp")
    return len(stamps), max(stamps)


def _number(key: Any) -> int:
    if not isinstance(key, str) or not key.isdigit():
        raise ValueError(f"not a number key: {str(key)[:20]!r}")
    return int(key)


def _entries(payload: dict, what: str, parse: Callable[[Any], Any]) -> tuple[dict[int, Any], list[str]]:
    """Parse each `{id: value}` entry; a malformed one is skipped and named (ids are log-safe)."""
    parsed: dict[int, Any] = {}
    skipped: list[str] = []
    for key, value in payload.items():
        try:
            parsed[_number(key)] = parse(value)
        except (TypeError, ValueError, AttributeError) as exc:
            skipped.append(f"{what} {str(key)[:20]}: {exc}")
    if payload and not parsed:
        raise ValueError(f"{what}: all {len(skipped)} item(s) malformed")
    return parsed, skipped


def _show_plays(seasons: Any) -> dict[int, Plays]:
    """`{season id: {episode id: [times]}}` -> {episode trakt id: (plays, last)}."""
    if not isinstance(seasons, dict):
        raise ValueError("seasons are not an object")
    episodes: dict[int, Plays] = {}
    for season, by_episode in seasons.items():
        if not isinstance(season, str) or not SEASON_KEY.match(season):
            raise ValueError(f"not a season id key: {str(season)[:20]!r}")
        if not isinstance(by_episode, dict):
            raise ValueError("episodes are not an object")
        for episode, times in by_episode.items():
            episodes[_number(episode)] = _plays(times)
    if not episodes:
        raise ValueError("a watched show without plays")
    return episodes


def _too_many(requests: int, total: int) -> bool:
    """Per-item requests would cost more than the full paged read."""
    return requests > math.ceil(total / PAGE_LIMIT)


def _identities(client: TraktClient, kind: str, ids: list[int], skipped: list[str]) -> dict[int, tuple]:
    """Title and external ids of items the mirror has never seen (one request each)."""
    rows: dict[int, tuple] = {}
    to_row = store.movie_row if kind == "movie" else store.show_row
    for trakt_id in ids:
        try:
            rows[trakt_id] = to_row(client.get(f"/{kind}s/{int(trakt_id)}"))
        except errors.NotFoundError:
            skipped.append(f"watched {kind} {trakt_id}: not found on Trakt")
        except (TypeError, ValueError, AttributeError) as exc:
            skipped.append(f"watched {kind} {trakt_id}: {exc}")
    return rows


def _known(db: Database, table: str, ids: set[int]) -> set[int]:
    found = {row[0] for row in db.query(f"SELECT trakt_id FROM {table}")}  # noqa: S608 - fixed names
    return ids & found


def _read_map(
    client: TraktClient, kind: str, params: dict[str, str], parse: Callable[[Any], Any]
) -> tuple[dict[int, Any], list[str]] | None:
    """Every page of one kind's min map, parsed by id, and the skipped items; None when Trakt sent no map."""
    payload = client.get_map(f"/sync/watched/{kind}s", params, limit=MAP_LIMIT[kind])
    if not isinstance(payload, dict):
        return None
    # The decoded answer is the biggest object of the sync: parse it, and let it go before the mirror is read.
    return _entries(payload, f"watched {kind}", parse)


def movies(client: TraktClient, db: Database, now: str) -> ParsedArea | None:
    """The watched movies from the min map, or None when the full read is the better way."""
    stored = {
        row[0]: row
        for row in db.query(
            "SELECT movie_trakt_id, plays, last_watched_at, last_updated_at FROM watched_movies"
        )
    }
    if not stored:
        return None  # first sync: nothing to diff against, and the full read brings identities too
    read = _read_map(client, "movie", {"extended": "min"}, _plays)
    if read is None:
        return None
    remote, skipped = read
    unknown = sorted(set(remote) - _known(db, "movies", set(remote)))
    if _too_many(len(unknown), len(remote)):
        return None
    identities = _identities(client, "movie", unknown, skipped)
    for trakt_id in set(unknown) - set(identities):
        del remote[trakt_id]  # no identity (named in `skipped`): left out
    watched, changed = [], set(stored) - set(remote)
    for trakt_id, (plays, last) in sorted(remote.items()):
        old = stored.get(trakt_id)
        if old is not None and old[1:3] == (plays, last):
            watched.append(old)
        else:
            watched.append((trakt_id, plays, last, now))
            changed.add(trakt_id)
    parsed = ParsedArea({"movies": list(identities.values()), "watched_movies": watched}, skipped)
    parsed.changed = frozenset(changed)
    return parsed


def _numbering(db: Database) -> dict[int, dict[int, tuple[int, int]]]:
    """show -> episode trakt id -> (season, number), from the seasons the mirror has read."""
    out: dict[int, dict[int, tuple[int, int]]] = {}
    for show_id, episode_id, season, number in db.query(
        "SELECT show_trakt_id, trakt_id, season, number FROM episodes WHERE trakt_id IS NOT NULL"
    ):
        out.setdefault(show_id, {})[episode_id] = (season, number)
    return out


def _read_seasons(client: TraktClient, show_id: int) -> dict[str, list[tuple]]:
    """One show's seasons and episodes (the metadata area's own request and rows)."""
    payload = client.get(f"/shows/{int(show_id)}/seasons", {"extended": "full,episodes"})
    return trakt_items.parse_show_metadata(payload, show_id).rows


def shows(client: TraktClient, db: Database, now: str) -> ParsedArea | None:
    """The watched shows and episodes from the min map, or None when the full read is the better way."""
    stored = {
        row[0]: row
        for row in db.query(
            "SELECT show_trakt_id, plays, last_watched_at, last_updated_at, reset_at FROM watched_shows"
        )
    }
    if not stored:
        return None
    read = _read_map(client, "show", {"extended": "min", "specials": "true"}, _show_plays)
    if read is None:
        return None
    remote, skipped = read
    numbering = _numbering(db)
    unknown = sorted(set(remote) - _known(db, "shows", set(remote)))
    unmapped = [
        show for show, episodes in sorted(remote.items()) if set(episodes) - set(numbering.get(show, {}))
    ]
    if _too_many(len(unknown) + len(unmapped), len(remote)):
        return None
    identities = _identities(client, "show", unknown, skipped)
    for show_id in set(unknown) - set(identities):
        del remote[show_id]  # no identity (named in `skipped`): left out
    metadata = []
    for show_id in unmapped:
        if show_id not in remote:
            continue
        try:
            rows = _read_seasons(client, show_id)
        except errors.NotFoundError:
            return None
        numbering[show_id] = {row[4]: (row[1], row[2]) for row in rows["episodes"] if row[4] is not None}
        if set(remote[show_id]) - set(numbering[show_id]):
            # Trakt's own seasons lack an episode its map names: numbers cannot be trusted from here.
            return None
        metadata.append((show_id, rows, now))

    stored_episodes: dict[int, dict[tuple[int, int], Plays]] = {}
    for show_id, season, number, plays, last in db.query(
        "SELECT show_trakt_id, season, number, plays, last_watched_at FROM watched_episodes"
    ):
        stored_episodes.setdefault(show_id, {})[(season, number)] = (plays, last)

    watched_shows, watched_episodes, changed = [], [], set(stored) - set(remote)
    for show_id, by_id in sorted(remote.items()):
        numbers = numbering[show_id]
        episodes = {numbers[episode_id]: value for episode_id, value in by_id.items()}
        plays = sum(count for count, _ in episodes.values())
        last = max(stamp for _, stamp in episodes.values())
        kept = {key: value for key, value in sorted(episodes.items()) if key[0] != SPECIALS}
        watched_episodes.extend((show_id, season, number, *value) for (season, number), value in kept.items())
        old = stored.get(show_id)
        if old is not None and old[1:3] == (plays, last) and stored_episodes.get(show_id, {}) == kept:
            watched_shows.append(old)
        else:
            # The min map has no reset_at: keep the stored one (the hidden area also reads resets).
            watched_shows.append((show_id, plays, last, now, old[4] if old else None))
            changed.add(show_id)
    parsed = ParsedArea(
        {
            "shows": list(identities.values()),
            "watched_shows": watched_shows,
            "watched_episodes": watched_episodes,
            "show_metadata": metadata,
        },
        skipped,
    )
    parsed.changed = frozenset(changed)
    return parsed
