"""Pattern (h): imports `chardet` without declaring it: Debian's Kodi finds it in the system's dist-packages,
Kodi on other platforms (and fake_kodi by default) finds only the standard library and declared add-ons."""

import sys

import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]


def outcome(module):
    try:
        __import__(module)
    except ImportError as error:
        return f"{module}: {type(error).__name__}"
    return f"{module}: imported"


modules = ("json", "sqlite3") if QUERY == "?page=stdlib" else ("chardet",)
for name in modules:
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?page=stdlib", xbmcgui.ListItem(outcome(name)), True)
xbmcplugin.endOfDirectory(HANDLE)
