"""Fixtures for the Kodi API modules: a RecordingSession test double and the modules themselves.

The modules live in fake_kodi/addon_side/kodi_api/, a folder (not a package) that the runtime puts first on
the add-on's sys.path; the `kodi_api` fixture does the same and removes them again afterwards.
"""

from __future__ import annotations

import sys
from collections import defaultdict, deque
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fake_kodi.addon_side import session as session_module

KODI_API_DIR = Path(__file__).resolve().parents[4] / "fake_kodi" / "addon_side" / "kodi_api"
API_MODULES = ["xbmc", "xbmcaddon", "xbmcgui", "xbmcplugin", "xbmcvfs", "xbmcdrm"]


class DictSettings:
    """A minimal settings snapshot: string storage with Kodi's method names used by the tests."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            self.calls.append((name, args))
            if name == "getSetting":
                return self.values.get(args[0], "")
            if name == "setSetting":
                self.values[args[0]] = args[1]
                return None
            if name == "getStringList":
                return self.values.get(args[0], "").split("|")
            return None

        return call


class RecordingSession:
    """Implements the Session methods the API modules call, recording every call."""

    def __init__(self, tmp_path: Path) -> None:
        self.addon_id = "plugin.video.example"
        self.kodi_version = 20
        self.mode = "plugin"
        self.handle = 1
        self.home = tmp_path
        self.records: list[tuple[str, dict]] = []
        self.logs: list[tuple[str, int]] = []
        self.answers: dict[str, deque] = defaultdict(deque)
        self.dialogs: list[tuple[str, dict]] = []
        self.properties: dict[tuple[int, str], str] = {}
        self.windows = {10000, 10025}
        self.installed = {"plugin.video.example", "script.module.requests"}
        self.settings_values: dict[str, str] = {"user": "alice", "tags": "a|b"}
        self.released: list[Any] = []
        self.monitors: list[Any] = []
        self.waits: list[float | None] = []
        self.sleeps: list[int] = []
        self.builtins: list[tuple[str, bool]] = []
        self.jsonrpc: list[str] = []
        self.player: dict[str, Any] = {}
        self.aborting = False

    # identity / paths / add-ons
    def translate_path(self, path: str) -> str:
        prefix = "special://profile/"
        return str(self.home / "userdata" / path[len(prefix) :]) if path.startswith(prefix) else ""

    def addon_exists(self, addon_id: str) -> bool:
        return addon_id in self.installed

    def addon_info(self, addon_id: str, key: str) -> str:
        return {"id": addon_id, "name": "Example"}.get(key, "")

    def settings_for(self, addon_id: str) -> DictSettings:
        return DictSettings(self.settings_values)

    def release_settings(self, snapshot: Any) -> None:
        self.released.append(snapshot)

    def localized_string(self, addon_id: str, string_id: int) -> str:
        return f"{addon_id}:{string_id}"

    # log / window / record / dialogs
    def log(self, msg: str, level: int) -> None:
        self.logs.append((msg, level))

    def get_property(self, window_id: int, key: str) -> str:
        return self.properties.get((window_id, key.lower()), "")

    def set_property(self, window_id: int, key: str, value: str) -> None:
        if value:
            self.properties[(window_id, key.lower())] = value
        else:
            self.properties.pop((window_id, key.lower()), None)

    def clear_property(self, window_id: int, key: str) -> None:
        self.properties.pop((window_id, key.lower()), None)

    def clear_properties(self, window_id: int) -> None:
        for key in [k for k in self.properties if k[0] == window_id]:
            del self.properties[key]

    def window_exists(self, window_id: int) -> bool:
        return window_id in self.windows

    def record(self, kind: str, payload: dict) -> None:
        self.records.append((kind, payload))

    def recorded(self, kind: str) -> list[dict]:
        return [payload for k, payload in self.records if k == kind]

    def answer_dialog(self, kind: str, details: dict) -> Any:
        self.dialogs.append((kind, details))
        return self.answers[kind].popleft() if self.answers[kind] else None

    # time / monitors / builtins / info / player
    def now(self) -> float:
        return 1_700_000_000.0

    def wait_for_abort(self, timeout: float | None) -> bool:
        self.waits.append(timeout)
        return self.aborting

    def sleep_ms(self, ms: int) -> None:
        self.sleeps.append(ms)

    def abort_requested(self) -> bool:
        return self.aborting

    def register_monitor(self, monitor: Any) -> None:
        self.monitors.append(monitor)

    def unregister_monitor(self, monitor: Any) -> None:
        if monitor in self.monitors:
            self.monitors.remove(monitor)

    def execute_builtin(self, command: str, wait: bool) -> None:
        self.builtins.append((command, wait))

    def execute_jsonrpc(self, request: str) -> str:
        self.jsonrpc.append(request)
        return '{"id":1,"jsonrpc":"2.0","result":"OK"}'

    def cond_visibility(self, condition: str) -> bool:
        return condition == "System.Platform.Linux"

    def info_label(self, label: str) -> str:
        return "20.1" if label == "System.BuildVersion" else label

    def player_state(self) -> dict[str, Any]:
        return self.player


@pytest.fixture
def session(tmp_path: Path):
    """A fresh RecordingSession, active for the test."""
    recording = RecordingSession(tmp_path)
    session_module.activate(recording)
    yield recording
    session_module.activate(None)


@pytest.fixture
def kodi_api(session: RecordingSession):
    """The six Kodi modules, imported from fake_kodi/addon_side/kodi_api as an add-on imports them."""
    sys.path.insert(0, str(KODI_API_DIR))
    try:
        modules = {name: __import__(name) for name in API_MODULES}
        yield SimpleNamespace(**modules)
    finally:
        sys.path.remove(str(KODI_API_DIR))
        for name in [m for m in sys.modules if m in API_MODULES or m.startswith("_fk_")]:
            del sys.modules[name]
