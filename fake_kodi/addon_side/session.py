"""The seam between Kodi's Python API (kodi_api/xbmc*.py) and the fake runtime.

Every add-on interpreter (a plugin call, the service, a `fake-kodi call`) has exactly one
active `Session`: the runtime creates it before the add-on's code runs (see interpreter.py), and the
xbmc* modules reach it only through `current()`. The xbmc* modules hold no state of their own
beyond the objects an add-on creates (ListItem, Monitor, ...); everything Kodi would keep
(settings, properties, the log, dialogs answered, items listed, time) lives behind this class.

This file is the contract: the API modules call only what is declared here.
"""

from __future__ import annotations

from typing import Any

_current: Session | None = None


class FakeKodiError(Exception):
    """An add-on did something the fake cannot answer (e.g. an unexpected dialog)."""


class UnexpectedDialog(FakeKodiError):
    """A dialog was opened that the test's script of answers did not expect."""


def current() -> Session:
    """The session of this interpreter; raises when the fake runtime was not started."""
    if _current is None:
        raise FakeKodiError(
            "fake_kodi: no Kodi session is active in this interpreter; "
            "run the add-on through fake_kodi (fake-kodi run/service/call or the pytest `kodi` fixture)"
        )
    return _current


def activate(session: Session | None) -> None:
    """Make `session` the active one (None deactivates)."""
    global _current
    _current = session


class Session:
    """What one add-on interpreter sees of Kodi. Implemented in fake_kodi/addon_side/runtime.py.

    Method groups (all names are stable; the API modules depend on them):

    identity   addon_id: str (the add-on being run); kodi_version: int (20 or 21);
               mode: 'plugin' | 'service' | 'call'; handle: int
    paths      translate_path(path) -> str            (special:// rules of Kodi 20)
    add-ons    addon_info(addon_id, key) -> str        (getAddonInfo; RuntimeError for bad key)
               addon_exists(addon_id) -> bool
    settings   settings_for(addon_id) -> AddonSettings  (a fresh snapshot for one Addon()
               instance; its methods carry Kodi's names and behaviour: getSetting,
               getSettingBool/Int/Number/String, setSetting, setSettingBool/Int/Number/String,
               and the xbmcaddon.Settings ones getBool/getInt/.../setStringList; setters persist
               to userdata/addon_data/<id>/settings.xml, reload the first live snapshot and
               notify the service, exactly as KODI_BEHAVIOUR.md section 2 says)
               release_settings(snapshot)               (the Addon() object was collected)
    log        log(msg: str, level: int)               (kodi.log line in Kodi's format + capture)
    window     get_property(window_id, key) -> str; set_property(window_id, key, value);
               clear_property(window_id, key); window_exists(window_id) -> bool
    record     record(kind: str, payload: dict)        (kinds: 'item', 'end_of_directory',
               'resolved', 'content', 'sort_method', 'category', 'plugin_setting', 'builtin',
               'notification', 'dialog', 'player', 'jsonrpc', 'property')
    dialogs    answer_dialog(kind: str, details: dict) -> Any
               (kind: 'ok', 'yesno', 'yesnocustom', 'select', 'multiselect', 'contextmenu',
               'input', 'numeric', 'browse', 'textviewer', 'keyboard', 'progress_update',
               'progress_iscanceled', ...; raises UnexpectedDialog when strict and unscripted)
    time       now() -> float (epoch seconds, virtual in service runs);
               wait_for_abort(timeout: float | None) -> bool;  sleep_ms(ms: int);
               abort_requested() -> bool
    monitors   register_monitor(monitor) / unregister_monitor(monitor)
               (callbacks onSettingsChanged, onNotification, onScreensaver* are called on the
               service's own thread from inside wait_for_abort/sleep_ms)
    builtins   execute_builtin(command: str, wait: bool) -> None
    json-rpc   execute_jsonrpc(request: str) -> str
    info       cond_visibility(condition: str) -> bool; info_label(label: str) -> str
    player     player_state() -> dict (mutable: file, time, total, playing, paused)
    """

    addon_id: str
    kodi_version: int
    mode: str
    handle: int

    def __getattr__(self, name: str) -> Any:  # pragma: no cover - documents the contract
        raise NotImplementedError(
            f"fake_kodi.addon_side.session.Session.{name} is implemented by fake_kodi.addon_side.runtime"
        )
