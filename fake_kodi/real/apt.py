"""apt-get install for the real-Kodi lanes, one apt run per machine at a time (two lanes may ask at once)."""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

APT_TIMEOUT_S = 900
APT_LOCK = Path("/run/lock/fake-kodi-apt.lock")


class AptFailed(RuntimeError):
    """apt-get failed; the message is its last line."""


def apt_install(packages: list[str]) -> None:
    """apt-get update and install `packages` (no recommends), one apt run per machine at a time."""
    APT_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with APT_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _apt_install(packages)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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
            raise AptFailed(f"{' '.join(command[:2])} failed ({result.returncode}): {tail[0]}")
