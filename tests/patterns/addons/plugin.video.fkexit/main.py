"""Pattern (i): a plugin that leaves with sys.exit(), after its endOfDirectory or before it.

`?after=CODE` lists two items, ends the directory, then exits; `?before=CODE` lists two items and exits without
ending the directory. CODE is `none` (sys.exit()), `0`, `1` or `text` (sys.exit("text")). The root lists one
folder per route and exits with sys.exit() after ending its directory, as many add-ons' routers do.
"""

import sys
from urllib.parse import parse_qsl

import xbmcgui
import xbmcplugin

BASE, HANDLE = sys.argv[0], int(sys.argv[1])
PARAMS = dict(parse_qsl(sys.argv[2].lstrip("?")))
EXITS = {"none": (), "0": (0,), "1": (1,), "text": ("leaving early",)}


def add(label, query, folder):
    xbmcplugin.addDirectoryItem(HANDLE, BASE + query, xbmcgui.ListItem(label), folder)


if "after" in PARAMS or "before" in PARAMS:
    when = "after" if "after" in PARAMS else "before"
    code = PARAMS[when]
    add(f"{when} {code}: one", "?play=one", False)
    add(f"{when} {code}: two", "?play=two", False)
    if when == "after":
        xbmcplugin.endOfDirectory(HANDLE)
    sys.exit(*EXITS[code])
else:
    for when in ("after", "before"):
        for code in EXITS:
            add(f"exit {code} {when} endOfDirectory", f"?{when}={code}", True)
    xbmcplugin.endOfDirectory(HANDLE)
    sys.exit()
