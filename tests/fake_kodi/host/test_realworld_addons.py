"""Things real public add-ons rely on (issue 13), each shown by a tiny add-on written here and run
through Kodi.run in a real subprocess. The facts are in KODI_BEHAVIOUR.md §11 (real Kodi 20.1)."""

from __future__ import annotations

import json

from fake_kodi.kodi import Kodi

from ..conftest import write_addon_zip

# Lists one folder whose label is `seen` (what the add-on observed) and whose URL is built the way
# routing libraries build theirs: sys.argv[0] + query.
LIST_SEEN = """
import sys, xbmcgui, xbmcplugin
handle = int(sys.argv[1])
xbmcplugin.addDirectoryItem(handle, sys.argv[0] + "?page=2", xbmcgui.ListItem(str(seen)), True)
xbmcplugin.endOfDirectory(handle)
"""


def _install(kodi: Kodi, tmp_path, addon_id: str, files: dict[str, str]) -> None:
    kodi.install(write_addon_zip(tmp_path, addon_id, files))


def test_argv0_inside_the_script_is_the_plugin_url_without_query(kodi, tmp_path):
    _install(kodi, tmp_path, "plugin.video.argv", {"main.py": "import sys\nseen = sys.argv[0]\n" + LIST_SEEN})
    root = kodi.run("plugin://plugin.video.argv/?a=1")
    assert (root.labels, root.items[0]["url"]) == (
        ["plugin://plugin.video.argv/"],
        "plugin://plugin.video.argv/?page=2",
    )


def test_argv0_keeps_the_path_as_written_without_adding_a_slash(kodi, tmp_path):
    _install(kodi, tmp_path, "plugin.video.argv", {"main.py": "import sys\nseen = sys.argv[0]\n" + LIST_SEEN})
    result = kodi.run("plugin://plugin.video.argv/pod-0?x=1")
    url = "plugin://plugin.video.argv/pod-0"
    assert (result.labels, result.argv[0], result.items[0]["url"]) == ([url], url, url + "?page=2")


ENTRY_IN_LIB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<addon id="plugin.video.libentry" name="libentry" version="0.1.0" provider-name="tests">
    <requires><import addon="xbmc.python" version="3.0.1"/></requires>
    <extension point="xbmc.python.pluginsource" library="resources/lib/entry.py">
        <provides>video</provides>
    </extension>
</addon>
"""


def test_entry_script_imports_its_sibling_modules(kodi, tmp_path):
    files = {
        "addon.xml": ENTRY_IN_LIB_XML,
        "resources/lib/entry.py": "import helper\nseen = helper.NAME\n" + LIST_SEEN,
        "resources/lib/helper.py": "NAME = 'sibling'\n",
    }
    _install(kodi, tmp_path, "plugin.video.libentry", files)
    result = kodi.run("plugin://plugin.video.libentry/")
    assert (result.status, result.labels, result.error) == ("directory", ["sibling"], None)


THREAD_MAIN = """
import threading, xbmcgui
window = xbmcgui.Window(10000)
window.setProperty("fk.main", "from-main")
box = {}
def worker():
    box["read"] = window.getProperty("fk.main")
    window.setProperty("fk.thread", "from-thread")
thread = threading.Thread(target=worker)
thread.start()
thread.join()
seen = box.get("read", "worker failed") + "|" + window.getProperty("fk.thread")
"""


def test_window_properties_work_from_a_second_thread(kodi, tmp_path):
    _install(kodi, tmp_path, "plugin.video.threads", {"main.py": THREAD_MAIN + LIST_SEEN})
    result = kodi.run("plugin://plugin.video.threads/")
    assert (result.labels, kodi.window_property("fk.thread")) == (["from-main|from-thread"], "from-thread")


PROPERTIES_MAIN = """
import sys, xbmcgui, xbmcplugin
handle = int(sys.argv[1])
item = xbmcgui.ListItem("Episode")
item.setProperties({"resumetime": 0, "TotalTime": 1.5, "count": 3})
xbmcplugin.addDirectoryItem(handle, "plugin://plugin.video.props/play", item, False)
xbmcplugin.endOfDirectory(handle)
"""


def test_set_properties_accepts_non_string_values_as_their_text(kodi, tmp_path):
    _install(kodi, tmp_path, "plugin.video.props", {"main.py": PROPERTIES_MAIN})
    result = kodi.run("plugin://plugin.video.props/")
    item = result.items[0]
    assert (result.error, item["properties"]["count"], item["info"]["resume"]) == (
        None,
        "3",
        {"position": 0.0, "total": 1.5},
    )


SPECIAL_SORT_MAIN = """
import sys, xbmcgui, xbmcplugin
handle = int(sys.argv[1])
for label, special in (("Next page", "bottom"), ("A", ""), ("Search", "top"), ("B", "")):
    item = xbmcgui.ListItem(label)
    if special:
        item.setProperty("SpecialSort", special)
    # Kodi keeps SpecialSort for itself: the add-on cannot read it back.
    assert item.getProperty("SpecialSort") == "", item.getProperty("SpecialSort")
    xbmcplugin.addDirectoryItem(handle, "plugin://plugin.video.special/" + label, item, True)
xbmcplugin.endOfDirectory(handle)
"""


def test_special_sort_is_kept_as_the_items_mark_not_as_a_property(kodi, tmp_path):
    # Real Kodi 20.1 lists an unsorted directory in the order added; the mark orders sorted views.
    _install(kodi, tmp_path, "plugin.video.special", {"main.py": SPECIAL_SORT_MAIN})
    result = kodi.run("plugin://plugin.video.special/")
    assert result.error is None
    assert result.labels == ["Next page", "A", "Search", "B"]
    assert [item["properties"].get("specialsort") for item in result.items] == [None] * 4
    assert [item.get("special_sort") for item in result.items] == ["bottom", None, "top", None]


def test_language_folder_name_is_found_whatever_its_case(kodi, tmp_path):
    strings = 'msgid ""\nmsgstr ""\n\nmsgctxt "#30001"\nmsgid "Hello"\nmsgstr ""\n'
    main = "import xbmcaddon\nseen = xbmcaddon.Addon().getLocalizedString(30001)\n" + LIST_SEEN
    files = {"main.py": main, "resources/language/resource.language.en_GB/strings.po": strings}
    _install(kodi, tmp_path, "plugin.video.lang", files)
    assert kodi.run("plugin://plugin.video.lang/").labels == ["Hello"]


RPC_MAIN = """
import json, xbmc, xbmcgui
def rpc(method, **params):
    return json.loads(xbmc.executeJSONRPC(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})))
seen = json.dumps({
    "language": rpc("Settings.GetSettingValue", setting="locale.language"),
    "unknown": rpc("Settings.GetSettingValue", setting="no.such.setting"),
    "app": rpc("Application.GetProperties", properties=["version", "name", "volume", "muted", "language"]),
    "movies": rpc("VideoLibrary.GetMovies", properties=["title"]),
    "tags": rpc("VideoLibrary.GetTags", type="movie"),
    "dialog": xbmcgui.getCurrentWindowDialogId(),
})
"""


def test_jsonrpc_methods_real_addons_call_on_every_run(kodi, tmp_path):
    _install(kodi, tmp_path, "plugin.video.rpc", {"main.py": RPC_MAIN + LIST_SEEN})
    result = kodi.run("plugin://plugin.video.rpc/")
    assert result.error is None
    seen = json.loads(result.labels[0])
    assert seen["language"]["result"] == {"value": "resource.language.en_gb"}
    assert seen["unknown"]["error"]["code"] == -32602
    app = seen["app"]["result"]
    assert app == {
        "name": "Kodi",
        "version": {"major": 20, "minor": 1, "revision": "20230312-nogitfound", "tag": "stable"},
        "volume": 100,
        "muted": False,
        "language": "en_GB",
    }
    assert seen["movies"]["result"] == {"limits": {"start": 0, "end": 0, "total": 0}, "movies": []}
    assert seen["tags"]["result"] == {"limits": {"start": 0, "end": 0, "total": 0}, "tags": []}
    assert seen["dialog"] == 9999
