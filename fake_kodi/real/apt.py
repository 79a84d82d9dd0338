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
    """apt-get update and install `packages` (no recommends), one apt run per machine at a time.

    Lanes run side by side and may ask at once: whoever waited for the lock installs only what the
    run before it left missing (often nothing)."""
    APT_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with APT_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            missing = [package for package in packages if not is_installed(package)]
            if missing:
                _apt_install(missing)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def is_installed(package: str) -> bool:
    """Whether dpkg has `package` installed on this machine."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return result.returncode == 0 and result.stdout.strip().endswith(" installed")


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
