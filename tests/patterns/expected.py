"""What real Kodi listed for every route of the pattern corpus (Kodi 20.1, identical on 21.2 but for the version
texts), in the fidelity report's compared view (fake_kodi.real.fidelity).

Only the fields that are not at their empty default are written; `{major}` and `{build}` in a label stand for
the Kodi version (20 or 21) and System.BuildVersion. Recorded from the real-Kodi lane; the lane checks real Kodi
against this table on every run (tests/real_kodi/test_patterns_real.py), the py env checks the fake.
"""

from __future__ import annotations

import copy
from typing import Any

# The compared view of an item with nothing set (fidelity.FIELDS in order).
EMPTY_VIEW: dict[str, Any] = {
    "label": "", "path": "", "is_folder": False, "title": "", "mediatype": "", "year": 0, "season": -1,
    "episode": -1, "plot": "", "playcount": 0, "uniqueids": {}, "resume": [0.0, 0.0], "properties": {},
    "context_menu": [], "art": {},
}  # fmt: skip
BUILD_VERSIONS = {
    20: "20.1 Debian package version: 2:20.1+dfsg-1",
    21: "21.2 Debian package version: 2:21.2+dfsg-4",
}
UNDECLARED_ROUTE = "plugin://plugin.video.fkundeclared/"

# Differences between fake_kodi and real Kodi that are explained, not fixed: route -> {field: reason}.
EXPLAINED: dict[str, dict[str, str]] = {
    UNDECLARED_ROUTE: {
        "label": (
            "pattern (h): Debian's Kodi 20.1 and 21.2 put the system's dist-packages on every add-on's sys.path, "
            "so an undeclared `import chardet` (python3-chardet, pulled in by python3-requests) works there; "
            "Kodi on Android, Windows, macOS and LibreELEC has only the standard library and declared "
            "script.module.* add-ons, and so does fake_kodi by default: the fake shows ModuleNotFoundError"
        )
    },
}

EXPECTED: dict[str, list[dict[str, Any]]] = {
    "plugin://plugin.video.fkrouted/": [
        {"is_folder": True, "label": "Alpha", "path": "plugin://plugin.video.fkrouted/folder/alpha"},
        {
            "is_folder": True,
            "label": "Beta Gamma",
            "path": "plugin://plugin.video.fkrouted/folder/beta%20gamma",
        },
        {
            "is_folder": False,
            "label": "Play one",
            "path": "plugin://plugin.video.fkrouted/play?id=one+1",
            "properties": {"isplayable": "true"},
        },
    ],
    "plugin://plugin.video.fkrouted/folder/alpha": [
        {
            "is_folder": False,
            "label": "alpha #1",
            "path": "plugin://plugin.video.fkrouted/play?id=alpha-1",
            "title": "alpha 1",
        },
        {
            "is_folder": False,
            "label": "alpha #2",
            "path": "plugin://plugin.video.fkrouted/play?id=alpha-2",
            "title": "alpha 2",
        },
    ],
    "plugin://plugin.video.fkrouted/folder/beta%20gamma": [
        {
            "is_folder": False,
            "label": "beta gamma #1",
            "path": "plugin://plugin.video.fkrouted/play?id=beta+gamma-1",
            "title": "beta gamma 1",
        },
        {
            "is_folder": False,
            "label": "beta gamma #2",
            "path": "plugin://plugin.video.fkrouted/play?id=beta+gamma-2",
            "title": "beta gamma 2",
        },
    ],
    "plugin://plugin.video.fklibentry/": [
        {"is_folder": True, "label": "Movies", "path": "plugin://plugin.video.fklibentry/?menu=movies"},
        {"is_folder": True, "label": "Shows & more", "path": "plugin://plugin.video.fklibentry/?menu=shows"},
    ],
    "plugin://plugin.video.fklibentry/?menu=movies": [
        {
            "art": {
                "fanart": "image://special%3a%2f%2fhome%2ffanart.jpg/",
                "thumb": "image://https%3a%2f%2fexample.invalid%2f1.jpg/",
            },
            "is_folder": False,
            "label": "First Film",
            "mediatype": "movie",
            "path": "plugin://plugin.video.fklibentry/?play=1",
            "plot": 'First Film: a plot with an ampersand & a quote " in it.',
            "title": "First Film",
            "year": 1999,
        },
        {
            "art": {
                "fanart": "image://special%3a%2f%2fhome%2ffanart.jpg/",
                "thumb": "image://https%3a%2f%2fexample.invalid%2f2.jpg/",
            },
            "is_folder": False,
            "label": "Second Film",
            "mediatype": "movie",
            "path": "plugin://plugin.video.fklibentry/?play=2",
            "plot": 'Second Film: a plot with an ampersand & a quote " in it.',
            "title": "Second Film",
            "year": 2004,
        },
    ],
    "plugin://plugin.video.fklibentry/?menu=shows": [
        {
            "label": "Pilot",
            "path": "plugin://plugin.video.fklibentry/?play=e1",
            "is_folder": False,
            "mediatype": "episode",
            "season": 1,
            "episode": 1,
            "uniqueids": {"imdb": "tt0000001", "tvdb": "1001"},
            "resume": [30.0, 1800.0],
            "context_menu": [["Mark as watched", "RunPlugin(plugin://plugin.video.fklibentry/?mark=1)"]],
        },
        {
            "label": "Second, with a comma",
            "path": "plugin://plugin.video.fklibentry/?play=e2",
            "is_folder": False,
            "mediatype": "episode",
            "season": 1,
            "episode": 2,
            "playcount": 1,
            "uniqueids": {"imdb": "tt0000002", "tvdb": "1002"},
            "resume": [60.0, 1800.0],
            "context_menu": [["Mark as watched", "RunPlugin(plugin://plugin.video.fklibentry/?mark=2)"]],
        },
    ],
    "plugin://plugin.video.fkwindow/": [
        {
            "is_folder": True,
            "label": "heartbeat=service-thread",
            "path": "plugin://plugin.video.fkwindow/?page=echo",
            "properties": {"source": "Window(10000)"},
        },
        {
            "is_folder": True,
            "label": "count=2",
            "path": "plugin://plugin.video.fkwindow/?page=echo",
            "properties": {"source": "Window(10000)"},
        },
    ],
    "plugin://plugin.video.fkwindow/?page=echo": [
        {
            "is_folder": True,
            "label": "echo=plugin-thread",
            "path": "plugin://plugin.video.fkwindow/?page=echo",
        },
    ],
    "plugin://plugin.video.fkjsonrpc/": [
        {
            "is_folder": False,
            "label": 'language={"value": "resource.language.en_gb"}',
            "path": "plugin://plugin.video.fkjsonrpc/?shown=language",
        },
        {
            "is_folder": False,
            "label": "app=Kodi {major} muted=False",
            "path": "plugin://plugin.video.fkjsonrpc/?shown=app",
        },
        {
            "is_folder": False,
            "label": 'movies={"limits": {"end": 0, "start": 0, "total": 0}, "movies": []}',
            "path": "plugin://plugin.video.fkjsonrpc/?shown=movies",
        },
        {"is_folder": True, "label": "more", "path": "plugin://plugin.video.fkjsonrpc/?shown=more"},
    ],
    "plugin://plugin.video.fkjsonrpc/?page=more": [
        {
            "is_folder": False,
            "label": "unknown setting=error -32602",
            "path": "plugin://plugin.video.fkjsonrpc/?shown=unknown setting",
        },
        {
            "is_folder": False,
            "label": 'webserver={"value": false}',
            "path": "plugin://plugin.video.fkjsonrpc/?shown=webserver",
        },
        {"is_folder": False, "label": "jsonrpc=13", "path": "plugin://plugin.video.fkjsonrpc/?shown=jsonrpc"},
        {
            "is_folder": False,
            "label": 'gui={"currentwindow": {"id": 10000, "label": "Home"}, "fullscreen": false}',
            "path": "plugin://plugin.video.fkjsonrpc/?shown=gui",
        },
        {
            "is_folder": False,
            "label": 'labels={"System.BuildVersion": "{build}", "Window(Home).Property(fk.none)": ""}',
            "path": "plugin://plugin.video.fkjsonrpc/?shown=labels",
        },
    ],
    "plugin://plugin.video.fkfirstrun/": [
        {
            "is_folder": True,
            "label": "welcomed=true",
            "path": "plugin://plugin.video.fkfirstrun/?page=settings",
        },
        {
            "is_folder": True,
            "label": "mode=extras",
            "path": "plugin://plugin.video.fkfirstrun/?page=settings",
        },
    ],
    "plugin://plugin.video.fkfirstrun/?page=settings": [
        {
            "is_folder": True,
            "label": "welcomed=true",
            "path": "plugin://plugin.video.fkfirstrun/?page=settings",
        },
        {
            "is_folder": True,
            "label": "mode=extras",
            "path": "plugin://plugin.video.fkfirstrun/?page=settings",
        },
    ],
    "plugin://plugin.video.fkfirstrun/?page=open": [
        {
            "label": "openSettings returned None",
            "path": "plugin://plugin.video.fkfirstrun/?page=settings",
            "is_folder": True,
        },
    ],
    "plugin://plugin.video.fkprops/": [
        {
            "is_folder": True,
            "label": "Next page",
            "path": "plugin://plugin.video.fkprops/?page=2",
            "properties": {"count": "3", "fresh": "True", "name": "Next page", "ratio": "1.5"},
        },
        {
            "is_folder": True,
            "label": "Alpha",
            "path": "plugin://plugin.video.fkprops/?page=2",
            "properties": {"count": "3", "fresh": "True", "name": "Alpha", "ratio": "1.5"},
        },
        {
            "is_folder": True,
            "label": "Search",
            "path": "plugin://plugin.video.fkprops/?page=2",
            "properties": {"count": "3", "fresh": "True", "name": "Search", "ratio": "1.5"},
        },
        {
            "is_folder": True,
            "label": "Beta",
            "path": "plugin://plugin.video.fkprops/?page=2",
            "properties": {"count": "3", "fresh": "True", "name": "Beta", "ratio": "1.5"},
        },
    ],
    "plugin://plugin.video.fkprops/?page=2": [
        {
            "is_folder": False,
            "label": "Episode",
            "path": "plugin://plugin.video.fkprops/?play=episode",
            "properties": {"stars": "4", "watched": "False"},
            "resume": [12.0, 60.5],
        },
    ],
    "plugin://plugin.video.fkprops/?page=types": [
        {"label": "video", "path": "plugin://plugin.video.fkprops/?play=video"},
        {"label": "season", "path": "plugin://plugin.video.fkprops/?play=season"},
        {"label": "set", "path": "plugin://plugin.video.fkprops/?play=set"},
        {"label": "movie", "path": "plugin://plugin.video.fkprops/?play=movie", "mediatype": "movie"},
    ],
    "plugin://plugin.video.fkundeclared/": [
        {
            "is_folder": True,
            "label": "chardet: imported",
            "path": "plugin://plugin.video.fkundeclared/?page=stdlib",
        },
    ],
    "plugin://plugin.video.fkundeclared/?page=stdlib": [
        {
            "is_folder": True,
            "label": "json: imported",
            "path": "plugin://plugin.video.fkundeclared/?page=stdlib",
        },
        {
            "is_folder": True,
            "label": "sqlite3: imported",
            "path": "plugin://plugin.video.fkundeclared/?page=stdlib",
        },
    ],
    "plugin://plugin.video.fkexit/": [
        {
            "is_folder": True,
            "label": "exit none after endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?after=none",
        },
        {
            "is_folder": True,
            "label": "exit 0 after endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?after=0",
        },
        {
            "is_folder": True,
            "label": "exit 1 after endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?after=1",
        },
        {
            "is_folder": True,
            "label": "exit text after endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?after=text",
        },
        {
            "is_folder": True,
            "label": "exit none before endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?before=none",
        },
        {
            "is_folder": True,
            "label": "exit 0 before endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?before=0",
        },
        {
            "is_folder": True,
            "label": "exit 1 before endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?before=1",
        },
        {
            "is_folder": True,
            "label": "exit text before endOfDirectory",
            "path": "plugin://plugin.video.fkexit/?before=text",
        },
    ],
    "plugin://plugin.video.fkexit/?after=0": [
        {"label": "after 0: one", "path": "plugin://plugin.video.fkexit/?play=one"},
        {"label": "after 0: two", "path": "plugin://plugin.video.fkexit/?play=two"},
    ],
    "plugin://plugin.video.fkexit/?after=1": [
        {"label": "after 1: one", "path": "plugin://plugin.video.fkexit/?play=one"},
        {"label": "after 1: two", "path": "plugin://plugin.video.fkexit/?play=two"},
    ],
    "plugin://plugin.video.fkexit/?after=text": [
        {"label": "after text: one", "path": "plugin://plugin.video.fkexit/?play=one"},
        {"label": "after text: two", "path": "plugin://plugin.video.fkexit/?play=two"},
    ],
}


def expected_views(url: str, version: int) -> list[dict[str, Any]]:
    """Full compared views of what real Kodi `version` lists for `url`."""
    views = []
    for compact in EXPECTED[url]:
        view = copy.deepcopy(EMPTY_VIEW)
        view.update(copy.deepcopy(compact))
        view["label"] = (
            view["label"].replace("{major}", str(version)).replace("{build}", BUILD_VERSIONS[version])
        )
        views.append(view)
    return views


def explained_fake_differences(url: str) -> dict[str, str]:
    """field -> reason for the fake-vs-real differences on `url` that are documented rather than fixed."""
    return EXPLAINED.get(url, {})
