"""Drive an add-on's service from the test: start its interpreter, grant virtual time, send events, abort.

The parent side of a service run; the child side and the JSON-lines protocol between the two
are in fake_kodi/addon_side/service_mode.py.
"""

from __future__ import annotations

import json
import math
import queue
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fake_kodi.addon_side.session import FakeKodiError
from fake_kodi.home.clock import VirtualClock, clock_path
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.host import zygote, zygote_process
from fake_kodi.host.plugin_runner import child_command, child_env, installed_manifest
from fake_kodi.host.results import ABORT_LIMIT_MS, ServiceResult

EVENT_KINDS = ("wake", "sleep", "screensaver_on", "screensaver_off", "notify", "setting", "abort")


class ServiceError(FakeKodiError):
    """The service could not be started or controlled (not installed, no service, child died)."""


def parse_event(text: str) -> tuple[float, str, str | None]:
    """Parse the CLI form `T:KIND[:ARG]` (e.g. `600:wake`, `30:setting:interval=5`)."""
    at, _sep, rest = text.partition(":")
    kind, _sep, arg = rest.partition(":")
    try:
        seconds = float(at)
    except ValueError:
        raise ValueError(f"event {text!r}: T must be a number of virtual seconds") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"event {text!r}: T must be a finite number of virtual seconds >= 0")
    if kind not in EVENT_KINDS:
        raise ValueError(f"event {text!r}: unknown kind {kind!r}; known: {', '.join(EVENT_KINDS)}")
    if kind in ("notify", "setting") and not arg:
        raise ValueError(
            f"event {text!r}: {kind} needs an argument ({kind}:{'METHOD' if kind == 'notify' else 'ID=VALUE'})"
        )
    if kind == "setting" and "=" not in arg:
        raise ValueError(f"event {text!r}: setting takes ID=VALUE")
    return seconds, kind, arg or None


class ServiceProcess:
    """A running service child that the test drives: advance time, send events, abort."""

    def __init__(
        self,
        home: KodiHome | str | Path,
        addon_id: str,
        *,
        debug_log: bool = False,
        start_epoch: float | None = None,
        reply_timeout: float = 60.0,
        abort_grace: float = 2.0,
    ):
        self.home = home if isinstance(home, KodiHome) else KodiHome(home)
        self.addon_id = addon_id
        self.debug_log = debug_log
        self.start_epoch = start_epoch
        self.reply_timeout = reply_timeout
        self.abort_grace = abort_grace
        self.now: float | None = None
        self.state: str = "new"
        self.result: ServiceResult | None = None
        # A subprocess.Popen, or a zygote_process.ZygoteProcess (the same surface) when forked from a zygote.
        self._proc: Any = None
        self._replies: queue.Queue = queue.Queue()

    # lifecycle ----------------------------------------------------------------------------
    def start(self) -> dict[str, Any]:
        """Start the service; returns its first state (idle in its first wait, or done)."""
        manifest = installed_manifest(self.home, self.addon_id)
        if not manifest.service_library:
            raise ServiceError(f"add-on {self.addon_id} has no service (no xbmc.service extension)")
        clock = VirtualClock(clock_path(self.home.state_dir), start=self.start_epoch)
        self.now = clock.now()
        spec = {
            "mode": "service",
            "home": str(self.home.root),
            "kodi_version": self.home.kodi_version,
            "addon_id": self.addon_id,
            "handle": -1,
            "debug_log": self.debug_log,
            "clock": "virtual",
            "strict": False,  # a service has no user to script; dialogs are cancelled and recorded
        }
        spec_path = self.home.state_dir / f"service-{self.addon_id}.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        stderr_path = self.home.state_dir / f"service-{self.addon_id}.stderr"
        env = child_env()
        self._proc = None
        if zygote.zygote_enabled(env):
            zygote.compile_runtime()
            try:
                # The same interpreter as below, forked from a zygote (fake_kodi/host/zygote.py).
                self._proc = zygote_process.spawn(spec, env, str(stderr_path), [str(spec_path)])
            except zygote.ZygoteUnavailable:
                self._proc = None
        if self._proc is None:
            with open(stderr_path, "w", encoding="utf-8") as stderr:
                self._proc = subprocess.Popen(
                    [*child_command()[:-1], str(spec_path)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=stderr,
                    text=True,
                    env=env,
                )
        threading.Thread(target=self._read_replies, daemon=True).start()
        return self._expect(self.reply_timeout)

    def _read_replies(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.strip():
                self._replies.put(json.loads(line))
        self._replies.put(None)

    def _send(self, command: dict[str, Any]) -> None:
        if self._proc is None or self.state == "done":
            raise ServiceError(
                f"service {self.addon_id} is not running (state {self.state}){self._why_done()}"
            )
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(command) + "\n")
        self._proc.stdin.flush()

    def _why_done(self) -> str:
        """How the service ended, for an error about driving it afterwards (its exception, its log's end)."""
        if self.result is None:
            return ""
        ended = self.result.exception or {}
        how = f"{ended.get('type')}: {ended.get('message')}" if ended else "its script returned"
        if not self.result.ended_before_abort:
            how += " after an abort"
        tail = " | ".join(str(line) for line in self.result.log[-3:])
        return f": {how}; last log lines: {tail or 'none'}"

    def _expect(self, timeout: float) -> dict[str, Any]:
        try:
            reply = self._replies.get(timeout=timeout)
        except queue.Empty:
            raise ServiceError(
                f"service {self.addon_id} did not reach a wait within {timeout:g} s of real time "
                "(busy without waiting?)"
            ) from None
        if reply is None:
            self.state = "done"
            stderr = (self.home.state_dir / f"service-{self.addon_id}.stderr").read_text(errors="replace")
            last = stderr.strip().splitlines()[-1:] or ["no output"]
            raise ServiceError(f"service {self.addon_id} interpreter died: {last[0]}")
        self.state = reply["state"]
        if reply["state"] == "idle":
            self.now = float(reply["now"])
        else:
            self.result = self._result(reply)
            self.now = self.result.virtual_end
        return reply

    @staticmethod
    def _result(reply: dict[str, Any]) -> ServiceResult:
        records = reply.get("records", [])
        return ServiceResult(
            returned=bool(reply.get("returned")),
            abort_latency_ms=reply.get("abort_latency_ms"),
            log=reply.get("log", []),
            exception=reply.get("exception"),
            virtual_end=float(reply.get("virtual_end", 0.0)),
            virtual_start=float(reply.get("virtual_start", 0.0)),
            killed=bool(reply.get("killed")),
            ended_before_abort=not reply.get("aborted"),
            notifications=[payload for kind, payload in records if kind == "notification"],
            builtins=[payload for kind, payload in records if kind == "builtin"],
            dialogs=reply.get("dialogs", []),
            callbacks=reply.get("callbacks", []),
        )

    # driving --------------------------------------------------------------------------------
    def advance(self, seconds: float, wait: bool = True) -> dict[str, Any]:
        """Grant `seconds` of virtual time; returns when the service waits at the new deadline (or ended).

        `wait=False` returns at once (state "running"): for a service that goes busy and must
        then be stopped with abort_now().
        """
        if seconds < 0:
            raise ValueError(f"cannot advance a service by a negative time ({seconds})")
        if self.state == "done":
            return {"state": "done", "now": self.now}
        self._send({"cmd": "advance", "until": float(self.now or 0.0) + seconds})
        if not wait:
            self.state = "running"
            return {"state": "running", "now": self.now}
        return self._expect(self.reply_timeout)

    def schedule(self, after: float, kind: str, arg: str | None = None) -> None:
        """Deliver an event `after` virtual seconds from now (when the clock gets there)."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown service event {kind!r}; known: {', '.join(EVENT_KINDS)}")
        self._send({"cmd": "event", "at": float(self.now or 0.0) + after, "kind": kind, "arg": arg})

    def notify(self, method: str, data: str = "null") -> dict[str, Any]:
        """onNotification('xbmc', method, data) now (e.g. 'System.OnWake')."""
        self.schedule(0.0, "notify", f"{method}:{data}")
        return self.advance(0.0)

    def wake(self) -> dict[str, Any]:
        """System.OnWake now."""
        return self.notify("System.OnWake")

    def screensaver(self, active: bool) -> dict[str, Any]:
        """onScreensaverActivated/Deactivated now."""
        self.schedule(0.0, "screensaver_on" if active else "screensaver_off")
        return self.advance(0.0)

    def set_setting(self, setting_id: str, value: str) -> dict[str, Any]:
        """Change a setting as the user would: file written, first live Addon() reloaded, onSettingsChanged."""
        self.schedule(0.0, "setting", f"{setting_id}={value}")
        return self.advance(0.0)

    def abort(self) -> ServiceResult:
        """Kodi quits: System.OnQuit, then abort; waits for the script to return (killed after 5 s)."""
        return self._finish({"cmd": "abort"})

    def abort_now(self) -> ServiceResult:
        """Abort at once in real time, even while the service is busy between waits."""
        return self._finish({"cmd": "abort_now"})

    def _finish(self, command: dict[str, Any]) -> ServiceResult:
        if self.state != "done":
            self._send(command)
            try:
                self._expect(ABORT_LIMIT_MS / 1000.0 + self.abort_grace)
            except ServiceError:
                self.close()
                self.result = ServiceResult(
                    returned=False,
                    abort_latency_ms=None,
                    killed=True,
                    log=[f"fake_kodi: service {self.addon_id} didn't stop in 5 seconds - killed"],
                )
                self.state = "done"
        self.close()
        assert self.result is not None
        return self.result

    def close(self) -> None:
        """Stop the child if it is still running (idempotent)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=10)
        if self._proc is not None and self._proc.stdin is not None and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except OSError:
                pass

    def __enter__(self) -> ServiceProcess:
        if self.state == "new":
            self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.state != "done":
            self.abort()
        self.close()


def run_service(
    home: KodiHome | str | Path,
    addon_id: str,
    virtual_seconds: float,
    events: Iterable[tuple[float, str, str | None] | str] = (),
    *,
    debug_log: bool = False,
    start_epoch: float | None = None,
) -> ServiceResult:
    """Start the service, deliver `events` at their virtual times, run `virtual_seconds`, then abort."""
    parsed = [parse_event(event) if isinstance(event, str) else event for event in events]
    service = ServiceProcess(home, addon_id, debug_log=debug_log, start_epoch=start_epoch)
    try:
        service.start()
        if service.state != "done":
            for at, kind, arg in sorted(parsed, key=lambda event: event[0]):
                service.schedule(at, kind, arg)
            service.advance(virtual_seconds)
        return service.abort()
    finally:
        service.close()
