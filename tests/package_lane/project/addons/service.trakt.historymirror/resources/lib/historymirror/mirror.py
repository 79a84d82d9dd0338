"""The SQLite mirror: watched movies and episodes, and per area the Trakt activity they were read at."""

import os
import sqlite3

import xbmcaddon
import xbmcvfs

from resources.lib.historymirror import trakt

DB_NAME = "mirror.db"
SCHEMA = """
CREATE TABLE IF NOT EXISTS movies (trakt INTEGER PRIMARY KEY, title TEXT, year INTEGER, imdb TEXT,
                                   plays INTEGER, last_watched_at TEXT);
CREATE TABLE IF NOT EXISTS episodes (show INTEGER, season INTEGER, episode INTEGER, plays INTEGER,
                                     last_watched_at TEXT, PRIMARY KEY (show, season, episode));
CREATE TABLE IF NOT EXISTS activity (area TEXT PRIMARY KEY, watched_at TEXT);
"""


def db_path():
    profile = xbmcvfs.translatePath(xbmcaddon.Addon().getAddonInfo("profile"))
    os.makedirs(profile, exist_ok=True)
    return os.path.join(profile, DB_NAME)


def connect():
    conn = sqlite3.connect(db_path())
    conn.executescript(SCHEMA)
    return conn


def _movie_rows(entries):
    for entry in entries:
        movie = entry["movie"]
        yield (
            movie["ids"]["trakt"],
            movie.get("title"),
            movie.get("year"),
            movie["ids"].get("imdb"),
            entry.get("plays"),
            entry.get("last_watched_at"),
        )


def _episode_rows(entries):
    for entry in entries:
        for season in entry.get("seasons") or []:
            for episode in season.get("episodes") or []:
                yield (
                    entry["show"]["ids"]["trakt"],
                    season["number"],
                    episode["number"],
                    episode.get("plays"),
                    episode.get("last_watched_at"),
                )


# Since 2026 /sync/watched/shows lists no seasons without extended=progress (TRAKT_API.md section 8).
AREAS = (
    ("movies", "/sync/watched/movies", None, "movies", _movie_rows, 6),
    ("episodes", "/sync/watched/shows", {"extended": "progress"}, "episodes", _episode_rows, 5),
)


def sync():
    """One sync: the areas whose watched_at moved are read again; returns the names of those synced."""
    activities = trakt.get("/sync/last_activities")
    synced = []
    conn = connect()
    try:
        for area, path, params, table, rows, width in AREAS:
            remote = (activities.get(area) or {}).get("watched_at")
            stored = conn.execute("SELECT watched_at FROM activity WHERE area = ?", (area,)).fetchone()
            if stored and stored[0] == remote:
                continue
            entries = trakt.get(
                path, params
            )  # fetched before anything is deleted: a failure keeps the old rows
            with conn:  # the rows and the timestamp in one transaction
                conn.execute(f"DELETE FROM {table}")
                conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows(entries))
                conn.execute("INSERT OR REPLACE INTO activity VALUES (?, ?)", (area, remote))
            synced.append(area)
    finally:
        conn.close()
    return synced


def counts():
    """Rows per table (a debugging hook for `fake-kodi call`)."""
    conn = connect()
    try:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("movies", "episodes", "activity")
        }
    finally:
        conn.close()
