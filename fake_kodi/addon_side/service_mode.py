"""The child side of a service run: the service's waits on the virtual clock the test drives.

Parent (`ServiceProcess`, fake_kodi/host/service_driver.py, on the test side) and child
(`run_service_child`, the service mode of `python -m fake_kodi.addon_side.bootstrap`) talk over the child's stdin/stdout in JSON lines:
  parent -> child  {"cmd": "advance", "until": T}   grant virtual time up to epoch T
                   {"cmd": "event", "at": T, "kind": K, "arg": A}   deliver when the clock reaches T
                   {"cmd": "abort"}       Kodi quits: System.OnQuit, then abort (virtual time)
                   {"cmd": "abort_now"}   abort at once, even while the service is busy
  child -> parent  {"state": "idle", "now": T}      blocked in a wait at the granted deadline
                   {"state": "done", ...}           the service script ended (see ServiceResult)
Virtual time moves only inside the service's waits (Monitor.waitForAbort, xbmc.sleep, time.sleep)
and never past the deadline; events, settings saves and NotifyAll messages from other processes
(the event journal) are delivered there, on the service's own thread, as in Kodi. The service
shares its time when a wait returns; when a plugin call's wait moved the clock file further
meanwhile, the file keeps the later time (fake_kodi/home/clock.py).
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

from fake_kodi.addon_side.interpreter import build_runtime, enter_addon, error_dict, run_script
from fake_kodi.home import bytecode_store
from fake_kodi.home.clock import VirtualClock, clock_path
from fake_kodi.home.kodi_home import KodiHome

ABORT_LIMIT_MS = 5000.0  # Kodi kills a service that has not returned 5 s after abort.
NOTIFY_SHORTCUTS = {"wake": "System.OnWake", "sleep": "System.OnSleep"}
QUIT_NOTIFICATION = ("xbmc", "System.OnQuit", '{"exitcode":0}')
JOURNAL_POLL_SECONDS = 0.05  # how often a busy-waiting service looks for other processes' events


class ServiceTime:
    """The TimeSource of a service child: waits advance the virtual clock within granted deadlines."""

    def __init__(self, clock: VirtualClock, channel: Any, commands: queue.Queue):
        self.clock = clock
        self.channel = channel
        self.commands = commands
        self.deadline = clock.now()
        self.events: list[tuple[float, int, str, str | None]] = []
        self.runtime: Any = None
        self.aborted = False
        self.abort_started: float | None = None
        self.post_abort_virtual = 0.0
        self.killed = False
        self.callbacks: list[dict[str, Any]] = []
        self._seq = 0
        self._delivering = False
        self._quit_pending = False
        self._journal_check_at = 0.0
        self._saved_epoch: float | None = None
        # The file is written when someone else may read it (a wait returns, idle, callbacks,
        # done), not at every step inside a wait.
        clock.persist = False

    def now(self) -> float:
        return self.clock.now()

    def abort_requested(self) -> bool:
        return self.aborted

    def wait(self, seconds: float | None, abortable: bool) -> bool:
        """One Kodi wait: True when abort was requested (waitForAbort), else False once time is up."""
        if not abortable and (seconds is None or seconds <= 0):
            return False
        if threading.current_thread() is not threading.main_thread():
            return self._wait_off_thread(seconds, abortable)
        end = float("inf") if seconds is None or seconds <= 0 else self.clock.now() + seconds
        while True:
            self._take_commands(block=False)
            self._deliver_due()
            if abortable and self.aborted:
                self._save_clock()
                return True
            now = self.clock.now()
            if now >= end:
                # The service works now: a process it talks to (the Trakt simulator) reads this time.
                self._save_clock()
                return False
            if self.aborted:
                self._sleep_after_abort(end - now)
                continue
            target = min(end, self.deadline, self.events[0][0] if self.events else end)
            if target > now:
                self.clock.set(target)
                continue
            self._save_clock()
            self.send({"state": "idle", "now": now})
            self._take_commands(block=True)
            self._journal_check_at = 0.0  # others may have written while we were idle

    def _save_clock(self) -> None:
        if self.clock.now() != self._saved_epoch:
            self.clock.save()
            self._saved_epoch = self.clock.now()

    def _wait_off_thread(self, seconds: float | None, abortable: bool) -> bool:
        # Only the service's main thread drives the clock; other threads follow it.
        end = float("inf") if seconds is None or seconds <= 0 else self.clock.now() + seconds
        while not (abortable and self.aborted) and self.clock.now() < end:
            if self.aborted and not abortable:
                break
            _REAL_SLEEP(0.005)
        return abortable and self.aborted

    def _sleep_after_abort(self, seconds: float) -> None:
        # After abort nobody grants time: a sleep now costs Kodi real time, so it counts toward
        # the 5 s Kodi allows before it kills the script (with SystemExit, as Kodi does).
        self.post_abort_virtual += seconds
        self.clock.set(self.clock.now() + seconds)
        if self.abort_latency_ms() > ABORT_LIMIT_MS and not self.killed:
            self.killed = True
            raise SystemExit("fake_kodi: script didn't stop in 5 seconds - let's kill it")

    def abort_latency_ms(self) -> float:
        """Real time since abort plus virtual time slept after it."""
        if self.abort_started is None:
            return 0.0
        return (time.perf_counter() - self.abort_started + self.post_abort_virtual) * 1000.0

    def send(self, message: dict[str, Any]) -> None:
        self.channel.write(json.dumps(message, default=repr) + "\n")
        self.channel.flush()

    def _take_commands(self, block: bool) -> None:
        """Apply queued commands; with block=True wait until one resumes the service (advance/abort)."""
        while True:
            try:
                command = self.commands.get(block=block)
            except queue.Empty:
                return
            name = command.get("cmd")
            # Scheduling an event gets no reply: keep waiting for the command that resumes us.
            block = block and name == "event"
            if name == "advance":
                self.deadline = max(self.deadline, float(command["until"]))
            elif name == "event":
                self._seq += 1
                self.events.append((float(command["at"]), self._seq, command["kind"], command.get("arg")))
                self.events.sort()
            elif name in ("abort", "abort_now"):
                self.begin_abort()
            elif name == "eof":
                self.begin_abort()

    def begin_abort(self) -> None:
        """Kodi quits: System.OnQuit reaches the monitors, then abort is set."""
        if self.abort_started is None:
            self.abort_started = time.perf_counter()
            self._quit_pending = True

    def _deliver_due(self) -> None:
        if self._delivering:
            return  # a callback that waits must not re-enter the delivery
        self._delivering = True
        try:
            if self._quit_pending:
                self._quit_pending = False
                self._call_monitors("onNotification", *QUIT_NOTIFICATION)
                self.aborted = True
            while self.events and self.events[0][0] <= self.clock.now():
                _at, _seq, kind, arg = self.events.pop(0)
                self._deliver_event(kind, arg)
            if self.runtime.journal.dirty or time.monotonic() >= self._journal_check_at:
                self._journal_check_at = time.monotonic() + JOURNAL_POLL_SECONDS
                self._deliver_journal()
        finally:
            self._delivering = False

    def _deliver_event(self, kind: str, arg: str | None) -> None:
        runtime = self.runtime
        if kind in NOTIFY_SHORTCUTS:
            self._call_monitors("onNotification", "xbmc", NOTIFY_SHORTCUTS[kind], "null")
        elif kind == "notify":
            method, _sep, data = (arg or "").partition(":")
            self._call_monitors("onNotification", "xbmc", method, data or "null")
        elif kind in ("screensaver_on", "screensaver_off"):
            runtime.screensaver_active = kind == "screensaver_on"
            self._call_monitors(
                "onScreensaverActivated" if runtime.screensaver_active else "onScreensaverDeactivated"
            )
        elif kind == "setting":
            from fake_kodi.home.settings import AddonSettings

            setting_id, _sep, value = (arg or "").partition("=")
            # The file is written first (and the first live Addon() reloaded) by the runtime's
            # save hook; the journal entry it appends brings onSettingsChanged just below.
            AddonSettings(runtime.home, runtime.manifest, on_saved=runtime.on_settings_saved).setSetting(
                setting_id, value
            )
        elif kind == "abort":
            self.begin_abort()
            self._quit_pending = False
            self._call_monitors("onNotification", *QUIT_NOTIFICATION)
            self.aborted = True

    def _deliver_journal(self) -> None:
        runtime = self.runtime
        for event in runtime.journal.read_new():
            if event.get("type") == "notify":
                self._call_monitors("onNotification", event["sender"], event["method"], event["data"])
            elif event.get("type") == "settings_saved" and event.get("addon_id") == runtime.addon_id:
                if event.get("pid") != os.getpid():
                    first = runtime.first_live_settings(runtime.addon_id)
                    if first is not None:
                        first.reload()
                self._call_monitors("onSettingsChanged")

    def _call_monitors(self, name: str, *args: Any) -> None:
        import traceback

        self._save_clock()  # a callback may start something that reads the home's time
        self.callbacks.append({"at": self.clock.now(), "callback": name, "args": list(args)})
        for monitor in self.runtime.live_monitors():
            try:
                getattr(monitor, name)(*args)
            except Exception as exc:  # noqa: BLE001 - Kodi logs a failing callback and goes on
                self.runtime.log_exception(
                    "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                )


_REAL_SLEEP = time.sleep


def _read_commands(stream: Any, commands: queue.Queue, service_time: ServiceTime) -> None:
    """Reader thread: queue the parent's commands; abort_now takes effect at once."""
    for line in stream:
        if not line.strip():
            continue
        command = json.loads(line)
        if command.get("cmd") == "abort_now":
            service_time.begin_abort()
            service_time.aborted = True
        commands.put(command)
    commands.put({"cmd": "eof"})


def run_service_child(spec: dict[str, Any]) -> int:
    """Service mode of the bootstrap: run the service library with sys.argv == ['']."""
    # The channel keeps the real stdin/stdout; the add-on's print() goes to the Kodi log instead.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    command_stream = os.fdopen(os.dup(0), "r", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    home = KodiHome(spec["home"], int(spec.get("kodi_version", 20)))
    clock = VirtualClock(clock_path(home.state_dir))
    commands: queue.Queue = queue.Queue()
    service_time = ServiceTime(clock, channel, commands)
    runtime = build_runtime(spec, home, service_time)
    service_time.runtime = runtime
    runtime.journal.skip_to_end()
    threading.Thread(
        target=_read_commands, args=(command_stream, commands, service_time), daemon=True
    ).start()
    virtual_start = clock.now()
    compiled_since = None
    try:
        manifest = runtime.manifest
        if not manifest.service_library:
            raise RuntimeError(f"add-on {manifest.id} has no xbmc.service extension")
        script = Path(manifest.path) / manifest.service_library
        compiled_since = bytecode_store.harvest_mark(home.state_dir)
        enter_addon(runtime, True, [""], script=script)
        error = run_script(runtime, script)
    except Exception as exc:  # noqa: BLE001 - reported to the parent like an add-on error
        error = error_dict(exc)
    killed = service_time.killed
    clock.save()
    service_time.send(
        {
            "state": "done",
            "returned": not killed,
            "killed": killed,
            "aborted": service_time.abort_started is not None,
            "abort_latency_ms": service_time.abort_latency_ms()
            if service_time.abort_started is not None
            else None,
            "exception": None if killed else error,
            "log": runtime.log_lines,
            "virtual_start": virtual_start,
            "virtual_end": clock.now(),
            "records": runtime.records,
            "dialogs": runtime.dialogs.shown,
            "callbacks": service_time.callbacks,
        }
    )
    if compiled_since is not None:
        bytecode_store.harvest(sys.modules.values(), home.addons_dir, compiled_since)
    os._exit(0)  # threads the service left behind must not keep the process alive
