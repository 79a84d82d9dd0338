"""The background service: keeps the mirror fresh by running the sync when it is due.

Triggers: the start, every `sync_interval` minutes, `System.OnWake`, the end of a long
screensaver (debounced), auto-sync being switched on, and an `Other.force_sync` notification
from the add-on. Nothing runs while `auto_sync` is off. Kodi delivers the monitor's callbacks
inside our waits, so callbacks only note what happened and the loop acts on it after at most
`WAIT_SLICE` seconds. One sync at a time across processes comes from the sync engine's
`ProcessLock`; abort is checked between requests and ends every wait at once.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from typing import Any

from aiostreams import kodi
from aiostreams.models import SyncReport
from aiostreams.sync import SyncEngine
from aiostreams.trakt_client import GetBudget

WAIT_SLICE = 1.0  # longest wait between two looks at the schedule (callbacks land inside waits)
WAKE_DELAY = 5.0  # after System.OnWake the network needs a moment to come back
LONG_IDLE = 600.0  # a screensaver at least this long means the user was away
SCREENSAVER_DEBOUNCE = 300.0  # no screensaver sync if a sync started less than this ago
METADATA_PER_RUN = 25  # show-metadata requests per run: the backfill is spread over many runs
DEFAULT_INTERVAL_MINUTES = 5
FORCE_SYNC_MESSAGE = "Other.force_sync"
WAKE_METHOD = "System.OnWake"

# Window(10000) properties (kodi.py prefixes them with the add-on id) the plugin can read.
PROP_SERVICE = "service.state"  # "running" while the service runs, "" after
PROP_RUNNING = "sync.running"  # "true" during a sync started by the service
PROP_LAST_RUN = "sync.last_run"  # epoch seconds (int) when the last sync finished
PROP_LAST_RESULT = "sync.last_result"  # ok | failed | aborted | busy | not_authorised | error (a bug)
PROP_LAST_SUMMARY = "sync.last_summary"  # JSON: reason, requests, synced, failed
PROP_NEXT_RUN = "sync.next_run"  # epoch seconds (int) of the next interval sync, "" when off


class SyncSchedule:
    """When the next sync is due and why; plain data on an injected clock (no Kodi)."""

    def __init__(self, interval: float):
        self.interval = interval
        self.next_due: float | None = None
        self.requests: dict[str, float] = {}  # reason -> earliest time
        self.last_started: float | None = None
        self.last_finished: float | None = None

    def request(self, reason: str, at: float) -> None:
        """Ask for a sync at `at` (an earlier request for the same reason wins)."""
        self.requests[reason] = min(at, self.requests.get(reason, at))

    def take_due(self, now: float) -> str | None:
        """The reason of a sync due now (requests first, then the interval), consuming it."""
        due = sorted((at, reason) for reason, at in self.requests.items() if at <= now)
        if due:
            for _at, reason in due:
                del self.requests[reason]
            return due[0][1]
        if self.next_due is not None and now >= self.next_due:
            return "interval"
        return None

    def started(self, now: float) -> None:
        """A sync starts: the pending requests are served by it."""
        self.last_started = now
        self.requests.clear()

    def finished(self, now: float) -> None:
        """A sync ended: the next interval sync counts from now."""
        self.last_finished = now
        self.next_due = now + self.interval

    def set_interval(self, interval: float, now: float) -> None:
        """A new interval applies from the last sync (at once when that is already long ago)."""
        self.interval = interval
        if self.last_finished is not None:
            self.next_due = self.last_finished + interval

    def stop(self) -> None:
        """Auto-sync went off: forget everything pending."""
        self.requests.clear()
        self.next_due = None

    def seconds_until_next(self, now: float) -> float | None:
        """Seconds until the earliest request or interval; None when nothing is planned."""
        times = list(self.requests.values())
        if self.next_due is not None:
            times.append(self.next_due)
        return max(0.0, min(times) - now) if times else None


class AIOStreamsMonitor(kodi.Monitor):
    """Kodi's callbacks, forwarded to the service (they run on the service's thread, inside its waits)."""

    def __init__(self, service: AIOStreamsService):
        super().__init__()
        self.service = service

    def onSettingsChanged(self) -> None:  # noqa: N802 - Kodi's callback name
        """Settings were saved: re-read auto_sync and the interval."""
        self.service.on_settings_changed()

    def onNotification(self, sender: str, method: str, data: str) -> None:  # noqa: N802
        """System.OnWake and our own force_sync message."""
        self.service.on_notification(sender, method, data)

    def onScreensaverActivated(self) -> None:  # noqa: N802
        """The user went idle."""
        self.service.on_screensaver(active=True)

    def onScreensaverDeactivated(self) -> None:  # noqa: N802
        """The user is back."""
        self.service.on_screensaver(active=False)


class AIOStreamsService:
    """Runs migrations at start, then syncs whenever the schedule says so, until Kodi quits."""

    def __init__(self, clock: Any = None):
        # time.time is looked up per call: fake Kodi (and tests) swap it for a virtual clock.
        self.clock = clock or (lambda: time.time())
        self.monitor: AIOStreamsMonitor | None = None
        self.db: Any = None
        self.db_identity: tuple | None = None  # (device, inode) of the file `db` was opened on
        self.auto_sync = False
        self.authorised = False
        self.schedule = SyncSchedule(DEFAULT_INTERVAL_MINUTES * 60.0)
        self.screensaver_since: float | None = None
        self.syncs: list[SyncReport] = []
        self._last_error_shown: str | None = None
        # One GET budget for the service's life: syncs close together (wake, interval, a forced one) are
        # paced together under Trakt's 500 GETs per 5 minutes.
        self.get_budget = GetBudget()

    # --- lifecycle ------------------------------------------------------------------------------

    def run(self) -> None:
        """The service's life: start, loop until abort, clean up (returns within a second of abort)."""
        kodi.configure_logging()
        self.monitor = AIOStreamsMonitor(self)
        kodi.set_home_property(PROP_SERVICE, "running")
        try:
            self.run_migrations()
            self.read_settings(initial=True)
            while not self.monitor.abortRequested():
                reason = self.schedule.take_due(self.clock())
                if reason is not None and self.auto_sync:
                    self.sync_now(reason)
                if self.monitor.waitForAbort(self._next_wait()):
                    break
        finally:
            self._shutdown()

    def _next_wait(self) -> float:
        until = self.schedule.seconds_until_next(self.clock())
        # waitForAbort(0) would block until Kodi quits: always wait a positive time.
        return WAIT_SLICE if until is None else max(0.001, min(WAIT_SLICE, until))

    def _shutdown(self) -> None:
        for key in (PROP_SERVICE, PROP_RUNNING, PROP_NEXT_RUN):
            kodi.set_home_property(key, "")
        if self.db is not None:
            self.db.close()
            self.db = None
        kodi.log("service stopped")

    # --- start-up -------------------------------------------------------------------------------

    def open_mirror(self) -> Any:
        """The service's one connection to the mirror (schema migrations run when it opens)."""
        path = kodi.db_path()
        if self.db is not None and self.db_identity != _file_identity(path):
            # A rebuild set a damaged file aside: this connection still points at the old file.
            kodi.log("mirror file was replaced; reopening it")
            self.db.close()
            self.db = None
        if self.db is None:
            from database.connection import Database

            self.db = Database(path)
            self.db_identity = _file_identity(path)
        return self.db

    def run_migrations(self) -> None:
        """Bring the schema up to date and import the 2.7 JSON cache (once); never fatal."""
        from database.migration import DatabaseMigration

        try:
            db = self.open_mirror()
            report = DatabaseMigration(
                kodi.profile_dir(),
                db,
                clock=self.clock,
                log=kodi.log,
                warn=lambda message: kodi.log(message, "warning"),
                abort_check=self.monitor.abortRequested if self.monitor is not None else (lambda: False),
            ).run()
        except Exception as exc:  # noqa: BLE001 - a broken mirror must not stop the service
            kodi.log(f"mirror unavailable at start: {exc.__class__.__name__}: {exc}", "error")
            return
        if report.imported:
            kodi.log(f"imported the 2.7 cache: {report.imported}")

    def read_settings(self, initial: bool = False) -> None:
        """Apply auto_sync and sync_interval; switching auto-sync on asks for a sync now."""
        now = self.clock()
        was_on, was_authorised = self.auto_sync, self.authorised
        self.auto_sync = kodi.setting_bool("auto_sync")
        self.authorised = bool(kodi.setting("trakt_access_token"))
        minutes = kodi.setting_int("sync_interval", DEFAULT_INTERVAL_MINUTES)
        interval = float(max(1, minutes)) * 60.0
        if interval != self.schedule.interval:
            self.schedule.set_interval(interval, now)
        if not self.auto_sync:
            self.schedule.stop()
            kodi.set_home_property(PROP_NEXT_RUN, "")
            if initial or was_on:
                kodi.log("auto-sync is off: the service stays idle")
        elif initial:
            self.schedule.request("start", now)
        elif not was_on:
            kodi.log("auto-sync switched on")
            self.schedule.request("auto_sync_on", now)
        elif self.authorised and not was_authorised:
            kodi.log("Trakt was authorised: syncing")
            self.schedule.request("authorised", now)

    # --- callbacks (inside waits) ----------------------------------------------------------------

    def on_settings_changed(self) -> None:
        """onSettingsChanged."""
        self.read_settings()

    def on_notification(self, sender: str, method: str, data: str) -> None:
        """onNotification: wake and force_sync ask for a sync."""
        if method == WAKE_METHOD:
            self.schedule.request("wake", self.clock() + WAKE_DELAY)
        elif method == FORCE_SYNC_MESSAGE and sender == kodi.addon_id():
            self.schedule.request("notification", self.clock())

    def on_screensaver(self, active: bool) -> None:
        """A screensaver that lasted LONG_IDLE asks for a sync, unless one started recently."""
        now = self.clock()
        if active:
            self.screensaver_since = now
            return
        since, self.screensaver_since = self.screensaver_since, None
        if since is None or now - since < LONG_IDLE:
            return
        last = self.schedule.last_started
        if last is not None and now - last < SCREENSAVER_DEBOUNCE:
            kodi.log("screensaver ended after a long idle; a sync ran recently, none needed", "debug")
            return
        self.schedule.request("screensaver", now)

    # --- the sync --------------------------------------------------------------------------------

    def sync_now(self, reason: str) -> SyncReport | None:
        """One sync run (skipped without tokens); publishes its outcome in Window(10000)."""
        now = self.clock()
        self.schedule.started(now)
        result, report = "error", None
        kodi.set_home_property(PROP_RUNNING, "true")
        try:
            client = kodi.build_client(self.monitor, self.get_budget)
            if not client.is_authorised():
                result = "not_authorised"
                kodi.log(f"sync ({reason}) skipped: Trakt is not authorised yet", "debug")
                self._tell_login_expired()  # another process may have seen Trakt end the login
            else:
                engine = SyncEngine(
                    self.open_mirror(),
                    client,
                    self.clock,
                    log=kodi.log,
                    warn=kodi.warn,
                    abort_check=self.monitor.abortRequested,
                    metadata_budget=METADATA_PER_RUN,
                )
                report = engine.run()
                self.syncs.append(report)
                result = _result_of(report)
                self._tell_user(report)
        except Exception as exc:  # noqa: BLE001 - a bug in one run must not end the service
            kodi.log(f"sync ({reason}) crashed: {exc.__class__.__name__}: {exc}", "error")
            kodi.log(traceback.format_exc(), "debug")
            if self.db is not None:
                self.db.close()  # reopened on the next run, in case the file was swapped
                self.db = None
        finally:
            kodi.set_home_property(PROP_RUNNING, "")
        finished = self.clock()
        self.schedule.finished(finished)
        self._publish(reason, result, report, finished)
        return report

    def _publish(self, reason: str, result: str, report: SyncReport | None, finished: float) -> None:
        kodi.set_home_property(PROP_LAST_RUN, str(int(finished)))
        kodi.set_home_property(PROP_LAST_RESULT, result)
        summary: dict[str, Any] = {"reason": reason}
        if report is not None:
            summary.update(requests=report.requests, synced=report.synced, failed=sorted(report.failed))
        kodi.set_home_property(PROP_LAST_SUMMARY, json.dumps(summary, separators=(",", ":")))
        next_due = self.schedule.next_due if self.auto_sync else None
        kodi.set_home_property(PROP_NEXT_RUN, "" if next_due is None else str(int(next_due)))
        kodi.log(f"sync ({reason}): {result}" + (f", {report.requests} request(s)" if report else ""))

    def _tell_login_expired(self) -> bool:
        """Ask the user once to authorise again when Trakt ended the login (the tokens are gone already)."""
        if not kodi.take_login_expired():
            return False
        kodi.log("Trakt ended the login; asking the user to authorise again", "warning")
        kodi.notify(kodi.login_expired_text(), error=True)
        return True

    def _tell_user(self, report: SyncReport) -> None:
        """Show a failure that stopped the whole sync once (not at every interval) until a sync succeeds."""
        if report.aborted or self._tell_login_expired():
            return
        if report.ok:
            self._last_error_shown = None
            return
        # The engine marks errors that end the run "fatal: <Class>: <message>"; a failed
        # last_activities (the first request) carries the message alone.
        stopping = [
            reason.split(": ", 2)[-1] for reason in report.failed.values() if reason.startswith("fatal:")
        ]
        if "last_activities" in report.failed:
            stopping.append(report.failed["last_activities"])
        if stopping and stopping[0] != self._last_error_shown:
            self._last_error_shown = stopping[0]
            kodi.notify(stopping[0], error=True)


def _result_of(report: SyncReport) -> str:
    if report.aborted:
        return "aborted"
    if report.skipped.get("all") == "another sync is running":
        return "busy"
    return "ok" if report.ok else "failed"


def run() -> None:
    """Entry point of service.py."""
    AIOStreamsService().run()


def _file_identity(path: str) -> tuple | None:
    """(device, inode) of a file, None when it is missing; a replaced file gets a new identity."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)
