"""Bytecode caches shared between Kodi homes: an add-on compiled once is not compiled again in the next home.

Kodi compiles an add-on's modules on their first import after install and keeps the caches in the
add-on's folder (`__pycache__/*.opt-1.pyc`, tests/real_kodi/test_kodi_versions.py PYTHON_FLAGS);
the fake does the same. Tests install the same add-on into a fresh home again and again, so every
first call would compile the add-on and its script.module dependencies anew (~0.2 s of a 0.3 s call).
This store keeps the compiled code of each source file under the hash of the source's bytes:

- `harvest` runs in the add-on interpreter after the add-on has finished: the caches it wrote
  this run go into the store;
- `seed` runs when an add-on is installed: a module whose source is in the store gets its cache
  written at once, with the installed file's own mtime and size (so Python accepts it, and still
  recompiles any file edited later).

The one thing an add-on could notice is a `__pycache__` folder before its first call (README:
"Where fake_kodi deliberately differs"). `FAKE_KODI_BYTECODE_STORE=0` (or off/false/no) switches
the store off; `FAKE_KODI_BYTECODE_STORE=DIR` moves it (default: a folder per user in the temp dir).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

STORE_ENV = "FAKE_KODI_BYTECODE_STORE"
# Kodi's Python runs add-ons optimised (PYTHONOPTIMIZE=1): their caches are the opt-1 ones.
OPTIMIZATION = 1
_HEADER_SIZE = 16  # magic, flags, source mtime, source size (PEP 552, timestamp-based)
_OFF = {"0", "off", "false", "no"}


def store_dir() -> Path | None:
    """Where the compiled code is kept, or None when the store is switched off."""
    setting = os.environ.get(STORE_ENV, "").strip()
    if setting.lower() in _OFF:
        return None
    if setting:
        return Path(setting)
    user = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"fake-kodi-bytecode-{user}"


def _blob_path(store: Path, source: bytes) -> Path:
    # The interpreter's tag and magic number are part of the key: code is only valid for its Python.
    magic = importlib.util.MAGIC_NUMBER.hex()
    digest = hashlib.sha256(source).hexdigest()
    return store / f"{sys.implementation.cache_tag}-{magic}-opt{OPTIMIZATION}" / digest[:2] / digest


def seed(addon_dir: Path) -> int:
    """Write the caches of `addon_dir`'s modules that the store has; returns how many were written."""
    store = store_dir()
    if store is None:
        return 0
    written = 0
    for source_path in addon_dir.rglob("*.py"):
        if "__pycache__" in source_path.parts:
            continue
        cache_path = Path(importlib.util.cache_from_source(str(source_path), optimization=OPTIMIZATION))
        if cache_path.exists():
            continue
        source = source_path.read_bytes()
        try:
            code = _blob_path(store, source).read_bytes()
        except OSError:
            continue
        stat = source_path.stat()
        header = (
            importlib.util.MAGIC_NUMBER
            + (0).to_bytes(4, "little")
            + (int(stat.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
            + (len(source) & 0xFFFFFFFF).to_bytes(4, "little")
        )
        try:
            cache_path.parent.mkdir(exist_ok=True)
            # Written in place: the add-on was just installed, nothing runs in its folder yet.
            cache_path.write_bytes(header + code)
        except OSError:
            continue  # the first import compiles it, as without the store
        written += 1
    return written


def harvest(modules: Iterable[object], under: Path, since: float) -> int:
    """Store the code of `modules` (from under `under`) whose caches this interpreter wrote after `since`."""
    store = store_dir()
    if store is None:
        return 0
    root = os.path.join(str(under), "")  # with the separator: addons2/ is not under addons/
    stored = 0
    for module in list(modules):
        source_file = getattr(module, "__file__", None)
        cache_file = getattr(module, "__cached__", None)
        if not source_file or not cache_file or not source_file.startswith(root):
            continue
        try:
            if os.stat(cache_file).st_mtime < since:
                continue  # seeded, or written by an earlier call: already stored
            with open(cache_file, "rb") as handle:
                data = handle.read()
            with open(source_file, "rb") as handle:
                source = handle.read()
        except OSError:
            continue
        if len(data) <= _HEADER_SIZE or data[:4] != importlib.util.MAGIC_NUMBER:
            continue
        blob = _blob_path(store, source)
        if blob.exists():
            continue
        try:
            blob.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(blob, data[_HEADER_SIZE:])
        except OSError:
            return stored  # a store that cannot be written only costs speed, never the call
        stored += 1
    return stored


def harvest_mark(folder: Path) -> float | None:
    """Taken before the add-on runs: the file system's clock now, or None when the store is off.

    It is the mtime of a file made and removed in `folder`, because `harvest` compares cache
    mtimes with it: the wall clock may be moved (the shifted-clock lane's wallshift), file times
    never are."""
    if store_dir() is None:
        return None
    handle, name = tempfile.mkstemp(dir=folder, prefix=".now-")
    try:
        return os.fstat(handle).st_mtime
    finally:
        os.close(handle)
        os.unlink(name)


def _write_atomically(target: Path, data: bytes) -> None:
    # Several processes (xdist workers, lanes) seed and harvest at once: readers see a whole file or none.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
