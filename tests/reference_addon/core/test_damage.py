"""Telling a damaged mirror file from a busy or missing one, and setting a damaged file aside."""

from __future__ import annotations

import sqlite3

import pytest

from database.connection import Database, is_damaged_error, set_aside_damaged


def test_a_file_that_is_not_a_database_is_damaged(tmp_path):
    path = tmp_path / "mirror.db"
    path.write_bytes(b"not a database " * 400)
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database") as caught:
        Database(str(path))
    assert is_damaged_error(caught.value)


def test_a_locked_database_is_not_damaged(tmp_path):
    path = str(tmp_path / "mirror.db")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="database is locked") as caught:
        other.execute("INSERT INTO t VALUES (1)")
    holder.execute("ROLLBACK")
    holder.close()
    other.close()
    assert not is_damaged_error(caught.value)


def test_set_aside_keeps_the_damaged_file_and_drops_its_wal(tmp_path):
    path = tmp_path / "mirror.db"
    path.write_bytes(b"damaged")
    (tmp_path / "mirror.db-wal").write_bytes(b"wal")
    (tmp_path / "mirror.db-shm").write_bytes(b"shm")
    kept = set_aside_damaged(str(path))
    assert kept == str(path) + ".damaged"
    assert (tmp_path / "mirror.db.damaged").read_bytes() == b"damaged"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mirror.db.damaged"]
