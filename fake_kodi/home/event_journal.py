"""The event journal of a home: how plugin calls and tests reach the running service.

`<home>/.fake_kodi/events.jsonl`, append-only JSON lines: settings saves and JSONRPC.NotifyAll
messages, written by any process of the home and read by the service inside its waits.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

EVENTS_FILE = "events.jsonl"


class EventJournal:
    """An append-only JSON-lines file: how plugin calls and tests reach the running service."""

    def __init__(self, state_dir: Path):
        self.path = state_dir / EVENTS_FILE
        self.offset = 0
        self.dirty = False  # this process appended since its last read

    def append(self, event: dict[str, Any]) -> None:
        """Append one event (O_APPEND writes of one short line do not interleave)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(event, sort_keys=True) + "\n").encode("utf-8")
        self.dirty = True
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    def skip_to_end(self) -> None:
        """Ignore everything written so far (a service starts with a clean slate)."""
        try:
            self.offset = self.path.stat().st_size
        except FileNotFoundError:
            self.offset = 0

    def read_new(self) -> list[dict[str, Any]]:
        """Events appended since the last read."""
        self.dirty = False
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except FileNotFoundError:
            return []
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [json.loads(line) for line in complete.splitlines() if line.strip()]
