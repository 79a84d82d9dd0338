"""The sync areas: which activity keys make each stale, how to fetch it, and how its rows are written.

Each area is fetched completely (and turned into rows by `trakt_items`) before its transaction opens,
so a failed fetch or an unusable payload never touches the stored rows; a malformed item is skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from aiostreams import trakt_items, watched_delta
from aiostreams.models import RowCounts
from aiostreams.trakt_client import TraktClient
from aiostreams.trakt_items import ParsedArea
from database import store
from database.connection import Database


@dataclass(frozen=True)
class Area:
    """One independently synced slice of the user's Trakt data."""

    name: str
    sources: tuple[str, ...]  # dotted keys of /sync/last_activities that make this area stale
    fetch: Callable[[TraktClient], ParsedArea]  # malformed items skipped and named in `skipped`
    write: Callable[[sqlite3.Connection, dict[str, list[tuple]]], dict[str, RowCounts]]
    # The cheaper read against the mirror (client, db, now); None when it cannot be used.
    fetch_delta: Callable[[TraktClient, Database, str], ParsedArea | None] | None = None
    # (area, media type): this area is also stale when that area changed an item on it this run.
    follows: tuple[str, str] | None = None


# --- watched movies -----------------------------------------------------------------------------


def fetch_watched_movies(client: TraktClient) -> ParsedArea:
    """All watched movies (every page)."""
    return trakt_items.parse_watched_movies(client.get_all("/sync/watched/movies"))


def write_watched_movies(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Upsert the movies, then make watched_movies exactly the fetched set."""
    return {
        "movies": store.upsert_movies(conn, rows["movies"]),
        "watched_movies": store.replace_rows(
            conn,
            "watched_movies",
            ("movie_trakt_id",),
            ("plays", "last_watched_at", "last_updated_at"),
            rows["watched_movies"],
        ),
    }


# --- watched shows ------------------------------------------------------------------------------


def fetch_watched_shows(client: TraktClient) -> ParsedArea:
    """All watched shows with their episode plays (`extended=progress` keeps seasons in 2026)."""
    return trakt_items.parse_watched_shows(client.get_all("/sync/watched/shows", {"extended": "progress"}))


def write_watched_shows(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Upsert the shows, then make watched_shows and watched_episodes exactly the fetched sets.

    Seasons the incremental read had to fetch (`show_metadata`: show id, rows, fetched at) are stored as
    the show's metadata in the same transaction."""
    shows = store.upsert_shows(conn, rows["shows"])
    counts: dict[str, RowCounts] = {}
    for show_trakt_id, metadata, fetched_at in rows.get("show_metadata", ()):
        for table, table_counts in write_show_metadata(conn, show_trakt_id, metadata, fetched_at).items():
            counts.setdefault(table, RowCounts()).add(table_counts)
    return {
        **counts,
        "shows": shows,
        "watched_shows": store.replace_rows(
            conn,
            "watched_shows",
            ("show_trakt_id",),
            ("plays", "last_watched_at", "last_updated_at", "reset_at"),
            rows["watched_shows"],
        ),
        "watched_episodes": store.replace_rows(
            conn,
            "watched_episodes",
            ("show_trakt_id", "season", "number"),
            ("plays", "last_watched_at"),
            rows["watched_episodes"],
        ),
    }


# --- watchlist ----------------------------------------------------------------------------------


def _fetch_watchlist(client: TraktClient, kind: str) -> ParsedArea:
    plural = "movies" if kind == "movie" else "shows"
    return trakt_items.parse_watchlist(client.get_all(f"/sync/watchlist/{plural}/rank/asc"), kind)


def fetch_watchlist_movies(client: TraktClient) -> dict[str, list[tuple]]:
    """Every page of the movie watchlist."""
    return _fetch_watchlist(client, "movie")


def fetch_watchlist_shows(client: TraktClient) -> dict[str, list[tuple]]:
    """Every page of the show watchlist."""
    return _fetch_watchlist(client, "show")


def _write_watchlist(
    conn: sqlite3.Connection, rows: dict[str, list[tuple]], kind: str
) -> dict[str, RowCounts]:
    if kind == "movie":
        identities = {"movies": store.upsert_movies(conn, rows["movies"])}
    else:
        identities = {"shows": store.upsert_shows(conn, rows["shows"])}
    identities["watchlist"] = store.replace_rows(
        conn,
        "watchlist",
        ("media_type", "trakt_id"),
        ("rank", "listed_at", "list_item_id"),
        rows["watchlist"],
        scope=("media_type = ?", (kind,)),
    )
    return identities


def write_watchlist_movies(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Replace the movie half of the watchlist."""
    return _write_watchlist(conn, rows, "movie")


def write_watchlist_shows(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Replace the show half of the watchlist."""
    return _write_watchlist(conn, rows, "show")


# --- playback -----------------------------------------------------------------------------------


def fetch_playback(client: TraktClient) -> ParsedArea:
    """Every resume point (movies and episodes)."""
    return trakt_items.parse_playback(client.get_all("/sync/playback"))


def write_playback(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Replace the playback table."""
    return {
        "movies": store.upsert_movies(conn, rows["movies"]),
        "shows": store.upsert_shows(conn, rows["shows"]),
        "playback": store.replace_rows(
            conn,
            "playback",
            ("id",),
            ("media_type", "movie_trakt_id", "show_trakt_id", "season", "number", "progress", "paused_at"),
            rows["playback"],
        ),
    }


# --- hidden (progress_watched) ------------------------------------------------------------------


def fetch_hidden(client: TraktClient) -> ParsedArea:
    """Every hidden show and season of `progress_watched`, and every progress reset (paged at 10)."""
    hidden = client.get_all("/users/hidden/progress_watched")
    resets = client.get_all("/users/hidden/progress_watched_reset")
    return trakt_items.parse_hidden(hidden, resets)


def write_hidden(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Replace the hidden shows and seasons and the progress resets."""
    counts = {
        "shows": store.upsert_shows(conn, rows["shows"]),
        "hidden_shows": store.replace_rows(
            conn, "hidden_shows", ("show_trakt_id",), ("hidden_at",), rows["hidden_shows"]
        ),
        "hidden_seasons": store.replace_rows(
            conn,
            "hidden_seasons",
            ("show_trakt_id", "number"),
            ("trakt_id", "tvdb_id", "tmdb_id", "hidden_at"),
            rows["hidden_seasons"],
        ),
        "show_resets": store.replace_rows(
            conn, "show_resets", ("show_trakt_id",), ("reset_at",), rows["show_resets"]
        ),
    }
    # A reset is one fact on Trakt. The incremental watched read (the extended=min map) carries no
    # reset_at, so it cannot see a reset undone; this list can, and clears it from watched_shows too.
    cleared = conn.execute(
        "UPDATE watched_shows SET reset_at = NULL WHERE reset_at IS NOT NULL"
        " AND show_trakt_id NOT IN (SELECT show_trakt_id FROM show_resets)"
    ).rowcount
    if cleared:
        counts["watched_shows"] = RowCounts(updated=cleared)
    return counts


# --- show metadata (one show per request) --------------------------------------------------------


def fetch_show_metadata(client: TraktClient, show_trakt_id: int) -> ParsedArea:
    """Seasons and episodes (with `first_aired`) of one show."""
    payload = client.get(f"/shows/{int(show_trakt_id)}/seasons", {"extended": "full,episodes"})
    return trakt_items.parse_show_metadata(payload, show_trakt_id)


def write_show_metadata(
    conn: sqlite3.Connection, show_trakt_id: int, rows: dict[str, list[tuple]], fetched_at: str
) -> dict[str, RowCounts]:
    """Replace one show's seasons and episodes and note when they were fetched."""
    scope = ("show_trakt_id = ?", (show_trakt_id,))
    counts = {
        "seasons": store.replace_rows(
            conn,
            "seasons",
            ("show_trakt_id", "number"),
            ("trakt_id", "tvdb_id", "tmdb_id", "title"),
            rows["seasons"],
            scope=scope,
        ),
        "episodes": store.replace_rows(
            conn,
            "episodes",
            ("show_trakt_id", "season", "number"),
            ("title", "trakt_id", "tvdb_id", "imdb_id", "tmdb_id", "first_aired"),
            rows["episodes"],
            scope=scope,
        ),
    }
    counts["show_metadata"] = store.upsert_rows(
        conn,
        "show_metadata",
        ("show_trakt_id",),
        ("fetched_at", "episode_count"),
        [(show_trakt_id, fetched_at, len(rows["episodes"]))],
        # Only this show's row is compared: unscoped, every show's write read the whole table
        # (quadratic: 12 s of a 5,000-show first sync).
        scope=scope,
    )
    return counts


# Cheapest first: on a first sync each status becomes usable as soon as its own lists are in (the
# watchlists are usually a few pages, the watched shows the most). A watchlist area that follows a
# watched area is looked at again after it (see SyncEngine).
AREAS: tuple[Area, ...] = (
    # Watching a title silently drops it from the watchlist: when a play touched a watchlisted
    # title (or it is unknown which titles changed), the watchlist is re-read too.
    Area(
        "watchlist_movies",
        ("movies.watchlisted_at", "watchlist.updated_at"),
        fetch_watchlist_movies,
        write_watchlist_movies,
        follows=("watched_movies", "movie"),
    ),
    Area(
        "watchlist_shows",
        ("shows.watchlisted_at", "watchlist.updated_at"),
        fetch_watchlist_shows,
        write_watchlist_shows,
        follows=("watched_shows", "show"),
    ),
    Area(
        "watched_movies",
        ("movies.watched_at",),
        fetch_watched_movies,
        write_watched_movies,
        fetch_delta=watched_delta.movies,
    ),
    Area(
        "watched_shows",
        ("episodes.watched_at",),
        fetch_watched_shows,
        write_watched_shows,
        fetch_delta=watched_delta.shows,
    ),
    Area("playback", ("movies.paused_at", "episodes.paused_at"), fetch_playback, write_playback),
    Area("hidden", ("shows.hidden_at", "seasons.hidden_at"), fetch_hidden, write_hidden),
)
AREA_NAMES = tuple(area.name for area in AREAS)
