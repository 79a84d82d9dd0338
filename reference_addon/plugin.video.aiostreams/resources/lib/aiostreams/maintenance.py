"""Database maintenance routes: force sync, info, clear, rebuild, optimise (VACUUM).

One sync at a time across processes: every sync goes through `SyncEngine.run`, which takes the
mirror's "sync" ProcessLock; clear and rebuild take the same lock before touching the data.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime, timezone
from typing import Any

from aiostreams import kodi
from aiostreams.sync import SYNC_LOCK, SyncEngine

FORCE_SYNC_SPACING = 300.0  # seconds: a forced sync within 5 minutes of the last one is refused
LAST_SYNC_PROPERTY = "last_sync_at"  # Window(10000) property: epoch of the last sync run that succeeded
SERVICE_LAST_RUN_PROPERTY = "sync.last_run"  # the service's last run, written by the background service
SERVICE_LAST_RESULT_PROPERTY = "sync.last_result"  # ... and how it ended: ok | failed | error | ...
LAST_FAILED_PROPERTY = "last_sync_failed_at"  # epoch of the last run that failed (plugin or service)
INFO_TABLES = (
    (30330, "shows"),
    (30331, "episodes"),
    (30332, "movies"),
    (30340, "watched_movies"),
    (30341, "watched_shows"),
    (30333, "watchlist"),
    (30334, "playback"),
    (30342, "hidden_shows"),
)


def open_database() -> Any:
    """The mirror (created and migrated when missing)."""
    from database.connection import Database

    return Database(kodi.db_path())


def note_sync_ran(epoch: float | None = None, failed: bool = False) -> None:
    """Remember (for every process) that a sync run just finished, and whether it failed."""
    key = LAST_FAILED_PROPERTY if failed else LAST_SYNC_PROPERTY
    kodi.set_home_property(key, repr(float(time.time() if epoch is None else epoch)))


def _epoch_property(key: str) -> float | None:
    try:
        return float(kodi.home_property(key))
    except ValueError:
        return None


def last_failed_at() -> float | None:
    """Epoch of the last sync run that failed, from the plugin's force sync or the service."""
    candidates = [_epoch_property(LAST_FAILED_PROPERTY)]
    if kodi.home_property(SERVICE_LAST_RESULT_PROPERTY) in ("failed", "error"):
        candidates.append(_epoch_property(SERVICE_LAST_RUN_PROPERTY))
    known = [epoch for epoch in candidates if epoch is not None]
    return max(known) if known else None


def last_sync_at(db: Any) -> float | None:
    """Epoch of the last sync run that succeeded: the shared properties, else the newest area sync in the mirror."""
    candidates = [_epoch_property(LAST_SYNC_PROPERTY)]
    if kodi.home_property(SERVICE_LAST_RESULT_PROPERTY) not in ("failed", "error"):
        candidates.append(_epoch_property(SERVICE_LAST_RUN_PROPERTY))
    candidates = [epoch for epoch in candidates if epoch is not None]
    from aiostreams.models import parse_ts

    rows = db.query("SELECT MAX(synced_at) FROM sync_state WHERE synced_at IS NOT NULL")
    if rows and rows[0][0]:
        try:
            candidates.append(parse_ts(rows[0][0]).timestamp())
        except (ValueError, AttributeError):
            pass
    return max(candidates) if candidates else None


def _clock_text(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%H:%M:%S")


def _report_failure(report: Any) -> str:
    return "; ".join(f"{area}: {reason}" for area, reason in sorted(report.failed.items()))


# --- force sync -----------------------------------------------------------------------------------


def force_sync_route(call: Any) -> None:
    """Sync now, unless a sync succeeded in the last 5 minutes (then say when it can run).

    After a failed run a retry is allowed at once: the user may just have fixed the cause.
    """
    db = open_database()
    now = time.time()
    last = last_sync_at(db)
    failed = last_failed_at()
    retry = failed is not None and (last is None or failed >= last)
    if last is not None and now - last < FORCE_SYNC_SPACING and not retry:
        kodi.notify(kodi.localize(30311).format(time=_clock_text(last + FORCE_SYNC_SPACING)))
        return
    engine = SyncEngine(db, kodi.build_client(), time.time, log=kodi.log, warn=kodi.warn)
    with kodi.progress_bg(kodi.localize(30341)) as bar:
        bar.update(0, kodi.localize(30341))
        report = engine.run()
        bar.update(100)
    _announce(report)


def _announce(report: Any) -> None:
    if "all" in report.skipped:
        kodi.notify(kodi.localize(30312))
        return
    note_sync_ran(failed=bool(report.failed))
    if report.failed:
        kodi.log(f"sync failed: {report.as_dict()}", "warning")
        kodi.notify(kodi.localize(30313).format(error=_report_failure(report)), error=True)
    elif not report.synced:
        kodi.notify(kodi.localize(30327))
    else:
        kodi.notify(kodi.localize(30310).format(areas=len(report.synced), requests=report.requests))


# --- info -----------------------------------------------------------------------------------------


def _size(path: str) -> int:
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += os.path.getsize(path + suffix)
        except OSError:
            pass
    return total


def human_size(size: float) -> str:
    """Bytes as text: '512 B', '12.3 KB', '4.0 MB'."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1024 or unit == "GB":
            return f"{int(size)} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024.0
    return f"{size:.1f} GB"


def database_info_text(db: Any) -> str:
    """Counts per table, last sync per area, file size and schema version, as text."""
    from aiostreams.sync_areas import AREA_NAMES
    from database.migrations import user_version

    lines = [
        f"{kodi.localize(label)}: {db.query(f'SELECT COUNT(*) FROM {table}')[0][0]}"
        for label, table in INFO_TABLES
    ]
    lines.append("")
    lines.append(kodi.localize(30335) + ":")
    states = {area: (synced, status, error) for area, synced, status, error in db.query(
        "SELECT area, synced_at, status, error FROM sync_state"
    )}  # fmt: skip
    for area in AREA_NAMES:
        synced, status, error = states.get(area, (None, None, None))
        text = synced or kodi.localize(30336)
        if status == "failed":
            text += f" ({kodi.localize(30339)}: {error})"
        lines.append(f"  {area}: {text}")
    lines.append("")
    lines.append(f"{kodi.localize(30337)}: {human_size(_size(db.path))} ({_size(db.path)} bytes)")
    lines.append(f"{kodi.localize(30338)}: {user_version(db.conn)}")
    return "\n".join(lines)


def database_info_route(call: Any) -> None:
    """Show the database info in a text viewer."""
    kodi.textviewer(kodi.localize(30322), database_info_text(open_database()))


# --- clear and rebuild ----------------------------------------------------------------------------


def clear_data(db: Any) -> bool:
    """Empty the Trakt data and the stored activities under the sync lock; False when a sync holds it."""
    from database import store

    lock = db.lock(SYNC_LOCK)
    if not lock.try_acquire():
        return False
    try:
        with db.transaction() as conn:
            deleted = store.clear_trakt_data(conn)
        kodi.log(f"mirror cleared: {sum(deleted.values())} rows")
        return True
    finally:
        lock.release()


def clear_route(call: Any) -> None:
    """After a yes/no: empty the Trakt data AND the activities (the next sync fetches everything)."""
    if not kodi.yesno(kodi.localize(30132), kodi.localize(30314)):
        return
    if clear_data(open_database()):
        kodi.notify(kodi.localize(30315))
    else:
        kodi.notify(kodi.localize(30343), error=True)


class _CancelMonitor:
    """The client's waits and abort checks: Kodi's abort, or Cancel pressed in the progress dialog."""

    def __init__(self, dialog: Any):
        self.dialog = dialog

    def abortRequested(self) -> bool:  # noqa: N802 - the xbmc.Monitor name the client expects
        return kodi.abort_requested() or self.dialog.canceled()

    def waitForAbort(self, seconds: float) -> bool:  # noqa: N802
        return kodi.wait_for_abort(seconds) or self.dialog.canceled()


class ProgressSyncEngine(SyncEngine):
    """A SyncEngine that moves a progress dialog as each area starts (per-area progress)."""

    def __init__(self, *args: Any, dialog: Any, **kwargs: Any):
        super().__init__(*args, on_area=self._show_area, **kwargs)
        self.dialog = dialog

    def _show_area(self, name: str, index: int, total: int) -> None:
        # total + 1: the last step is the show-metadata backfill after the areas.
        self.dialog.update(int(index * 100 / (total + 1)), kodi.localize(30317).format(area=name))


def open_database_for_rebuild() -> Any:
    """The mirror; a damaged file (unopenable or failing `quick_check`) is moved aside and started afresh."""
    from database.connection import Database, is_damaged_error, set_aside_damaged

    path = kodi.db_path()
    try:
        db = Database(path)
        try:
            verdict = db.query("PRAGMA quick_check")
        except sqlite3.Error:
            db.close()
            raise
        if verdict == [("ok",)]:
            return db
        db.close()
        reason = f"quick_check: {verdict[0][0] if verdict else 'no answer'}"
    except sqlite3.Error as exc:
        if not is_damaged_error(exc):
            raise
        reason = str(exc)
    kept = set_aside_damaged(path)
    kodi.log(f"mirror damaged ({reason}); kept as {os.path.basename(kept)}, rebuilding a new one", "warning")
    return Database(path)


def rebuild_route(call: Any) -> None:
    """Clear, then a full sync now in a cancelable progress dialog with per-area progress."""
    from aiostreams.listing import DAMAGED_PROPERTY

    db = open_database_for_rebuild()
    kodi.set_home_property(DAMAGED_PROPERTY, "")  # a fresh mirror: a later damage is announced again
    if not clear_data(db):
        kodi.notify(kodi.localize(30343), error=True)
        return
    with kodi.progress(kodi.localize(30316)) as dialog:
        client = kodi.build_client(_CancelMonitor(dialog))
        engine = ProgressSyncEngine(db, client, time.time, log=kodi.log, warn=kodi.warn, dialog=dialog)
        report = engine.run(force=True)
        dialog.update(100, kodi.localize(30316))
    if report.aborted:
        kodi.notify(kodi.localize(30318))
    elif "all" in report.skipped:
        kodi.notify(kodi.localize(30312))
    elif report.failed:
        note_sync_ran(failed=True)
        kodi.notify(kodi.localize(30313).format(error=_report_failure(report)), error=True)
    else:
        note_sync_ran()
        kodi.notify(kodi.localize(30319).format(requests=report.requests))


# --- optimise -------------------------------------------------------------------------------------


def vacuum(path: str) -> int:
    """VACUUM the mirror and return the bytes reclaimed (sqlite3.Error / OSError on failure)."""
    from database.connection import open_connection

    if not os.path.exists(path):
        raise FileNotFoundError("the Trakt database does not exist yet")
    before = _size(path)
    conn = open_connection(path, busy_timeout_ms=2000, create=False)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return max(0, before - _size(path))


def vacuum_route(call: Any) -> None:
    """VACUUM, then report the bytes reclaimed; an error dialog when it fails."""
    try:
        reclaimed = vacuum(kodi.db_path())
    except (sqlite3.Error, OSError) as exc:
        kodi.log(f"VACUUM failed: {exc.__class__.__name__}: {exc}", "error")
        kodi.ok(kodi.localize(30134), kodi.localize(30321).format(error=f"{exc.__class__.__name__}: {exc}"))
        return
    kodi.notify(kodi.localize(30320).format(size=human_size(reclaimed)))
