"""Pattern (dependencies): an optional dependency that is not installed; lists what importing the dependency's module gives."""

import sys

import xbmcgui
import xbmcplugin

BASE, HANDLE = sys.argv[0], int(sys.argv[1])


def outcome(module):
    try:
        imported = __import__(module)
    except ImportError as error:
        return f"{module}: {type(error).__name__}"
    return f"{module}: imported {getattr(imported, 'VERSION', '')}".rstrip()


xbmcplugin.addDirectoryItem(HANDLE, BASE, xbmcgui.ListItem(outcome("fkdepnosuch")), True)
xbmcplugin.endOfDirectory(HANDLE)
