"""Sibling of entry.py: the menus, built from the texts of another sibling."""

from urllib.parse import parse_qsl

import texts
import xbmcgui
import xbmcplugin


def show(argv):
    base, handle, query = argv[0], int(argv[1]), dict(parse_qsl(argv[2].lstrip("?")))
    if query.get("menu") == "movies":
        for number, (title, year) in enumerate(texts.MOVIES, 1):
            item = xbmcgui.ListItem(title)
            tag = item.getVideoInfoTag()
            tag.setMediaType("movie")
            tag.setTitle(title)
            tag.setYear(year)
            tag.setPlot(texts.PLOT.format(title=title))
            item.setArt(
                {"thumb": f"https://example.invalid/{number}.jpg", "fanart": "special://home/fanart.jpg"}
            )
            xbmcplugin.addDirectoryItem(handle, f"{base}?play={number}", item, False)
    else:
        for key, label in texts.MENU:
            xbmcplugin.addDirectoryItem(handle, f"{base}?menu={key}", xbmcgui.ListItem(label), True)
    xbmcplugin.endOfDirectory(handle)
