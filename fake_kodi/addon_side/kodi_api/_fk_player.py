"""xbmc.Player and xbmc.PlayList over the runtime's player state (a dict the session owns).

The state keys are the contract with the runtime: playing, paused, file, time, total, media
('video'|'audio'), item (the ListItem record) and playlists ({playlist id: [entries]}).
"""

from __future__ import annotations

from typing import Any

from _fk_args import bool_arg, float_arg, int_arg, str_arg
from _fk_notemulated import not_emulated

from fake_kodi.addon_side.session import current

_xbmc = not_emulated("xbmc")

PLAYLIST_MUSIC = 0
PLAYLIST_VIDEO = 1


def _state() -> dict[str, Any]:
    state = current().player_state()
    for key, default in (("playing", False), ("paused", False), ("file", ""), ("time", 0.0), ("total", 0.0)):
        state.setdefault(key, default)
    state.setdefault("media", "video")
    state.setdefault("item", None)
    state.setdefault("playlists", {})
    return state


def _playing_state(message: str) -> dict[str, Any]:
    state = _state()
    if not state["playing"]:
        raise RuntimeError(message)
    return state


def _listitem_from_record(record: dict[str, Any] | None) -> Any:
    from _fk_listitem import ListItem  # late: xbmcgui imports xbmc, not the other way round

    return ListItem._fake_from_record(record or {})


class PlayList:
    """Kodi's music or video playlist (shared by all PlayList objects of the same id)."""

    def __init__(self, playList: int) -> None:
        self._id = int_arg(playList)
        if self._id not in (PLAYLIST_MUSIC, PLAYLIST_VIDEO):
            raise RuntimeError("PlayList does not exist")

    def _entries(self) -> list[dict[str, Any]]:
        return _state()["playlists"].setdefault(self._id, [])

    def getPlayListId(self) -> int:
        """The playlist id (PLAYLIST_MUSIC or PLAYLIST_VIDEO)."""
        return self._id

    def add(self, url: str, listitem: Any = None, index: int = -1) -> None:
        """Add `url` (with an optional ListItem) at `index` (-1 appends)."""
        entry = {"url": str_arg(url, "url", "add"), "item": listitem._fake_record() if listitem else None}
        entries = self._entries()
        position = int_arg(index)
        entries.insert(position if 0 <= position <= len(entries) else len(entries), entry)

    @_xbmc
    def load(self, filename: str) -> bool: ...

    def remove(self, filename: str) -> None:
        """Remove every entry whose url is `filename`."""
        target = str_arg(filename, "filename", "remove")
        self._entries()[:] = [e for e in self._entries() if e["url"] != target]

    def clear(self) -> None:
        """Empty the playlist."""
        self._entries().clear()

    def size(self) -> int:
        """Number of entries."""
        return len(self._entries())

    @_xbmc
    def shuffle(self) -> None: ...

    @_xbmc
    def unshuffle(self) -> None: ...

    def getposition(self) -> int:
        """Position of the playing entry, -1 when this playlist is not playing."""
        state = _state()
        return state.get("playlist_position", -1) if state.get("playlist") == self._id else -1

    def __len__(self) -> int:
        return self.size()

    def __getitem__(self, index: int) -> Any:
        entry = self._entries()[index]
        item = _listitem_from_record(entry["item"])
        if not item.getPath():
            item.setPath(entry["url"])
        return item


class Player:
    """Kodi's player, as far as an add-on can drive and observe it without real media."""

    def __init__(self) -> None:
        pass

    def play(self, item: Any = "", listitem: Any = None, windowed: bool = False, startpos: int = -1) -> None:
        """Start playing a URL, a ListItem or a PlayList."""
        state = _state()
        position = int_arg(startpos)
        record = listitem._fake_record() if listitem is not None else None
        if isinstance(item, PlayList) or item == "":
            playlist = item if isinstance(item, PlayList) else PlayList(PLAYLIST_VIDEO)
            entries = playlist._entries()
            if not entries:
                return
            position = max(position, 0)
            file, record = entries[position]["url"], entries[position]["item"]
            state.update(playlist=playlist.getPlayListId(), playlist_position=position)
        else:
            file = str_arg(item, "item", "play")
            state.update(playlist=None, playlist_position=-1)
        info = (record or {}).get("info", {})
        state.update(
            playing=True, paused=False, file=file, time=float(info.get("resume", {}).get("position", 0.0))
        )
        state.update(total=float(info.get("duration", 0) or 0), item=record)
        state["media"] = "audio" if state.get("playlist") == PLAYLIST_MUSIC else "video"
        current().record(
            "player", {"action": "play", "file": file, "item": record, "windowed": bool(windowed)}
        )

    def stop(self) -> None:
        """Stop playback."""
        state = _state()
        state.update(playing=False, paused=False)
        current().record("player", {"action": "stop", "file": state["file"], "time": state["time"]})

    def pause(self) -> None:
        """Toggle pause."""
        state = _state()
        if state["playing"]:
            state["paused"] = not state["paused"]
            current().record("player", {"action": "pause", "paused": state["paused"]})

    @_xbmc
    def playnext(self) -> None: ...

    @_xbmc
    def playprevious(self) -> None: ...

    @_xbmc
    def playselected(self, selected: int) -> None: ...

    def isPlaying(self) -> bool:
        """True while something plays (paused included)."""
        return bool(_state()["playing"])

    def isPlayingAudio(self) -> bool:
        """True while audio plays."""
        state = _state()
        return bool(state["playing"]) and state["media"] == "audio"

    def isPlayingVideo(self) -> bool:
        """True while video plays."""
        state = _state()
        return bool(state["playing"]) and state["media"] == "video"

    def isPlayingRDS(self) -> bool:
        """The fake never plays radio with RDS."""
        return False

    def isExternalPlayer(self) -> bool:
        """The fake never uses an external player."""
        return False

    def getPlayingFile(self) -> str:
        """The playing file; RuntimeError when nothing plays."""
        return _playing_state("Kodi is not playing any file")["file"]

    def getPlayingItem(self) -> Any:
        """The playing item as a ListItem; RuntimeError when nothing plays."""
        state = _playing_state("Kodi is not playing any item")
        item = _listitem_from_record(state["item"])
        if not item.getPath():
            item.setPath(state["file"])
        return item

    def getTime(self) -> float:
        """Current position in seconds."""
        return float(_playing_state("Kodi is not playing any media file")["time"])

    def seekTime(self, seekTime: float) -> None:
        """Jump to `seekTime` seconds."""
        state = _playing_state("Kodi is not playing any media file")
        state["time"] = float_arg(seekTime)
        current().record("player", {"action": "seek", "time": state["time"]})

    def setSubtitles(self, subtitleFile: str) -> None:
        """Add a subtitle file to the playing item."""
        current().record(
            "player", {"action": "subtitles", "file": str_arg(subtitleFile, "subtitleFile", "x")}
        )

    def showSubtitles(self, bVisible: bool) -> None:
        """Show or hide subtitles."""
        _state()["subtitles_visible"] = bool_arg(bVisible)

    def getSubtitles(self) -> str:
        """The fake plays no subtitle streams."""
        return ""

    def getAvailableSubtitleStreams(self) -> list[str]:
        """The fake plays no subtitle streams."""
        return []

    def setSubtitleStream(self, iStream: int) -> None:
        """No streams exist, so (as in Kodi) an out-of-range index is ignored."""
        int_arg(iStream)

    def updateInfoTag(self, item: Any) -> None:
        """Replace the playing item's metadata."""
        state = _playing_state("Kodi is not playing any file")
        state["item"] = item._fake_record()

    def getVideoInfoTag(self) -> Any:
        """The playing video's InfoTagVideo."""
        state = _state()
        if not (state["playing"] and state["media"] == "video"):
            raise RuntimeError("Kodi is not playing any videofile")
        return _listitem_from_record(state["item"]).getVideoInfoTag()

    @_xbmc
    def getMusicInfoTag(self) -> Any: ...

    @_xbmc
    def getRadioRDSInfoTag(self) -> Any: ...

    def getTotalTime(self) -> float:
        """Total time in seconds."""
        return float(_playing_state("Kodi is not playing any media file")["total"])

    def getAvailableAudioStreams(self) -> list[str]:
        """The fake plays no real audio streams."""
        return []

    def setAudioStream(self, iStream: int) -> None:
        """No streams exist, so (as in Kodi) an out-of-range index is ignored."""
        int_arg(iStream)

    def getAvailableVideoStreams(self) -> list[str]:
        """The fake plays no real video streams."""
        return []

    def setVideoStream(self, iStream: int) -> None:
        """No streams exist, so (as in Kodi) an out-of-range index is ignored."""
        int_arg(iStream)

    # Callbacks: Kodi's base class does nothing; add-ons override them.
    def onPlayBackStarted(self) -> None:
        """Callback: playback started."""

    def onAVStarted(self) -> None:
        """Callback: audio/video output started."""

    def onAVChange(self) -> None:
        """Callback: a stream changed."""

    def onPlayBackEnded(self) -> None:
        """Callback: playback ended."""

    def onPlayBackStopped(self) -> None:
        """Callback: playback stopped by the user."""

    def onPlayBackError(self) -> None:
        """Callback: playback failed."""

    def onPlayBackPaused(self) -> None:
        """Callback: paused."""

    def onPlayBackResumed(self) -> None:
        """Callback: resumed."""

    def onQueueNextItem(self) -> None:
        """Callback: the next item is queued."""

    def onPlayBackSpeedChanged(self, speed: int) -> None:
        """Callback: speed changed."""

    def onPlayBackSeek(self, time: int, seekOffset: int) -> None:
        """Callback: seek."""

    def onPlayBackSeekChapter(self, chapter: int) -> None:
        """Callback: chapter seek."""
