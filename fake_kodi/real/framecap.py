"""The frame cap: real Kodi under Xvfb draws at most FAKE_KODI_REAL_FPS frames a second (default 15).

Xvfb's GLX has no swap control, so Kodi has no vsync there: while a window slides in, a dialog opens or a
route's busy spinner turns, it renders as many frames as Mesa's software renderer can draw, one core's
worth. framecap.c paces glXSwapBuffers as a display's vsync would. Measured on the Kodi 20 lane's
reference add-on, CLI and probe tests: 33-39 core-s uncapped, 24-29 at 15 fps, the same wall time (at 5 fps
those tests took 15 s longer, at 10 fps ~5 s). Add-on Python inside Kodi inherits Kodi's environment, so it
sees LD_PRELOAD and FAKE_KODI_REAL_FPS (as it sees LP_NUM_THREADS, processes.py); nothing else changes for it.
FAKE_KODI_REAL_FPS=0 leaves Kodi uncapped; without a C compiler (and not root to install one) it is too.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fake_kodi.real.preload import NoCompiler, build_preload

FPS_VARIABLE = "FAKE_KODI_REAL_FPS"
DEFAULT_FPS = 15
SOURCE = Path(__file__).with_name("framecap.c")
LIBRARY_NAME = "libframecap.so"
_warned = False


def frames_per_second() -> int:
    """The cap from FAKE_KODI_REAL_FPS (0 = none); a value that is not a whole number >= 0 is an error."""
    setting = os.environ.get(FPS_VARIABLE, "").strip()
    if not setting:
        return DEFAULT_FPS
    if not setting.isdigit():
        raise ValueError(
            f"{FPS_VARIABLE} must be a whole number of frames per second (0 = no cap), not {setting!r}"
        )
    return int(setting)


def framecap_library() -> Path:
    """The compiled library, built once per machine and source into the temporary folder; NoCompiler otherwise."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]
    user = os.getuid() if hasattr(os, "getuid") else "user"
    library = Path(tempfile.gettempdir()) / f"fake-kodi-framecap-{user}" / f"{digest}-{LIBRARY_NAME}"
    if not library.is_file():
        build_preload(SOURCE, library)
    return library


def framecap_environment(home: Path) -> dict[str, str]:
    """LD_PRELOAD and FAKE_KODI_REAL_FPS for a Kodi whose home is `home`; {} when there is no cap.

    The library is copied into the home, which a rooted Kodi (21) sees at the same path.
    """
    global _warned
    fps = frames_per_second()
    if fps == 0:
        return {}
    try:
        library = framecap_library()
    except (NoCompiler, subprocess.CalledProcessError) as reason:
        if not _warned:
            print(f"fake-kodi real: Kodi renders uncapped ({reason})", file=sys.stderr)
            _warned = True
        return {}
    copy = home / LIBRARY_NAME
    shutil.copyfile(library, copy)
    return {"LD_PRELOAD": str(copy), FPS_VARIABLE: str(fps)}
