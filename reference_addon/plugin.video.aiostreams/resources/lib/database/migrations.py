"""Forward migrations keyed on `PRAGMA user_version`, applied atomically from any earlier version."""

from __future__ import annotations

import sqlite3

from database.rollback import roll_back
from database.schema import STEPS

LATEST_VERSION = len(STEPS)


class SchemaTooNew(sqlite3.DatabaseError):
    """The file was written by a newer add-on version than this one understands."""


def user_version(conn: sqlite3.Connection) -> int:
    """Return the schema version stored in the file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Bring the database up to `target` in one IMMEDIATE transaction; return the version before."""
    current = user_version(conn)
    if current > LATEST_VERSION:
        raise SchemaTooNew(
            f"mirror schema version {current} is newer than this add-on supports ({LATEST_VERSION})"
        )
    if current >= target:
        # Readers (every plugin call) must not take the write lock just to learn nothing changed.
        return current
    # The version is re-read inside the write transaction so two processes starting together
    # cannot both apply the same step.
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = user_version(conn)
        if before > LATEST_VERSION:
            raise SchemaTooNew(
                f"mirror schema version {before} is newer than this add-on supports ({LATEST_VERSION})"
            )
        for version in range(before + 1, target + 1):
            for statement in _statements(STEPS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except BaseException:
        roll_back(conn)
        raise
    return before


def _statements(script: str) -> list[str]:
    """Split a DDL script into statements (executescript would commit our transaction)."""
    return [part.strip() for part in script.split(";") if part.strip()]
