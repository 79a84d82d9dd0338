"""OAuth tokens and where they are kept: the client reads, refreshes and saves them through a store."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Tokens:
    """An access/refresh pair; the expiry comes from Trakt's `created_at + expires_in`."""

    access_token: str
    refresh_token: str
    expires_at: float

    @classmethod
    def from_oauth(cls, payload: dict[str, Any]) -> Tokens:
        """Build from Trakt's token JSON (device-token or refresh answer)."""
        try:
            return cls(
                access_token=str(payload["access_token"]),
                refresh_token=str(payload["refresh_token"]),
                expires_at=float(payload["created_at"]) + float(payload["expires_in"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"token answer lacks a field: {exc.__class__.__name__}") from None

    def __repr__(self) -> str:  # never print secrets, even in a traceback or a debug log
        return f"Tokens(access_token=<{len(self.access_token)} chars>, expires_at={self.expires_at})"


class TokenStore(Protocol):
    """Where tokens live; `refresh_lock()` must be shared by every process using the same tokens."""

    def load(self) -> Tokens | None:
        """Return the current tokens (re-read from storage, not a cached copy)."""

    def save(self, tokens: Tokens) -> None:
        """Persist a new pair atomically (the old refresh token is already dead)."""

    def clear(self, expired: bool = False) -> None:
        """Forget the pair; `expired`: Trakt rejected its refresh token (the user must authorise again)."""

    def refresh_lock(self) -> AbstractContextManager[Any]:
        """Hold the cross-process "one refresh at a time" lock for a block."""


class MemoryTokenStore:
    """Tokens in memory, for one process (tests and the fallback path in a single interpreter)."""

    def __init__(self, tokens: Tokens | None = None):
        self._tokens = tokens
        self._lock = threading.Lock()
        self.saves = 0
        self.expired = False

    def load(self) -> Tokens | None:
        """Return the tokens."""
        return self._tokens

    def save(self, tokens: Tokens) -> None:
        """Replace the tokens."""
        self._tokens = tokens
        self.saves += 1

    def clear(self, expired: bool = False) -> None:
        """Forget the tokens (and note whether Trakt ended the login)."""
        self._tokens = None
        self.expired = expired

    @contextmanager
    def refresh_lock(self) -> Iterator[None]:
        """An in-process lock (one process only)."""
        with self._lock:
            yield


class FileTokenStore:
    """Tokens in a JSON file replaced atomically, guarded by a cross-process lock (e.g. `ProcessLock`)."""

    def __init__(self, path: str, lock: Any, lock_timeout: float = 30.0):
        self.path = str(path)
        self.lock = lock
        self.lock_timeout = lock_timeout

    def load(self) -> Tokens | None:
        """Read the file; None when missing or unreadable."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
            return Tokens(str(data["access_token"]), str(data["refresh_token"]), float(data["expires_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, tokens: Tokens) -> None:
        """Write to a temporary file, fsync, then rename over the old one (never half-written)."""
        folder = os.path.dirname(os.path.abspath(self.path))
        handle, temporary = tempfile.mkstemp(prefix=".tokens-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(asdict(tokens), out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def clear(self, expired: bool = False) -> None:
        """Delete the file (a missing file is no tokens)."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def refresh_lock(self) -> AbstractContextManager[Any]:
        """Hold the shared lock (raises LockTimeout when another process keeps it too long)."""
        return self.lock.hold(self.lock_timeout)
