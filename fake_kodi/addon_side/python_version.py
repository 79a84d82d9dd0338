"""The standard library the add-on sees, as the emulated Kodi's embedded Python has it.

Kodi 20 embeds Python 3.11; Kodi 21 embeds 3.13, which no longer has the modules Python 3.12 and
PEP 594 (3.13) removed. The fake's interpreter is the test machine's Python, so for Kodi 21 those
modules are hidden: an add-on that still imports `imp` or `cgi` fails here as it does in Kodi 21
(pinned against real Kodi by tests/real_kodi/test_kodi_versions.py). Other differences between the
Python versions (syntax, changed behaviour) are not emulated.
"""

from __future__ import annotations

import sys
from typing import Any

# Removed in Python 3.12 (imp, distutils, asyncore, asynchat, smtpd) and 3.13 (PEP 594, lib2to3).
REMOVED_BY_PYTHON_3_13 = frozenset({
    "imp", "distutils", "asyncore", "asynchat", "smtpd",
    "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib",
    "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib", "lib2to3",
})  # fmt: skip


class _HidingFinder:
    """Wraps one meta path finder: the hidden modules are not found (find_spec None, import fails)."""

    def __init__(self, inner: Any, hidden: frozenset[str]):
        self.inner, self.hidden = inner, hidden

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name.partition(".")[0] in self.hidden:
            return None
        find = getattr(self.inner, "find_spec", None)
        return find(name, path, target) if find is not None else None

    def invalidate_caches(self) -> None:
        if hasattr(self.inner, "invalidate_caches"):
            self.inner.invalidate_caches()


def emulate_standard_library(kodi_version: int) -> None:
    """Hide what the emulated Kodi's Python lacks (Kodi 21: the modules Python 3.12/3.13 removed)."""
    if kodi_version < 21:
        return
    hidden = REMOVED_BY_PYTHON_3_13
    for name in [name for name in sys.modules if name.partition(".")[0] in hidden]:
        del sys.modules[name]
    sys.meta_path[:] = [_HidingFinder(finder, hidden) for finder in sys.meta_path]
