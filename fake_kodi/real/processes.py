"""Start and stop Xvfb and kodi.bin as children of this process (one process tree, killed by pid).

With a root (Kodi 21 from Debian 13), each program runs as `unshare --mount --pid --fork --kill-child`
+ /proc mounted in the root + the Kodi home bind-mounted at its own path + `chroot`: paths, kodi.log and
the add-on folders read the same from here and from Kodi. There is no network namespace, so Kodi's
JSON-RPC on 127.0.0.1 answers here, and Xvfb's abstract X socket (one per network namespace) keeps a
display number taken by an Xvfb outside the root from being picked inside it.
"""

from __future__ import annotations

import os
import select
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from fake_kodi.real.framecap import framecap_environment
from fake_kodi.real.sockets import child_pids

# Kodi scales its GUI to any screen, but a smaller one saved no CPU (measured before the frame cap, with
# LP_NUM_THREADS=0: lane CPU 55 s at 1280x720, 57 s at 960x540 and 58 s at 640x360, within noise): Kodi has
# no vsync under Xvfb (its GLX lacks every swap-control extension), so while anything animated it rendered
# as fast as the CPU allowed and fewer pixels only bought more frames (framecap.py now paces them).
# 1280x720 keeps the screenshots' list text legible.
SCREEN_SIZE = (1280, 720)
XVFB_SCREEN = f"{SCREEN_SIZE[0]}x{SCREEN_SIZE[1]}x24"
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
# Runs in the new namespaces, before the chroot: $1 the home, $2 the root, then the program and its arguments.
# The tools go by absolute path: the program's clean environment has no sbin on PATH.
_ENTER_ROOT = '{mount} --bind "$1" "$2$1" && cd "$2$1" && root=$2 && shift 2 && exec {chroot} "$root" "$@"'


class RootedProcess(subprocess.Popen):
    """A program started inside a root: `pid` is unshare's; the program is its only child, pid 1 inside.

    unshare ignores SIGTERM, so terminate() signals the program itself; kill() kills unshare, and
    --kill-child then takes the program and everything in its pid namespace with it.
    """

    def program_pid(self) -> int | None:
        """The program's pid as this machine sees it (None before unshare has forked or after the end)."""
        children = child_pids(self.pid) if self.poll() is None else []
        return children[0] if children else None

    def terminate(self) -> None:
        """SIGTERM to the program (pid 1 of its namespace: it ends only if it handles SIGTERM)."""
        pid = self.program_pid()
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def program_pid(process: subprocess.Popen) -> int | None:
    """The pid of the program itself (not of the unshare wrapper around a rooted one)."""
    if isinstance(process, RootedProcess):
        return process.program_pid()
    return process.pid


def rooted_command(root: Path, home: Path, argv: Sequence[str]) -> list[str]:
    """`argv` run inside `root` with its own mount and pid namespaces, /proc, and `home` at its own path."""
    tools = {tool: shutil.which(tool, path=SYSTEM_PATH) for tool in ("unshare", "sh", "mount", "chroot")}
    missing = [tool for tool, path in tools.items() if path is None]
    if missing:
        raise KodiStartError(f"cannot start a program in {root}: {', '.join(missing)} not found")
    script = _ENTER_ROOT.format(mount=shlex.quote(tools["mount"]), chroot=shlex.quote(tools["chroot"]))
    return [
        tools["unshare"],
        *("--mount", "--pid", "--fork", "--kill-child", f"--mount-proc={root / 'proc'}"),
        *(tools["sh"], "-c", script, "sh", str(home), str(root), *argv),
    ]


def make_mountpoint(root: Path, home: Path) -> Path:
    """The empty folder in `root` the home is bind-mounted on (same path inside as outside)."""
    mountpoint = root / home.relative_to("/")
    mountpoint.mkdir(parents=True, exist_ok=True)
    return mountpoint


def remove_mountpoint(root: Path, home: Path) -> None:
    """Remove the home's mountpoint and the parents that became empty (after the namespaces are gone)."""
    folder = root / home.relative_to("/")
    while folder != root and folder.parent != folder:
        try:
            folder.rmdir()  # only empty folders: never the home's content
        except OSError:
            return
        folder = folder.parent


def _popen(argv: list[str], root: Path | None, home: Path | None, **kwargs: object) -> subprocess.Popen:
    if root is None:
        return subprocess.Popen(argv, **kwargs)
    if home is None:
        raise ValueError("a rooted program needs the home folder to bind-mount")
    make_mountpoint(root, home)
    return RootedProcess(rooted_command(root, home, argv), **kwargs)


class KodiStartError(RuntimeError):
    """Xvfb or Kodi did not come up; the message says which and why."""


def start_xvfb(
    xvfb_bin: Path,
    log_path: Path,
    fbdir: Path,
    timeout: float = 20.0,
    root: Path | None = None,
    home: Path | None = None,
) -> tuple[subprocess.Popen, int]:
    """Start Xvfb on a display number it picks itself (-displayfd) and return (process, display).

    `-fbdir` keeps the screen in a file too, so screenshots need neither Kodi nor an X client.
    With a `root`, Xvfb runs inside it and `home` (holding `fbdir`) is bind-mounted there.
    """
    fbdir.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    log = log_path.open("wb")
    try:
        process = _popen(
            [
                str(xvfb_bin),
                *("-displayfd", str(write_end), "-nolisten", "tcp"),
                *("-screen", "0", XVFB_SCREEN, "-fbdir", str(fbdir)),
            ],
            root,
            home,
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


def kodi_environment(home: Path, display: int, frame_cap: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment: Kodi's embedded Python would otherwise take sys.path from a pyenv on PATH.

    `frame_cap` is framecap_environment()'s LD_PRELOAD and frame rate; a shifted clock's preload joins it.
    """
    shifted = bool(os.environ.get("WALLSHIFT_SECONDS"))
    kept = {name: os.environ[name] for name in CLOCK_SHIFT_VARIABLES if shifted and name in os.environ}
    cap = dict(frame_cap or {})
    preload = " ".join(filter(None, [cap.pop("LD_PRELOAD", ""), kept.pop("LD_PRELOAD", "")]))
    return {
        **kept,
        **cap,
        **({"LD_PRELOAD": preload} if preload else {}),
        "HOME": str(home),
        "DISPLAY": f":{display}",
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        # The two settings Debian's /usr/bin/kodi wrapper exports before exec'ing kodi.bin.
        "__GL_YIELD": "USLEEP",
        "MALLOC_MMAP_THRESHOLD_": "131072",
        # Mesa's software renderer (llvmpipe) rasterizes in Kodi's render thread instead of one extra thread
        # per CPU (0 = no rasterizer threads; Mesa's lp_screen.c reads it, default = number of CPUs). Kodi
        # rendered unthrottled while a toast or dialog animated, so the threads only spread that burst over
        # both cores and add hand-off cost: Kodi 20 lane, Kodi's own CPU 53 -> 43 s, same wall time (before
        # the frame cap).
        "LP_NUM_THREADS": "0",
    }


def start_kodi(
    kodi_bin: Path, home: Path, display: int, log_path: Path, root: Path | None = None
) -> subprocess.Popen:
    """Start kodi.bin (not the wrapper script, so the pid is Kodi's own) under the given X display.

    With a `root`, Kodi runs inside it (see the module docstring) with `home` at its own path.
    """
    log = log_path.open("wb")
    try:
        return _popen(
            [str(kodi_bin), "--windowing=x11"],
            root,
            home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(home),
            env=kodi_environment(home, display, framecap_environment(home)),
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


def process_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system, all threads) a live process has used so far, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the parenthesised name (which may hold spaces): utime and stime are the 12th and 13th.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
