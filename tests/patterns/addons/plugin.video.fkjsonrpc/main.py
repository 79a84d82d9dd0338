"""Pattern (d): Kodi's settings and library asked over xbmc.executeJSONRPC, answers shown as list items."""

import json
import sys

import xbmc
import xbmcgui
import xbmcplugin

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]


def rpc(method, **params):
    request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    return json.loads(xbmc.executeJSONRPC(json.dumps(request)))


def text(answer):
    if "error" in answer:
        return "error " + str(answer["error"]["code"])
    return json.dumps(answer["result"], sort_keys=True)


def add(label, folder=False):
    xbmcplugin.addDirectoryItem(
        HANDLE, BASE + "?shown=" + label.split("=")[0], xbmcgui.ListItem(label), folder
    )


if QUERY == "?page=more":
    add("unknown setting=" + text(rpc("Settings.GetSettingValue", setting="no.such.setting")))
    add("webserver=" + text(rpc("Settings.GetSettingValue", setting="services.webserver")))
    add("jsonrpc=" + str(rpc("JSONRPC.Version")["result"]["version"]["major"]))
    add("gui=" + text(rpc("GUI.GetProperties", properties=["currentwindow", "fullscreen"])))
    add(
        "labels="
        + text(rpc("XBMC.GetInfoLabels", labels=["System.BuildVersion", "Window(Home).Property(fk.none)"]))
    )
else:
    add("language=" + text(rpc("Settings.GetSettingValue", setting="locale.language")))
    app = rpc("Application.GetProperties", properties=["name", "version", "muted"])["result"]
    add(f"app={app['name']} {app['version']['major']} muted={app['muted']}")
    movies = rpc("VideoLibrary.GetMovies", properties=["title", "year"])
    add("movies=" + text(movies))
    add("more", folder=True)
xbmcplugin.endOfDirectory(HANDLE)
