"""Which hosts a home's add-on interpreters may reach: `<home>/.fake_kodi/network.json`.

The test side writes the policy (the pytest plugin blocks the network by default; a test adds
the hosts it means); every add-on interpreter of the home reads it once at start
(addon_side/network_guard.py). Loopback is always allowed: a server on 127.0.0.1 or ::1 is one
the test machine runs, not the network. What a guard refused is appended, one JSON object a line,
to `network_blocked.jsonl`, so the test side sees an attempt even when the add-on swallowed the error.

    {"block": true, "allow": ["api.example.org", "10.0.0.5:8080", "[2001:db8::1]:443"]}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

POLICY_FILE = "network.json"
BLOCKED_FILE = "network_blocked.jsonl"
LOOPBACK_NAMES = frozenset({"::1", "localhost", "localhost.localdomain", "ip6-localhost", "0:0:0:0:0:0:0:1"})


def is_loopback(host: str) -> bool:
    """True for the loopback names and addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    return host in LOOPBACK_NAMES or host.startswith("127.")


def split_entry(entry: str) -> tuple[str, int | None]:
    """'host', 'host:port', '[v6]:port' or a bare IPv6 address -> (host, port or None)."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    if entry.count(":") == 1 and entry.rsplit(":", 1)[1].isdigit():
        host, port = entry.rsplit(":", 1)
        return host, int(port)
    return entry, None


@dataclass
class NetworkPolicy:
    """Block or not, and the HOST or HOST:PORT entries allowed besides loopback."""

    block: bool = False
    allow: list[str] = field(default_factory=list)

    def allows(self, host: str, port: int | None) -> bool:
        """May an add-on reach host:port? (port None: a name lookup, checked by host only)."""
        if not self.block or is_loopback(host):
            return True
        host = host.strip("[]").lower()
        for entry in self.allow:
            name, entry_port = split_entry(entry)
            if name == host and (entry_port is None or port is None or entry_port == port):
                return True
        return False


def policy_path(state_dir: str | Path) -> Path:
    """The policy file of a home (`state_dir` is `<home>/.fake_kodi`)."""
    return Path(state_dir) / POLICY_FILE


def read_policy(state_dir: str | Path) -> NetworkPolicy:
    """The home's policy; no file means no blocking (a home made outside the pytest plugin)."""
    try:
        data = json.loads(policy_path(state_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NetworkPolicy()
    return NetworkPolicy(block=bool(data.get("block")), allow=[str(entry) for entry in data.get("allow", [])])


def write_policy(state_dir: str | Path, policy: NetworkPolicy) -> None:
    """Store the policy for the interpreters started from now on (atomically: one may be reading)."""
    path = policy_path(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    partial.write_text(json.dumps({"block": policy.block, "allow": policy.allow}), encoding="utf-8")
    os.replace(partial, path)


def record_blocked(state_dir: str | Path, entry: dict) -> None:
    """Append one refused attempt (O_APPEND: several interpreters may write at once)."""
    line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(Path(state_dir) / BLOCKED_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read_blocked(state_dir: str | Path) -> list[dict]:
    """Every refused attempt so far, in order."""
    try:
        text = (Path(state_dir) / BLOCKED_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]
