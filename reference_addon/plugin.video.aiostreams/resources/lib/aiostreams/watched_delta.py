"""Incremental watched sync: Trakt's compact `extended=min` answer diffed against the mirror.

Since 2026, `GET /sync/watched/{movies|shows}?extended=min` returns, in one unpaged answer, every
play time of every watched item keyed by trakt id (movies: `{id: [times]}`, shows:
`{id: {season: {number: [times]}}}`). That is the complete watched state, so comparing it with the
mirror finds every change: new plays, back-dated plays and removed plays alike. Only items the mirror
has never seen cost one request each (for their title and external ids); when that would cost more
than re-reading the paged list, or the answer is not such a map, the caller does the full read.

The rows returned are the whole area (unchanged items keep their stored rows), so the area's usual
write makes the tables exactly this state. `ParsedArea.changed` names the items whose plays changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from aiostreams import errors
from aiostreams.models import normalize_ts
from aiostreams.trakt_client import PAGE_LIMIT, TraktClient
from aiostreams.trakt_items import ParsedArea
from database import store
from database.connection import Database

SPECIALS = 0  # season number of specials: they count in a show's plays, but the mirror keeps no rows


def _plays(times: Any) -> tuple[int, str | None]:  # (plays, last_watched_at)
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


def _entries(payload: dict, what: str, parse) -> tuple[dict[int, Any], list[str]]:
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


def _show_episodes(seasons: Any) -> dict[tuple[int, int], tuple[int, str | None]]:
    if not isinstance(seasons, dict):
        raise ValueError("seasons are not an object")
    episodes = {
        (_number(season), _number(number)): _plays(times)
        for season, numbers in seasons.items()
        for number, times in numbers.items()
    }
    if not episodes:
        raise ValueError("a watched show without plays")
    return episodes


def _too_many(unknown: int, total: int) -> bool:
    """Fetching unknown items one by one would cost more than the full paged read."""
    return unknown > math.ceil(total / PAGE_LIMIT)


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


def _read_min_map(
    client: TraktClient, db: Database, kind: str, params: dict[str, str], parse: Callable[[Any], Any]
) -> tuple[dict[int, Any], dict[int, tuple], list[str]] | None:
    """One kind's min map parsed by id, the identity rows of titles the mirror never saw, and the
    skipped items; None when the full read is the better way (no map, or too many unknown titles)."""
    payload = client.get_map(f"/sync/watched/{kind}s", params)
    if not isinstance(payload, dict):
        return None
    remote, skipped = _entries(payload, f"watched {kind}", parse)
    del payload  # the decoded answer is the biggest object of the sync: free it before the mirror is read
    unknown = sorted(set(remote) - _known(db, f"{kind}s", set(remote)))
    if _too_many(len(unknown), len(remote)):
        return None
    identities = _identities(client, kind, unknown, skipped)
    for trakt_id in set(unknown) - set(identities):
        del remote[trakt_id]  # no identity (named in `skipped`): left out
    return remote, identities, skipped


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
    read = _read_min_map(client, db, "movie", {"extended": "min"}, _plays)
    if read is None:
        return None
    remote, identities, skipped = read
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
    read = _read_min_map(client, db, "show", {"extended": "min", "specials": "true"}, _show_episodes)
    if read is None:
        return None
    remote, identities, skipped = read
    stored_episodes: dict[int, dict[tuple[int, int], tuple[int, str | None]]] = {}
    for show_id, season, number, plays, last in db.query(
        "SELECT show_trakt_id, season, number, plays, last_watched_at FROM watched_episodes"
    ):
        stored_episodes.setdefault(show_id, {})[(season, number)] = (plays, last)

    watched_shows, watched_episodes, changed = [], [], set(stored) - set(remote)
    for show_id, episodes in sorted(remote.items()):
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
        },
        skipped,
    )
    parsed.changed = frozenset(changed)
    return parsed
