"""Functions to ask the add-on questions with `fake-kodi call` (sys.path has resources/lib)."""

import sys
import time

import xbmcaddon
import xbmcgui


def add(a, b):
    return a + b


def summary():
    """What the add-on knows right now: settings, shared properties, its clock."""
    addon = xbmcaddon.Addon()
    return {
        "id": addon.getAddonInfo("id"),
        "greeting": addon.getSetting("greeting"),
        "page_size": addon.getSettingInt("page_size"),
        "wakes": xbmcgui.Window(10000).getProperty("example.wakes"),
        "now": time.time(),
    }


def fail():
    raise KeyError("no such thing")


def sys_path():
    """sys.path as the add-on sees it."""
    return sys.path
