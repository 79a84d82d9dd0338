"""`fake-kodi call`: import a module of an installed add-on inside the fake runtime and call a function.

The way to ask an add-on a question while debugging: `fake-kodi call plugin.video.x
resources.lib.db:count_rows '["shows"]' --home DIR` prints the return value as JSON.
This is the test side: it writes the spec and reads the answer; the call itself runs in the
add-on's interpreter (fake_kodi/addon_side/call_mode.py), on the add-on's sys.path with the fake
xbmc* modules and the home's clock (virtual when it has one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fake_kodi.addon_side.call_mode import split_target
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.host.plugin_runner import clock_mode, installed_manifest, run_child
from fake_kodi.host.results import CallError

DEFAULT_TIMEOUT = 120.0


def call_function(
    home: KodiHome | str | Path,
    addon_id: str,
    target: str,
    args: Iterable[Any] | dict[str, Any] = (),
    *,
    debug_log: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Any:
    """Run `target` ('module:function') of an installed add-on in a fresh interpreter; its return value."""
    home = home if isinstance(home, KodiHome) else KodiHome(home)
    split_target(target)
    installed_manifest(home, addon_id)
    spec = {
        "mode": "call",
        "home": str(home.root),
        "kodi_version": home.kodi_version,
        "addon_id": addon_id,
        "handle": -1,
        "target": target,
        "args": args if isinstance(args, dict) else list(args),
        "debug_log": debug_log,
        "clock": clock_mode(home),
    }
    json.dumps(spec)  # fail here, not in the child, when the arguments are not JSON
    outcome = run_child(spec, home, timeout)
    if "error" in outcome:
        raise CallError(outcome["error"])
    return outcome.get("value")
