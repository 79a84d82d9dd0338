"""Undo a failed write transaction without hiding why it failed."""

from __future__ import annotations

import sqlite3


def roll_back(conn: sqlite3.Connection) -> None:
    """ROLLBACK when a transaction is still open.

    SQLite ends a transaction by itself on some errors (disk full, I/O error); an unconditional
    ROLLBACK then raises "cannot rollback - no transaction is active" and hides the real cause.
    """
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the error being handled is the one worth reporting
