"""A damaged mirror: browsing tells the user once per session, and Tools > Rebuild replaces the file."""

from __future__ import annotations

import sqlite3

import pytest

DAMAGED_NOTICE = "The Trakt database is damaged: use Tools > Rebuild Trakt database"
DAMAGED_PROPERTY = "plugin.video.aiostreams.mirror.damaged"


def corrupt_pages(world) -> None:
    """Fold the WAL into the file, then overwrite its second half: the header still opens, the tables do not."""
    conn = sqlite3.connect(str(world.db_path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(world.db_path.read_bytes())
    half = len(data) // 2
    data[half:] = b"\xa5" * (len(data) - half)
    world.db_path.write_bytes(bytes(data))


def corrupt_table(world, table: str) -> None:
    """Overwrite the root page of one table: the file opens and migrates, a query of that table fails."""
    conn = sqlite3.connect(str(world.db_path))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    data = bytearray(world.db_path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xa5" * page_size
    world.db_path.write_bytes(bytes(data))


def garble(world) -> None:
    world.db_path.write_bytes(b"not a database " * 400)
    for path in world.db_path.parent.glob("trakt_sync.db-*"):
        path.unlink()


def test_the_damage_notice_sets_the_session_property(synced):
    garble(synced)
    result = synced.run("watchlist", type="movie")
    assert synced.notifications(result) == [DAMAGED_NOTICE]
    assert synced.kodi.window_property(DAMAGED_PROPERTY) == "notified"


def test_a_mirror_without_tables_is_not_called_damaged(world):
    world.db_path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(str(world.db_path)).close()  # an empty file: the first sync has not run yet
    result = world.run("watchlist", type="movie")
    assert result.error is None
    assert DAMAGED_NOTICE not in world.notifications(result)


def test_rebuild_sets_aside_a_mirror_that_fails_quick_check_and_refills_a_new_one(synced):
    corrupt_pages(synced)
    result = synced.run_plugin("rebuild_trakt_database")
    assert synced.notifications(result) == ["Trakt database rebuilt: 11 request(s)"]
    assert (synced.db_path.parent / "trakt_sync.db.damaged").exists()
    assert synced.query("PRAGMA quick_check") == [("ok",)]
    assert synced.query("SELECT COUNT(*) FROM watched_movies") == [(2,)]


def test_a_damage_after_a_rebuild_is_announced_again(synced):
    garble(synced)
    synced.run("watchlist", type="movie")
    synced.run_plugin("rebuild_trakt_database")
    garble(synced)
    result = synced.run("watchlist", type="movie")
    assert synced.notifications(result) == [DAMAGED_NOTICE]


@pytest.mark.parametrize("damage", ["file", "watched_shows table"])
def test_next_up_on_a_damaged_mirror_tells_the_user_and_lists_nothing(synced, damage):
    if damage == "file":
        corrupt_pages(synced)  # the file opens; its tables do not read
    else:
        corrupt_table(synced, "watched_shows")  # the open passes; Next Up's own query fails
    result = synced.run("next_up")
    assert result.error is None
    assert synced.notifications(result) == [DAMAGED_NOTICE]
    assert result.items == []
