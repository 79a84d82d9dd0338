"""Shared pieces of the reliability suite: the add-on's data core on sys.path, scenarios, mirror snapshots."""

from __future__ import annotations

import copy
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
ADDON_DIR = ROOT / "reference_addon" / "plugin.video.aiostreams"
ADDON_LIB = ADDON_DIR / "resources" / "lib"
SMALL_LIBRARY = ROOT / "trakt_cassettes" / "scenarios" / "small_library.yaml"
ARTIFACTS = ROOT / "artifacts" / "reliability"
# RELIABILITY_FIGURES moves it (the figures tests write theirs to a temporary folder).
FIGURES = Path(os.environ.get("RELIABILITY_FIGURES") or ARTIFACTS / "figures.json")
if str(ADDON_LIB) not in sys.path:
    sys.path.insert(0, str(ADDON_LIB))

ACCESS_TOKEN = "test-token"
REFRESH_TOKEN = "test-refresh"
CLIENT_ID = "sim-client-id"
CLIENT_SECRET = "sim-client-secret"

# Tables each sync area owns, with the WHERE that scopes them (identity tables are shared and upserted).
# (table, columns, where) per area. Of the watched rows only the plays are compared: last_updated_at
# and reset_at are Trakt's bookkeeping, which the incremental read (the extended=min map) cannot see
# and sets from its own clock / keeps; resets are compared through the hidden area's show_resets.
WATCHED_COLUMNS = "plays, last_watched_at"
AREA_TABLES: dict[str, list[tuple[str, str, str]]] = {
    "watched_movies": [("watched_movies", f"movie_trakt_id, {WATCHED_COLUMNS}", "1 = 1")],
    "watched_shows": [
        ("watched_shows", f"show_trakt_id, {WATCHED_COLUMNS}", "1 = 1"),
        ("watched_episodes", "*", "1 = 1"),
    ],
    "watchlist_movies": [("watchlist", "*", "media_type = 'movie'")],
    "watchlist_shows": [("watchlist", "*", "media_type = 'show'")],
    "playback": [("playback", "*", "1 = 1")],
    "hidden": [
        ("hidden_shows", "*", "1 = 1"),
        ("hidden_seasons", "*", "1 = 1"),
        ("show_resets", "*", "1 = 1"),
    ],
}


LATER = "2026-11-01T11:00:00.000Z"
ACTIVITY_KEYS = {
    "movies": ("watched_at", "watchlisted_at", "paused_at"),
    "episodes": ("watched_at", "paused_at"),
    "shows": ("watchlisted_at", "hidden_at"),
    "seasons": ("hidden_at",),
    "watchlist": ("updated_at",),
}


def state_b() -> dict[str, Any]:
    """small_library, its activities stamped after every change of `state_a` (as real edits would be)."""
    scenario = yaml.safe_load(SMALL_LIBRARY.read_text(encoding="utf-8"))
    scenario["last_activities"] = {group: dict.fromkeys(keys, LATER) for group, keys in ACTIVITY_KEYS.items()}
    return scenario


def state_a() -> dict[str, Any]:
    """An older state of the same account: every area differs from `state_b` (fewer plays, items, points)."""
    scenario = copy.deepcopy(state_b())
    del scenario["last_activities"]  # stamped by its own (older) seed times
    scenario["history"] = [
        entry
        for entry in scenario["history"]
        if entry.get("show") != 3 and entry.get("movie") != 9 and entry.get("watched_at", "") < "2026-10-10"
    ]
    scenario["resets"] = []
    scenario["watchlist"] = scenario["watchlist"][:1] + [
        {"show": "tt0903747", "listed_at": "2026-07-01T00:00:00Z"}
    ]
    scenario["playback"] = [{"movie": "tt0372784", "progress": 80.0, "paused_at": "2026-09-30T21:00:00Z"}]
    scenario["hidden"]["progress_watched"] = [{"show": "tt0903747", "hidden_at": "2026-09-05T10:00:00Z"}]
    return scenario


def connect(path: str | Path) -> sqlite3.Connection:
    """A plain read connection (no migrations) for checking a mirror file."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def area_rows(conn: sqlite3.Connection, area: str) -> tuple:
    """The rows an area owns, sorted (comparable between two mirrors)."""
    rows = []
    for table, columns, where in AREA_TABLES[area]:
        rows.append(
            tuple(sorted(conn.execute(f"SELECT {columns} FROM {table} WHERE {where}").fetchall(), key=repr))
        )
    return tuple(rows)


def area_stamps(conn: sqlite3.Connection) -> dict[str, str | None]:
    """Each area's stored remote timestamp."""
    return dict(conn.execute("SELECT area, remote_at FROM sync_state"))


def show_metadata_rows(conn: sqlite3.Connection) -> dict[int, tuple]:
    """Per show: its seasons, episodes and episode count (fetched_at left out: it is the run's clock)."""
    shows: dict[int, tuple] = {}
    ids = [row[0] for row in conn.execute("SELECT show_trakt_id FROM show_metadata")]
    ids += [row[0] for row in conn.execute("SELECT DISTINCT show_trakt_id FROM episodes")]
    for show in sorted(set(ids)):
        seasons = conn.execute(
            "SELECT * FROM seasons WHERE show_trakt_id = ? ORDER BY number", (show,)
        ).fetchall()
        episodes = conn.execute(
            "SELECT * FROM episodes WHERE show_trakt_id = ? ORDER BY season, number", (show,)
        ).fetchall()
        count = conn.execute(
            "SELECT episode_count FROM show_metadata WHERE show_trakt_id = ?", (show,)
        ).fetchall()
        shows[show] = (tuple(seasons), tuple(episodes), tuple(count))
    return shows


def integrity(conn: sqlite3.Connection) -> str:
    """PRAGMA integrity_check's verdict ('ok' when sound)."""
    return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
