"""kodi.log written in Kodi 20's line format (KODI_BEHAVIOUR.md section 5).

    2026-11-25 13:31:05.804 T:30072    info <general>: msg

The level name is right-aligned in 7 characters; a newline in a message continues on a line
indented by 51 spaces. Several processes (plugin calls, the service) append to one file, so
each line is written with a single O_APPEND write under an advisory lock.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

try:  # POSIX only; on other systems O_APPEND alone keeps single writes whole.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

LOGDEBUG, LOGINFO, LOGWARNING, LOGERROR, LOGFATAL, LOGNONE = range(6)

LEVEL_NAMES = {
    LOGDEBUG: "debug",
    LOGINFO: "info",
    LOGWARNING: "warning",
    LOGERROR: "error",
    LOGFATAL: "critical",
    LOGNONE: "off",
}

CONTINUATION_INDENT = " " * 51

EXCEPTION_HEADER = (
    "EXCEPTION Thrown (PythonToCppException) : -->Python callback/script returned the following error<--"
)
EXCEPTION_FOOTER = "-->End of Python script error report<--"


def format_line(msg: str, level: int, timestamp: float, thread_id: int) -> str:
    """One log entry in Kodi's format, continuation lines included, with a trailing newline."""
    stamp = datetime.datetime.fromtimestamp(timestamp)
    millis = stamp.microsecond // 1000  # fromtimestamp rounds to the microsecond; float % 1 would not
    prefix = f"{stamp:%Y-%m-%d %H:%M:%S}.{millis:03d} T:{thread_id} {LEVEL_NAMES[level]:>7} <general>: "
    body = msg.replace("\n", "\n" + CONTINUATION_INDENT)
    return prefix + body + "\n"


def _clamp_level(level: int) -> int:
    # xbmc.log accepts any int; Kodi's levels stop at LOGNONE, so out-of-range values clamp.
    return min(max(int(level), LOGDEBUG), LOGNONE)


class KodiLog:
    """Appends Kodi-format lines to one kodi.log; safe to share between processes."""

    def __init__(
        self,
        path: Path,
        min_level: int = LOGINFO,
        clock: Callable[[], float] = time.time,
        thread_id: Callable[[], int] = threading.get_native_id,
    ):
        self.path = Path(path)
        self.min_level = min_level
        self.clock = clock
        self.thread_id = thread_id

    def write(self, msg: str, level: int) -> str | None:
        """Log `msg` at `level`; return the formatted entry, or None when below min_level."""
        level = _clamp_level(level)
        if level < self.min_level:
            return None
        entry = format_line(str(msg), level, self.clock(), self.thread_id())
        self._append(entry)
        return entry

    def exception(
        self, tb_text: str, error_type: str | None = None, error_contents: str | None = None
    ) -> None:
        """Log the block Kodi writes for an uncaught add-on exception (traceback text given)."""
        tb_text = tb_text.rstrip("\n")
        if error_type is None or error_contents is None:
            parsed_type, parsed_contents = _last_exception_line(tb_text)
            error_type = parsed_type if error_type is None else error_type
            error_contents = parsed_contents if error_contents is None else error_contents
        lines = [
            EXCEPTION_HEADER,
            " - NOTE: IGNORING THIS CAN LEAD TO MEMORY LEAKS!",
            f"Error Type: <class '{error_type}'>",
            f"Error Contents: {error_contents}",
            tb_text,
            EXCEPTION_FOOTER,
        ]
        self.write("\n".join(lines), LOGERROR)

    def _append(self, entry: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = entry.encode("utf-8", "replace")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)  # closing releases the lock


def _last_exception_line(tb_text: str) -> tuple[str, str]:
    """('ValueError', 'boom') from a traceback's last line 'ValueError: boom'."""
    last = tb_text.strip().splitlines()[-1] if tb_text.strip() else ""
    name, sep, contents = last.partition(": ")
    if not sep:
        return last or "Exception", ""
    return name, contents
