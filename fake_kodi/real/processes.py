"""Start and stop Xvfb and kodi.bin as children of this process (one process tree, killed by pid)."""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path

XVFB_SCREEN = "1280x720x24"


class KodiStartError(RuntimeError):
    """Xvfb or Kodi did not come up; the message says which and why."""


def start_xvfb(
    xvfb_bin: Path, log_path: Path, fbdir: Path, timeout: float = 20.0
) -> tuple[subprocess.Popen, int]:
    """Start Xvfb on a display number it picks itself (-displayfd) and return (process, display).

    `-fbdir` keeps the screen in a file too, so screenshots need neither Kodi nor an X client.
    """
    fbdir.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    log = log_path.open("wb")
    try:
        process = subprocess.Popen(
            [
                str(xvfb_bin),
                *("-displayfd", str(write_end), "-nolisten", "tcp"),
                *("-screen", "0", XVFB_SCREEN, "-fbdir", str(fbdir)),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(write_end,),
            env={"PATH": "/usr/bin:/bin"},
            start_new_session=True,
        )
    finally:
        os.close(write_end)
        log.close()
    try:
        display = _read_display(read_end, process, timeout)
    except KodiStartError:
        stop_process(process, grace=2.0)
        raise
    finally:
        os.close(read_end)
    return process, display


def _read_display(read_end: int, process: subprocess.Popen, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    text = b""
    while not text.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise KodiStartError(f"Xvfb gave no display number within {timeout:.0f} s")
        ready, _, _ = select.select([read_end], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_end, 64)
        if not chunk:
            raise KodiStartError(f"Xvfb exited ({process.poll()}) before giving a display number")
        text += chunk
    return int(text.strip())


# Kept from the caller's environment: the shifted-clock lane moves Kodi's wall clock with a preload library.
CLOCK_SHIFT_VARIABLES = ("LD_PRELOAD", "WALLSHIFT_SECONDS")


def kodi_environment(home: Path, display: int) -> dict[str, str]:
    """A clean environment: Kodi's embedded Python would otherwise take sys.path from a pyenv on PATH."""
    shifted = bool(os.environ.get("WALLSHIFT_SECONDS"))
    kept = {name: os.environ[name] for name in CLOCK_SHIFT_VARIABLES if shifted and name in os.environ}
    return {
        **kept,
        "HOME": str(home),
        "DISPLAY": f":{display}",
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        # The two settings Debian's /usr/bin/kodi wrapper exports before exec'ing kodi.bin.
        "__GL_YIELD": "USLEEP",
        "MALLOC_MMAP_THRESHOLD_": "131072",
    }


def start_kodi(kodi_bin: Path, home: Path, display: int, log_path: Path) -> subprocess.Popen:
    """Start kodi.bin (not the wrapper script, so the pid is Kodi's own) under the given X display."""
    log = log_path.open("wb")
    try:
        return subprocess.Popen(
            [str(kodi_bin), "--windowing=x11"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(home),
            env=kodi_environment(home, display),
            # Its own session: Ctrl-C in a terminal reaches only the driver, which then quits Kodi properly.
            start_new_session=True,
        )
    finally:
        log.close()


def stop_process(process: subprocess.Popen, grace: float) -> bool:
    """Wait up to `grace` seconds for a process to end, then kill it by pid; return True if it was killed."""
    try:
        process.wait(timeout=grace)
        return False
    except subprocess.TimeoutExpired:
        pass
    process.terminate()
    try:
        process.wait(timeout=5.0)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10.0)
        return True


def peak_rss_kib(pid: int) -> int | None:
    """Peak resident set size (VmHWM) of a live process in KiB, or None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None
