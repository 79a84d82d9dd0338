"""Pattern (f): SpecialSort marks, properties given as ints, floats and bools, and media types."""

import sys

import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]

if QUERY == "?page=types":
    # Media types Kodi's Files.GetDirectory reports as "unknown" (video, season, set) next to one it names.
    for mediatype in ("video", "season", "set", "movie"):
        item = xbmcgui.ListItem(mediatype)
        item.getVideoInfoTag().setMediaType(mediatype)
        xbmcplugin.addDirectoryItem(HANDLE, BASE + "?play=" + mediatype, item, False)
elif QUERY == "?page=2":
    item = xbmcgui.ListItem("Episode")
    item.setProperties({"resumetime": 12, "totaltime": 60.5, "watched": False})
    item.setProperty("Stars", "4")
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?play=episode", item, False)
else:
    for label, special in (("Next page", "bottom"), ("Alpha", ""), ("Search", "top"), ("Beta", "")):
        item = xbmcgui.ListItem(label)
        if special:
            item.setProperty("SpecialSort", special)
        item.setProperties({"count": 3, "ratio": 1.5, "fresh": True, "Name": label})
        xbmcplugin.addDirectoryItem(HANDLE, BASE + "?page=2", item, True)
xbmcplugin.endOfDirectory(HANDLE)
