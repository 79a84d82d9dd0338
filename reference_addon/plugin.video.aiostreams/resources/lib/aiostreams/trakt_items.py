"""Trakt answers -> mirror rows, one item at a time: a malformed item is skipped (and named), the rest kept.

A payload that is not a list, or whose items are all malformed, is unusable: the parser raises
`ValueError` so the engine keeps the area's stored rows instead of replacing them with nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiostreams.models import normalize_ts
from database import store

# Errors a malformed item raises while it is turned into rows (missing keys, wrong types, bad values).
ITEM_ERRORS = (KeyError, TypeError, ValueError, AttributeError)
DESCRIPTION_LIMIT = 80


@dataclass
class ParsedArea:
    """An area's rows per table, and one short description per item that was skipped."""

    rows: dict[str, list[tuple]]
    skipped: list[str] = field(default_factory=list)
    # Trakt ids whose watched data changed (an incremental read); None: unknown, assume everything.
    changed: frozenset[int] | None = None

    def extend(self, other: ParsedArea) -> None:
        """Append another parse of the same area (a chunk of a long answer)."""
        for table, rows in other.rows.items():
            self.rows.setdefault(table, []).extend(rows)
        self.skipped.extend(other.skipped)


class UnusablePayload(ValueError):
    """The answer as a whole cannot be used; skipping items would wrongly delete stored rows."""


def _describe(item: Any, exc: BaseException) -> str:
    """A short, log-safe name of a skipped item: the reason and (if any) its title."""
    title = item.get("title") if isinstance(item, dict) else None
    for key in ("movie", "show", "episode"):
        inner = item.get(key) if isinstance(item, dict) else None
        if title is None and isinstance(inner, dict):
            title = inner.get("title")
    reason = str(exc) if isinstance(exc, ValueError) else f"{exc.__class__.__name__}: {exc}"
    text = reason if title is None or repr(title) in reason else f"{reason} ({title!r})"
    return text[:DESCRIPTION_LIMIT]


def _each_item(payload: Any, what: str, parse: Callable[[dict], None], skipped: list[str]) -> None:
    """Call `parse` on every item; a malformed one is noted in `skipped` and left out."""
    if not isinstance(payload, list):
        raise ValueError(f"{what}: expected a list of objects")
    bad = 0
    for item in payload:
        try:
            if not isinstance(item, dict):
                raise TypeError(f"not an object: {str(item)[:30]!r}")
            parse(item)
        except UnusablePayload:
            raise
        except ITEM_ERRORS as exc:
            skipped.append(f"{what}: {_describe(item, exc)}")
            bad += 1
    if payload and bad == len(payload):
        raise ValueError(f"{what}: all {bad} item(s) malformed")


def _int(value: Any, what: str) -> int:
    """An integer field (bools and numeric strings are malformed, as Trakt never sends them)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} is not an integer: {str(value)[:20]!r}")
    return value


def parse_watched_movies(payload: Any) -> ParsedArea:
    """`/sync/watched/movies` -> movies + watched_movies."""
    parsed = ParsedArea({"movies": [], "watched_movies": []})

    def one(item: dict) -> None:
        row = store.movie_row(item["movie"])
        watched = (
            row[0],
            int(item.get("plays") or 0),
            normalize_ts(item.get("last_watched_at")),
            normalize_ts(item.get("last_updated_at")),
        )
        parsed.rows["movies"].append(row)
        parsed.rows["watched_movies"].append(watched)

    _each_item(payload, "watched movies", one, parsed.skipped)
    return parsed


def parse_watched_shows(payload: Any) -> ParsedArea:
    """`/sync/watched/shows?extended=progress` -> shows + watched_shows + watched_episodes."""
    parsed = ParsedArea({"shows": [], "watched_shows": [], "watched_episodes": []})

    def one(item: dict) -> None:
        row = store.show_row(item["show"])
        watched = (
            row[0],
            int(item.get("plays") or 0),
            normalize_ts(item.get("last_watched_at")),
            normalize_ts(item.get("last_updated_at")),
            normalize_ts(item.get("reset_at")),
        )
        seasons = item.get("seasons")
        if not isinstance(seasons, list):
            # Without seasons we cannot know the plays; replacing (or skipping) would wipe them.
            raise UnusablePayload(f"watched show {row[0]} came without seasons")
        episodes = []
        for season in seasons:
            number = _int(season["number"], "season number")
            for episode in season.get("episodes") or []:
                episodes.append(
                    (
                        row[0],
                        number,
                        _int(episode["number"], "episode number"),
                        int(episode.get("plays") or 0),
                        normalize_ts(episode.get("last_watched_at")),
                    )
                )
        parsed.rows["shows"].append(row)
        parsed.rows["watched_shows"].append(watched)
        parsed.rows["watched_episodes"].extend(episodes)

    _each_item(payload, "watched shows", one, parsed.skipped)
    return parsed


def parse_watchlist(payload: Any, kind: str) -> ParsedArea:
    """`/sync/watchlist/{movies|shows}` -> movies or shows + the `kind` half of the watchlist."""
    plural = "movies" if kind == "movie" else "shows"
    parsed = ParsedArea({plural: [], "watchlist": []})

    def one(item: dict) -> None:
        if item.get("type", kind) != kind:
            return  # another kind of list item (a person, an episode): not this area's
        row = store.movie_row(item[kind]) if kind == "movie" else store.show_row(item[kind])
        listed = (kind, row[0], item.get("rank"), normalize_ts(item.get("listed_at")), item.get("id"))
        parsed.rows[plural].append(row)
        parsed.rows["watchlist"].append(listed)

    _each_item(payload, f"watchlist {plural}", one, parsed.skipped)
    return parsed


def parse_playback(payload: Any) -> ParsedArea:
    """`/sync/playback` -> movies + shows + playback (movies and episodes)."""
    parsed = ParsedArea({"movies": [], "shows": [], "playback": []})

    def one(item: dict) -> None:
        kind = item.get("type")
        if kind not in ("movie", "episode"):
            return
        progress = float(item["progress"])
        paused = normalize_ts(item.get("paused_at"))
        playback_id = _int(item["id"], "playback id")
        if kind == "movie":
            row = store.movie_row(item["movie"])
            parsed.rows["movies"].append(row)
            parsed.rows["playback"].append((playback_id, "movie", row[0], None, None, None, progress, paused))
            return
        row = store.show_row(item["show"])
        episode = item["episode"]
        entry = (
            playback_id,
            "episode",
            None,
            row[0],
            _int(episode["season"], "season number"),
            _int(episode["number"], "episode number"),
            progress,
            paused,
        )
        parsed.rows["shows"].append(row)
        parsed.rows["playback"].append(entry)

    _each_item(payload, "playback", one, parsed.skipped)
    return parsed


def parse_hidden(hidden: Any, resets: Any) -> ParsedArea:
    """`/users/hidden/progress_watched` and `..._reset` -> shows + hidden shows/seasons + resets."""
    parsed = ParsedArea({"shows": [], "hidden_shows": [], "hidden_seasons": [], "show_resets": []})

    def one_hidden(item: dict) -> None:
        kind = item.get("type")
        if kind not in ("show", "season"):
            return
        row = store.show_row(item["show"])
        hidden_at = normalize_ts(item.get("hidden_at"))
        if kind == "show":
            parsed.rows["hidden_shows"].append((row[0], hidden_at))
        else:
            season = item["season"]
            ids = season.get("ids") or {}
            number = _int(season["number"], "season number")
            entry = (row[0], number, ids.get("trakt"), ids.get("tvdb"), ids.get("tmdb"), hidden_at)
            parsed.rows["hidden_seasons"].append(entry)
        parsed.rows["shows"].append(row)

    def one_reset(item: dict) -> None:
        if item.get("type") != "show":
            return
        reset_at = normalize_ts(item.get("hidden_at"))
        if reset_at is None:
            raise ValueError("a progress reset came without its time")
        row = store.show_row(item["show"])
        parsed.rows["shows"].append(row)
        parsed.rows["show_resets"].append((row[0], reset_at))

    _each_item(hidden, "hidden items", one_hidden, parsed.skipped)
    # Trakt lists each show with a progress reset here, hidden at the reset time; it is the only
    # source of reset_at for a show without plays (absent from /sync/watched/shows).
    _each_item(resets, "progress resets", one_reset, parsed.skipped)
    return parsed


def parse_show_metadata(payload: Any, show_trakt_id: int) -> ParsedArea:
    """`/shows/{id}/seasons?extended=full,episodes` -> seasons + episodes of one show."""
    parsed = ParsedArea({"seasons": [], "episodes": []})

    def one(season: dict) -> None:
        number = _int(season["number"], "season number")
        ids = season.get("ids") or {}
        row = (show_trakt_id, number, ids.get("trakt"), ids.get("tvdb"), ids.get("tmdb"), season.get("title"))
        for episode in season.get("episodes") or []:
            try:
                eids = episode.get("ids") or {}
                entry = (
                    show_trakt_id,
                    number,
                    _int(episode["number"], "episode number"),
                    episode.get("title"),
                    eids.get("trakt"),
                    eids.get("tvdb"),
                    store.clean_imdb(eids.get("imdb")),
                    eids.get("tmdb"),
                    normalize_ts(episode.get("first_aired")),
                )
            except ITEM_ERRORS as exc:
                parsed.skipped.append(f"season {number} of show {show_trakt_id}: {_describe(episode, exc)}")
                continue
            parsed.rows["episodes"].append(entry)
        parsed.rows["seasons"].append(row)

    _each_item(payload, f"seasons of show {show_trakt_id}", one, parsed.skipped)
    return parsed
