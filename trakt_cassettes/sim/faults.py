"""Injected faults: match requests by method, path regex and occurrence, then misbehave on purpose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS = ("status", "malformed_json", "truncated_json", "reset", "timeout", "slow", "cloudflare")
# Kinds answered before the handler runs (the state stays unchanged).
ANSWERING_KINDS = ("status", "reset", "timeout", "cloudflare")
FAULT_KEYS = {
    "name",
    "method",
    "path",
    "kind",
    "status",
    "headers",
    "body",
    "nth",
    "times",
    "every",
    "delay",
    "real_delay",
}


class SimulatedConnectionReset(ConnectionResetError):
    """Raised by `Simulator.handle` for a `reset` fault; the server closes the socket instead."""


class SimulatedTimeout(TimeoutError):
    """Raised by `Simulator.handle` for a `timeout` fault; the server holds the socket, then drops it."""

    def __init__(self, message: str, real_delay: float):
        super().__init__(message)
        self.real_delay = real_delay


@dataclass
class Fault:
    """One injected fault; fires on matches number `nth` .. `nth + times - 1` (`times=None`: every one)."""

    path: str = ".*"
    method: str | None = None
    kind: str = "status"
    status: int = 500
    headers: dict = field(default_factory=dict)
    body: object = None
    nth: int = 1
    times: int | None = 1
    delay: float = 0.0
    real_delay: float = 0.0
    name: str = ""
    seen: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        self._regex = re.compile(self.path)
        if not self.name:
            self.name = f"{self.kind}:{self.method or '*'} {self.path}"

    def matches(self, method: str, path: str) -> bool:
        """True when the method and path fit (the path regex is searched, anchor it with ^ if needed)."""
        if self.method not in (None, "*", method.upper()):
            return False
        return self._regex.search(path) is not None

    def take(self) -> bool:
        """Count one matching request; True when this one is to be faulted."""
        self.seen += 1
        if self.seen < self.nth or (self.times is not None and self.fired >= self.times):
            return False
        self.fired += 1
        return True

    def describe(self) -> dict:
        """A JSON-able summary for the control plane."""
        return {"name": self.name, "method": self.method, "path": self.path, "kind": self.kind, "status": self.status,
                "nth": self.nth, "times": self.times, "seen": self.seen, "fired": self.fired}  # fmt: skip


def parse_fault(raw: object) -> Fault:
    """Build a Fault from its scenario/control-plane mapping; ValueError("key: reason") when malformed."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected a mapping, got {type(raw).__name__}")
    for key in raw:
        if key not in FAULT_KEYS:
            raise ValueError(f"{key}: unknown key (allowed: {', '.join(sorted(FAULT_KEYS))})")
    if "path" not in raw:
        raise ValueError("path: missing required key 'path' (a regex such as ^/sync/watched/shows)")
    try:
        re.compile(str(raw["path"]))
    except re.error as exc:
        raise ValueError(f"path: not a valid regex: {exc}") from None
    kind = raw.get("kind", "status")
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    status = raw.get("status", {"status": 500, "cloudflare": 429}.get(kind, 200))
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ValueError(f"status: expected an HTTP status code, got {status!r}")
    for key in ("nth", "times"):
        value = raw.get(key, 1)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ValueError(f"{key}: expected a positive integer, got {value!r}")
    for key in ("delay", "real_delay"):
        value = raw.get(key, 0)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{key}: expected seconds (a number >= 0), got {value!r}")
    headers = raw.get("headers") or {}
    if not isinstance(headers, dict):
        raise ValueError("headers: expected a mapping of header names to values")
    every = raw.get("every", False)
    if not isinstance(every, bool):
        raise ValueError(f"every: expected true or false, got {every!r}")
    method = raw.get("method")
    return Fault(
        path=str(raw["path"]), method=method.upper() if isinstance(method, str) else None, kind=kind, status=status,
        headers={str(k): str(v) for k, v in headers.items()}, body=raw.get("body"), nth=raw.get("nth", 1),
        times=None if every else raw.get("times", 1), delay=float(raw.get("delay", 0)),
        real_delay=float(raw.get("real_delay", 0)), name=str(raw.get("name", "")),
    )  # fmt: skip
