"""What Kodi keeps for all interpreters of one session: Window properties and the plugin handle
counter (in memory), and the Kodi settings changed with Settings.SetSettingValue (which Kodi keeps in
guisettings.xml, so they survive reset()).

In real Kodi a plugin call and the service are interpreters in one process; in the fake they
are separate processes. They share this state through one small SQLite file per home
(`<home>/.fake_kodi/shared_state.sqlite3`) in WAL mode with a busy timeout, so readers never
block writers and concurrent writers wait instead of failing. A handle is taken with an
atomic increment inside an IMMEDIATE transaction, so no two processes get the same handle.
An add-on uses Window properties from any of its threads, as in Kodi: the one connection of a
process is shared by its threads (check_same_thread off) and a lock serialises their statements.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from typing import Any

from fake_kodi.home.kodi_home import KodiHome

BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS window_property (
    window_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (window_id, key)
);
CREATE TABLE IF NOT EXISTS kodi_setting (
    id TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counter (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""


class SharedState:
    """Window properties (case-insensitive keys, '' clears) and the plugin handle counter."""

    FILENAME = "shared_state.sqlite3"

    def __init__(self, home: KodiHome):
        self.path = home.state_dir / self.FILENAME
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.RLock()

    def _db(self) -> sqlite3.Connection:
        # A connection must not cross fork(); reopen in a child process.
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn, self._pid = self._open(), os.getpid()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.executescript(_SCHEMA)
                return conn
            except sqlite3.OperationalError as exc:
                conn.close()
                # Two connections setting up a new file at once: the switch to WAL can fail at once
                # with "database is locked", the busy timeout notwithstanding (seen in ~3 % of
                # four-thread first uses). Every step is idempotent, so start again.
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    def close(self) -> None:
        """Close this process's connection (a later call reopens it)."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def __enter__(self) -> SharedState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one statement for any thread of this process and return its rows."""
        with self._lock:
            return self._db().execute(sql, params).fetchall()

    def get_property(self, window_id: int, key: str) -> str:
        """The property's value, or '' when it is not set."""
        rows = self._execute(
            "SELECT value FROM window_property WHERE window_id = ? AND key = ?", (int(window_id), key.lower())
        )
        return rows[0][0] if rows else ""

    def set_property(self, window_id: int, key: str, value: str) -> None:
        """Set a property; '' clears it, as in Kodi."""
        if value == "":
            self.clear_property(window_id, key)
            return
        self._execute(
            "INSERT INTO window_property (window_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (window_id, key) DO UPDATE SET value = excluded.value",
            (int(window_id), key.lower(), value),
        )

    def clear_property(self, window_id: int, key: str) -> None:
        """Remove one property."""
        self._execute(
            "DELETE FROM window_property WHERE window_id = ? AND key = ?", (int(window_id), key.lower())
        )

    def clear_properties(self, window_id: int) -> None:
        """Remove every property of one window."""
        self._execute("DELETE FROM window_property WHERE window_id = ?", (int(window_id),))

    def properties(self, window_id: int) -> dict[str, str]:
        """All properties of one window (lowercased keys), for debugging and reports."""
        rows = self._execute(
            "SELECT key, value FROM window_property WHERE window_id = ? ORDER BY key", (int(window_id),)
        )
        return dict(rows)

    def kodi_setting(self, setting_id: str) -> tuple[bool, Any]:
        """(True, value) for a Kodi setting changed through JSON-RPC, (False, None) when it was never changed."""
        rows = self._execute("SELECT value FROM kodi_setting WHERE id = ?", (setting_id,))
        return (True, json.loads(rows[0][0])) if rows else (False, None)

    def set_kodi_setting(self, setting_id: str, value: Any) -> None:
        """Keep a Kodi setting's new value (JSON-encoded: settings are bools, ints, strings or lists)."""
        self._execute(
            "INSERT INTO kodi_setting (id, value) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value",
            (setting_id, json.dumps(value)),
        )

    def next_handle(self) -> int:
        """The next plugin handle: 1, 2, 3... per home, never the same twice across processes."""
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO counter (name, value) VALUES ('handle', 1) "
                    "ON CONFLICT (name) DO UPDATE SET value = value + 1"
                )
                (handle,) = db.execute("SELECT value FROM counter WHERE name = 'handle'").fetchone()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return int(handle)

    def reset(self) -> None:
        """Forget everything, as a Kodi restart does (properties and handles live in memory)."""
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM window_property")
            db.execute("DELETE FROM counter")
            db.execute("COMMIT")
