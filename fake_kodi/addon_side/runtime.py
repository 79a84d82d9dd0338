"""The concrete Session: what one add-on interpreter sees of Kodi (see session.py).

One `Runtime` per interpreter (plugin call, service, `fake-kodi call`), built by interpreter.py.
State Kodi keeps across processes lives in files of the home (fake_kodi/home/): settings, Window
properties (shared_state), kodi.log (kodi_log), the virtual clock (clock) and the append-only
event journal (event_journal) through which settings saves and NotifyAll messages reach the
service process.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any, Protocol

from fake_kodi.addon_side import kodi_info
from fake_kodi.addon_side import session as session_module
from fake_kodi.addon_side.dialogs import DialogScript
from fake_kodi.addon_side.session import FakeKodiError, UnexpectedDialog
from fake_kodi.home.addons import AddonManifest, load_installed
from fake_kodi.home.event_journal import EventJournal
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.home.kodi_log import LOGDEBUG, LOGINFO, KodiLog

LIVE_SETTINGS_DIR = "live_settings"
# Window ids that exist in Kodi 20 (home, media windows, dialogs, fullscreen, add-on windows).
KNOWN_WINDOW_RANGES = (
    (10000, 10200),
    (10500, 10700),
    (11000, 11200),
    (12000, 12010),
    (12600, 12601),
    (12900, 12904),
    (12997, 13000),
    (13000, 13100),
    (14000, 14100),
)


class TimeSource(Protocol):
    """How waits pass: plugin calls just let (virtual) time go by; the service is driven (service_mode)."""

    def now(self) -> float: ...
    def wait(self, seconds: float | None, abortable: bool) -> bool: ...
    def abort_requested(self) -> bool: ...


class CapturingLog(KodiLog):
    """kodi.log that also keeps what this interpreter wrote (for PluginResult.log)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.captured: list[str] = []

    def write(self, msg: str, level: int) -> str | None:
        entry = super().write(msg, level)
        if entry is not None:
            self.captured.append(entry.rstrip("\n"))
        return entry


class PluginTime:
    """Waits in a plugin call or `fake-kodi call`: nobody aborts them, so they just pass time.

    On a virtual clock the time passes for the whole home (the clock file moves, never back),
    so a Trakt simulator following the file sees a polling plugin wait.
    """

    def __init__(self, clock: Any):
        self.clock = clock

    def now(self) -> float:
        return self.clock.now()

    def wait(self, seconds: float | None, abortable: bool) -> bool:
        if not abortable and (seconds is None or seconds <= 0):
            return False
        if seconds is None or seconds <= 0:
            # Kodi would block until it quits; in a test that is a hang, so say so instead.
            raise FakeKodiError(
                "waitForAbort() without a timeout in a plugin call blocks until Kodi quits; "
                "a plugin must return promptly"
            )
        if self.clock.virtual:
            self.clock.advance_shared(seconds)
        else:
            self.clock.sleep(seconds)
        return False

    def abort_requested(self) -> bool:
        return False


class Runtime(session_module.Session):
    """The fake Kodi behind the xbmc* modules for one interpreter."""

    def __init__(
        self,
        home: KodiHome,
        addon_id: str,
        *,
        mode: str,
        time_source: TimeSource,
        handle: int = -1,
        kodi_version: int = 20,
        dialogs: DialogScript | None = None,
        debug_log: bool = False,
    ):
        self.home = home
        self.addon_id = addon_id
        self.mode = mode
        self.handle = handle
        self.kodi_version = kodi_version
        self.time = time_source
        self.dialogs = dialogs if dialogs is not None else DialogScript()
        # Log lines carry the home's time (virtual in service runs), so they line up with events.
        self.kodi_log = CapturingLog(
            home.log_path, min_level=LOGDEBUG if debug_log else LOGINFO, clock=time_source.now
        )
        self.journal = EventJournal(home.state_dir)
        self.records: list[tuple[str, dict[str, Any]]] = []
        self.fake_errors: list[dict[str, str]] = []
        self.monitors: list[weakref.ref] = []
        self.screensaver_active = False
        self._player: dict[str, Any] = {
            "file": "",
            "time": 0.0,
            "total": 0.0,
            "playing": False,
            "paused": False,
        }
        self._manifests: dict[str, AddonManifest] | None = None
        self._snapshots: dict[str, list[Any]] = {}
        self._shared: Any = None
        self._strings: dict[str, dict[int, str]] = {}

    # identity / add-ons ------------------------------------------------------------------
    @property
    def manifests(self) -> dict[str, AddonManifest]:
        if self._manifests is None:
            self._manifests = load_installed(self.home)
        return self._manifests

    @property
    def manifest(self) -> AddonManifest:
        return self._manifest_or_raise(self.addon_id)

    def _manifest_or_raise(self, addon_id: str | None) -> AddonManifest:
        addon_id = addon_id or self.addon_id
        manifest = self.manifests.get(addon_id)
        if manifest is None:
            raise RuntimeError(f"Unknown addon id '{addon_id}'.")
        return manifest

    def addon_exists(self, addon_id: str) -> bool:
        return addon_id in self.manifests

    def addon_info(self, addon_id: str | None, key: str) -> str:
        return self._manifest_or_raise(addon_id).info(key)

    def translate_path(self, path: str) -> str:
        return self.home.translate_path(path)

    def localized_string(self, addon_id: str | None, string_id: int) -> str:
        addon_id = addon_id or self.addon_id
        if addon_id not in self._strings:
            from fake_kodi.home.core_strings import CORE_STRINGS_ADDON, core_strings_po, load_core_strings
            from fake_kodi.home.strings import load_strings

            manifest = self.manifests.get(addon_id)
            if addon_id == CORE_STRINGS_ADDON:
                # Kodi's own strings (xbmc.getLocalizedString): a language add-on keeps them in
                # resources/strings.po; without one found, the fake's table of common ones.
                home = self.home
                self._strings[addon_id] = load_core_strings(
                    core_strings_po(home.state_dir, home.addons_dir, home.xbmc_dir)
                )
            else:
                self._strings[addon_id] = load_strings(manifest.path) if manifest is not None else {}
        return self._strings[addon_id].get(int(string_id), "")

    # settings ----------------------------------------------------------------------------
    def settings_for(self, addon_id: str | None) -> Any:
        from fake_kodi.home.settings import AddonSettings

        manifest = self._manifest_or_raise(addon_id)
        snapshot = AddonSettings(self.home, manifest, on_saved=self.on_settings_saved, log=self.log)
        live = self._snapshots.setdefault(manifest.id, [])
        live.append(snapshot)
        if self.mode == "service" and len(live) == 1:
            self._mark_live_settings(manifest.id, True)
        return snapshot

    def release_settings(self, snapshot: Any) -> None:
        for addon_id, live in self._snapshots.items():
            if snapshot in live:
                live.remove(snapshot)
                if self.mode == "service" and not live:
                    self._mark_live_settings(addon_id, False)

    def first_live_settings(self, addon_id: str) -> Any | None:
        live = self._snapshots.get(addon_id)
        return live[0] if live else None

    def on_settings_saved(self, snapshot: Any) -> None:
        addon_id = snapshot_addon_id(snapshot)
        # Kodi reloads only the first live Addon() of that id, in any interpreter: when the
        # service holds one, that is the service's (it started first), not ours.
        if self.mode == "service" or not self._service_holds_settings(addon_id):
            first = self.first_live_settings(addon_id)
            if first is not None and first is not snapshot:
                first.reload()
        self.journal.append({"type": "settings_saved", "addon_id": addon_id, "pid": os.getpid()})

    def _live_marker(self, addon_id: str) -> Path:
        return self.home.state_dir / LIVE_SETTINGS_DIR / addon_id

    def _mark_live_settings(self, addon_id: str, live: bool) -> None:
        marker = self._live_marker(addon_id)
        if live:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(str(os.getpid()), encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)

    def _service_holds_settings(self, addon_id: str) -> bool:
        try:
            pid = int(self._live_marker(addon_id).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return False
        return pid != os.getpid() and _pid_alive(pid)

    # log ---------------------------------------------------------------------------------
    def log(self, msg: str, level: int = LOGDEBUG) -> None:
        self.kodi_log.write(msg, level)

    def log_exception(self, tb_text: str) -> None:
        """Log an uncaught exception the way Kodi's PythonInvoker does."""
        self.kodi_log.exception(tb_text)

    @property
    def log_lines(self) -> list[str]:
        """The kodi.log entries this interpreter wrote (continuation lines included)."""
        return self.kodi_log.captured

    # window properties -------------------------------------------------------------------
    @property
    def shared(self) -> Any:
        if self._shared is None:
            from fake_kodi.home.shared_state import SharedState

            self._shared = SharedState(self.home)
        return self._shared

    def window_exists(self, window_id: int) -> bool:
        return any(low <= int(window_id) < high for low, high in KNOWN_WINDOW_RANGES)

    def get_property(self, window_id: int, key: str) -> str:
        return self.shared.get_property(window_id, key)

    def set_property(self, window_id: int, key: str, value: str) -> None:
        self.shared.set_property(window_id, key, value)

    def clear_property(self, window_id: int, key: str) -> None:
        self.shared.clear_property(window_id, key)

    def kodi_setting(self, setting_id: str) -> tuple[bool, Any]:
        return self.shared.kodi_setting(setting_id)

    def set_kodi_setting(self, setting_id: str, value: Any) -> None:
        self.shared.set_kodi_setting(setting_id, value)

    def clear_properties(self, window_id: int) -> None:
        self.shared.clear_properties(window_id)

    # records and dialogs -----------------------------------------------------------------
    def record(self, kind: str, payload: dict[str, Any]) -> None:
        self.records.append((kind, dict(payload)))

    def answer_dialog(self, kind: str, details: dict[str, Any]) -> Any:
        try:
            return self.dialogs.answer(kind, details)
        except UnexpectedDialog as exc:
            # Remembered so the call fails even when the add-on swallows the exception.
            self.fake_errors.append({"type": "UnexpectedDialog", "message": str(exc), "traceback": ""})
            raise

    # time and monitors -------------------------------------------------------------------
    def now(self) -> float:
        return self.time.now()

    def wait_for_abort(self, timeout: float | None = None) -> bool:
        return self.time.wait(timeout, abortable=True)

    def sleep_ms(self, ms: int) -> None:
        if ms > 0:
            self.time.wait(ms / 1000.0, abortable=False)

    def abort_requested(self) -> bool:
        return self.time.abort_requested()

    def register_monitor(self, monitor: Any) -> None:
        self.monitors.append(weakref.ref(monitor))

    def unregister_monitor(self, monitor: Any) -> None:
        self.monitors = [ref for ref in self.monitors if ref() is not None and ref() is not monitor]

    def live_monitors(self) -> list[Any]:
        """Monitors still alive, in creation order (Kodi calls each one)."""
        alive = [ref() for ref in self.monitors]
        return [monitor for monitor in alive if monitor is not None]

    # builtins, JSON-RPC, info (answered in kodi_info.py) ---------------------------------
    def execute_builtin(self, command: str, wait: bool = False) -> None:
        kodi_info.execute_builtin(self, command, wait)

    def notify_all(self, sender: str, message: str, data: str) -> None:
        """JSONRPC.NotifyAll: reaches every Monitor as ('sender', 'Other.<message>', data)."""
        self.journal.append({"type": "notify", "sender": sender, "method": f"Other.{message}", "data": data})

    def execute_jsonrpc(self, request: str) -> str:
        response = kodi_info.execute_jsonrpc(self, request)
        self.record("jsonrpc", {"request": request, "response": response})
        return response

    def cond_visibility(self, condition: str) -> bool:
        return kodi_info.cond_visibility(self, condition)

    def info_label(self, label: str) -> str:
        return kodi_info.info_label(self, label)

    def player_state(self) -> dict[str, Any]:
        return self._player


def snapshot_addon_id(snapshot: Any) -> str:
    """The add-on id an AddonSettings snapshot belongs to."""
    manifest = getattr(snapshot, "manifest", None)
    return manifest.id if manifest is not None else getattr(snapshot, "addon_id", "")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
