"""The sync areas: which activity keys make each stale, how to fetch it, and how its rows are written.

Each area is fetched completely (and turned into rows) before its transaction opens, so a failed
fetch or a malformed payload never touches the stored rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiostreams.models import RowCounts, normalize_ts
from aiostreams.trakt_client import TraktClient
from database import store


@dataclass(frozen=True)
class Area:
    """One independently synced slice of the user's Trakt data."""

    name: str
    sources: tuple[str, ...]  # dotted keys of /sync/last_activities that make this area stale
    fetch: Callable[[TraktClient], dict[str, list[tuple]]]
    write: Callable[[sqlite3.Connection, dict[str, list[tuple]]], dict[str, RowCounts]]


def _items(payload: Any, what: str) -> list[dict]:
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise ValueError(f"{what}: expected a list of objects")
    return payload


# --- watched movies -----------------------------------------------------------------------------


def fetch_watched_movies(client: TraktClient) -> dict[str, list[tuple]]:
    """All watched movies (every page)."""
    movies, watched = [], []
    for item in _items(client.get_all("/sync/watched/movies"), "watched movies"):
        row = store.movie_row(item["movie"])
        movies.append(row)
        watched.append(
            (
                row[0],
                int(item.get("plays") or 0),
                normalize_ts(item.get("last_watched_at")),
                normalize_ts(item.get("last_updated_at")),
            )
        )
    return {"movies": movies, "watched_movies": watched}


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


def fetch_watched_shows(client: TraktClient) -> dict[str, list[tuple]]:
    """All watched shows with their episode plays (`extended=progress` keeps seasons in 2026)."""
    shows, watched, episodes = [], [], []
    for item in _items(client.get_all("/sync/watched/shows", {"extended": "progress"}), "watched shows"):
        row = store.show_row(item["show"])
        shows.append(row)
        watched.append(
            (
                row[0],
                int(item.get("plays") or 0),
                normalize_ts(item.get("last_watched_at")),
                normalize_ts(item.get("last_updated_at")),
                normalize_ts(item.get("reset_at")),
            )
        )
        seasons = item.get("seasons")
        if not isinstance(seasons, list):
            # Without seasons we cannot know the plays; replacing would wipe them.
            raise ValueError(f"watched show {row[0]} came without seasons")
        for season in seasons:
            for episode in season.get("episodes") or []:
                episodes.append(
                    (
                        row[0],
                        int(season["number"]),
                        int(episode["number"]),
                        int(episode.get("plays") or 0),
                        normalize_ts(episode.get("last_watched_at")),
                    )
                )
    return {"shows": shows, "watched_shows": watched, "watched_episodes": episodes}


def write_watched_shows(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Upsert the shows, then make watched_shows and watched_episodes exactly the fetched sets."""
    return {
        "shows": store.upsert_shows(conn, rows["shows"]),
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


def _fetch_watchlist(client: TraktClient, kind: str) -> dict[str, list[tuple]]:
    plural = "movies" if kind == "movie" else "shows"
    identities, listed = [], []
    for item in _items(client.get_all(f"/sync/watchlist/{plural}/rank/asc"), f"watchlist {plural}"):
        if item.get("type", kind) != kind or not isinstance(item.get(kind), dict):
            continue
        row = store.movie_row(item[kind]) if kind == "movie" else store.show_row(item[kind])
        identities.append(row)
        listed.append((kind, row[0], item.get("rank"), normalize_ts(item.get("listed_at")), item.get("id")))
    return {plural: identities, "watchlist": listed}


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


def fetch_playback(client: TraktClient) -> dict[str, list[tuple]]:
    """Every resume point (movies and episodes)."""
    movies, shows, playback = [], [], []
    for item in _items(client.get_all("/sync/playback"), "playback"):
        kind = item.get("type")
        progress = float(item["progress"])
        paused = normalize_ts(item.get("paused_at"))
        if kind == "movie":
            row = store.movie_row(item["movie"])
            movies.append(row)
            playback.append((int(item["id"]), "movie", row[0], None, None, None, progress, paused))
        elif kind == "episode":
            row = store.show_row(item["show"])
            shows.append(row)
            episode = item["episode"]
            playback.append(
                (
                    int(item["id"]),
                    "episode",
                    None,
                    row[0],
                    int(episode["season"]),
                    int(episode["number"]),
                    progress,
                    paused,
                )
            )
    return {"movies": movies, "shows": shows, "playback": playback}


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


def fetch_hidden(client: TraktClient) -> dict[str, list[tuple]]:
    """Every hidden show and season of `progress_watched`, and every progress reset (paged at 10)."""
    shows, hidden_shows, hidden_seasons = [], [], []
    for item in _items(client.get_all("/users/hidden/progress_watched"), "hidden items"):
        kind = item.get("type")
        if kind not in ("show", "season") or not isinstance(item.get("show"), dict):
            continue
        row = store.show_row(item["show"])
        shows.append(row)
        hidden_at = normalize_ts(item.get("hidden_at"))
        if kind == "show":
            hidden_shows.append((row[0], hidden_at))
        else:
            season = item["season"]
            ids = season.get("ids") or {}
            hidden_seasons.append(
                (row[0], int(season["number"]), ids.get("trakt"), ids.get("tvdb"), ids.get("tmdb"), hidden_at)
            )
    resets = []
    # Trakt lists each show with a progress reset here, hidden at the reset time; it is the only
    # source of reset_at for a show without plays (absent from /sync/watched/shows).
    for item in _items(client.get_all("/users/hidden/progress_watched_reset"), "progress resets"):
        if item.get("type") != "show" or not isinstance(item.get("show"), dict):
            continue
        reset_at = normalize_ts(item.get("hidden_at"))
        if reset_at is None:
            raise ValueError("a progress reset came without its time")
        row = store.show_row(item["show"])
        shows.append(row)
        resets.append((row[0], reset_at))
    return {
        "shows": shows,
        "hidden_shows": hidden_shows,
        "hidden_seasons": hidden_seasons,
        "show_resets": resets,
    }


def write_hidden(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> dict[str, RowCounts]:
    """Replace the hidden shows and seasons and the progress resets."""
    return {
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


# --- show metadata (one show per request) --------------------------------------------------------


def fetch_show_metadata(client: TraktClient, show_trakt_id: int) -> dict[str, list[tuple]]:
    """Seasons and episodes (with `first_aired`) of one show."""
    payload = client.get(f"/shows/{int(show_trakt_id)}/seasons", {"extended": "full,episodes"})
    seasons, episodes = [], []
    for season in _items(payload, f"seasons of show {show_trakt_id}"):
        number = int(season["number"])
        ids = season.get("ids") or {}
        seasons.append(
            (show_trakt_id, number, ids.get("trakt"), ids.get("tvdb"), ids.get("tmdb"), season.get("title"))
        )
        for episode in season.get("episodes") or []:
            eids = episode.get("ids") or {}
            episodes.append(
                (
                    show_trakt_id,
                    number,
                    int(episode["number"]),
                    episode.get("title"),
                    eids.get("trakt"),
                    eids.get("tvdb"),
                    store.clean_imdb(eids.get("imdb")),
                    eids.get("tmdb"),
                    normalize_ts(episode.get("first_aired")),
                )
            )
    return {"seasons": seasons, "episodes": episodes}


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
    )
    return counts


AREAS: tuple[Area, ...] = (
    Area("watched_movies", ("movies.watched_at",), fetch_watched_movies, write_watched_movies),
    Area("watched_shows", ("episodes.watched_at",), fetch_watched_shows, write_watched_shows),
    # Watching a title silently drops it from the watchlist, so plays make the watchlist stale too.
    Area(
        "watchlist_movies",
        ("movies.watchlisted_at", "watchlist.updated_at", "movies.watched_at"),
        fetch_watchlist_movies,
        write_watchlist_movies,
    ),
    Area(
        "watchlist_shows",
        ("shows.watchlisted_at", "watchlist.updated_at", "episodes.watched_at"),
        fetch_watchlist_shows,
        write_watchlist_shows,
    ),
    Area("playback", ("movies.paused_at", "episodes.paused_at"), fetch_playback, write_playback),
    Area("hidden", ("shows.hidden_at", "seasons.hidden_at"), fetch_hidden, write_hidden),
)
AREA_NAMES = tuple(area.name for area in AREAS)
