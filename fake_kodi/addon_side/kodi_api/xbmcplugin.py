"""Kodi's `xbmcplugin` module, emulated: directory items, end of directory, resolved URLs.

Every call is recorded through the session. Like Kodi, calls with a handle that is not this
plugin call's handle (e.g. '-1' of RunPlugin) list nothing: addDirectoryItem returns False.
"""

from _fk_args import bool_arg as _bool_arg
from _fk_args import int_arg as _int_arg
from _fk_args import str_arg as _str_arg

from fake_kodi.addon_side.session import current as _current

SORT_METHOD_ALBUM = 14
SORT_METHOD_ALBUM_IGNORE_THE = 15
SORT_METHOD_ARTIST = 11
SORT_METHOD_ARTIST_IGNORE_THE = 13
SORT_METHOD_BITRATE = 43
SORT_METHOD_CHANNEL = 41
SORT_METHOD_COUNTRY = 17
SORT_METHOD_DATE = 3
SORT_METHOD_DATEADDED = 21
SORT_METHOD_DATE_TAKEN = 44
SORT_METHOD_DRIVE_TYPE = 6
SORT_METHOD_DURATION = 8
SORT_METHOD_EPISODE = 24
SORT_METHOD_FILE = 5
SORT_METHOD_FULLPATH = 35
SORT_METHOD_GENRE = 16
SORT_METHOD_LABEL = 1
SORT_METHOD_LABEL_IGNORE_FOLDERS = 36
SORT_METHOD_LABEL_IGNORE_THE = 2
SORT_METHOD_LASTPLAYED = 37
SORT_METHOD_LISTENERS = 39
SORT_METHOD_MPAA_RATING = 31
SORT_METHOD_NONE = 0
SORT_METHOD_PLAYCOUNT = 38
SORT_METHOD_PLAYLIST_ORDER = 23
SORT_METHOD_PRODUCTIONCODE = 28
SORT_METHOD_PROGRAM_COUNT = 22
SORT_METHOD_SIZE = 4
SORT_METHOD_SONG_RATING = 29
SORT_METHOD_SONG_USER_RATING = 30
SORT_METHOD_STUDIO = 33
SORT_METHOD_STUDIO_IGNORE_THE = 34
SORT_METHOD_TITLE = 9
SORT_METHOD_TITLE_IGNORE_THE = 10
SORT_METHOD_TRACKNUM = 7
SORT_METHOD_UNSORTED = 40
SORT_METHOD_VIDEO_ORIGINAL_TITLE = 49
SORT_METHOD_VIDEO_ORIGINAL_TITLE_IGNORE_THE = 50
SORT_METHOD_VIDEO_RATING = 19
SORT_METHOD_VIDEO_RUNTIME = 32
SORT_METHOD_VIDEO_SORT_TITLE = 26
SORT_METHOD_VIDEO_SORT_TITLE_IGNORE_THE = 27
SORT_METHOD_VIDEO_TITLE = 25
SORT_METHOD_VIDEO_USER_RATING = 20
SORT_METHOD_VIDEO_YEAR = 18


def _for_this_call(handle: object) -> bool:
    return _int_arg(handle) == _current().handle


def _item_record(url: object, listitem: object, is_folder: object, method: str) -> dict:
    if not hasattr(listitem, "_fake_record"):
        raise TypeError(f'argument "listitem" for method "{method}" must be an xbmcgui.ListItem')
    return {"url": _str_arg(url, "url", method), "is_folder": _bool_arg(is_folder), **listitem._fake_record()}


def addDirectoryItem(
    handle: int, url: str, listitem: object, isFolder: bool = False, totalItems: int = 0
) -> bool:
    """List one item; False when `handle` is not this call's handle."""
    record = _item_record(url, listitem, isFolder, "addDirectoryItem")
    _int_arg(totalItems)
    if not _for_this_call(handle):
        return False
    _current().record("item", record)
    return True


def addDirectoryItems(handle: int, items: list, totalItems: int = 0) -> bool:
    """List several (url, listitem[, isFolder]) items."""
    records = []
    for entry in items:
        if len(entry) not in (2, 3):
            raise TypeError("Each item must be a tuple of (url, listitem[, isFolder])")
        records.append(
            _item_record(entry[0], entry[1], entry[2] if len(entry) == 3 else False, "addDirectoryItems")
        )
    _int_arg(totalItems)
    if not _for_this_call(handle):
        return False
    for record in records:
        _current().record("item", record)
    return True


def endOfDirectory(
    handle: int, succeeded: bool = True, updateListing: bool = False, cacheToDisc: bool = True
) -> None:
    """Finish the listing."""
    payload = {
        "succeeded": _bool_arg(succeeded),
        "update_listing": _bool_arg(updateListing),
        "cache_to_disc": _bool_arg(cacheToDisc),
    }
    if _for_this_call(handle):
        _current().record("end_of_directory", payload)


def setResolvedUrl(handle: int, succeeded: bool, listitem: object) -> None:
    """Hand Kodi the playable item of a playable route."""
    if not hasattr(listitem, "_fake_record"):
        raise TypeError('argument "listitem" for method "setResolvedUrl" must be an xbmcgui.ListItem')
    payload = {"succeeded": _bool_arg(succeeded), "item": listitem._fake_record()}
    if _for_this_call(handle):
        _current().record("resolved", payload)


def addSortMethod(handle: int, sortMethod: int, labelMask: str = "", label2Mask: str = "") -> None:
    """Offer a sort method (SORT_METHOD_*)."""
    payload = {
        "sort_method": _int_arg(sortMethod),
        "label_mask": _str_arg(labelMask, "labelMask", "addSortMethod"),
        "label2_mask": _str_arg(label2Mask, "label2Mask", "addSortMethod"),
    }
    if _for_this_call(handle):
        _current().record("sort_method", payload)


def _with_settings(action):
    session = _current()
    snapshot = session.settings_for(session.addon_id)
    try:
        return action(snapshot)
    finally:
        session.release_settings(snapshot)


def getSetting(handle: int, id: str) -> str:
    """A setting of the running plugin, as text."""
    _int_arg(handle)
    key = _str_arg(id, "id", "getSetting")
    return _with_settings(lambda settings: settings.getSetting(key))


def setSetting(handle: int, id: str, value: str) -> None:
    """Store a setting of the running plugin."""
    _int_arg(handle)
    key = _str_arg(id, "id", "setSetting")
    text = _str_arg(value, "value", "setSetting")
    _with_settings(lambda settings: settings.setSetting(key, text))


def setContent(handle: int, content: str) -> None:
    """Declare the listing's content type ('movies', 'tvshows', 'episodes', ...)."""
    payload = {"content": _str_arg(content, "content", "setContent")}
    if _for_this_call(handle):
        _current().record("content", payload)


def setPluginCategory(handle: int, category: str) -> None:
    """Set the listing's category (shown as its title)."""
    payload = {"category": _str_arg(category, "category", "setPluginCategory")}
    if _for_this_call(handle):
        _current().record("category", payload)


def setPluginFanart(
    handle: int,
    image: str | None = None,
    color1: str | None = None,
    color2: str | None = None,
    color3: str | None = None,
) -> None:
    """Set the listing's fanart and colours."""
    payload = {"image": image, "color1": color1, "color2": color2, "color3": color3}
    if _for_this_call(handle):
        _current().record("plugin_fanart", payload)


def setProperty(handle: int, key: str, value: str) -> None:
    """Set a property of the listing."""
    payload = {"key": _str_arg(key, "key", "setProperty"), "value": _str_arg(value, "value", "setProperty")}
    if _for_this_call(handle):
        _current().record("plugin_property", payload)
