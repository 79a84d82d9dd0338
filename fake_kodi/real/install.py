"""Make Debian's Kodi and Xvfb available, or say in one line why the real-Kodi lane must be skipped.

Kodi 20 is Debian 12's own package, installed on this machine with apt. Kodi 21 is Debian 13's, run from a
trixie root built once with mmdebstrap (`kodi_root.py`) and started inside it with unshare and chroot.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fake_kodi.real.apt import AptFailed, apt_install
from fake_kodi.real.kodi_root import RootUnavailable, default_root_path, ensure_root, installed_version

APT_PACKAGES = ("kodi", "xvfb", "python3-requests")
KODI_BIN_CANDIDATES = (
    "/usr/lib/x86_64-linux-gnu/kodi/kodi.bin",
    "/usr/lib/aarch64-linux-gnu/kodi/kodi.bin",
    "/usr/lib/kodi/kodi.bin",
)
DEBIAN_REQUESTS_DIR = Path("/usr/lib/python3/dist-packages")
# Where the namespace tools live (sbin too: this process's PATH may lack it).
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
# Kodi 20: this machine's Debian 12 package; Kodi 21: Debian 13's, in a chroot.
SUPPORTED_VERSIONS = (20, 21)
HOST_VERSION = 20
VERSION_VARIABLE = "FAKE_KODI_REAL_VERSION"
# Host programs that start a program inside a root.
NAMESPACE_TOOLS = ("unshare", "chroot", "mount")


@dataclass(frozen=True)
class KodiInstall:
    """Where the Kodi and Xvfb binaries are, and how long installing them took (0 when already there).

    With a `root`, the binary paths are those inside it (Kodi and Xvfb run chrooted there).
    """

    kodi_bin: Path
    xvfb_bin: Path
    install_seconds: float
    version: int = HOST_VERSION
    root: Path | None = None
    package_version: str = ""

    def host_path(self, path: Path) -> Path:
        """Where a path as Kodi sees it lies on this machine (inside the root, when there is one)."""
        return self.root / Path(path).relative_to("/") if self.root is not None else Path(path)

    @property
    def requests_dir(self) -> Path:
        """The dist-packages folder holding python3-requests, as Kodi's Python sees it."""
        return DEBIAN_REQUESTS_DIR


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


def version_from_environment() -> int:
    """The Kodi version the lane drives: $FAKE_KODI_REAL_VERSION (20 or 21), 20 when unset."""
    text = os.environ.get(VERSION_VARIABLE, "").strip() or str(HOST_VERSION)
    if not text.isdigit() or int(text) not in SUPPORTED_VERSIONS:
        raise KodiUnavailable(f"{VERSION_VARIABLE}={text!r}: supported versions are 20 and 21")
    return int(text)


def ensure_kodi(
    allow_install: bool = True,
    kodi_candidates: Sequence[str] = KODI_BIN_CANDIDATES,
    version: int = HOST_VERSION,
    root: Path | None = None,
) -> KodiInstall:
    """Make Kodi `version` runnable here (installing it when allowed); raise KodiUnavailable otherwise.

    20: kodi, xvfb and python3-requests from this machine's apt. 21: a trixie root with the same packages,
    at `root` (default artifacts/kodi21-root), built when missing or unfinished.
    """
    if version not in SUPPORTED_VERSIONS:
        raise KodiUnavailable(f"Kodi {version} is not supported (supported: 20, 21)")
    if version != HOST_VERSION:
        return _ensure_rooted_kodi(
            version, root or default_root_path(version), allow_install, kodi_candidates
        )
    missing = _missing_packages(kodi_candidates)
    started = time.monotonic()
    if missing:
        if not allow_install:
            raise KodiUnavailable(f"missing {', '.join(missing)} and installing is not allowed")
        if os.geteuid() != 0:
            raise KodiUnavailable(f"missing {', '.join(missing)} and not root (apt-get install needs root)")
        if shutil.which("apt-get") is None:
            raise KodiUnavailable(f"missing {', '.join(missing)} and no apt-get on this machine")
        try:
            apt_install(list(APT_PACKAGES))
        except AptFailed as failure:
            raise KodiUnavailable(str(failure)) from None
        still_missing = _missing_packages(kodi_candidates)
        if still_missing:
            raise KodiUnavailable(f"apt-get install left {', '.join(still_missing)} missing")
    kodi_bin, xvfb_bin = find_kodi_bin(kodi_candidates), find_xvfb_bin()
    assert kodi_bin is not None and xvfb_bin is not None  # checked by _missing_packages above
    seconds = time.monotonic() - started if missing else 0.0
    return KodiInstall(kodi_bin, xvfb_bin, seconds, package_version=installed_version(Path("/"), "kodi"))


def _ensure_rooted_kodi(
    version: int, root: Path, allow_install: bool, kodi_candidates: Sequence[str]
) -> KodiInstall:
    try:
        built = ensure_root(root, allow_build=allow_install)
    except RootUnavailable as reason:
        raise KodiUnavailable(str(reason)) from None
    missing_tools = [tool for tool in NAMESPACE_TOOLS if shutil.which(tool, path=SYSTEM_PATH) is None]
    if missing_tools:
        raise KodiUnavailable(f"Kodi {version} runs in a chroot and {', '.join(missing_tools)} is missing")
    if os.geteuid() != 0:
        # unshare --mount and chroot need root even when the root is already built.
        raise KodiUnavailable(f"Kodi {version} runs in a chroot, which needs root")
    inside = [path for path in kodi_candidates if os.access(built.path / path.lstrip("/"), os.X_OK)]
    if not inside:
        raise KodiUnavailable(f"the root {built.path} has no kodi.bin")
    if not (built.path / "usr" / "bin" / "Xvfb").is_file():
        raise KodiUnavailable(f"the root {built.path} has no Xvfb")
    return KodiInstall(
        Path(inside[0]),
        Path("/usr/bin/Xvfb"),
        built.build_seconds,
        version=version,
        root=built.path,
        package_version=built.kodi_package,
    )
