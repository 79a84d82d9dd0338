"""The service's interpreter forked from a zygote: a long-running child with stdin/stdout pipes to the host.

A plugin call only needs its exit status (fake_kodi/host/zygote.py); the service's driver
(service_driver.py) talks to its child over stdin/stdout in JSON lines and drives it with Popen's
poll/kill/wait. Here the child's stdin/stdout are two FIFOs in a private temporary folder, opened
by both sides and then unlinked, and ZygoteProcess gives that Popen surface over the zygote's
reports. The zygote stays with the service until it ends, then goes back to the pool.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
import time
from typing import Any

from fake_kodi.host.zygote import (
    POOL,
    STARTUP_TIMEOUT,
    Zygote,
    ZygotePool,
    ZygoteUnavailable,
    current_cwd,
    current_umask,
    kill_pid,
    startup_key,
)


class ZygoteProcess:
    """A child forked for a long-running interpreter, with the part of Popen's surface the service driver uses."""

    def __init__(self, zygote: Zygote, pid: int, stdin: Any, stdout: Any):
        self.zygote = zygote
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.returncode: int | None = None
        self.on_end: Any = None

    def poll(self) -> int | None:
        """The returncode once the child ended, else None (never blocks)."""
        if self.returncode is None:
            self._collect(0.0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the end; subprocess.TimeoutExpired as Popen.wait raises it."""
        if self.returncode is None:
            self._collect(timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"zygote child {self.pid}", timeout or 0.0)
        return self.returncode

    def kill(self) -> None:
        # Until the zygote reported the end the child is not reaped, so the pid is still ours.
        if self.poll() is None:
            kill_pid(self.pid)

    def _collect(self, timeout: float | None) -> None:
        ended = self.zygote.read_message(timeout)
        if ended is None:
            if self.zygote.alive():
                return
            # The zygote died: the child is orphaned; end it too and report it killed.
            kill_pid(self.pid)
            ended = {"status": 9}
        self.returncode = os.waitstatus_to_exitcode(int(ended["status"]))
        if self.on_end is not None:
            self.on_end()


def _spawn(
    zygote: Zygote, spec: dict[str, Any], env: dict[str, str], cwd: str, stderr_path: str, argv: list[str]
) -> ZygoteProcess:
    """Fork `spec` with FIFOs for stdin/stdout; the FIFOs are gone (unlinked) once both ends are open."""
    folder = tempfile.mkdtemp(prefix="fake-kodi-stdio-")
    try:
        stdin_path, stdout_path = os.path.join(folder, "stdin"), os.path.join(folder, "stdout")
        os.mkfifo(stdin_path, 0o600)
        os.mkfifo(stdout_path, 0o600)
        # Opened before the child exists, so its blocking open of the write end returns at once.
        reader = os.open(stdout_path, os.O_RDONLY | os.O_NONBLOCK)
        request = {
            "spec": spec,
            "env": env,
            "cwd": cwd,
            "umask": current_umask(),
            "stderr_path": stderr_path,
            "argv": argv,
            "stdio": {"stdin": stdin_path, "stdout": stdout_path},
        }
        try:
            pid = zygote.start(request, timeout=0.0)
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while True:
                try:
                    writer = os.open(stdin_path, os.O_WRONLY | os.O_NONBLOCK)
                    break
                except OSError as exc:
                    if exc.errno != errno.ENXIO:  # ENXIO: the child has not opened its end yet
                        raise
                ended = zygote.read_message(0.002)
                if ended is not None or not zygote.alive():
                    raise ZygoteUnavailable(f"the child {pid} ended before it opened its stdin: {ended!r}")
                if time.monotonic() > deadline:
                    kill_pid(pid)
                    raise ZygoteUnavailable(f"the child {pid} did not open its stdin")
        except BaseException:
            os.close(reader)
            raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    os.set_blocking(reader, True)
    os.set_blocking(writer, True)
    stdin = open(writer, "w", encoding="utf-8")  # noqa: SIM115 - owned by the process object, as Popen's are
    stdout = open(reader, encoding="utf-8")  # noqa: SIM115
    return ZygoteProcess(zygote, pid, stdin, stdout)


def spawn(
    spec: dict[str, Any], env: dict[str, str], stderr_path: str, argv: list[str], pool: ZygotePool = POOL
) -> ZygoteProcess:
    """Fork a long-running child (the service) whose stdin/stdout are pipes to this process.

    The zygote stays with the child until it ends (wait() gives it back to the pool).
    ZygoteUnavailable when no zygote could fork it (nothing of it ran).
    """
    cwd = current_cwd()
    key = startup_key(env, cwd)
    for _attempt in range(2):
        zygote = pool.take(key, env, cwd)
        try:
            process = _spawn(zygote, spec, env, cwd, stderr_path, argv)
        except ZygoteUnavailable:
            zygote.close()
            continue
        process.on_end = lambda zygote=zygote: pool.give_back(key, zygote)
        pool.count_call()
        return process
    raise ZygoteUnavailable("two zygotes in a row could not fork the process")
