"""Writes to the mirror: explicit-column UPSERTs and scoped diff-replace, never INSERT OR REPLACE.

An `INSERT OR REPLACE` deletes the old row first: it wipes columns another area owns and, with
foreign keys on, cascades into child tables. Every write here names its columns and updates only
those.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from aiostreams.models import RowCounts
from database.schema import TRAKT_DATA_TABLES

if TYPE_CHECKING:  # only in annotations: subscripted builtins fail at runtime on Kodi's Python 3.8
    Scope = tuple[str, Sequence[Any]]

NO_SCOPE = ("1 = 1", ())


def _existing(
    conn: sqlite3.Connection, table: str, keys: Sequence[str], columns: Sequence[str], scope: Scope
) -> dict[tuple, tuple]:
    """Load the current rows of a table (within a scope) keyed by their primary key."""
    where, params = scope
    sql = f"SELECT {', '.join([*keys, *columns])} FROM {table} WHERE {where}"
    width = len(keys)
    return {row[:width]: row[width:] for row in conn.execute(sql, tuple(params))}


def _upsert_sql(table: str, keys: Sequence[str], columns: Sequence[str]) -> str:
    names = [*keys, *columns]
    marks = ", ".join("?" for _ in names)
    if columns:
        updates = ", ".join(f"{column} = excluded.{column}" for column in columns)
        action = f"DO UPDATE SET {updates}"
    else:
        action = "DO NOTHING"
    return (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) ON CONFLICT ({', '.join(keys)}) {action}"
    )


def upsert_rows(
    conn: sqlite3.Connection,
    table: str,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    scope: Scope = NO_SCOPE,
) -> RowCounts:
    """Insert new rows and update changed ones (only the named columns); never delete."""
    counts, _ = _write(conn, table, keys, columns, rows, scope)
    return counts


def replace_rows(
    conn: sqlite3.Connection,
    table: str,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    scope: Scope = NO_SCOPE,
) -> RowCounts:
    """Make the rows within `scope` exactly `rows`: upsert the new set, then delete what is gone."""
    counts, seen = _write(conn, table, keys, columns, rows, scope)
    existing = _existing(conn, table, keys, (), scope)
    gone = [key for key in existing if key not in seen]
    if gone:
        condition = " AND ".join(f"{key} = ?" for key in keys)
        conn.executemany(f"DELETE FROM {table} WHERE {condition}", gone)
    counts.deleted = len(gone)
    return counts


def _write(
    conn: sqlite3.Connection,
    table: str,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    scope: Scope,
) -> tuple[RowCounts, set]:
    existing = _existing(conn, table, keys, columns, scope)
    width = len(keys)
    counts = RowCounts()
    changed: list[tuple] = []
    seen: set = set()
    for row in rows:
        row = tuple(row)
        key = row[:width]
        if key in seen:
            continue  # Trakt occasionally repeats an item across pages; first one wins.
        seen.add(key)
        old = existing.get(key)
        if old is None:
            counts.inserted += 1
            changed.append(row)
        elif tuple(old) != row[width:]:
            counts.updated += 1
            changed.append(row)
    if changed:
        conn.executemany(_upsert_sql(table, keys, columns), changed)
    return counts, seen


SHOW_COLUMNS = ("imdb_id", "tmdb_id", "tvdb_id", "slug", "title", "year")
MOVIE_COLUMNS = ("imdb_id", "tmdb_id", "slug", "title", "year")


def clean_imdb(value: Any) -> str | None:
    """Trakt sends imdb as null or "" when unknown; store NULL for both."""
    return value if isinstance(value, str) and value.strip() else None


def show_row(show: dict) -> tuple:
    """Map a Trakt show object to a `shows` row (trakt id first)."""
    ids = show.get("ids") or {}
    trakt_id = ids.get("trakt")
    if not isinstance(trakt_id, int):
        raise ValueError(f"show without a trakt id: {show.get('title')!r}")
    return (
        trakt_id,
        clean_imdb(ids.get("imdb")),
        ids.get("tmdb"),
        ids.get("tvdb"),
        ids.get("slug"),
        show.get("title"),
        show.get("year"),
    )


def movie_row(movie: dict) -> tuple:
    """Map a Trakt movie object to a `movies` row (trakt id first)."""
    ids = movie.get("ids") or {}
    trakt_id = ids.get("trakt")
    if not isinstance(trakt_id, int):
        raise ValueError(f"movie without a trakt id: {movie.get('title')!r}")
    return (
        trakt_id,
        clean_imdb(ids.get("imdb")),
        ids.get("tmdb"),
        ids.get("slug"),
        movie.get("title"),
        movie.get("year"),
    )


def upsert_shows(conn: sqlite3.Connection, rows: Iterable[tuple]) -> RowCounts:
    """Upsert show identities (explicit columns: other areas' tables and columns stay intact)."""
    return upsert_rows(conn, "shows", ("trakt_id",), SHOW_COLUMNS, rows)


def upsert_movies(conn: sqlite3.Connection, rows: Iterable[tuple]) -> RowCounts:
    """Upsert movie identities."""
    return upsert_rows(conn, "movies", ("trakt_id",), MOVIE_COLUMNS, rows)


def record_area_success(conn: sqlite3.Connection, area: str, remote_at: str, synced_at: str) -> None:
    """Store an area's remote timestamp: called in the same transaction as the area's rows."""
    conn.execute(
        "INSERT INTO sync_state (area, remote_at, synced_at, status, error) VALUES (?, ?, ?, 'ok', NULL) "
        "ON CONFLICT (area) DO UPDATE SET remote_at = excluded.remote_at, synced_at = excluded.synced_at, "
        "status = 'ok', error = NULL",
        (area, remote_at, synced_at),
    )


def record_area_failure(conn: sqlite3.Connection, area: str, error: str) -> None:
    """Note an area's failure without touching its remote timestamp (so it is retried next run)."""
    conn.execute(
        "INSERT INTO sync_state (area, status, error) VALUES (?, 'failed', ?) "
        "ON CONFLICT (area) DO UPDATE SET status = 'failed', error = excluded.error",
        (area, error[:500]),
    )


def clear_trakt_data(conn: sqlite3.Connection) -> dict[str, int]:
    """Empty every Trakt table AND the stored activities, so the next sync fetches everything."""
    deleted: dict[str, int] = {}
    for table in (*TRAKT_DATA_TABLES, "sync_state"):
        deleted[table] = conn.execute(f"DELETE FROM {table}").rowcount
    return deleted
