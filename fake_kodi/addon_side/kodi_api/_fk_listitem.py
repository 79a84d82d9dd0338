"""xbmcgui.ListItem: a plain object that records what an add-on put on an item.

Follows Kodi 20's ListItem.cpp where an add-on can tell: property keys are lowercased, the
special properties (StartOffset, TotalTime, ResumeTime, MimeType, fanart_image) go where Kodi
puts them, context menu entries are the properties contextmenulabel(i)/contextmenuaction(i),
and the deprecated setters log Kodi's warnings (KODI_BEHAVIOUR.md section 6).
"""

from __future__ import annotations

from typing import Any

from _fk_args import bool_arg, str_arg, str_list_arg
from _fk_notemulated import not_emulated
from _fk_videotag import Actor, AudioStreamDetail, InfoTagVideo, SubtitleStreamDetail, VideoStreamDetail

from fake_kodi.addon_side.session import current

LOGWARNING = 2
LOGERROR = 3
_xbmcgui = not_emulated("xbmcgui")

_SETINFO_WARNING = (
    "Setting most video properties through ListItem.setInfo() is deprecated and might be removed "
    "in future Kodi versions. Please use the respective setter in InfoTagVideo."
)

# setInfo('video') keys -> (InfoTagVideo setter, conversion); Kodi parses numbers from text leniently.
_INT, _FLOAT, _TEXT, _LIST = "int", "float", "text", "list"
_VIDEO_INFO = {
    "dbid": ("setDbId", _INT), "year": ("setYear", _INT), "episode": ("setEpisode", _INT),
    "season": ("setSeason", _INT), "sortepisode": ("setSortEpisode", _INT),
    "sortseason": ("setSortSeason", _INT), "episodeguide": ("setEpisodeGuide", _TEXT),
    "showlink": ("setShowLinks", _LIST), "top250": ("setTop250", _INT), "setid": ("setSetId", _INT),
    "tracknumber": ("setTrackNumber", _INT), "rating": ("setRating", _FLOAT),
    "userrating": ("setUserRating", _INT), "watched": ("setPlaycount", _INT),
    "playcount": ("setPlaycount", _INT), "artist": ("setArtists", _LIST), "genre": ("setGenres", _LIST),
    "country": ("setCountries", _LIST), "director": ("setDirectors", _LIST), "mpaa": ("setMpaa", _TEXT),
    "plot": ("setPlot", _TEXT), "plotoutline": ("setPlotOutline", _TEXT), "title": ("setTitle", _TEXT),
    "originaltitle": ("setOriginalTitle", _TEXT), "sorttitle": ("setSortTitle", _TEXT),
    "duration": ("setDuration", _INT), "studio": ("setStudios", _LIST), "tagline": ("setTagLine", _TEXT),
    "writer": ("setWriters", _LIST), "credits": ("setWriters", _LIST),
    "tvshowtitle": ("setTvShowTitle", _TEXT), "premiered": ("setPremiered", _TEXT),
    "status": ("setTvShowStatus", _TEXT), "set": ("setSet", _TEXT), "setoverview": ("setSetOverview", _TEXT),
    "tag": ("setTags", _LIST), "imdbnumber": ("setIMDBNumber", _TEXT), "code": ("setProductionCode", _TEXT),
    "aired": ("setFirstAired", _TEXT), "lastplayed": ("setLastPlayed", _TEXT), "album": ("setAlbum", _TEXT),
    "votes": ("setVotes", _INT), "trailer": ("setTrailer", _TEXT), "path": ("setPath", _TEXT),
    "filenameandpath": ("setFilenameAndPath", _TEXT), "dateadded": ("setDateAdded", _TEXT),
    "mediatype": ("setMediaType", _TEXT),
}  # fmt: skip


def _leading_number(text: str, kind: str) -> int | float:
    """strtol/strtod semantics: the leading number of `text`, 0 when there is none."""
    text = text.strip()
    end = 0
    allowed = "0123456789+-" + (".eE" if kind == _FLOAT else "")
    while end < len(text) and text[end] in allowed:
        end += 1
    for cut in range(end, 0, -1):
        try:
            return float(text[:cut]) if kind == _FLOAT else int(text[:cut])
        except ValueError:
            continue
    return 0.0 if kind == _FLOAT else 0


def _info_value(value: Any, kind: str) -> Any:
    if kind == _LIST:
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        return [part.strip() for part in str(value).split(" / ")] if str(value) else []
    text = value if isinstance(value, str) else str(value)
    if kind in (_INT, _FLOAT):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value) if kind == _INT else float(value)
        return _leading_number(text, kind)
    return text


class ListItem:
    """One entry of a directory listing or the item handed to setResolvedUrl."""

    def __init__(self, label: str = "", label2: str = "", path: str = "", offscreen: bool = False) -> None:
        self._label = str_arg(label, "label", "ListItem")
        self._label2 = str_arg(label2, "label2", "ListItem")
        self._path = str_arg(path, "path", "ListItem")
        self._art: dict[str, str] = {}
        self._properties: dict[str, str] = {}
        # 'top' or 'bottom' from setProperty('SpecialSort', ...): Kodi keeps it out of the properties.
        self._special_sort = ""
        self._video_tag = InfoTagVideo(offscreen)
        self._is_folder = False
        self._selected = False
        self._date_time = ""
        self._mimetype = ""
        self._content_lookup = True
        self._start_offset = 0.0
        self._subtitles: list[str] = []
        self._other_info: dict[str, dict[str, Any]] = {}

    def getLabel(self) -> str:
        """The label."""
        return self._label

    def getLabel2(self) -> str:
        """The second label."""
        return self._label2

    def setLabel(self, label: str) -> None:
        """Set the label."""
        self._label = str_arg(label, "label", "setLabel")

    def setLabel2(self, label: str) -> None:
        """Set the second label."""
        self._label2 = str_arg(label, "label", "setLabel2")

    def getDateTime(self) -> str:
        """The date/time set with setDateTime."""
        return self._date_time

    def setDateTime(self, dateTime: str) -> None:
        """Set the item's date/time (W3C or 'YYYY-MM-DD')."""
        self._date_time = str_arg(dateTime, "dateTime", "setDateTime")

    def setArt(self, dictionary: dict[str, str]) -> None:
        """Set artwork: {'thumb': url, 'poster': url, 'fanart': url, ...}."""
        for key, value in dictionary.items():
            self._art[str_arg(key, "dictionary", "setArt").lower()] = str_arg(value, "dictionary", "setArt")

    def setIsFolder(self, isFolder: bool) -> None:
        """Mark the item as a folder."""
        self._is_folder = bool_arg(isFolder)

    def setUniqueIDs(self, dictionary: dict[str, str], defaultrating: str = "") -> None:
        """Deprecated: set unique ids on the video info tag."""
        self._warn_deprecated("ListItem.setUniqueIDs()", "InfoTagVideo.setUniqueIDs()")
        self._video_tag.setUniqueIDs(dictionary, defaultrating)

    def setRating(self, type: str, rating: float, votes: int = 0, defaultt: bool = False) -> None:
        """Deprecated: add a rating to the video info tag."""
        self._warn_deprecated("ListItem.setRating()", "InfoTagVideo.setRating()")
        self._video_tag.setRating(rating, votes, type, defaultt)

    def addSeason(self, number: int, name: str = "") -> None:
        """Deprecated: name a season on the video info tag."""
        self._warn_deprecated("ListItem.addSeason()", "InfoTagVideo.addSeason()")
        self._video_tag.addSeason(number, name)

    def getArt(self, key: str) -> str:
        """The artwork URL for `key`, '' when unset."""
        return self._art.get(str_arg(key, "key", "getArt").lower(), "")

    def isFolder(self) -> bool:
        """True when marked as a folder."""
        return self._is_folder

    def getUniqueID(self, key: str) -> str:
        """Deprecated: a unique id of the video info tag."""
        self._warn_deprecated("ListItem.getUniqueID()", "InfoTagVideo.getUniqueID()")
        return self._video_tag.getUniqueID(key)

    def getRating(self, key: str) -> float:
        """Deprecated: a rating of the video info tag."""
        self._warn_deprecated("ListItem.getRating()", "InfoTagVideo.getRating()")
        return self._video_tag.getRating(key)

    def getVotes(self, key: str) -> int:
        """Deprecated: the votes of a rating of the video info tag."""
        self._warn_deprecated("ListItem.getVotes()", "InfoTagVideo.getVotesAsInt()")
        return self._video_tag.getVotesAsInt(key)

    def select(self, selected: bool) -> None:
        """Select or unselect the item."""
        self._selected = bool_arg(selected)

    def isSelected(self) -> bool:
        """True when selected."""
        return self._selected

    def setInfo(self, type: str, infoLabels: dict[str, Any]) -> None:
        """Deprecated since Kodi 20: set info labels; 'video' ones go to the InfoTagVideo."""
        kind = str_arg(type, "type", "setInfo").lower()
        if kind != "video":
            # Stored for the record only: music/picture/game tags are not emulated.
            self._other_info.setdefault(kind, {}).update({str(k).lower(): v for k, v in infoLabels.items()})
            return
        deprecated = False
        for raw_key, value in infoLabels.items():
            key = str(raw_key).lower()
            if key in ("count", "size", "overlay"):
                self._other_info.setdefault("video", {})[key] = value
                continue
            if key == "date":
                self._date_time = str(value)
                continue
            deprecated = True
            if key in ("cast", "castandrole"):
                if not isinstance(value, (list, tuple)):
                    raise TypeError(
                        'When using "cast" or "castandrole" you need to supply a list of tuples for the value '
                        "in the dictionary"
                    )
                actors = [
                    Actor(a) if isinstance(a, str) else Actor(a[0], a[1] if len(a) > 1 else "") for a in value
                ]
                self._video_tag.setCast(actors)
            elif key in _VIDEO_INFO:
                setter, conv = _VIDEO_INFO[key]
                getattr(self._video_tag, setter)(_info_value(value, conv))
            else:
                current().log(f'NEWADDON Unknown Video Info Key "{key}"', LOGERROR)
        if deprecated:
            current().log(_SETINFO_WARNING, LOGWARNING)

    def setCast(self, actors: list[dict[str, str]]) -> None:
        """Deprecated: set the cast from dicts with name, role, thumbnail, order."""
        self._warn_deprecated("ListItem.setCast()", "InfoTagVideo.setCast()")
        cast = [
            Actor(a.get("name", ""), a.get("role", ""), int(_leading_number(str(a.get("order", -1)), _INT)),
                  a.get("thumbnail", ""))
            for a in actors
        ]  # fmt: skip
        self._video_tag.setCast(cast)

    def setAvailableFanart(self, images: list[dict[str, str]]) -> None:
        """Offer fanart images: dicts with image, preview, colors."""
        self._video_tag._data["available_fanart"] = [dict(image) for image in images]

    def addAvailableArtwork(
        self,
        url: str,
        art_type: str = "",
        preview: str = "",
        referrer: str = "",
        cache: str = "",
        post: bool = False,
        isgz: bool = False,
        season: int = -1,
    ) -> None:
        """Deprecated: offer one artwork image on the video info tag."""
        self._warn_deprecated("ListItem.addAvailableArtwork()", "InfoTagVideo.addAvailableArtwork()")
        self._video_tag.addAvailableArtwork(url, art_type, preview, referrer, cache, post, isgz, season)

    def addStreamInfo(self, cType: str, dictionary: dict[str, Any]) -> None:
        """Deprecated: add stream details ('video', 'audio' or 'subtitle')."""
        current().log(
            "ListItem.addStreamInfo() is deprecated and might be removed in future Kodi versions. Please use "
            "InfoTagVideo.addVideoStream(), InfoTagVideo.addAudioStream() and InfoTagVideo.addSubtitleStream().",
            LOGWARNING,
        )
        kind = str_arg(cType, "cType", "addStreamInfo").lower()
        d = {k: str(v) for k, v in dictionary.items()}
        if kind == "video":
            self._video_tag.addVideoStream(
                VideoStreamDetail(
                    int(_leading_number(d.get("width", "0"), _INT)),
                    int(_leading_number(d.get("height", "0"), _INT)),
                    float(_leading_number(d.get("aspect", "0"), _FLOAT)),
                    int(_leading_number(d.get("duration", "0"), _INT)),
                    d.get("codec", ""),
                    d.get("stereomode", ""),
                    d.get("language", ""),
                )  # fmt: skip
            )
        elif kind == "audio":
            channels = int(_leading_number(d.get("channels", "-1"), _INT))
            self._video_tag.addAudioStream(
                AudioStreamDetail(channels, d.get("codec", ""), d.get("language", ""))
            )
        elif kind == "subtitle":
            self._video_tag.addSubtitleStream(SubtitleStreamDetail(d.get("language", "")))

    def addContextMenuItems(self, items: list[tuple[str, str]], replaceItems: bool = False) -> None:
        """Add context menu entries (label, action); like Kodi, entry i is stored at index i."""
        for index, entry in enumerate(items):
            if len(entry) != 2:
                raise RuntimeError(
                    "Must pass in a list of tuples of pairs of strings. "
                    f"One entry in the list only has {len(entry)} elements."
                )
            label = str_arg(entry[0], "items", "addContextMenuItems")
            action = str_arg(entry[1], "items", "addContextMenuItems")
            self._properties[f"contextmenulabel({index})"] = label
            self._properties[f"contextmenuaction({index})"] = action

    def setProperty(self, key: str, value: str) -> None:
        """Set a property (keys are case-insensitive; 'IsPlayable' marks a playable item)."""
        lower = str_arg(key, "key", "setProperty").lower()
        text = str_arg(value, "value", "setProperty")
        if lower == "startoffset":
            self._start_offset = float(_leading_number(text, _FLOAT))
        elif lower == "mimetype":
            self._mimetype = text
        elif lower in ("totaltime", "resumetime"):
            self._warn_property(lower, "ListItem.setProperty()", "InfoTagVideo.setResumePoint()")
            resume = self._video_tag._data["resume"]
            resume["total" if lower == "totaltime" else "position"] = float(_leading_number(text, _FLOAT))
        elif lower == "fanart_image":
            self._art["fanart"] = text
        elif lower == "specialsort":
            # Kodi consumes it (sorted listings put the item first or last); getProperty and
            # JSON-RPC's customproperties show nothing.
            self._special_sort = text if text in ("top", "bottom") else ""
        else:
            self._properties[lower] = text

    def setProperties(self, dictionary: dict[str, str]) -> None:
        """Set several properties; Kodi stores the text of a non-string value ({'resumetime': 0} -> '0')."""
        for key, value in dictionary.items():
            text = value if value is None or isinstance(value, (str, bytes, bytearray)) else str(value)
            self.setProperty(key, text)

    def getProperty(self, key: str) -> str:
        """A property value, '' when unset."""
        lower = str_arg(key, "key", "getProperty").lower()
        if lower == "startoffset":
            return f"{self._start_offset:f}"
        if lower in ("totaltime", "resumetime"):
            self._warn_property(lower, "ListItem.getProperty()", "InfoTagVideo.getResumeTime()")
            resume = self._video_tag._data["resume"]
            return f"{resume['total' if lower == 'totaltime' else 'position']:f}"
        if lower == "fanart_image":
            return self._art.get("fanart", "")
        return self._properties.get(lower, "")  # '' for specialsort too, as in Kodi

    def setPath(self, path: str) -> None:
        """Set the path (the URL Kodi plays or opens)."""
        self._path = str_arg(path, "path", "setPath")

    def setMimeType(self, mimetype: str) -> None:
        """Set the MIME type."""
        self._mimetype = str_arg(mimetype, "mimetype", "setMimeType")

    def setContentLookup(self, enable: bool) -> None:
        """Enable or disable Kodi's HTTP HEAD content lookup."""
        self._content_lookup = bool_arg(enable)

    def setSubtitles(self, subtitleFiles: list[str]) -> None:
        """Set external subtitle files."""
        self._subtitles = str_list_arg(subtitleFiles, "subtitleFiles", "setSubtitles")

    def getPath(self) -> str:
        """The path."""
        return self._path

    def getVideoInfoTag(self) -> InfoTagVideo:
        """The item's video info tag (the same object on every call)."""
        return self._video_tag

    @_xbmcgui
    def getMusicInfoTag(self) -> Any: ...

    @_xbmcgui
    def getPictureInfoTag(self) -> Any: ...

    @_xbmcgui
    def getGameInfoTag(self) -> Any: ...

    def _warn_deprecated(self, old: str, new: str) -> None:
        current().log(
            f"{old} is deprecated and might be removed in future Kodi versions. Please use {new}.", LOGWARNING
        )

    def _warn_property(self, key: str, where: str, new: str) -> None:
        current().log(
            f'"{key}" in {where} is deprecated and might be removed in future Kodi versions. Please use {new}.',
            LOGWARNING,
        )

    def _context_menu(self) -> list[list[str]]:
        menu = []
        index = 0
        while f"contextmenulabel({index})" in self._properties:
            menu.append(
                [
                    self._properties[f"contextmenulabel({index})"],
                    self._properties[f"contextmenuaction({index})"],
                ]
            )
            index += 1
        return menu

    def _fake_record(self) -> dict[str, Any]:
        """What Kodi would know about this item, as plain JSON-able data."""
        return {
            "label": self._label,
            "label2": self._label2,
            "path": self._path,
            "art": dict(self._art),
            "properties": dict(self._properties),
            "info": self._video_tag._fake_record(),
            "context_menu": self._context_menu(),
            "is_playable": self._properties.get("isplayable", "").lower() == "true",
            "is_folder_flag": self._is_folder,
            "mimetype": self._mimetype,
            "content_lookup": self._content_lookup,
            "start_offset": self._start_offset,
            "subtitles": list(self._subtitles),
            "date_time": self._date_time,
            "selected": self._selected,
            "other_info": {k: {kk: str(vv) for kk, vv in v.items()} for k, v in self._other_info.items()},
            # Only when set, and not a property: Kodi keeps it to put the item first or last whenever
            # the listing is sorted; unsorted (Files.GetDirectory without "sort") it stays where added.
            **({"special_sort": self._special_sort} if self._special_sort else {}),
        }

    @classmethod
    def _fake_from_record(cls, record: dict[str, Any]) -> ListItem:
        """Rebuild an item from `_fake_record` output (for Player.getPlayingItem)."""
        item = cls(record.get("label", ""), record.get("label2", ""), record.get("path", ""))
        item._art.update(record.get("art", {}))
        item._properties.update(record.get("properties", {}))
        item._mimetype = record.get("mimetype", "")
        if record.get("info"):
            item._video_tag._data.update(record["info"])
            item._video_tag._actors = [Actor(**a) for a in record["info"].get("cast", [])]
        return item
