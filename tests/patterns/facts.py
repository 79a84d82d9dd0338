"""What real Kodi answered (20.1 and 21.2, measured in the real-Kodi lane), as tables both Kodis are held to.

tests/real_kodi/test_patterns_real.py checks real Kodi against these tables on every lane run;
tests/fake_kodi/test_patterns_fake.py checks fake_kodi against the same tables.
"""

from __future__ import annotations

import re
from typing import Any

from tests.patterns.corpus import ARGS_SCRIPT_ID

__all__ = [
    "ARGS_SCRIPT_ID",
    "BUILTIN_ARGV",
    "CORE_STRING_IDS",
    "EXECUTE_ADDON_ARGV",
    "JSONRPC_CASES",
    "NOT_A_BUILTIN",
    "UNPACKED_DEPENDENCIES",
    "UNPACKED_DEPENDENCY_LOG",
    "dependency_log_view",
]

# Builtin -> the sys.argv the script gets. argv[0] is the file name of addon.xml's library
# (resources/lib/run.py gives 'run.py'); argv[1] names the case (the script writes fkargs-<argv[1]>.json).
# RunAddon joins its parameters with commas and passes them to RunScript: they are split twice.
BUILTIN_ARGV: dict[str, tuple[str, list[str]]] = {
    "plain": ("RunScript(script.fkargs,plain,a,b)", ["run.py", "plain", "a", "b"]),
    "spaces": ("RunScript(script.fkargs, spaces ,  a b  , c )", ["run.py", "spaces", "a b", "c"]),
    "quoted": ('RunScript(script.fkargs,quoted,"a,b",c)', ["run.py", "quoted", "a,b", "c"]),
    "nameval": ('RunScript(script.fkargs,nameval,name="v,w",x)', ["run.py", "nameval", "name=", "x"]),
    "parens": ("RunScript(script.fkargs,parens,f(a,b),[c,d])", ["run.py", "parens", "f(a,b)", "[c", "d]"]),
    "escaped": ('RunScript(script.fkargs,escaped,a\\"b,c\\\\d)', ["run.py", "escaped", 'a"b', "c\\d"]),
    "empty": ("RunScript(script.fkargs,empty,,x,)", ["run.py", "empty", "", "x", ""]),
    "quotedspace": ('RunScript(script.fkargs,quotedspace," a ")', ["run.py", "quotedspace", " a "]),
    "query": ("RunScript(script.fkargs,query,?a=1&b=2)", ["run.py", "query", "?a=1&b=2"]),
    "runaddon": ('RunAddon(script.fkargs,runaddon,a,"b,c")', ["run.py", "runaddon", "a", "b", "c"]),
}

# Not a builtin (the JSON-RPC method Addons.ExecuteAddon maps to RunAddon): Kodi 20.1 runs nothing for it.
NOT_A_BUILTIN = ("notbuiltin", "ExecuteAddon(script.fkargs,notbuiltin)")

# Addons.ExecuteAddon over JSON-RPC: params -> argv (the key names the case: the file the script writes).
# A list is joined with commas, an object becomes key=value pairs in key order (joined the same way), and
# both are split again as builtin parameters; without params the script gets only argv[0].
EXECUTE_ADDON_ARGV: dict[str, tuple[Any, list[str]]] = {
    "exec_list": (["exec_list", "a,b", "c d"], ["run.py", "exec_list", "a", "b", "c d"]),
    "exec_string": ("exec_string,x", ["run.py", "exec_string", "x"]),
    "a=b": ({"k": "v w", "a": "b,c"}, ["run.py", "a=b", "c", "k=v w"]),
    "none": (None, ["run.py"]),
}

INVALID = {"error": -32602}

# (method, params, answer) in order (the setters change what the getters after them see). An answer is
# {"result": ...} or {"error": code}.
JSONRPC_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "GUI.GetProperties",
        {"properties": ["currentwindow", "currentcontrol", "skin", "fullscreen", "stereoscopicmode"]},
        {
            "result": {
                "currentwindow": {"id": 10000, "label": "Home"},
                "currentcontrol": {"label": "Movies"},
                "skin": {"id": "skin.estuary", "name": "Estuary"},
                "fullscreen": False,
                "stereoscopicmode": {"label": "Disabled", "mode": "off"},
            }
        },
    ),
    ("GUI.GetProperties", {"properties": ["nosuch"]}, INVALID),
    ("GUI.GetProperties", {}, INVALID),
    (
        "XBMC.GetInfoLabels",
        {"labels": ["Foo.Bar", "Window(Home).Property(fk.unset)", "System.CurrentWindow"]},
        {"result": {"Foo.Bar": "", "Window(Home).Property(fk.unset)": "", "System.CurrentWindow": "Home"}},
    ),
    ("XBMC.GetInfoLabels", {"labels": []}, INVALID),
    ("XBMC.GetInfoLabels", {}, INVALID),
    (
        "Settings.SetSettingValue",
        {"setting": "filelists.showparentdiritems", "value": False},
        {"result": True},
    ),
    ("Settings.GetSettingValue", {"setting": "filelists.showparentdiritems"}, {"result": {"value": False}}),
    (
        "Settings.SetSettingValue",
        {"setting": "filelists.showparentdiritems", "value": False},
        {"result": True},
    ),
    ("Settings.SetSettingValue", {"setting": "filelists.showparentdiritems", "value": "yes"}, INVALID),
    ("Settings.SetSettingValue", {"setting": "filelists.showparentdiritems"}, INVALID),
    ("Settings.SetSettingValue", {"setting": "no.such", "value": True}, INVALID),
    ("Settings.SetSettingValue", {"setting": "services.webserverport", "value": 8081}, {"result": True}),
    ("Settings.GetSettingValue", {"setting": "services.webserverport"}, {"result": {"value": 8081}}),
    ("Settings.SetSettingValue", {"setting": "services.webserverport", "value": "x"}, INVALID),
    ("Settings.SetSettingValue", {"setting": "locale.audiolanguage", "value": "English"}, {"result": True}),
    ("Settings.GetSettingValue", {"setting": "locale.audiolanguage"}, {"result": {"value": "English"}}),
    (
        "Settings.SetSettingValue",
        {"setting": "videolibrary.showunwatchedplots", "value": [0, 2]},
        {"result": True},
    ),
    (
        "Settings.GetSettingValue",
        {"setting": "videolibrary.showunwatchedplots"},
        {"result": {"value": [0, 2]}},
    ),
    # Read by plugin.video.vrt.nu on every run (tools/public_addons): Kodi does not show this setting.
    ("Settings.GetSettingValue", {"setting": "debug.showloginfo"}, INVALID),
    ("Addons.ExecuteAddon", {"addonid": "script.nosuch", "params": ["a"]}, INVALID),
    ("Addons.ExecuteAddon", {"addonid": "script.fkargs", "params": ["ints", 1, 2]}, INVALID),
]

# Add-ons unpacked into addons/ (before Kodi starts) and enabled with Addons.SetAddonEnabled, as the real
# lane installs (tests/patterns/addons, corpus.DEPENDENCY_IDS; script.module.fkdepold 1.0.0 is unpacked too).
# Measured in Debian's Kodi 20.1 and 21.2, same answers: every one is enabled and not broken, and its root
# route lists what importing the dependency's module gives. No version is checked on this path: the 1.0.0
# module satisfies a 2.0.0 import, its lib is on sys.path. (Kodi's zip installer refuses the first two:
# fake_kodi/home/dependencies.py.)
UNPACKED_DEPENDENCIES: dict[str, list[str]] = {
    "plugin.video.fkdepmissing": ["fkdepnosuch: ModuleNotFoundError"],  # required, not installed
    "plugin.video.fkdepold": ["fkdepold: imported 1.0.0"],  # required at 2.0.0, 1.0.0 installed
    "plugin.video.fkdepoptional": ["fkdepnosuch: ModuleNotFoundError"],  # optional, not installed
}

# What enabling them logs about dependencies (level, message), in order: only the missing required one.
UNPACKED_DEPENDENCY_LOG: list[tuple[str, str]] = [
    (
        "warning",
        "CAddonMgr: 'script.module.fkdepnosuch' required by 'plugin.video.fkdepmissing' is missing. "
        "Add-on may not function correctly",
    ),
]

_LOG_LINE = re.compile(r"^\S+ \S+ T:\d+ +(\w+) <general>: (.*)$")


def dependency_log_view(log_text: str) -> list[tuple[str, str]]:
    """(level, message) of kodi.log lines about add-on dependencies (CAddonMgr's and CAddonInstallJob's)."""
    found = []
    for line in log_text.splitlines():
        match = _LOG_LINE.match(line)
        if match and ("required by" in match.group(2) or "dependency on" in match.group(2)):
            found.append((match.group(1), match.group(2)))
    return found


# Kodi core strings real add-ons label items with (issue 13); real Kodi's xbmc.getLocalizedString must
# answer each as the fake does (tests/real_kodi/test_dependencies_real.py).
CORE_STRING_IDS = (135, 590, 16101, 20343, 20382, 24142)
