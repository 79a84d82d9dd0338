"""Plugin entry: ?host=H&port=P[&swallow=1] -> one item labelled with what the connection did;
?check=guard -> whether socket.connect is wrapped (tells blocking apart without touching the network)."""

import sys
from urllib.parse import parse_qsl

import xbmcgui
import xbmcplugin
from resources.lib import probe

handle = int(sys.argv[1])
query = dict(parse_qsl(sys.argv[2].lstrip("?")))
if query.get("check") == "guard":
    label = "guarded" if probe.guarded() else "open"
else:
    label = probe.connect(query["host"], query["port"], swallow=query.get("swallow") == "1")
xbmcplugin.addDirectoryItem(handle, "plugin://plugin.video.netprobe/", xbmcgui.ListItem(label))
xbmcplugin.endOfDirectory(handle)
