"""The bootstrap inside each fresh add-on interpreter: `python -m fake_kodi.addon_side.bootstrap SPEC|-`.

With `--zygote` instead of SPEC it becomes the zygote (zygote.py): it stops before reading a spec and
forks a child per call, in which it goes on exactly as if it had read that call's spec.

SPEC is a JSON file (or `-` for stdin) written by the test side (fake_kodi/host/: plugin_runner, service_driver, call):
  {"mode": "plugin"|"service"|"call", "home": str, "kodi_version": int, "addon_id": str,
   "argv": [str, ...], "handle": int, "answers": ["yesno=true", ...], "strict": bool,
   "debug_log": bool, "clock": "real"|"virtual", "result_path": str,
   "target": "module:function", "args": [...]}          (target/args: call mode only)
The bootstrap runs the spec's mode: a plugin call (here), the service (service_mode.py) or a
`fake-kodi call` (call_mode.py); interpreter.py makes the interpreter Kodi's for the add-on. What
happened goes back as JSON to result_path (plugin/call) or over the command channel (service).
It imports little on purpose: it runs once per call.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from fake_kodi.addon_side.interpreter import (
    build_runtime,
    enter_addon,
    error_dict,
    make_clock,
    run_script,
    write_json,
)
from fake_kodi.addon_side.runtime import PluginTime, Runtime
from fake_kodi.home import bytecode_store
from fake_kodi.home.kodi_home import KodiHome


def load_spec(argv: list[str]) -> dict[str, Any]:
    """Read the JSON spec named on the command line (`-` = stdin)."""
    if len(argv) != 2:
        raise SystemExit("usage: python -m fake_kodi.addon_side.bootstrap SPEC.json|-")
    text = sys.stdin.read() if argv[1] == "-" else Path(argv[1]).read_text(encoding="utf-8")
    return json.loads(text)


def plugin_outcome(runtime: Runtime, error: dict[str, str] | None) -> dict[str, Any]:
    """What the parent needs to build a PluginResult."""
    return {
        "argv": list(sys.argv),
        "handle": runtime.handle,
        "records": runtime.records,
        "log": runtime.log_lines,
        "dialogs": runtime.dialogs.shown,
        "unused_answers": runtime.dialogs.unused,
        "error": error or (runtime.fake_errors[0] if runtime.fake_errors else None),
    }


def run_plugin(spec: dict[str, Any]) -> int:
    """Plugin mode: one plugin:// call with Kodi's argv."""
    home = KodiHome(spec["home"], int(spec.get("kodi_version", 20)))
    clock = make_clock(spec, home, persist=False)
    runtime = build_runtime(spec, home, PluginTime(clock))
    compiled_since = None
    try:
        manifest = runtime.manifest
        if not manifest.plugin_library:
            raise RuntimeError(f"add-on {manifest.id} provides no xbmc.python.pluginsource")
        script = Path(manifest.path) / manifest.plugin_library
        compiled_since = bytecode_store.harvest_mark(home.state_dir)
        enter_addon(runtime, clock.virtual, list(spec["argv"]), script=script)
        error = run_script(runtime, script)
    except Exception as exc:  # noqa: BLE001 - a broken setup is reported like an add-on error
        error = error_dict(exc)
    write_json(spec["result_path"], plugin_outcome(runtime, error))
    if compiled_since is not None:
        bytecode_store.harvest(sys.modules.values(), home.addons_dir, compiled_since)
    # Skip interpreter teardown: threads an add-on left behind must not hold the call open.
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child interpreter (and of the zygote, `--zygote`)."""
    argv = sys.argv if argv is None else argv
    if argv[1:] == ["--zygote"]:
        from fake_kodi.addon_side.zygote import serve

        # Returns only in a forked child, which then runs its spec here like a fresh interpreter.
        spec = serve(argv[0])
    else:
        spec = load_spec(argv)
    return run_spec(spec)


def run_spec(spec: dict[str, Any]) -> int:
    """Run the spec's mode (a plugin call, the service or a call)."""
    mode = spec.get("mode")
    if mode == "plugin":
        return run_plugin(spec)
    # The other modes are imported when asked for, so a plugin call (the commonest child) does not
    # pay for the service's machinery.
    if mode == "service":
        from fake_kodi.addon_side.service_mode import run_service_child

        return run_service_child(spec)
    if mode == "call":
        from fake_kodi.addon_side.call_mode import run_call_child

        return run_call_child(spec)
    raise SystemExit(f"fake_kodi.addon_side.bootstrap: unknown mode {mode!r}")


if __name__ == "__main__":
    # Run the importable copy, so fake_kodi.addon_side.bootstrap is one module (not also `__main__`).
    from fake_kodi.addon_side.bootstrap import main as _main

    sys.exit(_main())
