"""Make Debian's Kodi and Xvfb available, or say in one line why the real-Kodi lane must be skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

APT_PACKAGES = ("kodi", "xvfb", "python3-requests")
KODI_BIN_CANDIDATES = (
    "/usr/lib/x86_64-linux-gnu/kodi/kodi.bin",
    "/usr/lib/aarch64-linux-gnu/kodi/kodi.bin",
    "/usr/lib/kodi/kodi.bin",
)
DEBIAN_REQUESTS_DIR = Path("/usr/lib/python3/dist-packages")
APT_TIMEOUT_S = 900


@dataclass(frozen=True)
class KodiInstall:
    """Where the Kodi and Xvfb binaries are, and how long installing them took (0 when already there)."""

    kodi_bin: Path
    xvfb_bin: Path
    install_seconds: float


class KodiUnavailable(RuntimeError):
    """Kodi cannot be run here; the message is the one-line reason used to skip the lane."""


def find_kodi_bin(candidates: Sequence[str] = KODI_BIN_CANDIDATES) -> Path | None:
    """Return kodi.bin's path (not the `kodi` wrapper script, which forks) or None."""
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def find_xvfb_bin() -> Path | None:
    """Return Xvfb's path or None."""
    found = shutil.which("Xvfb")
    return Path(found) if found else None


def requests_available() -> bool:
    """Tell whether Debian's python3-requests is there for Kodi's embedded Python."""
    return (DEBIAN_REQUESTS_DIR / "requests" / "__init__.py").is_file()


def _missing_packages(kodi_candidates: Sequence[str]) -> list[str]:
    missing = []
    if find_kodi_bin(kodi_candidates) is None:
        missing.append("kodi")
    if find_xvfb_bin() is None:
        missing.append("xvfb")
    if not requests_available():
        missing.append("python3-requests")
    return missing


def _apt_install(packages: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update"],
        ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", *packages],
    ):
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=APT_TIMEOUT_S, check=False
        )
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise KodiUnavailable(f"{' '.join(command[:2])} failed ({result.returncode}): {tail[0]}")


def ensure_kodi(
    allow_install: bool = True, kodi_candidates: Sequence[str] = KODI_BIN_CANDIDATES
) -> KodiInstall:
    """Install kodi, xvfb and python3-requests with apt when missing; raise KodiUnavailable otherwise."""
    missing = _missing_packages(kodi_candidates)
    started = time.monotonic()
    if missing:
        if not allow_install:
            raise KodiUnavailable(f"missing {', '.join(missing)} and installing is not allowed")
        if os.geteuid() != 0:
            raise KodiUnavailable(f"missing {', '.join(missing)} and not root (apt-get install needs root)")
        if shutil.which("apt-get") is None:
            raise KodiUnavailable(f"missing {', '.join(missing)} and no apt-get on this machine")
        _apt_install(list(APT_PACKAGES))
        still_missing = _missing_packages(kodi_candidates)
        if still_missing:
            raise KodiUnavailable(f"apt-get install left {', '.join(still_missing)} missing")
    kodi_bin, xvfb_bin = find_kodi_bin(kodi_candidates), find_xvfb_bin()
    assert kodi_bin is not None and xvfb_bin is not None  # checked by _missing_packages above
    return KodiInstall(kodi_bin, xvfb_bin, time.monotonic() - started if missing else 0.0)
