"""The sync engine: `last_activities` first, then only the stale areas, then paced show metadata."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from aiostreams import errors
from aiostreams.models import RowCounts, SyncReport, epoch_to_ts, normalize_ts
from aiostreams.sync_areas import AREAS, Area, fetch_show_metadata, write_show_metadata
from aiostreams.trakt_client import TraktClient
from aiostreams.trakt_items import ParsedArea
from database import store
from database.connection import Database

SYNC_LOCK = "sync"
SKIPPED_SHOWN = 5  # skipped items named in the warning; the count covers them all
# Errors that make every further request pointless in this run.
FATAL = (errors.AbortRequested, errors.AuthorizationRequired, errors.AccountLockedError)

_default_log = logging.getLogger("aiostreams.sync")


def remote_stamp(activities: dict[str, Any], sources: tuple[str, ...]) -> str:
    """The newest of an area's activity timestamps ('' when Trakt sent none); unknown keys are ignored."""
    values = []
    for dotted in sources:
        section, _, key = dotted.partition(".")
        group = activities.get(section)
        value = group.get(key) if isinstance(group, dict) else None
        try:
            stamp = normalize_ts(value) if isinstance(value, str) else None
        except ValueError:
            stamp = None
        if stamp:
            values.append(stamp)
    return max(values) if values else ""


class SyncEngine:
    """Brings the mirror up to date with Trakt, one area per transaction."""

    def __init__(
        self,
        db: Database,
        client: TraktClient,
        clock: Callable[[], float],
        log: Callable[[str], Any] | None = None,
        abort_check: Callable[[], bool] = lambda: False,
        *,
        metadata_budget: int = 100,
        metadata_max_age: float = 86400.0,
        dormant_max_age: float = 30 * 86400.0,
        dormant_after: float = 365 * 86400.0,
        lock_ttl: float = 900.0,
        on_area: Callable[[str, int, int], Any] | None = None,
        warn: Callable[[str], Any] | None = None,
    ):
        self.db = db
        self.client = client
        self.clock = clock
        self.log = log or _default_log.info
        # Skipped Trakt items go here (Kodi's warning level); without it they share `log`.
        self.warn = warn or (self.log if log is not None else _default_log.warning)
        self.abort_check = abort_check
        self.metadata_budget = metadata_budget
        # Seasons of a show that may still change are re-read daily; a dormant show (every episode
        # aired more than `dormant_after` ago) monthly: a daily re-read of thousands of ended shows
        # would be most of the add-on's Trakt traffic. A play of an episode the mirror lacks
        # re-reads a show at once either way.
        self.metadata_max_age = metadata_max_age
        self.dormant_max_age = dormant_max_age
        self.dormant_after = dormant_after
        self.lock_ttl = lock_ttl
        # Called as on_area(name, index, total) before an area's fetch (index counts from 1).
        self.on_area = on_area

    def _now(self) -> str:
        return epoch_to_ts(self.clock())

    # --- the run ------------------------------------------------------------------------------

    def run(self, force: bool = False) -> SyncReport:
        """Sync every stale area (all of them with `force`) and backfill show metadata within budget."""
        report = SyncReport()
        started, requests_before = self.clock(), self.client.requests_made
        lock = self.db.lock(SYNC_LOCK, ttl=self.lock_ttl, clock=self.clock)
        if not lock.try_acquire():
            report.skipped["all"] = "another sync is running"
            return report
        try:
            self._run_locked(report, force)
        finally:
            lock.release()
            report.requests = self.client.requests_made - requests_before
            report.duration = self.clock() - started
        self.log(f"sync: {report.requests} requests, synced {report.synced}, failed {report.failed}")
        return report

    def _run_locked(self, report: SyncReport, force: bool) -> None:
        try:
            activities = self.client.get("/sync/last_activities")
            if not isinstance(activities, dict):
                raise errors.MalformedResponseError("Trakt sent unusable last_activities")
        except errors.TraktError as exc:
            report.failed["last_activities"] = str(exc)
            report.aborted = isinstance(exc, errors.AbortRequested)
            return
        stored = self._stored_stamps()
        changed: dict[str, frozenset[int] | None] = {}  # what each area synced in this run changed
        for index, area in enumerate(AREAS, start=1):
            remote = remote_stamp(activities, area.sources)
            if not force and area.name in stored and stored[area.name] == remote:
                report.skipped[area.name] = "unchanged"
                continue
            if not self._run_area(area, index, remote, report, force, changed):
                return
        # A watchlist area skipped above is stale after all when a later area changed a title on it.
        for index, area in enumerate(AREAS, start=1):
            if report.skipped.get(area.name) == "unchanged" and self._touched_by(area, changed):
                del report.skipped[area.name]
                if not self._run_area(area, index, stored[area.name], report, force, changed):
                    return
        self._backfill_metadata(report)

    def _run_area(
        self,
        area: Area,
        index: int,
        remote: str,
        report: SyncReport,
        force: bool,
        changed: dict[str, frozenset[int] | None],
    ) -> bool:
        """Sync one area and note what it changed; False when the run must stop (abort, fatal error)."""
        if self.on_area is not None:
            self.on_area(area.name, index, len(AREAS))
        parsed = self._sync_area(area, remote, report, incremental=not force)
        if parsed is not None:
            changed[area.name] = parsed.changed
            return True
        return not (report.aborted or self._fatal_seen(report))

    def _touched_by(self, area: Area, changed: dict[str, frozenset[int] | None]) -> bool:
        """True when the area `area` follows changed (or may have changed) one of its titles in this run."""
        if area.follows is None or area.follows[0] not in changed:
            return False
        items, media_type = changed[area.follows[0]], area.follows[1]
        if items is None:
            return True
        on_list = self.db.query("SELECT trakt_id FROM watchlist WHERE media_type = ?", (media_type,))
        return any(row[0] in items for row in on_list)

    def _fatal_seen(self, report: SyncReport) -> bool:
        return any(reason.startswith("fatal:") for reason in report.failed.values())

    def _stored_stamps(self) -> dict[str, str]:
        rows = self.db.query("SELECT area, remote_at FROM sync_state WHERE remote_at IS NOT NULL")
        return {area: remote for area, remote in rows}

    def _sync_area(self, area: Area, remote: str, report: SyncReport, incremental: bool) -> ParsedArea | None:
        """Fetch everything, then write rows + timestamp in one transaction; on failure keep both.

        Returns what was written (None on failure). `incremental` allows the area's cheaper read."""
        try:
            parsed = None
            if incremental and area.fetch_delta is not None:
                parsed = area.fetch_delta(self.client, self.db, self._now())
            if parsed is None:
                parsed = area.fetch(self.client)
        except FATAL as exc:
            self._fail(area.name, exc, report, fatal=True)
            return None
        except (errors.TraktError, KeyError, TypeError, ValueError) as exc:
            self._fail(area.name, exc, report)
            return None
        except sqlite3.Error as exc:  # the incremental read could not read the mirror
            report.failed[area.name] = f"{exc.__class__.__name__}: {exc}"
            return None
        self._note_skipped(f"area {area.name}", parsed.skipped)
        try:
            with self.db.transaction() as conn:
                counts = area.write(conn, parsed.rows)
                store.record_area_success(conn, area.name, remote, self._now())
        except sqlite3.Error as exc:  # rolled back: the area keeps its old rows and timestamp
            report.failed[area.name] = f"{exc.__class__.__name__}: {exc}"
            return None
        for table, table_counts in counts.items():
            report.count(table, table_counts)
        report.synced.append(area.name)
        return parsed

    def _note_skipped(self, what: str, skipped: list[str]) -> None:
        """One warning per area naming (a few of) the malformed Trakt items it left out."""
        if skipped:
            shown = "; ".join(skipped[:SKIPPED_SHOWN]) + ("; ..." if len(skipped) > SKIPPED_SHOWN else "")
            self.warn(f"sync: {what} skipped {len(skipped)} malformed Trakt item(s): {shown}")

    def _fail(self, name: str, exc: BaseException, report: SyncReport, fatal: bool = False) -> None:
        reason = f"{exc.__class__.__name__}: {exc}"
        report.aborted = report.aborted or isinstance(exc, errors.AbortRequested)
        report.failed[name] = ("fatal: " if fatal else "") + reason
        self.log(f"sync: area {name} failed ({reason}); keeping its rows for the next run")
        with self.db.transaction() as conn:
            store.record_area_failure(conn, name, reason)

    # --- show metadata ------------------------------------------------------------------------

    def shows_needing_metadata(self) -> list[int]:
        """Watched shows whose seasons/episodes are missing, incomplete or old (see `dormant_after`); in-progress first."""
        now = self.clock()
        cutoff, dormant_cutoff = (
            epoch_to_ts(now - self.metadata_max_age),
            epoch_to_ts(now - self.dormant_max_age),
        )
        recent = epoch_to_ts(now - self.dormant_after)
        rows = self.db.query(
            """
            SELECT ws.show_trakt_id,
                   CASE
                     WHEN sm.fetched_at IS NULL THEN 0
                     WHEN sm.fetched_at < ws.last_updated_at AND EXISTS (
                         SELECT 1 FROM watched_episodes we
                         WHERE we.show_trakt_id = ws.show_trakt_id AND NOT EXISTS (
                             SELECT 1 FROM episodes e WHERE e.show_trakt_id = we.show_trakt_id
                             AND e.season = we.season AND e.number = we.number)) THEN 1
                     WHEN sm.fetched_at < ? AND (sm.fetched_at < ? OR EXISTS (
                         SELECT 1 FROM episodes e WHERE e.show_trakt_id = ws.show_trakt_id
                         AND (e.first_aired IS NULL OR e.first_aired > ?))) THEN 2
                     ELSE NULL
                   END AS need
            FROM watched_shows ws LEFT JOIN show_metadata sm ON sm.show_trakt_id = ws.show_trakt_id
            WHERE need IS NOT NULL
            ORDER BY need, ws.last_watched_at DESC, ws.show_trakt_id
            """,
            (cutoff, dormant_cutoff, recent),
        )
        return [row[0] for row in rows]

    def _backfill_metadata(self, report: SyncReport) -> None:
        pending = self.shows_needing_metadata()
        for index, show_trakt_id in enumerate(pending):
            if index >= self.metadata_budget:
                break
            try:
                self._sync_one_show(show_trakt_id, report)
            except FATAL as exc:
                self._note_metadata_failure(show_trakt_id, exc, report, fatal=True)
                report.metadata_pending = len(pending) - index
                return
            except (errors.TraktError, KeyError, TypeError, ValueError) as exc:
                self._note_metadata_failure(show_trakt_id, exc, report)
        report.metadata_pending = max(0, len(pending) - self.metadata_budget)

    def _note_metadata_failure(
        self, show_trakt_id: int, exc: BaseException, report: SyncReport, fatal: bool = False
    ) -> None:
        report.aborted = report.aborted or isinstance(exc, errors.AbortRequested)
        reason = ("fatal: " if fatal else "") + f"{exc.__class__.__name__}: {exc}"
        report.failed[f"show_metadata:{show_trakt_id}"] = reason

    def _sync_one_show(self, show_trakt_id: int, report: SyncReport) -> None:
        try:
            parsed = fetch_show_metadata(self.client, show_trakt_id)
            self._note_skipped(f"show {show_trakt_id} metadata", parsed.skipped)
            rows = parsed.rows
        except errors.NotFoundError:
            # Gone from Trakt: remember the attempt so it is not re-requested every run.
            rows = {"seasons": [], "episodes": []}
        with self.db.transaction() as conn:
            counts = write_show_metadata(conn, show_trakt_id, rows, self._now())
        for table, table_counts in counts.items():
            report.count(table, table_counts)

    def sync_show_metadata(self, show_trakt_id: int) -> dict[str, RowCounts]:
        """Fetch one show's seasons and episodes now (the first time its progress is asked)."""
        report = SyncReport()
        self._sync_one_show(show_trakt_id, report)
        return report.rows

    # --- maintenance --------------------------------------------------------------------------

    def clear(self) -> dict[str, int]:
        """Empty the Trakt data and reset the stored activities, so the next sync fetches everything."""
        with self.db.transaction() as conn:
            return store.clear_trakt_data(conn)

    def rebuild(self) -> SyncReport:
        """Clear, then run a full sync."""
        self.clear()
        return self.run(force=True)
