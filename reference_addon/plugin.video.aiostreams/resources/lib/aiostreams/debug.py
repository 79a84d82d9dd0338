"""Hooks for the sync debugger (`trakt-cassettes replay`): run a sync or a device login, answer in JSON.

Called through `fake-kodi call` (`aiostreams.debug:run_sync`), so they run in the add-on's own
process with its settings, profile and clock, exactly as the service or the force-sync route would.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from aiostreams import kodi
from aiostreams.models import SyncReport
from aiostreams.sync import SyncEngine
from aiostreams.sync_areas import Area
from aiostreams.trakt_items import ParsedArea

METADATA_STEP = "show_metadata"


def _snapshot(report: SyncReport) -> dict[str, dict[str, int]]:
    return {table: counts.as_dict() for table, counts in report.rows.items()}


def _difference(before: dict, after: dict) -> dict[str, dict[str, int]]:
    """Rows written between two snapshots, tables with nothing written left out."""
    written = {}
    for table, counts in after.items():
        old = before.get(table, {})
        delta = {key: value - old.get(key, 0) for key, value in counts.items()}
        if any(delta.values()):
            written[table] = delta
    return written


class AreaRecordingSyncEngine(SyncEngine):
    """The add-on's SyncEngine, also noting which rows each area (and the metadata backfill) wrote."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.area_rows: dict[str, dict[str, dict[str, int]]] = {}

    def _sync_area(self, area: Area, remote: str, report: SyncReport, **options: Any) -> ParsedArea | None:
        before = _snapshot(report)
        synced = super()._sync_area(area, remote, report, **options)
        self.area_rows[area.name] = _difference(before, _snapshot(report))
        return synced

    def _backfill_metadata(self, report: SyncReport) -> None:
        before = _snapshot(report)
        super()._backfill_metadata(report)
        self.area_rows[METADATA_STEP] = _difference(before, _snapshot(report))


def table_rows(db_path: str) -> dict[str, int]:
    """Rows per table of the mirror (SQLite's own tables left out)."""
    conn = sqlite3.connect(db_path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()


def run_sync(force: bool = False) -> dict[str, Any]:
    """One sync run as the add-on does it; the report, rows written per area and rows per table after."""
    from database.connection import Database

    db = Database(kodi.db_path())
    engine = AreaRecordingSyncEngine(db, kodi.build_client(), time.time, log=kodi.log, warn=kodi.warn)
    report = engine.run(force=force)
    return {"report": report.as_dict(), "areas": engine.area_rows, "tables": table_rows(kodi.db_path())}


class _UnattendedDialog:
    """A progress dialog nobody looks at or cancels (the debugger approves on the simulator's side)."""

    def update(self, percent: int, message: str = "") -> None:
        """Ignored."""

    def canceled(self) -> bool:
        """Never cancelled."""
        return False


def device_login() -> dict[str, Any]:
    """The add-on's device login without dialogs; says whether tokens were saved and why not."""
    from aiostreams.auth import DeviceFlow, DeviceFlowError, wait_for_approval

    flow = DeviceFlow(
        kodi.trakt_api_url(),
        kodi.setting("trakt_client_id").strip(),
        kodi.setting("trakt_client_secret").strip(),
        user_agent=f"{kodi.addon_id()}/{kodi.addon_version()}",
    )
    try:
        code = flow.request_code()
        tokens = wait_for_approval(flow, code, _UnattendedDialog(), clock=time.time, wait=kodi.wait_for_abort)
    except DeviceFlowError as exc:
        return {"authorised": False, "error": f"{exc.reason}: {exc} (HTTP {exc.status})"}
    if tokens is None:
        return {"authorised": False, "error": "aborted"}
    kodi.token_store().save(tokens)
    return {"authorised": True, "error": None}
