"""xbmc.InfoTagVideo and the small value classes it carries (Actor, *StreamDetail).

The simple setters/getters are built from one table so each keeps Kodi's exact parameter name
(the conformance test checks them) and Kodi's type checks (KODI_BEHAVIOUR.md section 6).
"""

from __future__ import annotations

import copy
import datetime
import inspect
from collections.abc import Callable
from typing import Any

from _fk_args import bool_arg, float_arg, int_arg, str_arg, str_list_arg

# Kodi's CMediaTypes: setMediaType ignores anything else silently.
MEDIA_TYPES = frozenset(
    {"video", "set", "musicvideo", "movie", "tvshow", "season", "episode", "music", "artist", "album", "song"}
)

_DEFAULTS: dict[str, Any] = {
    "dbid": -1, "title": "", "originaltitle": "", "sorttitle": "", "year": 0, "plot": "", "plotoutline": "",
    "tagline": "", "playcount": 0, "lastplayed": "", "mediatype": "", "season": -1, "episode": -1,
    "sortseason": -1, "sortepisode": -1, "tvshowtitle": "", "status": "", "genres": [], "countries": [],
    "directors": [], "writers": [], "studios": [], "tags": [], "artists": [], "showlinks": [],
    "premiered": "", "firstaired": "", "dateadded": "", "duration": 0, "mpaa": "", "trailer": "",
    "path": "", "filenameandpath": "", "imdbnumber": "", "episodeguide": "", "top250": 0, "setid": -1,
    "set": "", "setoverview": "", "tracknumber": -1, "album": "", "productioncode": "", "userrating": 0,
    "uniqueids": {}, "default_uniqueid": "", "ratings": {}, "default_rating": "default",
    "resume": {"position": 0.0, "total": 0.0}, "cast": [], "seasons": [],
    "streams": {"video": [], "audio": [], "subtitle": []}, "available_artwork": [],
}  # fmt: skip

_P = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _method(name: str, params: list[str], body: Callable[..., Any], doc: str) -> Callable[..., Any]:
    """A method named `name` whose signature is exactly (self, *params)."""
    sig = inspect.Signature([inspect.Parameter(p, _P) for p in ["self", *params]])

    def method(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        return body(*bound.arguments.values())

    method.__signature__ = sig  # type: ignore[attr-defined]
    method.__name__ = name
    method.__qualname__ = f"InfoTagVideo.{name}"
    method.__doc__ = doc
    return method


def _converter(kind: str, param: str, method: str) -> Callable[[Any], Any]:
    if kind == "int":
        return int_arg
    if kind == "float":
        return float_arg
    if kind == "list":
        return lambda v: str_list_arg(v, param, method)
    return lambda v: str_arg(v, param, method)


# (method, parameter, field, kind) for setters that store one value.
_SETTERS = [
    ("setDbId", "dbid", "dbid", "int"), ("setYear", "year", "year", "int"),
    ("setEpisode", "episode", "episode", "int"), ("setSeason", "season", "season", "int"),
    ("setSortEpisode", "sortepisode", "sortepisode", "int"), ("setSortSeason", "sortseason", "sortseason", "int"),
    ("setEpisodeGuide", "episodeguide", "episodeguide", "str"), ("setTop250", "top250", "top250", "int"),
    ("setSetId", "setid", "setid", "int"), ("setTrackNumber", "tracknumber", "tracknumber", "int"),
    ("setUserRating", "userrating", "userrating", "int"), ("setPlaycount", "playcount", "playcount", "int"),
    ("setMpaa", "mpaa", "mpaa", "str"), ("setPlot", "plot", "plot", "str"),
    ("setPlotOutline", "plotoutline", "plotoutline", "str"), ("setTitle", "title", "title", "str"),
    ("setOriginalTitle", "originaltitle", "originaltitle", "str"), ("setSortTitle", "sorttitle", "sorttitle", "str"),
    ("setTagLine", "tagline", "tagline", "str"), ("setTvShowTitle", "tvshowtitle", "tvshowtitle", "str"),
    ("setTvShowStatus", "status", "status", "str"), ("setGenres", "genre", "genres", "list"),
    ("setCountries", "countries", "countries", "list"), ("setDirectors", "directors", "directors", "list"),
    ("setStudios", "studios", "studios", "list"), ("setWriters", "writers", "writers", "list"),
    ("setDuration", "duration", "duration", "int"), ("setPremiered", "premiered", "premiered", "str"),
    ("setSet", "set", "set", "str"), ("setSetOverview", "setoverview", "setoverview", "str"),
    ("setTags", "tags", "tags", "list"), ("setProductionCode", "productioncode", "productioncode", "str"),
    ("setFirstAired", "firstaired", "firstaired", "str"), ("setLastPlayed", "lastplayed", "lastplayed", "str"),
    ("setAlbum", "album", "album", "str"), ("setTrailer", "trailer", "trailer", "str"),
    ("setPath", "path", "path", "str"), ("setFilenameAndPath", "filenameandpath", "filenameandpath", "str"),
    ("setIMDBNumber", "imdbnumber", "imdbnumber", "str"), ("setDateAdded", "dateadded", "dateadded", "str"),
    ("setShowLinks", "showlinks", "showlinks", "list"), ("setArtists", "artists", "artists", "list"),
]  # fmt: skip

# (method, field) for getters that return one stored value.
_GETTERS = [
    ("getDbId", "dbid"), ("getDirectors", "directors"), ("getWriters", "writers"), ("getGenres", "genres"),
    ("getTagLine", "tagline"), ("getPlotOutline", "plotoutline"), ("getPlot", "plot"), ("getTitle", "title"),
    ("getTVShowTitle", "tvshowtitle"), ("getMediaType", "mediatype"), ("getFile", "filenameandpath"),
    ("getPath", "path"), ("getFilenameAndPath", "filenameandpath"), ("getSeason", "season"),
    ("getEpisode", "episode"), ("getUserRating", "userrating"),
    ("getPlayCount", "playcount"), ("getLastPlayed", "lastplayed"), ("getOriginalTitle", "originaltitle"),
    ("getPremiered", "premiered"), ("getFirstAired", "firstaired"), ("getTrailer", "trailer"),
    ("getArtist", "artists"), ("getAlbum", "album"), ("getTrack", "tracknumber"), ("getDuration", "duration"),
]  # fmt: skip

_JOINED = [("getDirector", "directors"), ("getWritingCredits", "writers"), ("getGenre", "genres")]
_W3C = [
    ("getLastPlayedAsW3C", "lastplayed"),
    ("getPremieredAsW3C", "premiered"),
    ("getFirstAiredAsW3C", "firstaired"),
]


def _year_of_date(value: str) -> int:
    """The year of a 'YYYY-MM-DD' date (time may follow); 0 when Kodi would find the date invalid."""
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).year
    except ValueError:
        return 0


def _to_w3c(value: str) -> str:
    """'2020-01-02 10:00:00' -> '2020-01-02T10:00:00Z' (date-only values stay dates)."""
    value = value.strip()
    if len(value) > 10 and value[10] == " ":
        return f"{value[:10]}T{value[11:]}Z"
    return value


class Actor:
    """One cast member of a video."""

    def __init__(self, name: str = "", role: str = "", order: int = -1, thumbnail: str = "") -> None:
        self._name = str_arg(name, "name", "Actor")
        self._role = str_arg(role, "role", "Actor")
        self._order = int_arg(order)
        self._thumbnail = str_arg(thumbnail, "thumbnail", "Actor")

    def getName(self) -> str:
        """The actor's name."""
        return self._name

    def getRole(self) -> str:
        """The role played."""
        return self._role

    def getOrder(self) -> int:
        """The position in the cast list."""
        return self._order

    def getThumbnail(self) -> str:
        """The thumbnail URL."""
        return self._thumbnail

    def setName(self, name: str) -> None:
        """Set the name."""
        self._name = str_arg(name, "name", "setName")

    def setRole(self, role: str) -> None:
        """Set the role."""
        self._role = str_arg(role, "role", "setRole")

    def setOrder(self, order: int) -> None:
        """Set the position in the cast list."""
        self._order = int_arg(order)

    def setThumbnail(self, thumbnail: str) -> None:
        """Set the thumbnail URL."""
        self._thumbnail = str_arg(thumbnail, "thumbnail", "setThumbnail")

    def _fake_record(self) -> dict[str, Any]:
        return {"name": self._name, "role": self._role, "order": self._order, "thumbnail": self._thumbnail}


class VideoStreamDetail:
    """Technical details of one video stream."""

    def __init__(
        self,
        width: int = 0,
        height: int = 0,
        aspect: float = 0.0,
        duration: int = 0,
        codec: str = "",
        stereomode: str = "",
        language: str = "",
        hdrtype: str = "",
    ) -> None:
        self._d = {"width": int_arg(width), "height": int_arg(height), "aspect": float_arg(aspect),
                   "duration": int_arg(duration), "codec": str_arg(codec, "codec", "VideoStreamDetail"),
                   "stereomode": str_arg(stereomode, "stereomode", "VideoStreamDetail"),
                   "language": str_arg(language, "language", "VideoStreamDetail"),
                   "hdrtype": str_arg(hdrtype, "hdrtype", "VideoStreamDetail")}  # fmt: skip

    def getWidth(self) -> int:
        """Width in pixels."""
        return self._d["width"]

    def getHeight(self) -> int:
        """Height in pixels."""
        return self._d["height"]

    def getAspect(self) -> float:
        """Aspect ratio."""
        return self._d["aspect"]

    def getDuration(self) -> int:
        """Duration in seconds."""
        return self._d["duration"]

    def getCodec(self) -> str:
        """Codec name."""
        return self._d["codec"]

    def getStereoMode(self) -> str:
        """Stereo mode."""
        return self._d["stereomode"]

    def getLanguage(self) -> str:
        """Language code."""
        return self._d["language"]

    def getHDRType(self) -> str:
        """HDR type."""
        return self._d["hdrtype"]

    def setWidth(self, width: int) -> None:
        """Set the width."""
        self._d["width"] = int_arg(width)

    def setHeight(self, height: int) -> None:
        """Set the height."""
        self._d["height"] = int_arg(height)

    def setAspect(self, aspect: float) -> None:
        """Set the aspect ratio."""
        self._d["aspect"] = float_arg(aspect)

    def setDuration(self, duration: int) -> None:
        """Set the duration."""
        self._d["duration"] = int_arg(duration)

    def setCodec(self, codec: str) -> None:
        """Set the codec."""
        self._d["codec"] = str_arg(codec, "codec", "setCodec")

    def setStereoMode(self, stereomode: str) -> None:
        """Set the stereo mode."""
        self._d["stereomode"] = str_arg(stereomode, "stereomode", "setStereoMode")

    def setLanguage(self, language: str) -> None:
        """Set the language."""
        self._d["language"] = str_arg(language, "language", "setLanguage")

    def setHDRType(self, hdrtype: str) -> None:
        """Set the HDR type."""
        self._d["hdrtype"] = str_arg(hdrtype, "hdrtype", "setHDRType")

    def _fake_record(self) -> dict[str, Any]:
        return dict(self._d)


class AudioStreamDetail:
    """Technical details of one audio stream."""

    def __init__(self, channels: int = -1, codec: str = "", language: str = "") -> None:
        self._d = {"channels": int_arg(channels), "codec": str_arg(codec, "codec", "AudioStreamDetail"),
                   "language": str_arg(language, "language", "AudioStreamDetail")}  # fmt: skip

    def getChannels(self) -> int:
        """Number of channels."""
        return self._d["channels"]

    def getCodec(self) -> str:
        """Codec name."""
        return self._d["codec"]

    def getLanguage(self) -> str:
        """Language code."""
        return self._d["language"]

    def setChannels(self, channels: int) -> None:
        """Set the number of channels."""
        self._d["channels"] = int_arg(channels)

    def setCodec(self, codec: str) -> None:
        """Set the codec."""
        self._d["codec"] = str_arg(codec, "codec", "setCodec")

    def setLanguage(self, language: str) -> None:
        """Set the language."""
        self._d["language"] = str_arg(language, "language", "setLanguage")

    def _fake_record(self) -> dict[str, Any]:
        return dict(self._d)


class SubtitleStreamDetail:
    """Details of one subtitle stream."""

    def __init__(self, language: str = "") -> None:
        self._d = {"language": str_arg(language, "language", "SubtitleStreamDetail")}

    def getLanguage(self) -> str:
        """Language code."""
        return self._d["language"]

    def setLanguage(self, language: str) -> None:
        """Set the language."""
        self._d["language"] = str_arg(language, "language", "setLanguage")

    def _fake_record(self) -> dict[str, Any]:
        return dict(self._d)


class InfoTagVideo:
    """The video metadata of a ListItem (or a standalone tag)."""

    def __init__(self, offscreen: bool = False) -> None:
        self._data: dict[str, Any] = copy.deepcopy(_DEFAULTS)
        self._actors: list[Actor] = []

    def _set(self, field: str, value: Any) -> None:
        self._data[field] = value

    def getVotes(self) -> str:
        """Votes of the default rating, as text."""
        return str(self.getVotesAsInt())

    def getVotesAsInt(self, type: str = "") -> int:
        """Votes of the rating `type` (default rating when empty)."""
        return self._rating(type)["votes"]

    def getRating(self, type: str = "") -> float:
        """The rating `type` (default rating when empty)."""
        return self._rating(type)["rating"]

    def _rating(self, type: str) -> dict[str, Any]:
        key = str_arg(type, "type", "getRating") or self._data["default_rating"]
        return self._data["ratings"].get(key, {"rating": 0.0, "votes": 0})

    def getCast(self) -> str:
        """The cast as 'name as role' lines."""
        return "\n".join(
            f"{a.getName()} as {a.getRole()}" if a.getRole() else a.getName() for a in self._actors
        )

    def getActors(self) -> list[Actor]:
        """The cast as Actor objects."""
        return list(self._actors)

    def getPictureURL(self) -> str:
        """The first thumbnail URL of the available artwork."""
        art = self._data["available_artwork"]
        return art[0]["url"] if art else ""

    def getYear(self) -> int:
        """The year; like Kodi's CVideoInfoTag::GetYear, taken from first aired, then premiered, when unset."""
        if self._data["year"] > 0:
            return self._data["year"]
        for field in ("firstaired", "premiered"):
            year = _year_of_date(self._data[field])
            if year:
                return year
        return 0

    def getIMDBNumber(self) -> str:
        """The IMDb number (set directly, or the default/imdb unique id)."""
        if self._data["imdbnumber"]:
            return self._data["imdbnumber"]
        ids = self._data["uniqueids"]
        return ids.get(self._data["default_uniqueid"]) or ids.get("imdb", "")

    def getResumeTime(self) -> float:
        """Resume position in seconds."""
        return self._data["resume"]["position"]

    def getResumeTimeTotal(self) -> float:
        """Total time of the resume point in seconds."""
        return self._data["resume"]["total"]

    def getUniqueID(self, key: str) -> str:
        """The unique id of type `key`, '' when unset."""
        return self._data["uniqueids"].get(str_arg(key, "key", "getUniqueID"), "")

    def setUniqueID(self, uniqueid: str, type: str = "", isdefault: bool = False) -> None:
        """Add one unique id."""
        kind = str_arg(type, "type", "setUniqueID") or "unknown"
        self._data["uniqueids"][kind] = str_arg(uniqueid, "uniqueid", "setUniqueID")
        if bool_arg(isdefault):
            self._data["default_uniqueid"] = kind

    def setUniqueIDs(self, uniqueIDs: dict[str, str], defaultuniqueid: str = "") -> None:
        """Replace all unique ids."""
        if not isinstance(uniqueIDs, dict):
            raise TypeError('argument "uniqueIDs" for method "setUniqueIDs" must be a dictionary')
        self._data["uniqueids"] = {
            str_arg(k, "uniqueIDs", "setUniqueIDs"): str_arg(v, "uniqueIDs", "setUniqueIDs")
            for k, v in uniqueIDs.items()
        }
        self._data["default_uniqueid"] = str_arg(defaultuniqueid, "defaultuniqueid", "setUniqueIDs")

    def setRating(self, rating: float, votes: int = 0, type: str = "", isdefault: bool = False) -> None:
        """Add one rating."""
        kind = str_arg(type, "type", "setRating") or self._data["default_rating"]
        self._data["ratings"][kind] = {"rating": float_arg(rating), "votes": int_arg(votes)}
        if bool_arg(isdefault):
            self._data["default_rating"] = kind

    def setRatings(self, ratings: dict[str, tuple[float, int]], defaultrating: str = "") -> None:
        """Replace all ratings: {type: (rating, votes)}."""
        self._data["ratings"] = {
            str_arg(k, "ratings", "setRatings"): {"rating": float_arg(v[0]), "votes": int_arg(v[1])}
            for k, v in ratings.items()
        }
        if defaultrating:
            self._data["default_rating"] = str_arg(defaultrating, "defaultrating", "setRatings")

    def setVotes(self, votes: int) -> None:
        """Set the votes of the default rating."""
        entry = self._data["ratings"].setdefault(self._data["default_rating"], {"rating": 0.0, "votes": 0})
        entry["votes"] = int_arg(votes)

    def setMediaType(self, mediatype: str) -> None:
        """Set the media type; Kodi ignores unknown types silently."""
        value = str_arg(mediatype, "mediatype", "setMediaType")
        if value.lower() in MEDIA_TYPES:
            self._data["mediatype"] = value.lower()

    def setCast(self, actors: list[Actor]) -> None:
        """Replace the cast."""
        if not all(isinstance(a, Actor) for a in actors):
            raise TypeError('argument "actors" for method "setCast" must be a list of xbmc.Actor')
        self._actors = list(actors)
        self._data["cast"] = [a._fake_record() for a in actors]

    def setResumePoint(self, time: float, totaltime: float = 0.0) -> None:
        """Set the resume point in seconds."""
        self._data["resume"] = {"position": float_arg(time), "total": float_arg(totaltime)}

    def addSeason(self, number: int, name: str = "") -> None:
        """Name one season."""
        self._data["seasons"].append([int_arg(number), str_arg(name, "name", "addSeason")])

    def addSeasons(self, namedseasons: list[tuple[int, str]]) -> None:
        """Name several seasons."""
        for number, name in namedseasons:
            self.addSeason(number, name)

    def addVideoStream(self, stream: VideoStreamDetail) -> None:
        """Add a video stream."""
        self._add_stream("video", stream, VideoStreamDetail)

    def addAudioStream(self, stream: AudioStreamDetail) -> None:
        """Add an audio stream."""
        self._add_stream("audio", stream, AudioStreamDetail)

    def addSubtitleStream(self, stream: SubtitleStreamDetail) -> None:
        """Add a subtitle stream."""
        self._add_stream("subtitle", stream, SubtitleStreamDetail)

    def _add_stream(self, kind: str, stream: Any, cls: type) -> None:
        if not isinstance(stream, cls):
            raise TypeError(f"stream must be an xbmc.{cls.__name__}")
        self._data["streams"][kind].append(stream._fake_record())

    def addAvailableArtwork(
        self,
        url: str,
        arttype: str = "",
        preview: str = "",
        referrer: str = "",
        cache: str = "",
        post: bool = False,
        isgz: bool = False,
        season: int = -1,
    ) -> None:
        """Offer one more artwork image."""
        self._data["available_artwork"].append(
            {
                "url": str_arg(url, "url", "addAvailableArtwork"),
                "type": str_arg(arttype, "arttype", "x"),
                "preview": str_arg(preview, "preview", "x"),
                "season": int_arg(season),
            }  # fmt: skip
        )

    def _fake_record(self) -> dict[str, Any]:
        info = copy.deepcopy(self._data)
        info["imdbnumber"] = self.getIMDBNumber()
        info["year"] = self.getYear()
        return info


def _install_table_methods() -> None:
    for name, param, field, kind in _SETTERS:
        convert = _converter(kind, param, name)

        def body(self: InfoTagVideo, value: Any, _f: str = field, _c: Callable[[Any], Any] = convert) -> None:
            self._set(_f, _c(value))

        setattr(InfoTagVideo, name, _method(name, [param], body, f"Set {field}."))
    for name, field in _GETTERS:
        getter = _method(name, [], lambda self, _f=field: copy.copy(self._data[_f]), f"The {field}.")
        setattr(InfoTagVideo, name, getter)
    for name, field in _JOINED:
        setattr(
            InfoTagVideo,
            name,
            _method(name, [], lambda self, _f=field: " / ".join(self._data[_f]), "Joined."),
        )
    for name, field in _W3C:
        setattr(
            InfoTagVideo, name, _method(name, [], lambda self, _f=field: _to_w3c(self._data[_f]), "W3C form.")
        )


_install_table_methods()
