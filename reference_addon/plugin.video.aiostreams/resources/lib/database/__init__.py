"""The add-on's SQLite mirror of the user's Trakt data."""

from __future__ import annotations

from database.connection import ConnectionFactory, Database, LockTimeout, ProcessLock
from database.migrations import LATEST_VERSION, migrate

__all__ = ["ConnectionFactory", "Database", "LATEST_VERSION", "LockTimeout", "ProcessLock", "migrate"]
