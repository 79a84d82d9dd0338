"""Call mode of the add-on interpreter (`fake-kodi call`): import a module of the add-on and call a function.

The test side (fake_kodi/host/call.py) writes the spec's "target" ('package.module:function') and
"args"; here, inside the add-on's interpreter, sys.path is the add-on's (its folder and
`resources/lib`, then its dependencies), the xbmc* modules are the fake ones, and the clock is the
home's. The return value goes back as JSON (to_jsonable), an exception as {type, message, traceback}.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from pathlib import Path
from typing import Any

from fake_kodi.addon_side.interpreter import build_runtime, enter_addon, error_dict, make_clock, write_json
from fake_kodi.addon_side.runtime import PluginTime
from fake_kodi.home import bytecode_store
from fake_kodi.home.kodi_home import KodiHome


def split_target(target: str) -> tuple[str, str]:
    """'package.module:function' -> ('package.module', 'function'); ValueError when malformed."""
    module, sep, function = target.partition(":")
    dotted = all(part.isidentifier() for part in module.split("."))
    if not sep or not dotted or not function.isidentifier():
        raise ValueError(f"target {target!r} must be MODULE:FUNCTION (e.g. resources.lib.db:count)")
    return module, function


def to_jsonable(value: Any) -> Any:
    """JSON-ready form of a return value: dataclasses as dicts, sets as sorted lists, else repr()."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(item) for item in value), key=repr)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return repr(value)


def run_call_child(spec: dict[str, Any]) -> int:
    """Call mode of the bootstrap: import the module, call the function, write {value|error}."""
    home = KodiHome(spec["home"], int(spec.get("kodi_version", 20)))
    clock = make_clock(spec, home, persist=False)
    runtime = build_runtime(spec, home, PluginTime(clock))
    outcome: dict[str, Any] = {}
    compiled_since = None
    try:
        lib = str(Path(runtime.manifest.path) / "resources" / "lib")
        compiled_since = bytecode_store.harvest_mark(home.state_dir)
        enter_addon(runtime, clock.virtual, [""], extra_paths=(lib,))
        module_name, function_name = split_target(spec["target"])
        function = getattr(importlib.import_module(module_name), function_name)
        args = spec.get("args", [])
        value = function(**args) if isinstance(args, dict) else function(*args)
        outcome["value"] = to_jsonable(value)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as CallError
        outcome["error"] = error_dict(exc)
    outcome["log"] = runtime.log_lines
    write_json(spec["result_path"], outcome)
    if compiled_since is not None:
        bytecode_store.harvest(sys.modules.values(), home.addons_dir, compiled_since)
    os._exit(0)
