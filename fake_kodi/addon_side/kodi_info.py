"""Builtins, info labels, conditions and JSON-RPC: the few that add-ons use, answered as Kodi 20 does.

Anything else is recorded and reported as unknown, never faked. Each function takes the
interpreter's Runtime (runtime.py), whose methods of the same job call in here; what they may use of
it is the RuntimeView below, so this module does not import runtime.py.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from fake_kodi.home.addon_manifest import AddonManifest
from fake_kodi.home.kodi_log import LOGERROR, LOGWARNING


class RuntimeView(Protocol):
    """The part of the Runtime that builtins, conditions, info labels and JSON-RPC read or change."""

    kodi_version: int
    screensaver_active: bool

    @property
    def manifests(self) -> dict[str, AddonManifest]: ...
    def addon_exists(self, addon_id: str) -> bool: ...
    def log(self, msg: str, level: int = ...) -> None: ...
    def record(self, kind: str, payload: dict[str, Any]) -> None: ...
    def get_property(self, window_id: int, key: str) -> str: ...
    def set_property(self, window_id: int, key: str, value: str) -> None: ...
    def clear_property(self, window_id: int, key: str) -> None: ...
    def kodi_setting(self, setting_id: str) -> tuple[bool, Any]: ...
    def set_kodi_setting(self, setting_id: str, value: Any) -> None: ...
    def notify_all(self, sender: str, message: str, data: str) -> None: ...
    def player_state(self) -> dict[str, Any]: ...


def _finish_param(parameter: str) -> str:
    # Kodi trims one pair of enclosing quotes; for name="value" it cuts from the first quote on, which
    # leaves 'name=' (real Kodi 20.1 hands `name="v,w"` to a script as 'name=').
    if len(parameter) > 1 and parameter[0] == '"' and parameter[-1] == '"':
        return parameter[1:-1]
    if len(parameter) > 3 and parameter[-1] == '"':
        quote = parameter.find('"')
        if 1 < quote < len(parameter) - 1 and parameter[quote - 1] == "=":
            return parameter[:quote]
    return parameter


def split_params(text: str) -> list[str]:
    """Split builtin parameters the way Kodi's CUtil::SplitParams does.

    Commas separate, except inside double quotes or parentheses (brackets do not group); `\\"` and
    `\\\\` are escapes; spaces around an unquoted parameter are dropped; one pair of enclosing quotes
    is removed at the end. `a, "b,c", f(d,e), [x,y]` gives ['a', 'b,c', 'f(d,e)', '[x', 'y]'].
    """
    params: list[str] = []
    parameter = ""
    in_quotes = False
    last_escaped = False
    depth = 0
    trailing_space_at = 0  # where unquoted trailing spaces start (0: none)
    for pos, char in enumerate(text):
        escaped = pos > 0 and text[pos - 1] == "\\" and not last_escaped
        last_escaped = escaped
        if in_quotes:
            if char == '"' and not escaped:
                in_quotes = False
        else:
            if char == '"' and not escaped:
                in_quotes = True
            if depth and char == ")":
                depth -= 1
            if char == "(":
                depth += 1
            if not depth and char == ",":
                if trailing_space_at:
                    parameter = parameter[:trailing_space_at]
                params.append(_finish_param(parameter))
                parameter, trailing_space_at = "", 0
                continue
        if char in '"\\' and escaped:
            parameter = parameter[:-1] + char  # the backslash before it goes
            continue
        if char == " " and not in_quotes:
            if not parameter:
                continue
            if not trailing_space_at:
                trailing_space_at = len(parameter)
        else:
            trailing_space_at = 0
        parameter += char
    if trailing_space_at:
        parameter = parameter[:trailing_space_at]
    parameter = _finish_param(parameter)
    if parameter or params:
        params.append(parameter)
    return params


def parse_builtin(command: str) -> tuple[str, list[str]]:
    """Split `Name(a, "b,c", d)` into ('Name', ['a', 'b,c', 'd']) like Kodi's SplitExecFunction."""
    opening, closing = command.find("("), command.rfind(")")
    if opening < 0 or closing < 0:
        name, body = command, ""
    else:
        name, body = command[:opening], command[opening + 1 : closing]
    name = name.strip()
    if name.lower().startswith("xbmc."):
        name = name[5:]
    return name, split_params(body)


def script_argv(rt: RuntimeView, name: str, args: list[str]) -> list[str] | None:
    """The sys.argv a script started by RunScript or RunAddon gets, as real Kodi 20.1 builds it.

    argv[0] is the file name of the script's library (addon.xml's library= without folders); RunAddon joins
    its parameters with commas and hands them to RunScript, so they are split again and their quotes are lost.
    """
    if not args:
        return None
    if name == "runaddon":
        args = split_params(",".join(args))
    manifest = rt.manifests.get(args[0])
    if manifest is None:
        return None
    # Only the file name: real Kodi 20.1 gives 'run.py' for library="resources/lib/run.py".
    library = (manifest.script_library or "").rsplit("/", 1)[-1]
    return [library, *args[1:]]


def execute_builtin(rt: RuntimeView, command: str, wait: bool = False) -> None:
    """xbmc.executebuiltin: act on the builtins that change shared state, record every one."""
    name, args = parse_builtin(command)
    entry: dict[str, Any] = {"command": command, "name": name, "args": args, "wait": wait}
    lowered = name.lower()
    if lowered in ("runplugin", "container.update", "activatewindow", "playmedia") and args:
        entry["url"] = args[-1] if lowered == "activatewindow" and len(args) > 1 else args[0]
    if lowered in ("runscript", "runaddon"):  # there is no ExecuteAddon builtin: Kodi 20.1 ignores it
        entry["argv"] = script_argv(rt, lowered, args)
    if lowered == "notifyall" and len(args) >= 2:
        data = args[2] if len(args) > 2 else "null"
        rt.notify_all(args[0], args[1], data)
    elif lowered == "setproperty" and len(args) >= 2:
        rt.set_property(10000, args[0], args[1])
    elif lowered == "clearproperty" and args:
        rt.clear_property(10000, args[0])
    rt.record("builtin", entry)


def _split_top(text: str, operator: str) -> list[str]:
    """Split on `operator` outside of () and [] groups."""
    parts, current, depth = [], "", 0
    for char in text:
        depth += char in "([" and 1 or (char in ")]" and -1 or 0)
        if char == operator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def cond_visibility(rt: RuntimeView, condition: str) -> bool:
    """xbmc.getCondVisibility: `!`, `+` (and), `|` (or) and [] groups over the known atoms."""
    if condition.count("(") != condition.count(")") or condition.count("[") != condition.count("]"):
        rt.log(f"Error parsing boolean expression {condition}: unmatched parentheses", LOGERROR)
        return False
    return _evaluate(rt, condition.strip())


def _evaluate(rt: RuntimeView, expression: str) -> bool:
    alternatives = _split_top(expression, "|")
    if len(alternatives) > 1:
        return any(_evaluate(rt, part.strip()) for part in alternatives)
    terms = _split_top(expression, "+")
    if len(terms) > 1:
        return all(_evaluate(rt, part.strip()) for part in terms)
    if expression.startswith("!"):
        return not _evaluate(rt, expression[1:].strip())
    if expression.startswith("[") and expression.endswith("]"):
        return _evaluate(rt, expression[1:-1].strip())
    return _condition_atom(rt, expression)


def _condition_atom(rt: RuntimeView, atom: str) -> bool:
    name, args = parse_builtin(atom)
    key = name.lower()
    player = rt.player_state()
    simple = {
        "true": True,
        "yes": True,
        "system.platform.linux": True,
        "system.screensaveractive": rt.screensaver_active,
        "player.hasmedia": bool(player.get("file")),
        "player.hasvideo": bool(player.get("file")),
        "player.playing": bool(player.get("playing")) and not player.get("paused"),
        "player.paused": bool(player.get("paused")),
    }
    if key in simple:
        return simple[key]
    if key in ("system.hasaddon", "system.addonisenabled") and args:
        return rt.addon_exists(args[0])
    if key == "string.isempty" and args:
        return info_label(rt, args[0]) == ""
    if key == "string.isequal" and len(args) == 2:
        return info_label(rt, args[0]).lower() == args[1].lower()
    if key in ("window.isvisible", "window.isactive") and args:
        return args[0].lower() in ("home", "10000")
    return False


def known_info_label(rt: RuntimeView, label: str) -> str | None:
    """The value of an info label the fake knows, None for the others."""
    lowered = label.lower()
    if lowered == "system.buildversion":
        return (
            "20.1 Debian package version: 2:20.1+dfsg-1"
            if rt.kodi_version == 20
            else "21.2 Debian package version: 2:21.2+dfsg-4"
        )
    if lowered.startswith(("window(home).property(", "window(10000).property(", "window.property(")):
        key = label[label.lower().rfind("property(") + len("property(") : -1]
        return rt.get_property(10000, key)
    if lowered == "player.filenameandpath":
        return str(rt.player_state().get("file", ""))
    if lowered == "system.currentwindow":
        return "Home"  # the fake has no window stack: a plugin listed over JSON-RPC runs with Home shown
    return None


def info_label(rt: RuntimeView, label: str) -> str:
    """xbmc.getInfoLabel: the few labels add-ons read; an unknown label is echoed as Kodi does."""
    known = known_info_label(rt, label)
    return label if known is None else known


class _InvalidParams(Exception):
    pass


def _rpc_version(rt: RuntimeView, params: dict) -> Any:
    return {"version": {"major": 13, "minor": 0 if rt.kodi_version == 20 else 5, "patch": 0}}


def _rpc_notify_all(rt: RuntimeView, params: dict) -> Any:
    if not isinstance(params.get("sender"), str) or not isinstance(params.get("message"), str):
        raise _InvalidParams
    if "data" in params and params["data"] is None:
        raise _InvalidParams  # Kodi refuses an explicit JSON null
    data = json.dumps(params["data"], separators=(",", ":")) if "data" in params else "null"
    rt.notify_all(params["sender"], params["message"], data)
    return "OK"


def _addon_details(manifest: AddonManifest) -> dict[str, Any]:
    return {
        "addonid": manifest.id,
        "type": manifest.type_info,
        "name": manifest.name,
        "version": manifest.version,
        "enabled": True,
    }


def _rpc_addon_details(rt: RuntimeView, params: dict) -> Any:
    manifest = rt.manifests.get(params.get("addonid", ""))
    if manifest is None:
        raise _InvalidParams
    return {"addon": _addon_details(manifest)}


def _rpc_active_players(rt: RuntimeView, params: dict) -> Any:
    return (
        [{"playerid": 1, "playertype": "internal", "type": "video"}] if rt.player_state().get("file") else []
    )


# Settings.GetSettingValue answers of Kodi 20.1 with a fresh profile (asked of the real one), for
# the settings add-ons commonly read. Kodi answers -32602 for a setting it does not have or does not
# show (debug.showloginfo); the fake does the same for every setting missing here and logs a warning.
KODI_SETTINGS: dict[str, Any] = {
    "locale.language": "resource.language.en_gb",
    "locale.audiolanguage": "mediadefault",
    "locale.subtitlelanguage": "original",
    "locale.keyboardlayouts": ["English QWERTY"],
    "subtitles.languages": ["English"],
    "lookandfeel.skin": "skin.estuary",
    "filelists.showparentdiritems": True,
    "videolibrary.showunwatchedplots": [0, 1, 2],
    "videoplayer.autoplaynextitem": [],
    "input.enablemouse": True,
    "network.usehttpproxy": False,
    "services.webserver": False,
    "services.webserverport": 8080,
    "debug.extralogging": False,
}


# Settings Kodi itself answers -32602 for (it does not show them), measured in Kodi 20.1 and 21.2
# (tests/patterns/facts.py): the fake answers the same without its "not emulated" warning.
KODI_HIDDEN_SETTINGS = frozenset({"debug.showloginfo"})


def _current_setting(rt: RuntimeView, setting: Any) -> Any:
    if isinstance(setting, str) and setting in KODI_HIDDEN_SETTINGS:
        raise _InvalidParams
    if not isinstance(setting, str) or setting not in KODI_SETTINGS:
        rt.log(f"fake_kodi: Kodi setting {setting!r} is not emulated; answering Invalid params", LOGWARNING)
        raise _InvalidParams
    changed, value = rt.kodi_setting(setting)
    return value if changed else KODI_SETTINGS[setting]


def _rpc_setting_value(rt: RuntimeView, params: dict) -> Any:
    return {"value": _current_setting(rt, params.get("setting"))}


def _same_kind(value: Any, default: Any) -> bool:
    # JSON true is no integer to Kodi (and bool is an int subclass in Python).
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, list):
        kinds = {type(item) for item in default} or {int, str}
        return isinstance(value, list) and all(type(item) in kinds for item in value)
    return isinstance(value, type(default))


def _rpc_set_setting_value(rt: RuntimeView, params: dict) -> Any:
    # Real Kodi 20.1: True on success (also when the value does not change); -32602 for an unknown setting,
    # a missing value or a value of another type ("yes" for a boolean, "x" for an integer).
    default = _current_setting(rt, params.get("setting"))
    if "value" not in params or not _same_kind(params["value"], default):
        raise _InvalidParams
    rt.set_kodi_setting(params["setting"], params["value"])
    return True


# GUI.GetProperties of Kodi 20.1 (and 21.2) with the Home window shown and nothing playing.
GUI_PROPERTIES: dict[str, Any] = {
    "currentwindow": {"id": 10000, "label": "Home"},
    "currentcontrol": {"label": "Movies"},
    "skin": {"id": "skin.estuary", "name": "Estuary"},
    "fullscreen": False,
    "stereoscopicmode": {"label": "Disabled", "mode": "off"},
}


def _wanted(params: dict, key: str, known: Any = None) -> list[str]:
    # Kodi's schema wants a non-empty list (of known names, where they are enumerated).
    wanted = params.get(key)
    if not isinstance(wanted, list) or not wanted or not all(isinstance(name, str) for name in wanted):
        raise _InvalidParams
    if known is not None and any(name not in known for name in wanted):
        raise _InvalidParams
    return wanted


def _rpc_gui_properties(rt: RuntimeView, params: dict) -> Any:
    return {name: GUI_PROPERTIES[name] for name in _wanted(params, "properties", GUI_PROPERTIES)}


def _rpc_info_labels(rt: RuntimeView, params: dict) -> Any:
    # Unlike xbmc.getInfoLabel, which echoes an unknown label, JSON-RPC answers '' for it.
    return {label: known_info_label(rt, label) or "" for label in _wanted(params, "labels")}


def _rpc_execute_addon(rt: RuntimeView, params: dict) -> Any:
    # Real Kodi 20.1: an unknown add-on or a list with non-strings is Invalid params; a list is joined with
    # commas, an object becomes key=value pairs in key order; RunAddon then splits the text again.
    addon_id = params.get("addonid")
    if not isinstance(addon_id, str) or addon_id not in rt.manifests:
        raise _InvalidParams
    given = params.get("params", [])
    if isinstance(given, dict):
        given = [f"{key}={given[key]}" for key in sorted(given)]
    if isinstance(given, list) and not all(isinstance(item, str) for item in given):
        raise _InvalidParams
    text = ",".join(given) if isinstance(given, list) else str(given)
    command = f"RunAddon({addon_id},{text})" if text else f"RunAddon({addon_id})"
    execute_builtin(rt, command, bool(params.get("wait", False)))
    return "OK"


def _application_properties(kodi_version: int) -> dict[str, Any]:
    # Real 20.1 (Debian) answers revision "20230312-nogitfound"; 21.2's was not observed.
    revision = "20230312-nogitfound" if kodi_version == 20 else "nogitfound"
    return {
        "version": {
            "major": kodi_version,
            "minor": 1 if kodi_version == 20 else 2,
            "revision": revision,
            "tag": "stable",
        },
        "name": "Kodi",
        "volume": 100,
        "muted": False,
        "language": "en_GB",
    }


def _rpc_application_properties(rt: RuntimeView, params: dict) -> Any:
    wanted = params.get("properties")
    known = _application_properties(rt.kodi_version)
    if not isinstance(wanted, list) or any(name not in known for name in wanted):
        raise _InvalidParams  # Kodi's schema requires a list of known property names
    return {name: known[name] for name in wanted}


def _empty_library(key: str) -> Any:
    # The fake has no video library: an empty one is what a fresh Kodi answers.
    return lambda rt, params: {"limits": {"start": 0, "end": 0, "total": 0}, key: []}


RPC_METHODS = {
    "JSONRPC.Version": _rpc_version,
    "JSONRPC.Ping": lambda rt, params: "pong",
    "JSONRPC.NotifyAll": _rpc_notify_all,
    "Addons.GetAddonDetails": _rpc_addon_details,
    "Addons.GetAddons": lambda rt, params: {"addons": [_addon_details(m) for m in rt.manifests.values()]},
    "Player.GetActivePlayers": _rpc_active_players,
    "Settings.GetSettingValue": _rpc_setting_value,
    "Settings.SetSettingValue": _rpc_set_setting_value,
    "GUI.GetProperties": _rpc_gui_properties,
    "XBMC.GetInfoLabels": _rpc_info_labels,
    "Addons.ExecuteAddon": _rpc_execute_addon,
    "Application.GetProperties": _rpc_application_properties,
    "VideoLibrary.GetMovies": _empty_library("movies"),
    "VideoLibrary.GetTags": _empty_library("tags"),
}


def _rpc_dump(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def execute_jsonrpc(rt: RuntimeView, request: str) -> str:
    """xbmc.executeJSONRPC: answer the emulated methods, Kodi's error objects for the rest."""
    try:
        message = json.loads(request)
    except ValueError:
        return _rpc_dump({"error": {"code": -32700, "message": "Parse error."}, "id": None, "jsonrpc": "2.0"})
    if not isinstance(message, dict) or not isinstance(message.get("method"), str):
        return _rpc_dump(
            {"error": {"code": -32600, "message": "Invalid request."}, "id": None, "jsonrpc": "2.0"}
        )
    request_id = message.get("id")
    handler = RPC_METHODS.get(message["method"])
    if handler is None:
        if message["method"].split(".")[0] in (
            "Addons",
            "Application",
            "Files",
            "Player",
            "Settings",
            "VideoLibrary",
        ):
            rt.log(f"fake_kodi: JSON-RPC method {message['method']} is not emulated", LOGWARNING)
        error = {"code": -32601, "message": "Method not found."}
        return _rpc_dump({"error": error, "id": request_id, "jsonrpc": "2.0"})
    params = message.get("params") or {}
    try:
        result = handler(rt, params if isinstance(params, dict) else {})
    except _InvalidParams:
        return _rpc_dump(
            {"error": {"code": -32602, "message": "Invalid params."}, "id": request_id, "jsonrpc": "2.0"}
        )
    return _rpc_dump({"id": request_id, "jsonrpc": "2.0", "result": result})
