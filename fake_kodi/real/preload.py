"""LD_PRELOAD libraries compiled from C on this machine (the frame cap here, the shifted-clock lane's wallshift)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from fake_kodi.real.apt import apt_install

COMPILER_PACKAGES = ["gcc", "libc6-dev"]


class NoCompiler(RuntimeError):
    """No C compiler here, and none could be installed."""


def c_compiler(install: bool = True) -> str:
    """cc or gcc; when neither is there and we are root, gcc is installed with apt first."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None and install and os.geteuid() == 0 and shutil.which("apt-get"):
        # The real-Kodi lanes may run apt at the same time: apt_install takes the machine's apt lock.
        apt_install(COMPILER_PACKAGES)
        compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise NoCompiler("no C compiler (cc or gcc) on PATH; as root it would be installed with apt")
    return compiler


def build_preload(source: Path, library: Path, install: bool = True) -> Path:
    """Compile `source` into the shared library `library`; lanes that build the same file at once are safe."""
    compiler = c_compiler(install)
    library.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=library.parent, prefix=f".{library.name}.")
    os.close(handle)
    try:
        subprocess.run(
            [compiler, "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", partial, str(source), "-ldl"],
            check=True,
        )
        os.replace(partial, library)
    finally:
        Path(partial).unlink(missing_ok=True)
    return library
