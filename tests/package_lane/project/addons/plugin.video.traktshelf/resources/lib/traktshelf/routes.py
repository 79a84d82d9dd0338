"""Routes: the root menu, the watchlist and the watched movies, each read from Trakt when opened."""

from urllib.parse import parse_qsl

import xbmcgui
import xbmcplugin

from resources.lib.traktshelf import trakt


def root(handle, base_url):
    for label, action in (("Watchlist", "watchlist"), ("Watched movies", "watched")):
        item = xbmcgui.ListItem(label)
        xbmcplugin.addDirectoryItem(handle, f"{base_url}?action={action}", item, isFolder=True)
    xbmcplugin.endOfDirectory(handle)


def _list(handle, entries, kind_of):
    for entry in entries:
        media = entry.get(kind_of(entry)) or {}
        item = xbmcgui.ListItem(f"{media.get('title')} ({media.get('year')})")
        item.getVideoInfoTag().setIMDBNumber((media.get("ids") or {}).get("imdb") or "")
        xbmcplugin.addDirectoryItem(
            handle, f"plugin://plugin.video.traktshelf/?trakt={media['ids']['trakt']}", item
        )
    xbmcplugin.endOfDirectory(handle)


def watchlist(handle, _base_url):
    entries = trakt.get("/sync/watchlist/movies/rank/asc", trakt.WATCHLIST_QUERY)
    _list(handle, entries, lambda entry: entry.get("type"))


def watched(handle, _base_url):
    _list(handle, trakt.get("/sync/watched/movies"), lambda _entry: "movie")


ROUTES = {"": root, "watchlist": watchlist, "watched": watched}


def run(argv):
    handle, base_url = int(argv[1]), argv[0].split("?")[0]
    action = dict(parse_qsl(argv[2].lstrip("?"))).get("action", "")
    ROUTES[action](handle, base_url)
