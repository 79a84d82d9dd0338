"""Pattern (a)/(g): a plugin routed by the script.module.fkrouter dependency (declared in <requires>)."""

import xbmcgui
import xbmcplugin
from fkrouter import Router

plugin = Router()


@plugin.route("/")
def index():
    for name in ("alpha", "beta gamma"):
        item = xbmcgui.ListItem(name.title())
        xbmcplugin.addDirectoryItem(plugin.handle, plugin.url_for(folder, name), item, True)
    play = xbmcgui.ListItem("Play one")
    play.setProperty("IsPlayable", "true")
    xbmcplugin.addDirectoryItem(plugin.handle, plugin.url_for(play_item, id="one 1"), play, False)
    xbmcplugin.endOfDirectory(plugin.handle)


@plugin.route("/folder/<name>")
def folder(name):
    for number in (1, 2):
        item = xbmcgui.ListItem(f"{name} #{number}")
        item.getVideoInfoTag().setTitle(f"{name} {number}")
        xbmcplugin.addDirectoryItem(
            plugin.handle, plugin.url_for(play_item, id=f"{name}-{number}"), item, False
        )
    xbmcplugin.endOfDirectory(plugin.handle)


@plugin.route("/play")
def play_item():
    xbmcplugin.setResolvedUrl(
        plugin.handle, True, xbmcgui.ListItem(path="http://127.0.0.1:1/" + plugin.args["id"])
    )


plugin.run()
