"""Connections to the mirror (one per process and path) and a cross-process lock built on SQLite."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from database.migrations import migrate
from database.rollback import roll_back

DEFAULT_BUSY_TIMEOUT_MS = 5000


class LockTimeout(RuntimeError):
    """A named cross-process lock could not be taken in time."""


def open_connection(path: str, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, create: bool = True):
    """Open a tuned connection: autocommit (explicit BEGINs), WAL, busy_timeout, foreign keys on."""
    if not create and not os.path.exists(path):
        raise FileNotFoundError(f"no mirror database at {path}")
    mode = "rwc" if create else "rw"
    uri = "file:" + _uri_path(path) + "?mode=" + mode
    conn = sqlite3.connect(
        uri, uri=True, timeout=busy_timeout_ms / 1000.0, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def is_damaged_error(exc: BaseException) -> bool:
    """True for SQLite's "not a database" / "disk image is malformed" (not for busy or I/O errors)."""
    # CPython raises plain DatabaseError only for SQLITE_CORRUPT and SQLITE_NOTADB; busy, locked,
    # read-only and I/O errors are OperationalError. Error codes on the exception need Python 3.11.
    return type(exc) is sqlite3.DatabaseError


def set_aside_damaged(path: str) -> str:
    """Move a damaged mirror (and its WAL files) to `<path>.damaged`, so a fresh one can be created there."""
    target = path + ".damaged"
    os.replace(path, target)  # the damaged copy is kept for a bug report; an older one is replaced
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return target


def _uri_path(path: str) -> str:
    """Quote a filesystem path for an SQLite URI (?, # and % would otherwise be read as URI syntax)."""
    return path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")


class Database:
    """One migrated connection to the mirror, with write transactions serialised across threads."""

    def __init__(self, path: str, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, create: bool = True):
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.conn = open_connection(self.path, busy_timeout_ms, create=create)
        self._lock = threading.RLock()
        try:
            migrate(self.conn)
        except BaseException:
            self.conn.close()
            raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one IMMEDIATE transaction: all of it commits or none of it does."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")  # a full disk may fail here too: rolled back below
            except BaseException:
                roll_back(self.conn)
                raise

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a read query and return all rows as tuples."""
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a read query and return its first row (None when there is none)."""
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def lock(self, name: str, ttl: float = 300.0, clock: Callable[[], float] = time.time) -> ProcessLock:
        """Return a cross-process lock named `name` living in this database file."""
        return ProcessLock(self.path, name, ttl=ttl, clock=clock, busy_timeout_ms=self.busy_timeout_ms)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class ConnectionFactory:
    """Hands out one `Database` per path for the life of the process (plugin calls reuse it)."""

    def __init__(self, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS):
        self.busy_timeout_ms = busy_timeout_ms
        self._databases: dict[str, Database] = {}
        self._guard = threading.Lock()

    def get(self, path: str, create: bool = True) -> Database:
        """Return the open database for `path`, opening (and migrating) it on first use."""
        key = os.path.abspath(path)
        with self._guard:
            database = self._databases.get(key)
            if database is None:
                database = Database(key, self.busy_timeout_ms, create=create)
                self._databases[key] = database
            return database

    def discard(self, path: str) -> None:
        """Close and forget the database for `path` (after an error, or a file swap)."""
        with self._guard:
            database = self._databases.pop(os.path.abspath(path), None)
        if database is not None:
            database.close()

    def close_all(self) -> None:
        """Close every database this factory opened."""
        with self._guard:
            databases, self._databases = list(self._databases.values()), {}
        for database in databases:
            database.close()


class ProcessLock:
    """A named lock shared by every process using the same database file.

    Check-then-set happens inside ONE `BEGIN IMMEDIATE` transaction, so two processes can never
    both see the lock free and both take it. A holder that dies leaves a row that expires after
    `ttl` seconds.
    """

    def __init__(
        self,
        path: str,
        name: str,
        owner: str | None = None,
        ttl: float = 300.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Any] = time.sleep,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ):
        self.path = str(path)
        self.name = name
        self.owner = owner or f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.ttl = ttl
        self.clock = clock
        self.sleep = sleep
        self.busy_timeout_ms = busy_timeout_ms

    def _connect(self) -> sqlite3.Connection:
        conn = open_connection(self.path, self.busy_timeout_ms)
        migrate(conn)
        return conn

    def try_acquire(self) -> bool:
        """Take the lock if it is free, expired or already ours; never wait for the holder."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                now = self.clock()
                row = conn.execute(
                    "SELECT owner, expires_at FROM locks WHERE name = ?", (self.name,)
                ).fetchone()
                if row is not None and row[0] != self.owner and row[1] > now:
                    conn.execute("COMMIT")
                    return False
                conn.execute(
                    "INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
                    (self.name, self.owner, now + self.ttl),
                )
                conn.execute("COMMIT")
                return True
            except BaseException:
                roll_back(conn)
                raise
        finally:
            conn.close()

    def acquire(self, timeout: float, poll: float = 0.05) -> bool:
        """Wait up to `timeout` seconds (on the injected clock) for the lock; return whether we hold it."""
        deadline = self.clock() + timeout
        while True:
            if self.try_acquire():
                return True
            if self.clock() >= deadline:
                return False
            self.sleep(poll)

    def release(self) -> None:
        """Give the lock back (only if we still hold it)."""
        conn = self._connect()
        try:
            conn.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (self.name, self.owner))
        finally:
            conn.close()

    def holder(self) -> str | None:
        """Return the current unexpired owner, or None."""
        conn = self._connect()
        try:
            row = conn.execute("SELECT owner, expires_at FROM locks WHERE name = ?", (self.name,)).fetchone()
        finally:
            conn.close()
        return row[0] if row is not None and row[1] > self.clock() else None

    @contextmanager
    def hold(self, timeout: float) -> Iterator[ProcessLock]:
        """Hold the lock for a block; raise LockTimeout if it cannot be taken in time."""
        if not self.acquire(timeout):
            raise LockTimeout(f"lock {self.name!r} is held by another process")
        try:
            yield self
        finally:
            self.release()
