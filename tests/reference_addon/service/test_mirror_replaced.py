"""The service follows a mirror file that a rebuild replaced instead of writing into the old one."""

from __future__ import annotations

import sqlite3

from database.connection import set_aside_damaged

from .conftest import ADDON_ID

MINUTE = 60.0


def count(path, table: str) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_a_mirror_set_aside_while_the_service_runs_is_reopened_at_the_next_sync(world):
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        synced = count(world.db_path, "watched_movies")
        set_aside_damaged(str(world.db_path))  # what Tools > Rebuild does while the service holds the file
        service.advance(6 * MINUTE)
        result = service.abort()
    assert result.ok, result.log
    assert world.db_path.exists(), result.log
    assert synced > 0 and count(world.db_path, "watched_movies") == synced
    assert any("mirror file was replaced; reopening it" in line for line in result.log), result.log
