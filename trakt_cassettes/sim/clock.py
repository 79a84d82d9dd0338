"""The simulator's virtual clock, and Trakt's timestamp format.

A file-backed clock reads `{"epoch": <float>}` from its file on every `now()` (the same one-key
format fake_kodi uses for `<home>/.fake_kodi/clock.json`), so another process can drive the
simulator's time; `advance`/`set` write the file atomically. A `MovingClock` is real time from
the scenario's `now` on, for a simulator served to clients that run on the wall clock.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_time(value: object) -> float:
    """Epoch seconds from an ISO string (`Z`, offsets, optional millis), a datetime/date or a number."""
    if isinstance(value, bool):
        raise ValueError(f"not a time: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp()
    if isinstance(value, str):
        match = _ISO.match(value.strip())
        if match:
            text = value.strip().replace(" ", "T")
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            parsed = (
                datetime.fromisoformat(text) if "T" in text else datetime.fromisoformat(text + "T00:00:00")
            )
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            return parsed.timestamp()
    raise ValueError(f"not an ISO-8601 time: {value!r}")


# Trakt's timestamps are years 1970-9999; a clock beyond them could not write its own time.
MAX_EPOCH = 253402300799.0  # 9999-12-31T23:59:59Z


def checked_epoch(epoch: float) -> float:
    """`epoch` when a clock may hold it (finite, 1970-9999); ValueError naming it otherwise."""
    if not isinstance(epoch, (int, float)) or not math.isfinite(epoch) or not 0 <= epoch <= MAX_EPOCH:
        raise ValueError(f"time out of range (1970-01-01 to 9999-12-31): {epoch!r}")
    return float(epoch)


# Cached because large libraries repeat the same few play times across every page of every list.
@functools.lru_cache(maxsize=65536)
def format_iso(epoch: float) -> str:
    """Trakt's timestamp form: `2026-11-01T12:00:00.000Z` (UTC, milliseconds)."""
    moment = datetime.fromtimestamp(round(epoch, 3), tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def format_iso_seconds(epoch: float) -> str:
    """The `X-Ratelimit.until` form, without milliseconds: `2025-03-04T10:00:01Z`."""
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_date(epoch: float) -> str:
    """A calendar date (`2019-05-01`), the form of a movie's `released`."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d")


class _Clock:
    """What both clocks share: jumps are checked (finite, 1970-9999) before anything moves."""

    _lock: threading.Lock

    def now(self) -> float:
        """The clock's now in epoch seconds."""
        raise NotImplementedError

    def _store(self, epoch: float) -> float:
        raise NotImplementedError

    def now_iso(self) -> str:
        """The now in Trakt's timestamp form."""
        return format_iso(self.now())

    def advance(self, seconds: float) -> float:
        """Move the clock forward by `seconds` (never backwards) and return the new now."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"cannot advance by {seconds}: seconds must be a finite amount >= 0")
        with self._lock:
            return self._store(checked_epoch(self.now() + seconds))

    def set(self, epoch: datetime | float | str) -> float:
        """Jump to an absolute time (ISO string, datetime or epoch seconds)."""
        with self._lock:
            return self._store(checked_epoch(parse_time(epoch)))

    def sleep(self, seconds: float) -> None:
        """A wait on this clock: the same as `advance` (the simulator never blocks on it)."""
        self.advance(max(0.0, seconds))


class VirtualClock(_Clock):
    """A clock that only moves when told to: `advance(seconds)` or `set(epoch)`."""

    def __init__(self, start: datetime | float | str = 0.0, path: str | Path | None = None):
        self._lock = threading.Lock()
        self._epoch = parse_time(start)
        self.path = Path(path) if path is not None else None
        if self.path is not None and _read_epoch(self.path) is None:
            _write_epoch(self.path, self._epoch)

    @classmethod
    def from_file(cls, path: str | Path, default: datetime | float | str | None = None) -> VirtualClock:
        """A clock whose now is whatever `path` says (created with `default` when missing)."""
        stored = _read_epoch(Path(path))
        start = stored if stored is not None else (default if default is not None else 0.0)
        return cls(start, path=path)

    def now(self) -> float:
        """The virtual now in epoch seconds."""
        if self.path is not None:
            stored = _read_epoch(self.path)
            if stored is not None:
                self._epoch = stored
        return self._epoch

    def _store(self, epoch: float) -> float:
        self._epoch = float(epoch)
        if self.path is not None:
            _write_epoch(self.path, self._epoch)
        return self._epoch

    def __repr__(self) -> str:
        return f"VirtualClock({self.now_iso()!r}{', path=' + repr(str(self.path)) if self.path else ''})"


class MovingClock(_Clock):
    """Real time from the scenario's `now` on: the wall clock, or `start` moving at real pace while that is later.

    A simulator served on its own talks to clients on the wall clock (real Kodi, another add-on): on
    this clock the tokens it issues are fresh for them and its rate-limit windows pass. `advance` and
    `set` (the `/_sim/advance` control) shift it and it keeps moving from there.
    """

    def __init__(self, start: datetime | float | str, wall: Callable[[], float] = time.time):
        self._wall = wall
        self._lock = threading.Lock()
        self._offset = max(0.0, parse_time(start) - wall())

    def now(self) -> float:
        """The wall clock plus the offset."""
        return self._wall() + self._offset

    def _store(self, epoch: float) -> float:
        self._offset = epoch - self._wall()
        return epoch

    def __repr__(self) -> str:
        return f"MovingClock({self.now_iso()!r})"


def _read_epoch(path: Path) -> float | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    epoch = data.get("epoch") if isinstance(data, dict) else None
    return float(epoch) if isinstance(epoch, (int, float)) and not isinstance(epoch, bool) else None


def _write_epoch(path: Path, epoch: float) -> None:
    # Atomic replace: the other process must never read a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps({"epoch": float(epoch)}), encoding="utf-8")
    os.replace(tmp, path)
