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
    elif query.get("menu") == "shows":
        for number, title in enumerate(texts.EPISODES, 1):
            item = xbmcgui.ListItem(title)
            tag = item.getVideoInfoTag()
            tag.setMediaType("episode")
            tag.setTvShowTitle(texts.SHOW)
            tag.setSeason(1)
            tag.setEpisode(number)
            tag.setPlaycount(number - 1)
            tag.setUniqueIDs({"tvdb": str(1000 + number), "imdb": f"tt{number:07d}"}, "tvdb")
            tag.setResumePoint(30.0 * number, 1800.0)
            item.addContextMenuItems([(texts.MARK, f"RunPlugin({base}?mark={number})")])
            xbmcplugin.addDirectoryItem(handle, f"{base}?play=e{number}", item, False)
    else:
        for key, label in texts.MENU:
            xbmcplugin.addDirectoryItem(handle, f"{base}?menu={key}", xbmcgui.ListItem(label), True)
    xbmcplugin.endOfDirectory(handle)
