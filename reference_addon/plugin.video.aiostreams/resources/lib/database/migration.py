"""One-time import of the 2.7 releases' JSON cache into the mirror (schema migrations live in migrations.py).

2.7 kept Trakt's answers as files under the profile (`cache/watched_movies.json`, ...), in
Trakt's response formats. Importing them makes the first browse after the upgrade fast. Each
imported area is stamped with a remote timestamp no real `last_activities` value can equal, so
the mirror answers from it at once and the next sync still re-reads the area from Trakt.
Nothing is ever deleted; a corrupt file is skipped with a warning; `.migration_complete` is
written only once a run got through every file.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiostreams.models import epoch_to_ts
from aiostreams.sync_areas import AREAS, Area
from aiostreams.trakt_items import ParsedArea
from database.connection import Database

MARKER_NAME = ".migration_complete"
CACHE_DIR = "cache"
# Stored as the area's remote timestamp: never equal to a Trakt timestamp, so the area is stale.
LEGACY_STAMP = "legacy-cache-2.7"
LEGACY_STATUS = "legacy"
ABORT_POLL_STEPS = 20_000  # SQLite VM steps between two looks at Kodi's abort (well under 0.1 s)
PARSE_CHUNK = 2_000  # cached items turned into rows between two looks at Kodi's abort (~25 ms)


class ImportAborted(Exception):
    """Kodi asked the service to stop while the cache was being read."""


LEGACY_FILES = {
    "watched_movies": "watched_movies.json",
    "watched_shows": "watched_shows.json",
    "watchlist_movies": "watchlist_movies.json",
    "watchlist_shows": "watchlist_shows.json",
}

_default_log = logging.getLogger("aiostreams.migration")


class LegacyAnswer:
    """Stands in for the TraktClient: hands an area's fetcher the cached answer instead of a request."""

    def __init__(self, payload: Any):
        self.payload = payload

    def get_all(self, path: str, params: Any = None, auth: bool = True) -> Any:
        """The cached list, whatever the path (each file holds exactly one endpoint's answer)."""
        return self.payload


@dataclass
class MigrationReport:
    """What one run did: rows imported per area, files skipped (with why), whether it completed."""

    already_done: bool = False
    completed: bool = False
    imported: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (also what the marker file records)."""
        return {
            "already_done": self.already_done,
            "completed": self.completed,
            "imported": dict(self.imported),
            "skipped": dict(self.skipped),
            "error": self.error,
        }


class DatabaseMigration:
    """Imports the legacy JSON cache into the mirror once per profile."""

    def __init__(
        self,
        profile_dir: str,
        db: Database,
        clock: Callable[[], float] = time.time,
        log: Callable[[str], Any] | None = None,
        warn: Callable[[str], Any] | None = None,
        abort_check: Callable[[], bool] = lambda: False,
    ):
        self.profile_dir = str(profile_dir)
        self.abort_check = abort_check
        self.db = db
        self.clock = clock
        self.log = log or _default_log.info
        self.warn = warn or _default_log.warning

    @property
    def marker_path(self) -> str:
        """`<profile>/.migration_complete`."""
        return os.path.join(self.profile_dir, MARKER_NAME)

    @property
    def cache_dir(self) -> str:
        """`<profile>/cache`, where 2.7 kept its JSON files."""
        return os.path.join(self.profile_dir, CACHE_DIR)

    def is_complete(self) -> bool:
        """True once a run has finished (the marker exists)."""
        return os.path.exists(self.marker_path)

    def run(self) -> MigrationReport:
        """Import every legacy file not imported yet; write the marker only when the run got through."""
        report = MigrationReport()
        if self.is_complete():
            report.already_done = True
            return report
        # Kodi's abort must end the service within a second even inside a big import: the progress
        # handler interrupts the running statement, its transaction rolls back, no marker is written.
        self.db.conn.set_progress_handler(lambda: 1 if self.abort_check() else 0, ABORT_POLL_STEPS)
        try:
            synced = self._areas_with_state()
            for area in AREAS:
                name = LEGACY_FILES.get(area.name)
                if name is not None and not self.abort_check():
                    self._import_area(area, name, synced, report)
        except (sqlite3.Error, OSError, ImportAborted) as exc:
            if isinstance(exc, ImportAborted) or self.abort_check():
                report.error = "aborted: Kodi is shutting down"
                self.log("legacy cache import stopped by Kodi's abort; it runs again at the next start")
                return report
            # The database is locked or unwritable: no marker, so the next start tries again.
            report.error = f"{exc.__class__.__name__}: {exc}"
            self.warn(f"legacy cache import failed ({report.error}); it will be retried at the next start")
            return report
        finally:
            self.db.conn.set_progress_handler(None, 0)
        if self.abort_check():
            report.error = "aborted: Kodi is shutting down"
            return report
        report.completed = True
        try:
            self._write_marker(report)
        except OSError as exc:
            report.completed = False
            report.error = f"{exc.__class__.__name__}: {exc}"
            self.warn(f"cannot write {MARKER_NAME} ({report.error}); the import will run again")
            return report
        if report.imported or report.skipped:
            self.log(f"legacy cache import: imported {report.imported}, skipped {sorted(report.skipped)}")
        return report

    def _areas_with_state(self) -> set[str]:
        rows = self.db.query("SELECT area FROM sync_state WHERE remote_at IS NOT NULL")
        return {row[0] for row in rows}

    def _import_area(self, area: Area, file_name: str, synced: set[str], report: MigrationReport) -> None:
        path = os.path.join(self.cache_dir, file_name)
        if not os.path.exists(path):
            return
        if area.name in synced:
            # Trakt's own data (or an earlier import) is already there: the old cache must not win.
            report.skipped[file_name] = "area already synced"
            return
        try:
            with open(path, encoding="utf-8") as handle:
                payload = json.load(handle)
            rows = self._rows_of(area, payload)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
            reason = f"{exc.__class__.__name__}: {exc}"
            report.skipped[file_name] = reason
            self.warn(f"legacy cache file {file_name} skipped: {reason}")
            return
        with self.db.transaction() as conn:
            counts = area.write(conn, rows)
            conn.execute(
                "INSERT INTO sync_state (area, remote_at, synced_at, status, error) VALUES (?, ?, ?, ?, NULL) "
                "ON CONFLICT (area) DO UPDATE SET remote_at = excluded.remote_at, "
                "synced_at = excluded.synced_at, status = excluded.status, error = NULL",
                (area.name, LEGACY_STAMP, epoch_to_ts(self.clock()), LEGACY_STATUS),
            )
        report.imported[area.name] = sum(c.inserted + c.updated for c in counts.values())

    def _rows_of(self, area: Area, payload: Any) -> dict[str, list[tuple]]:
        """The area's rows from a cached answer, a chunk at a time so an abort is noticed quickly."""
        if not isinstance(payload, list):
            return area.fetch(LegacyAnswer(payload)).rows  # raises the parser's own error for a wrong shape
        parsed = ParsedArea({})
        for start in range(0, max(1, len(payload)), PARSE_CHUNK):
            if self.abort_check():
                raise ImportAborted()
            parsed.extend(area.fetch(LegacyAnswer(payload[start : start + PARSE_CHUNK])))
        if parsed.skipped:
            self.warn(f"legacy cache {area.name}: skipped {len(parsed.skipped)} malformed item(s)")
        return parsed.rows

    def _write_marker(self, report: MigrationReport) -> None:
        """Write the marker atomically (a crash never leaves a half-written one)."""
        os.makedirs(self.profile_dir, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".migration-", dir=self.profile_dir)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "finished_at": epoch_to_ts(self.clock()), **report.as_dict()}, out)
            os.replace(temporary, self.marker_path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
