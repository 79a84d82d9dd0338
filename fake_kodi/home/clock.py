"""The clock of one fake Kodi home: real time, or a virtual time shared through a file.

The virtual now lives in `<home>/.fake_kodi/clock.json` as `{"epoch": <float>}` so that every
process of the home (the service, plugin calls, the Trakt simulator) sees the same time. The
format is part of the contract with trakt_cassettes' simulator: keep it a one-key JSON object.

Plugin calls and the service both move the shared time forward, and never back: their writes
go through `advance_shared` / `save`, which take `clock.json.lock` and store the later of the
file and their own now. Explicit jumps (`set`, a test or the simulator) may still go back.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

CLOCK_FILE_NAME = "clock.json"
LOCK_SUFFIX = ".lock"


def clock_path(state_dir: str | Path) -> Path:
    """Where the virtual clock of a home lives (`state_dir` is `<home>/.fake_kodi`)."""
    return Path(state_dir) / CLOCK_FILE_NAME


RECORD_WIDTH = 48  # every writer pads the record to this size, so it can be rewritten in place


def encode_record(epoch: float) -> bytes:
    """`{"epoch": <float>}` padded with spaces inside the braces to RECORD_WIDTH (still plain JSON)."""
    text = json.dumps({"epoch": float(epoch)})
    return (text[:-1] + " " * max(RECORD_WIDTH - len(text), 0) + "}").encode("ascii")


def read_epoch(path: str | Path) -> float | None:
    """The virtual now stored in `path`, or None when the home has no virtual clock."""
    for _attempt in range(3):  # a read racing an in-place rewrite can be torn: read again
        try:
            data = json.loads(Path(path).read_bytes())
        except FileNotFoundError:
            return None
        except ValueError:
            continue
        return _epoch_of(data)
    return None


def _epoch_of(data: object) -> float | None:
    epoch = data.get("epoch") if isinstance(data, dict) else None
    return float(epoch) if isinstance(epoch, (int, float)) and not isinstance(epoch, bool) else None


def write_epoch(path: str | Path, epoch: float) -> None:
    """Store `epoch` atomically (a reader never sees a half-written file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(encode_record(epoch))
    os.replace(tmp, path)


class InPlaceWriter:
    """Rewrites the clock file in place with one pwrite (about 1 us instead of ~200 us for a rename).

    For the service, which saves its time each time a wait returns. Every record has the same
    size, so a reader sees either the old or the new record (read_epoch retries the rare torn
    read). When someone else replaced the file (a new inode), it is reopened.
    """

    def __init__(self, path: Path):
        self.path = str(path)
        self._fd: int | None = None
        self._inode: int | None = None
        self._lock: ClockLock | None = None

    def write(self, epoch: float) -> None:
        """Store `epoch` unconditionally."""
        record = encode_record(epoch)
        fd = self._current_fd(epoch, len(record))
        if fd is not None:
            os.pwrite(fd, record, 0)

    def write_forward(self, epoch: float, seconds: float = 0.0) -> float:
        """Store the later of the file's time and `epoch`, plus `seconds`; returns the time stored.

        Read and write happen under the home's clock lock, so a time another process stored
        meanwhile (a plugin call's wait, the service) is never replaced by an earlier one.
        """
        if self._lock is None:
            self._lock = ClockLock(self.path, keep_open=True)
        with self._lock:
            stored = self._read()
            target = (epoch if stored is None else max(stored, epoch)) + seconds
            if stored is None or target > stored:
                self.write(target)
            return target

    def _read(self) -> float | None:
        """The stored time, read through the open file while it is still the current one."""
        if self._fd is not None:
            try:
                same = os.stat(self.path).st_ino == self._inode
            except FileNotFoundError:
                same = False
            if same:
                try:
                    return _epoch_of(json.loads(os.pread(self._fd, 4 * RECORD_WIDTH, 0)))
                except ValueError:
                    pass  # torn by a concurrent replace: read the path instead
        return read_epoch(self.path)

    def _current_fd(self, epoch: float, size: int) -> int | None:
        """The open file when it can be rewritten in place; else rewrite it atomically (None)."""
        try:
            current = os.stat(self.path)
        except FileNotFoundError:
            current = None
        if (
            self._fd is None
            or current is None
            or current.st_ino != self._inode
            or current.st_size != size
            or size != RECORD_WIDTH
        ):
            self.close()
            write_epoch(self.path, epoch)
            self._fd = os.open(self.path, os.O_RDWR)
            self._inode = os.fstat(self._fd).st_ino
            return None
        return self._fd

    def close(self) -> None:
        """Close the clock file (the lock stays usable)."""
        if self._fd is not None:
            os.close(self._fd)
        self._fd = self._inode = None


class ClockLock:
    """An exclusive flock on `<clock file>.lock` for a read-then-write of the shared time."""

    def __init__(self, path: str | Path, keep_open: bool = False):
        self.lock_path = f"{path}{LOCK_SUFFIX}"
        self.keep_open = keep_open  # the service locks at every save: spare it an open() each time
        self._fd: int | None = None

    def __enter__(self) -> ClockLock:
        if self._fd is None:
            Path(self.lock_path).parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._fd is None:
            return
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        if not self.keep_open:
            os.close(self._fd)
            self._fd = None


class RealClock:
    """Wall-clock time; sleeping really sleeps."""

    virtual = False

    def now(self) -> float:
        """Epoch seconds."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Block for `seconds` of real time."""
        if seconds > 0:
            _REAL_SLEEP(seconds)


class VirtualClock:
    """A virtual now kept in a file; `advance` moves it for every process of the home.

    `persist=False` keeps `set`/`advance` local to this process; such a clock shares its time
    through `save` (the service) or `advance_shared` (plugin calls), which never move the file back.
    """

    virtual = True

    def __init__(self, path: str | Path, start: float | None = None, persist: bool = True):
        self.path = Path(path)
        self.persist = persist
        self._writer: InPlaceWriter | None = None
        stored = read_epoch(self.path)
        if stored is None:
            stored = float(start if start is not None else round(time.time()))
            if persist:
                write_epoch(self.path, stored)
        elif start is not None:
            stored = float(start)
            if persist:
                write_epoch(self.path, stored)
        self._epoch = stored

    def now(self) -> float:
        """The virtual epoch seconds."""
        return self._epoch

    def set(self, epoch: float) -> None:
        """Jump to `epoch` (backwards too: a test may want to replay a moment)."""
        self._epoch = float(epoch)
        if self.persist:
            write_epoch(self.path, self._epoch)

    def save(self) -> float:
        """Share this process's now: the file keeps the later of the two (in place); returns the stored time."""
        return self._shared_writer().write_forward(self._epoch)

    def advance_shared(self, seconds: float) -> float:
        """Let `seconds` pass on the home's time: from the later of the file and our now, stored at once.

        For waits in plugin calls: a simulator that follows the file sees the time pass, and a
        service or another plugin call that moved the time meanwhile is not sent back.
        """
        if seconds < 0:
            raise ValueError(f"cannot advance the clock by a negative amount ({seconds})")
        self._epoch = self._shared_writer().write_forward(self._epoch, seconds)
        return self._epoch

    def _shared_writer(self) -> InPlaceWriter:
        if self._writer is None:
            self._writer = InPlaceWriter(self.path)
        return self._writer

    def advance(self, seconds: float) -> float:
        """Move the virtual now forward by `seconds`; returns the new now."""
        if seconds < 0:
            raise ValueError(f"cannot advance the clock by a negative amount ({seconds})")
        self.set(self._epoch + seconds)
        return self._epoch

    def sleep(self, seconds: float) -> None:
        """Sleeping on a virtual clock consumes virtual time at once."""
        if seconds > 0:
            self.advance(seconds)

    def reload(self) -> float:
        """Re-read the file (another process may have moved the time)."""
        stored = read_epoch(self.path)
        if stored is not None:
            self._epoch = stored
        return self._epoch


# Captured at import so the patches below can never make a real sleep recurse into themselves.
_REAL_SLEEP = time.sleep
_REAL_TIME = time.time
_REAL_TIME_NS = time.time_ns


def patch_time_module(now: Callable[[], float], sleep: Callable[[float], None]) -> Callable[[], None]:
    """Make `time.time`/`time.sleep` virtual for add-on code; returns a function that undoes it.

    `time.monotonic` and `time.perf_counter` stay real on purpose: libraries (threading,
    urllib3, sqlite3 timeouts) rely on them to measure real durations.
    """

    def fake_sleep(seconds: float) -> None:
        # time.sleep's own argument checks, so add-ons see the same errors as in Kodi.
        if not isinstance(seconds, (int, float)):
            raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer")
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        sleep(float(seconds))

    time.time = now  # type: ignore[assignment]
    time.time_ns = lambda: int(now() * 1_000_000_000)  # type: ignore[assignment]
    time.sleep = fake_sleep  # type: ignore[assignment]

    def undo() -> None:
        time.time = _REAL_TIME  # type: ignore[assignment]
        time.time_ns = _REAL_TIME_NS  # type: ignore[assignment]
        time.sleep = _REAL_SLEEP  # type: ignore[assignment]

    return undo
