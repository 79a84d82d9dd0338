"""Routes of plugin.video.example: one small function per ?action=..."""

from urllib.parse import parse_qsl, urlencode

import xbmc
import xbmcaddon
import xbmcgui
import xbmcplugin

ADDON_ID = "plugin.video.example"
BASE = f"plugin://{ADDON_ID}/"
HOME = 10000


def url_for(**params):
    """A plugin:// URL of this add-on."""
    return BASE + ("?" + urlencode(params) if params else "")


def movie_item(number, playcount=0):
    """A playable movie with an info tag, art, properties and a context menu."""
    item = xbmcgui.ListItem(label=f"Movie {number}", offscreen=True)
    tag = item.getVideoInfoTag()
    tag.setTitle(f"Movie {number}")
    tag.setYear(2000 + number)
    tag.setPlaycount(playcount)
    tag.setMediaType("movie")
    tag.setUniqueIDs({"imdb": f"tt{number:07d}", "tmdb": str(number)}, "imdb")
    tag.setResumePoint(30.5, 100.0)
    item.setArt(
        {"thumb": f"https://example.invalid/{number}.jpg", "fanart": "https://example.invalid/fanart.jpg"}
    )
    item.setProperty("IsPlayable", "true")
    item.addContextMenuItems([("Delete", f"RunPlugin({url_for(action='delete', id=number)})")])
    return item


def root(handle, params):
    addon = xbmcaddon.Addon()
    xbmcplugin.setPluginCategory(handle, "Example")
    for label_id, action in ((30001, "movies"), (30002, "tools")):
        folder = xbmcgui.ListItem(label=addon.getLocalizedString(label_id))
        xbmcplugin.addDirectoryItem(handle, url_for(action=action), folder, isFolder=True)
    xbmcplugin.addDirectoryItem(
        handle, url_for(action="play", id=1), movie_item(1, playcount=3), isFolder=False
    )
    if addon.getSettingBool("show_extra"):
        xbmcplugin.addDirectoryItem(handle, url_for(action="extra"), xbmcgui.ListItem("Extra"), isFolder=True)
    xbmcgui.Window(HOME).setProperty("example.last_route", "root")
    xbmc.log(f"example: root listed with handle {handle}", xbmc.LOGINFO)
    xbmcplugin.endOfDirectory(handle)


def movies(handle, params):
    size = xbmcaddon.Addon().getSettingInt("page_size")
    xbmcplugin.setContent(handle, "movies")
    xbmcplugin.addSortMethod(handle, xbmcplugin.SORT_METHOD_TITLE)
    for number in range(1, size + 1):
        xbmcplugin.addDirectoryItem(
            handle, url_for(action="play", id=number), movie_item(number), isFolder=False
        )
    xbmcplugin.endOfDirectory(handle, cacheToDisc=False)


def play(handle, params):
    item = xbmcgui.ListItem(path=f"https://example.invalid/movie/{params['id']}.mp4")
    xbmcplugin.setResolvedUrl(handle, True, item)


def choose(handle, params):
    qualities = ["720p", "1080p", "2160p"]
    index = xbmcgui.Dialog().select("Choose quality", qualities)
    if index < 0:
        xbmcplugin.setResolvedUrl(handle, False, xbmcgui.ListItem())
        return
    xbmcplugin.setResolvedUrl(
        handle, True, xbmcgui.ListItem(path=f"https://example.invalid/{qualities[index]}.mp4")
    )


def delete(handle, params):
    if xbmcgui.Dialog().yesno("Delete?", f"Delete movie {params['id']}?"):
        xbmcgui.Window(HOME).setProperty("example.deleted", params["id"])
        xbmcgui.Dialog().notification(
            "Example", f"Deleted movie {params['id']}", xbmcgui.NOTIFICATION_INFO, 3000
        )
        xbmc.executebuiltin("Container.Refresh")


def search(handle, params):
    text = xbmcgui.Dialog().input("Search for")
    if text:
        xbmcplugin.addDirectoryItem(
            handle, url_for(action="play", id=9), xbmcgui.ListItem(f"Result for {text}")
        )
    xbmcplugin.endOfDirectory(handle, succeeded=bool(text))


def keyboard(handle, params):
    board = xbmc.Keyboard("", "Name")
    board.doModal()
    label = board.getText() if board.isConfirmed() else "cancelled"
    xbmcplugin.addDirectoryItem(handle, url_for(), xbmcgui.ListItem(label))
    xbmcplugin.endOfDirectory(handle)


def sync(handle, params):
    progress = xbmcgui.DialogProgress()
    progress.create("Syncing", "Starting")
    done = 0
    for step in range(1, 6):
        if progress.iscanceled():
            break
        progress.update(step * 20, f"Step {step}")
        done = step
    cancelled = progress.iscanceled()
    progress.close()
    message = f"Cancelled after step {done}" if cancelled else "Sync finished"
    xbmcgui.Dialog().notification("Example", message)
    xbmcplugin.endOfDirectory(handle)


def greet(handle, params):
    addon = xbmcaddon.Addon()
    old = addon.getSetting("greeting")
    print(f"example: greeting was {old}")  # Kodi sends print() to the debug log
    if "greeting" in params:
        addon.setSetting("greeting", params["greeting"])
    xbmcplugin.addDirectoryItem(
        handle, url_for(), xbmcgui.ListItem(f"{old} -> {addon.getSetting('greeting')}")
    )
    xbmcplugin.endOfDirectory(handle)


def tools(handle, params):
    xbmcgui.Dialog().textviewer("About", "fake_kodi example add-on")
    wakes = xbmcgui.Window(HOME).getProperty("example.wakes") or "0"
    xbmcplugin.addDirectoryItem(handle, url_for(), xbmcgui.ListItem(f"Service wakes: {wakes}"))
    xbmc.executebuiltin(f"RunPlugin({url_for(action='ping')})")
    xbmcplugin.endOfDirectory(handle)


def ping(handle, params):
    xbmcgui.Window(HOME).setProperty("example.pinged", str(handle))
    xbmc.log(f"example: ping with handle {handle}", xbmc.LOGINFO)


def boom(handle, params):
    raise ValueError("boom route")


def silent(handle, params):
    xbmc.log("example: this route forgets endOfDirectory", xbmc.LOGWARNING)


ROUTES = {
    "": root,
    "movies": movies,
    "play": play,
    "choose": choose,
    "delete": delete,
    "search": search,
    "keyboard": keyboard,
    "sync": sync,
    "greet": greet,
    "tools": tools,
    "ping": ping,
    "boom": boom,
    "silent": silent,
}


def run(argv):
    """Dispatch on ?action=... (argv is Kodi's: base URL, handle, query, 'resume:false')."""
    handle = int(argv[1])
    params = dict(parse_qsl(argv[2].lstrip("?")))
    ROUTES[params.get("action", "")](handle, params)
