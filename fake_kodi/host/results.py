"""What a plugin call or a service run left behind, as plain dataclasses (JSON-ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Kodi's 5 s after abort: the service child enforces it, ServiceResult.ok judges by it.
from fake_kodi.addon_side.service_mode import ABORT_LIMIT_MS


@dataclass
class PluginResult:
    """One plugin:// call: its status and everything Kodi would have seen."""

    status: str  # "directory" | "resolved" | "no_response" | "exception"
    url: str
    argv: list[str]
    handle: int
    items: list[dict[str, Any]] = field(default_factory=list)
    end_of_directory: dict[str, Any] | None = None
    resolved: dict[str, Any] | None = None
    content: str | None = None
    sort_methods: list[dict[str, Any]] = field(default_factory=list)
    category: str | None = None
    plugin_fanart: dict[str, Any] | None = None
    plugin_properties: dict[str, str] = field(default_factory=dict)
    dialogs: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    builtins: list[dict[str, Any]] = field(default_factory=list)
    jsonrpc: list[dict[str, Any]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None
    unused_answers: list[str] = field(default_factory=list)
    followups: list[PluginResult] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def labels(self) -> list[str]:
        """The labels of the listed items, in order (the commonest assertion)."""
        return [item.get("label", "") for item in self.items]

    @property
    def resolved_url(self) -> str | None:
        """The path of the item given to setResolvedUrl, if any."""
        if not self.resolved:
            return None
        return (self.resolved.get("item") or {}).get("path")

    @property
    def run_plugin_urls(self) -> list[str]:
        """URLs the call asked Kodi to run with RunPlugin(...)."""
        return [b["url"] for b in self.builtins if b.get("name", "").lower() == "runplugin" and b.get("url")]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the `fake-kodi run --json` output)."""
        return asdict(self)


@dataclass
class ServiceResult:
    """One service run: did it return in time after abort, what it logged, what it raised."""

    returned: bool
    abort_latency_ms: float | None
    log: list[str] = field(default_factory=list)
    exception: dict[str, str] | None = None
    virtual_end: float = 0.0
    virtual_start: float = 0.0
    killed: bool = False
    ended_before_abort: bool = False
    notifications: list[dict[str, Any]] = field(default_factory=list)
    builtins: list[dict[str, Any]] = field(default_factory=list)
    dialogs: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Returned by itself within Kodi's 5 s after abort, without an exception."""
        return (
            self.returned
            and not self.killed
            and self.exception is None
            and self.abort_latency_ms is not None
            and self.abort_latency_ms <= ABORT_LIMIT_MS
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the `fake-kodi service --json` output)."""
        data = asdict(self)
        data["ok"] = self.ok
        return data


class CallError(Exception):
    """`fake-kodi call`: the add-on function raised; carries its type, message and traceback."""

    def __init__(self, error: dict[str, str]):
        self.error = error
        super().__init__(f"{error.get('type', 'Error')}: {error.get('message', '')}")
