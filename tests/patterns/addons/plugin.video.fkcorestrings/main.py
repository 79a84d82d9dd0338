"""Pattern (core strings): one item per id of ?ids=a,b,...: '<id>=<xbmc.getLocalizedString(id)>'."""

import sys
from urllib.parse import parse_qs

import xbmc
import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]

for text in parse_qs(QUERY.lstrip("?")).get("ids", [""])[0].split(","):
    label = f"{text}={xbmc.getLocalizedString(int(text))}"
    xbmcplugin.addDirectoryItem(HANDLE, BASE, xbmcgui.ListItem(label), False)
xbmcplugin.endOfDirectory(HANDLE)
