"""A Debian 13 (trixie) root with Kodi 21, built once per machine with mmdebstrap and cached.

Debian 12 packages only Kodi 20.1; trixie packages Kodi 21.2, and its binaries run on a bookworm host
from a chroot (see `processes.namespaced_command`). The root is built into a folder of its own and
counts as complete only once its marker file, written last, names the same package list: a build cut
short, or one made for another list, is thrown away and built again.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fake_kodi.real.apt import AptFailed, apt_install

SUITE = "trixie"
MIRROR = "http://deb.debian.org/debian"
# kodi and Xvfb, and python3-requests for the add-ons (Kodi's Python there is 3.13).
INCLUDE = ("kodi", "xvfb", "python3-requests")
MARKER = ".fake-kodi-root.json"
BUILD_TIMEOUT_S = 1800
REPO_ROOT = Path(__file__).resolve().parents[2]


class RootUnavailable(RuntimeError):
    """The root is missing and cannot be built here; the message is the one-line reason."""


@dataclass(frozen=True)
class KodiRoot:
    """A complete root: where it is, the Kodi package version in it, and how long this call spent building."""

    path: Path
    kodi_package: str
    build_seconds: float


def roots_dir() -> Path:
    """Where roots are kept: $FAKE_KODI_ROOTS, else the checkout's git-ignored artifacts/, else ~/.cache."""
    configured = os.environ.get("FAKE_KODI_ROOTS")
    if configured:
        return Path(configured)
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / "artifacts"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "fake-kodi"


def default_root_path(version: int) -> Path:
    """The cached root of one Kodi version, e.g. artifacts/kodi21-root."""
    return roots_dir() / f"kodi{version}-root"


def read_marker(root: Path) -> dict | None:
    """The marker of a complete root, or None when the root is missing or was not finished."""
    try:
        return json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_complete(root: Path) -> bool:
    """Whether `root` was built to the end for today's package list."""
    marker = read_marker(root)
    return marker is not None and marker.get("include") == list(INCLUDE)


def installed_version(root: Path, package: str) -> str:
    """A package's version from the root's dpkg status file ('' when it is not installed)."""
    status = root / "var" / "lib" / "dpkg" / "status"
    found = False
    for line in status.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("Package: "):
            found = line == f"Package: {package}"
        elif found and line.startswith("Version: "):
            return line.removeprefix("Version: ")
    return ""


def mounts_under(path: Path) -> list[str]:
    """Mount points at or below `path` in this mount namespace (a build in progress has /proc there)."""
    prefix = str(path.resolve())
    mounted = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        point = line.split()[1].replace("\\040", " ")
        if point == prefix or point.startswith(prefix + "/"):
            mounted.append(point)
    return mounted


@contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    # Two lanes may ask for the same root at once: one builds, the other waits and then reuses it.
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _discard(root: Path) -> None:
    mounted = mounts_under(root)
    if mounted:
        # Deleting through a mounted /proc or /dev would reach the host's: refuse instead.
        raise RootUnavailable(f"incomplete root {root} still has mounts ({', '.join(mounted)})")
    shutil.rmtree(root)


def mmdebstrap_command(root: Path) -> list[str]:
    """mmdebstrap in a mount namespace of its own: the /proc, /sys and /dev it mounts in the root while
    installing stay invisible to this machine (a tool walking the checkout meanwhile would follow
    /proc/<pid>/root back to /) and vanish with it, even when it is killed."""
    return [
        *("unshare", "--mount", "--propagation", "private"),
        *("mmdebstrap", "--variant=apt", f"--include={','.join(INCLUDE)}", SUITE, str(root), MIRROR),
    ]


def _run_mmdebstrap(root: Path) -> None:
    command = mmdebstrap_command(root)
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RootUnavailable(f"mmdebstrap {SUITE} failed ({result.returncode}): {tail[0]}")


def ensure_root(root: Path, allow_build: bool = True, install_tools: bool = True) -> KodiRoot:
    """Return the complete root at `root`, building it with mmdebstrap first when missing or unfinished."""
    with _locked(root.with_name(root.name + ".lock")):
        if is_complete(root):
            return KodiRoot(root, read_marker(root)["kodi"], 0.0)
        if not allow_build:
            raise RootUnavailable(f"no complete {SUITE} root at {root} and building it is not allowed")
        if os.geteuid() != 0:
            raise RootUnavailable(f"no complete {SUITE} root at {root} and not root (mmdebstrap needs root)")
        started = time.monotonic()
        if shutil.which("mmdebstrap") is None:
            if not install_tools:
                raise RootUnavailable("mmdebstrap is missing and installing it is not allowed")
            try:
                apt_install(["mmdebstrap"])
            except AptFailed as failure:
                raise RootUnavailable(str(failure)) from None
        if root.exists():
            _discard(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        _run_mmdebstrap(root)
        kodi = installed_version(root, "kodi")
        if not kodi:
            raise RootUnavailable(f"mmdebstrap finished but {root} has no kodi package")
        seconds = time.monotonic() - started
        marker = {"suite": SUITE, "include": list(INCLUDE), "kodi": kodi, "build_seconds": round(seconds, 1)}
        # Last: only a root with this file is reused.
        (root / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        return KodiRoot(root, kodi, seconds)
