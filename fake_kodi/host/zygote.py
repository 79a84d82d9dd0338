"""Start add-on interpreters by forking a pre-imported zygote instead of starting Python each call (issue 18).

A call still gets a fresh interpreter in every way an add-on can see: the zygote
(fake_kodi/addon_side/zygote.py) is `python -m fake_kodi.addon_side.bootstrap` stopped before it
reads a spec, with the fake runtime imported and nothing of any add-on; each call is a fork of it
in which the bootstrap goes on with the call's spec, environment, cwd and umask. What is saved is
the interpreter start and the runtime's imports.

One pool per host process holds the zygotes, keyed by what fixes an interpreter at its start (the
executable, the cwd, the PYTHON*, locale, loader and malloc variables, HOME and TZ; the whole
environment while LD_PRELOAD is set): a call whose key differs gets its own zygote, started
lazily. Every other variable reaches the call as it is when the call starts. A zygote serves one
call at a time, so concurrent calls each take one. A zygote that died is replaced; it exits when
its stdin closes, i.e. with the host process. The service, a long-running child with pipes to the
host, is forked through zygote_process.py.

Add-on interpreters run optimised (PYTHONOPTIMIZE=1) and write bytecode caches, as Kodi's do
(plugin_runner.child_env). `compile_runtime()` writes the caches of the fake xbmc* modules
(kodi_api/) and the runtime modules a call imports lazily once per host process, at the add-on's
optimisation level, as `pip install` does for an installed package, so that no call compiles the
harness's own code. The add-on's files are compiled by the call that first imports them and cached
in its folder, as in Kodi.

`FAKE_KODI_ZYGOTE=0` (or off/false/no) switches it off: every call starts `python -m
fake_kodi.addon_side.bootstrap -` as before. Without os.fork (Windows) that is the only way.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ZYGOTE_ENV = "FAKE_KODI_ZYGOTE"
OFF_VALUES = ("0", "off", "false", "no")
STARTUP_TIMEOUT = 60.0
# How long past the call's own timeout the host waits for the zygote before giving up on it.
REPLY_GRACE = 10.0
MAX_ZYGOTES = 8
# Read by the interpreter or the C library as the process starts (encodings, locale, user site,
# time zone, loader, malloc), so a zygote started with other values could not give a call the
# interpreter it would have had.
STARTUP_VARIABLES = ("LANG", "LANGUAGE", "HOME", "TZ", "GLIBC_TUNABLES")
# The interpreter's own variables, the locale's, the dynamic loader's and glibc malloc's.
STARTUP_PREFIXES = ("PYTHON", "LC_", "LD_", "MALLOC_")


class ZygoteUnavailable(Exception):
    """No zygote could take the call; nothing of it ran (the caller starts a plain interpreter)."""


class ZygoteLost(Exception):
    """The zygote died while the call ran; the call's outcome is unknown."""


class ChildTimedOut(Exception):
    """The call outlived its timeout and was killed."""


@dataclass
class ChildExit:
    """How a child interpreter ended: returncode as subprocess gives it (negative = signal)."""

    returncode: int
    pid: int


def zygote_enabled(env: dict[str, str] | None = None) -> bool:
    """True when calls go through a zygote: os.fork exists and FAKE_KODI_ZYGOTE does not switch it off."""
    env = os.environ if env is None else env
    if not hasattr(os, "fork") or os.name != "posix":
        return False
    return env.get(ZYGOTE_ENV, "1").strip().lower() not in OFF_VALUES


_compiled = threading.Event()
# Levels the runtime is compiled at: the host's own, and Kodi's for add-ons (PYTHONOPTIMIZE=1).
ADDON_OPTIMIZE = sorted({sys.flags.optimize, 1})
# The harness's own code that add-on interpreters import: the fake xbmc* modules and the runtime.
RUNTIME_DIRS = (
    Path(__file__).resolve().parents[1] / "addon_side",
    Path(__file__).resolve().parents[1] / "home",
)


def compile_runtime() -> None:
    """Write bytecode caches for the runtime's modules (once per process; up-to-date ones are kept)."""
    if _compiled.is_set():
        return
    import compileall

    for folder in RUNTIME_DIRS:
        # A read-only install (site-packages owned by root) has its caches from pip already, or
        # none: either way the call works, only slower.
        if os.access(folder, os.W_OK):
            compileall.compile_dir(str(folder), quiet=2, workers=1, optimize=ADDON_OPTIMIZE)
    _compiled.set()


def startup_key(env: dict[str, str], cwd: str) -> tuple[Any, ...]:
    """What a zygote must share with a call for the call to see the interpreter it would have started."""
    if env.get("LD_PRELOAD") or env.get("LD_AUDIT"):
        # A preloaded library may read any variable once, as it loads (the shifted-clock lane's
        # wallshift reads WALLSHIFT_SECONDS): only a zygote started with the same environment will do.
        fixed = sorted(env.items())
    else:
        fixed = sorted(
            (name, value)
            for name, value in env.items()
            if name.startswith(STARTUP_PREFIXES) or name in STARTUP_VARIABLES
        )
    return (sys.executable, cwd, tuple(fixed))


def current_umask() -> int:
    """The process umask, read without changing it where the OS says it (a set-and-restore races with threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Zygote:
    """One zygote process and its two pipes."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: str):
        # stderr is discarded: the zygote reports its own errors over the reply pipe, and each
        # child writes its stderr to a file of its own.
        try:
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
            )
        except OSError as exc:
            raise ZygoteUnavailable(f"the zygote could not start: {exc}") from None
        self._buffer = b""
        ready = self.read_message(STARTUP_TIMEOUT)
        if ready is None or "ready" not in ready:
            self.close()
            raise ZygoteUnavailable(f"the zygote did not start: {ready!r}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, request: dict[str, Any], timeout: float) -> ChildExit:
        """Run one request; ChildExit, or ZygoteUnavailable/ZygoteLost/ChildTimedOut."""
        pid = self.start(request, timeout)
        ended = self.read_message(timeout + REPLY_GRACE)
        if ended is None:
            # The zygote died or hangs: the child must not outlive the call either way.
            kill_pid(pid)
            self.close()
            raise ZygoteLost(f"the zygote died while pid {pid} ran")
        if ended.get("timed_out"):
            raise ChildTimedOut(f"pid {pid} did not finish within {timeout:g} s")
        return ChildExit(returncode=os.waitstatus_to_exitcode(int(ended["status"])), pid=pid)

    def start(self, request: dict[str, Any], timeout: float) -> int:
        """Send a request; the forked child's pid (ZygoteUnavailable when it could not fork)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps({**request, "timeout": timeout}) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ZygoteUnavailable(f"the zygote is gone: {exc}") from None
        started = self.read_message(STARTUP_TIMEOUT)
        if started is None or "pid" not in started:
            raise ZygoteUnavailable(f"the zygote did not fork: {started!r}")
        return int(started["pid"])

    def read_message(self, timeout: float | None) -> dict[str, Any] | None:
        """The next message; None on EOF or when none came within `timeout` seconds (None: no limit)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        # poll, not select: a long test session can hold more than FD_SETSIZE (1024) descriptors.
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not poller.poll(None if left is None else left * 1000.0):
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def close(self) -> None:
        """Close its stdin (it exits, killing a running child) and reap it."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def current_cwd() -> str:
    """This process's cwd; ZygoteUnavailable when it was deleted (a plain child still starts there)."""
    try:
        return os.getcwd()
    except OSError as exc:
        raise ZygoteUnavailable(f"no usable cwd: {exc}") from None


def kill_pid(pid: int) -> None:
    """SIGKILL `pid` if it still exists."""
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass


class ZygotePool:
    """The zygotes of this host process: idle ones per startup key, at most MAX_ZYGOTES in all."""

    def __init__(self, command: list[str]):
        self.command = command
        self._lock = threading.Lock()
        self._idle: list[tuple[tuple[Any, ...], Zygote]] = []
        self.started = 0  # zygotes started so far (tests read it to see a restart)
        self.calls = 0  # calls a zygote ran (tests and benchmarks read it: no silent fallback)

    def run(self, spec: dict[str, Any], env: dict[str, str], timeout: float, stderr_path: str) -> ChildExit:
        """Fork a child for `spec` with `env`, this process's cwd and umask; restarts a dead zygote once."""
        cwd = current_cwd()
        key = startup_key(env, cwd)
        request = {"spec": spec, "env": env, "cwd": cwd, "umask": current_umask(), "stderr_path": stderr_path}
        for _attempt in range(2):
            zygote = self.take(key, env, cwd)
            try:
                result = zygote.call(request, timeout)
            except ZygoteUnavailable:
                zygote.close()
                continue
            except ZygoteLost:
                raise
            except ChildTimedOut:
                self.give_back(key, zygote)
                raise
            self.give_back(key, zygote)
            self.count_call()
            return result
        raise ZygoteUnavailable("two zygotes in a row could not take the call")

    def take(self, key: tuple[Any, ...], env: dict[str, str], cwd: str) -> Zygote:
        """An idle zygote for `key`, or a new one (ZygoteUnavailable when it cannot start)."""
        with self._lock:
            for index in range(len(self._idle) - 1, -1, -1):
                idle_key, zygote = self._idle[index]
                if idle_key == key:
                    del self._idle[index]
                    if zygote.alive():
                        return zygote
                    zygote.close()
            self.started += 1
        return Zygote(self.command, env, cwd)

    def give_back(self, key: tuple[Any, ...], zygote: Zygote) -> None:
        """Return a zygote after its call (a dead one is dropped; beyond MAX_ZYGOTES the oldest go)."""
        if not zygote.alive():
            zygote.close()
            return
        with self._lock:
            self._idle.append((key, zygote))
            surplus = self._idle[: max(0, len(self._idle) - MAX_ZYGOTES)]
            del self._idle[: len(surplus)]
        for _key, old in surplus:
            old.close()

    def count_call(self) -> None:
        """One more call run by a zygote."""
        with self._lock:
            self.calls += 1

    def idle_pids(self) -> list[int]:
        """Pids of the idle zygotes (for tests and diagnostics)."""
        with self._lock:
            return [zygote.pid for _key, zygote in self._idle]

    def close(self) -> None:
        """Stop every idle zygote (at exit; a busy one stops when its call's host side closes it)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for _key, zygote in idle:
            zygote.close()

    def forget(self) -> None:
        """In a forked copy of the host: the zygotes belong to the parent, so drop them unclosed."""
        self._lock = threading.Lock()
        self._idle = []


POOL = ZygotePool([sys.executable, "-m", "fake_kodi.addon_side.bootstrap", "--zygote"])
atexit.register(POOL.close)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=POOL.forget)
