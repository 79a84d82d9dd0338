"""What an add-on did during a recording or a replay step besides its requests: log problems, blocked hosts.

An add-on that swallows its own exceptions (a sync that logs "Error in ...: ..." and carries on)
sends the same requests whether or not it crashed, so the request timeline alone cannot show the
crash; its kodi.log warnings and errors can. An add-on that hard-codes Trakt's host instead of
reading its API URL setting sends nothing the proxy or the replay server sees; the network guard
(fake_kodi/addon_side/network_guard.py), switched on for every recording and replay, turns each
such attempt into a blocked connection, listed here by host and count.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fake_kodi.home.kodi_log import EXCEPTION_HEADER

# "2026-11-01 12:00:20.000 T:24517   error <general>: message" (fake_kodi/home/kodi_log.py).
_ENTRY = re.compile(r"^\S+ \S+ T:\d+ +(warning|error|critical) <general>: (.*)$")
_ERROR_CONTENTS = re.compile(r"^\s*Error Contents: (.*)$")
MAX_LOG_LINES = 20  # per step: a failing loop can log thousands; the first ones say what happened


@dataclass
class StepWatch:
    """Where kodi.log stood when a step began; `finish` reads what the step added."""

    kodi: Any
    log_offset: int = 0
    log: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, kodi: Any) -> StepWatch:
        """Mark the log's end and forget earlier blocked attempts."""
        kodi.blocked_connections(clear=True)
        path = kodi.home.log_path
        return cls(kodi=kodi, log_offset=path.stat().st_size if path.is_file() else 0)

    def finish(self) -> StepWatch:
        """Fill `log` (warnings and errors the step logged) and `blocked` ('host:port (N attempts)')."""
        self.log = problem_lines(self._new_log_text())
        attempts = Counter(
            f"{entry.get('host')}:{entry.get('port')}"
            if entry.get("port") is not None
            else str(entry.get("host"))
            for entry in self.kodi.blocked_connections(clear=True)
        )
        self.blocked = [
            f"{where} ({count} attempt{'s' if count > 1 else ''})" for where, count in attempts.items()
        ]
        return self

    def _new_log_text(self) -> str:
        path = self.kodi.home.log_path
        if not path.is_file():
            return ""
        with open(path, "rb") as log:
            log.seek(self.log_offset)
            return log.read().decode("utf-8", "replace")


def problem_lines(text: str) -> list[str]:
    """'level: message' for each warning, error or critical entry of kodi.log text (first line, or the
    exception's type and contents), at most MAX_LOG_LINES and a line saying how many more."""
    found: list[str] = []
    entry: list[str] | None = None
    entries: list[list[str]] = []
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            entry = [match.group(1), match.group(2)]
            entries.append(entry)
        elif line.startswith(" ") and entry is not None:
            entry.append(line)  # a continuation line of the entry above
        elif re.match(r"^\S+ \S+ T:\d+ ", line):
            entry = None  # an entry below warning level
    for level, first, *rest in entries:
        message = first
        if first == EXCEPTION_HEADER:
            contents = next((m.group(1) for m in map(_ERROR_CONTENTS.match, rest) if m), "")
            kind = next((r.strip() for r in rest if r.strip().startswith("Error Type:")), "")
            name = re.sub(r"^<class '(.*)'>$", r"\1", kind.removeprefix("Error Type: "))
            message = f"uncaught exception {name}: {contents}".rstrip(": ")
        found.append(f"{level}: {message}")
    if len(found) > MAX_LOG_LINES:
        return [*found[:MAX_LOG_LINES], f"... {len(found) - MAX_LOG_LINES} more warning(s) and error(s)"]
    return found
