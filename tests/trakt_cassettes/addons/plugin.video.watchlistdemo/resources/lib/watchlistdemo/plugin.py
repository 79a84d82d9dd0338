"""Routes: the root menu and the Trakt watchlist folder."""

from urllib.parse import parse_qsl

import xbmcaddon
import xbmcgui
import xbmcplugin

from resources.lib.watchlistdemo import trakt


def root(handle, base_url):
    item = xbmcgui.ListItem("Trakt watchlist")
    xbmcplugin.addDirectoryItem(handle, base_url + "?action=watchlist", item, isFolder=True)
    xbmcplugin.endOfDirectory(handle)


def watchlist(handle, base_url):
    kind = xbmcaddon.Addon().getSetting("watchlist_type") or "movies"
    try:
        entries = trakt.get(f"/sync/watchlist/{kind}/rank/asc", {"page": 1, "limit": 100})
    except Exception as exc:  # any failure: tell the user, list nothing
        xbmcgui.Dialog().notification("Trakt", f"Watchlist unavailable: {exc}")
        xbmcplugin.endOfDirectory(handle, succeeded=False)
        return
    for entry in entries:
        media = entry.get(entry.get("type")) or {}
        item = xbmcgui.ListItem(f"{media.get('title')} ({media.get('year')})")
        xbmcplugin.addDirectoryItem(handle, base_url + f"?action=play&trakt={media['ids']['trakt']}", item)
    xbmcplugin.endOfDirectory(handle)


ROUTES = {"": root, "watchlist": watchlist}


def run(argv):
    handle, base_url = int(argv[1]), argv[0].split("?")[0]
    action = dict(parse_qsl(argv[2].lstrip("?"))).get("action", "")
    ROUTES[action](handle, base_url)
