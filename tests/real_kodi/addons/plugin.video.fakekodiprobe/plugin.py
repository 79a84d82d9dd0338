"""Probe plugin: one route per behaviour the driver tests check."""

import importlib.util
import json
import os
import sys
from urllib.parse import parse_qsl

import xbmc
import xbmcaddon
import xbmcgui
import xbmcplugin
import xbmcvfs

BASE, HANDLE, QUERY = sys.argv[0], int(sys.argv[1]), sys.argv[2]
PARAMS = dict(parse_qsl(QUERY.lstrip("?")))
REMOVED_MODULES = ("imp", "asyncore", "cgi", "telnetlib")
PROFILE = xbmcvfs.translatePath(xbmcaddon.Addon().getAddonInfo("profile"))


def record(name, value):
    """Write what a route saw to a JSON file in the add-on profile, for the test to read."""
    os.makedirs(PROFILE, exist_ok=True)
    with open(os.path.join(PROFILE, name + ".json"), "w", encoding="utf-8") as handle:
        json.dump(value, handle)


def listing():
    movie = xbmcgui.ListItem(label="Label A")
    tag = movie.getVideoInfoTag()
    tag.setTitle("Title A")
    tag.setYear(1999)
    tag.setPlaycount(3)
    tag.setUniqueIDs({"imdb": "tt0000001", "tmdb": "42"}, "imdb")
    tag.setResumePoint(30.5, 100)
    tag.setMediaType("movie")
    movie.setProperty("ProbeKey", "probe value")
    movie.setArt({"thumb": "http://example.invalid/t.jpg"})
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?play=a", movie, isFolder=False)
    folder = xbmcgui.ListItem(label="Folder B")
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "folder/", folder, isFolder=True)
    xbmcplugin.endOfDirectory(HANDLE)


def dialog():
    choice = xbmcgui.Dialog().select("Pick one", ["first", "second"])
    xbmcplugin.addDirectoryItem(HANDLE, BASE + f"?chosen={choice}", xbmcgui.ListItem(label=f"chose {choice}"))
    xbmcplugin.endOfDirectory(HANDLE)


def side_effect():
    record("side_effect", {"argv": sys.argv})


def strings():
    text = xbmcaddon.Addon().getLocalizedString(32000)
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?string=32000", xbmcgui.ListItem(label=text or "<empty>"))
    xbmcplugin.endOfDirectory(HANDLE)


def tags():
    episode = xbmcgui.ListItem(label="Episode")
    tag = episode.getVideoInfoTag()
    tag.setMediaType("episode")
    tag.setFirstAired("2008-01-20")
    episode.setLabel("Episode of " + str(tag.getYear()))
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?play=episode", episode, isFolder=False)
    season = xbmcgui.ListItem(label="Season")
    season.getVideoInfoTag().setMediaType("season")
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?season=1", season, isFolder=True)
    xbmcplugin.endOfDirectory(HANDLE)


def environment():
    """What differs between Kodi versions as an add-on sees it: its Python, the build, the JSON-RPC API."""
    import requests  # script.module.requests, i.e. the system's python3-requests

    record(
        "environment",
        {
            "python": list(sys.version_info[:3]),
            "build_version": xbmc.getInfoLabel("System.BuildVersion"),
            "jsonrpc_version": json.loads(
                xbmc.executeJSONRPC('{"jsonrpc":"2.0","method":"JSONRPC.Version","id":1}')
            ),
            "requests": requests.__version__,
            # Standard-library modules Python 3.12 (imp, asyncore) and 3.13 (cgi, telnetlib) removed.
            "stdlib": {name: importlib.util.find_spec(name) is not None for name in REMOVED_MODULES},
            "python_flags": python_flags(),
        },
    )
    xbmcplugin.addDirectoryItem(HANDLE, BASE + "?route=environment", xbmcgui.ListItem(label="recorded"))
    xbmcplugin.endOfDirectory(HANDLE)


def python_flags():
    """How Kodi starts its Python: optimisation level, asserts, and bytecode caches in the add-on folder."""
    import probe_imported

    try:
        assert False  # noqa: B011 - stripped when Kodi's Python runs optimised
        asserts_run = False
    except AssertionError:
        asserts_run = True
    cache = importlib.util.cache_from_source(probe_imported.__file__)
    return {
        "optimize": sys.flags.optimize,
        "dont_write_bytecode": sys.dont_write_bytecode,
        "PYTHONOPTIMIZE": os.environ.get("PYTHONOPTIMIZE"),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
        "asserts_run": asserts_run,
        "cache_written": os.path.isfile(cache),
        "cache_name": os.path.basename(cache).replace(sys.implementation.cache_tag, "TAG"),
    }


def realworld():
    """What real public add-ons rely on (issue 13), as the add-on sees it; call it with a path
    (plugin://plugin.video.fakekodiprobe/pod-0?route=realworld) to see what argv[0] keeps."""
    import threading

    def rpc(method, **params):
        request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        return json.loads(xbmc.executeJSONRPC(json.dumps(request)))

    window = xbmcgui.Window(10000)
    window.setProperty("fakekodiprobe.main", "from-main")
    seen = {}

    def worker():
        seen["thread_read"] = window.getProperty("fakekodiprobe.main")

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    resumable = xbmcgui.ListItem(label="Resumable")
    resumable.setProperties({"resumetime": 0, "count": 3})
    top = xbmcgui.ListItem(label="Search")
    top.setProperty("SpecialSort", "top")
    bottom = xbmcgui.ListItem(label="Next page")
    bottom.setProperty("SpecialSort", "bottom")
    application = rpc(
        "Application.GetProperties", properties=["version", "name", "volume", "muted", "language"]
    )
    seen.update(
        argv0=sys.argv[0],
        # Kodi 20.1 puts it after the standard library and dist-packages, not at sys.path[0].
        script_folder_on_path=os.path.dirname(os.path.abspath(__file__)) in sys.path,
        count_property=resumable.getProperty("count"),
        special_sort_property=top.getProperty("SpecialSort"),
        language=rpc("Settings.GetSettingValue", setting="locale.language").get("result"),
        unknown_setting=rpc("Settings.GetSettingValue", setting="no.such.setting")
        .get("error", {})
        .get("code"),
        application=application.get("result"),
        movies=rpc("VideoLibrary.GetMovies", properties=["title"]).get("result"),
        tags=rpc("VideoLibrary.GetTags", type="movie").get("result"),
        dialog_id=xbmcgui.getCurrentWindowDialogId(),
    )
    record("realworld", seen)
    for item in (bottom, resumable, top):
        xbmcplugin.addDirectoryItem(HANDLE, BASE + "?label=" + item.getLabel(), item, isFolder=True)
    xbmcplugin.endOfDirectory(HANDLE)


def fail():
    raise ValueError("probe failure on purpose")


ROUTES = {
    "listing": listing,
    "dialog": dialog,
    "side_effect": side_effect,
    "fail": fail,
    "strings": strings,
    "tags": tags,
    "environment": environment,
    "realworld": realworld,
}
ROUTES[PARAMS.get("route", "listing")]()
