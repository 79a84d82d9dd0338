"""Kodi's `xbmc` module, emulated: logging, builtins, JSON-RPC, info labels, Monitor, Player, Keyboard.

Holds no state: everything Kodi would keep goes through `fake_kodi.addon_side.session.current()`.
Interface note: getLocalizedString(id) asks the session for Kodi's own strings as
`localized_string("resource.language.en_gb", id)` (the add-on that holds them in Kodi).
"""

from _fk_args import bool_arg as _bool_arg
from _fk_args import float_arg as _float_arg
from _fk_args import int_arg as _int_arg
from _fk_args import str_arg as _str_arg
from _fk_notemulated import not_emulated as _not_emulated
from _fk_othertags import InfoTagGame as InfoTagGame
from _fk_othertags import InfoTagMusic as InfoTagMusic
from _fk_othertags import InfoTagPicture as InfoTagPicture
from _fk_othertags import InfoTagRadioRDS as InfoTagRadioRDS
from _fk_othertags import RenderCapture as RenderCapture
from _fk_player import Player as Player
from _fk_player import PlayList as PlayList
from _fk_videotag import Actor as Actor
from _fk_videotag import AudioStreamDetail as AudioStreamDetail
from _fk_videotag import InfoTagVideo as InfoTagVideo
from _fk_videotag import SubtitleStreamDetail as SubtitleStreamDetail
from _fk_videotag import VideoStreamDetail as VideoStreamDetail

from fake_kodi.addon_side.session import current as _current

_xbmc = _not_emulated("xbmc")

DRIVE_NOT_READY = 1
ENGLISH_NAME = 2
ISO_639_1 = 0
ISO_639_2 = 1
LOGDEBUG = 0
LOGERROR = 3
LOGFATAL = 4
LOGINFO = 1
LOGNONE = 5
LOGWARNING = 2
PLAYLIST_MUSIC = 0
PLAYLIST_VIDEO = 1
SERVER_AIRPLAYSERVER = 2
SERVER_EVENTSERVER = 6
SERVER_JSONRPCSERVER = 3
SERVER_UPNPRENDERER = 4
SERVER_UPNPSERVER = 5
SERVER_WEBSERVER = 1
SERVER_ZEROCONF = 7
TRAY_CLOSED_MEDIA_PRESENT = 3
TRAY_CLOSED_NO_MEDIA = 2
TRAY_OPEN = 1

# Kodi's defaults for English with the "UK (12h)" region, as getRegion returns them.
_REGION = {
    "datelong": "%A, %d %B %Y",
    "dateshort": "%d/%m/%Y",
    "tempunit": "°C",
    "speedunit": "km/h",
    "time": "%I:%M:%S %p",
    "meridiem": "AM/PM",
}
_CORE_STRINGS_ADDON = "resource.language.en_gb"
_LANGUAGE = {ENGLISH_NAME: "English", ISO_639_1: "en", ISO_639_2: "eng"}


class Keyboard:
    """Kodi's on-screen keyboard; doModal asks the scripted dialog answers ('keyboard')."""

    def __init__(self, line: str = "", heading: str = "", hidden: bool = False) -> None:
        self._line = _str_arg(line, "line", "Keyboard")
        self._heading = _str_arg(heading, "heading", "Keyboard")
        self._hidden = _bool_arg(hidden)
        self._text = self._line
        self._confirmed = False

    def doModal(self, autoclose: int = 0) -> None:
        """Show the keyboard; the scripted answer is the text typed (None or False = cancel)."""
        details = {"heading": self._heading, "default": self._line, "hidden": self._hidden}
        answer = _current().answer_dialog("keyboard", details)
        self._confirmed = answer is not None and answer is not False
        self._text = str(answer) if self._confirmed else self._line

    def setDefault(self, line: str = "") -> None:
        """Set the default text."""
        self._line = self._text = _str_arg(line, "line", "setDefault")

    def setHiddenInput(self, hidden: bool = False) -> None:
        """Hide the typed characters."""
        self._hidden = _bool_arg(hidden)

    def setHeading(self, heading: str) -> None:
        """Set the heading."""
        self._heading = _str_arg(heading, "heading", "setHeading")

    def getText(self) -> str:
        """The text typed (the default when cancelled)."""
        return self._text

    def isConfirmed(self) -> bool:
        """True when the user confirmed with OK."""
        return self._confirmed


class Monitor:
    """Receives Kodi's events; the runtime calls the on* methods inside the add-on's waits."""

    def __init__(self) -> None:
        _current().register_monitor(self)

    def __del__(self) -> None:
        try:
            _current().unregister_monitor(self)
        except Exception:  # the session may be gone at interpreter shutdown
            pass

    def onSettingsChanged(self) -> None:
        """Callback: the add-on's settings were saved."""

    def onScreensaverActivated(self) -> None:
        """Callback: screensaver on."""

    def onScreensaverDeactivated(self) -> None:
        """Callback: screensaver off."""

    def onDPMSActivated(self) -> None:
        """Callback: energy saving on."""

    def onDPMSDeactivated(self) -> None:
        """Callback: energy saving off."""

    def onScanStarted(self, library: str) -> None:
        """Callback: library scan started."""

    def onScanFinished(self, library: str) -> None:
        """Callback: library scan finished."""

    def onCleanStarted(self, library: str) -> None:
        """Callback: library clean started."""

    def onCleanFinished(self, library: str) -> None:
        """Callback: library clean finished."""

    def onNotification(self, sender: str, method: str, data: str) -> None:
        """Callback: a notification (data is a JSON string)."""

    def waitForAbort(self, timeout: float = -1) -> bool:
        """Wait `timeout` seconds (<= 0: until abort); True when Kodi is aborting."""
        seconds = _float_arg(timeout)
        # Kodi waits forever for any timeout <= 0, including 0 (KODI_BEHAVIOUR.md section 8).
        return bool(_current().wait_for_abort(seconds if seconds > 0 else None))

    def abortRequested(self) -> bool:
        """True when Kodi is aborting."""
        return bool(_current().abort_requested())


def log(msg: str, level: int = LOGDEBUG) -> None:
    """Write `msg` to kodi.log at `level`."""
    _current().log(_str_arg(msg, "msg", "log"), _int_arg(level))


@_xbmc
def shutdown() -> None: ...


@_xbmc
def restart() -> None: ...


@_xbmc
def executescript(script: str) -> None: ...


def executebuiltin(function: str, wait: bool = False) -> None:
    """Run a Kodi builtin such as 'RunPlugin(...)' or 'Container.Refresh'."""
    _current().execute_builtin(_str_arg(function, "function", "executebuiltin"), _bool_arg(wait))


def executeJSONRPC(jsonrpccommand: str) -> str:
    """Run a JSON-RPC request and return the JSON response text."""
    return _current().execute_jsonrpc(_str_arg(jsonrpccommand, "jsonrpccommand", "executeJSONRPC"))


def sleep(timemillis: int) -> None:
    """Sleep `timemillis` ms (virtual time in service runs); callbacks may run meanwhile."""
    _current().sleep_ms(_int_arg(timemillis))


def getLocalizedString(id: int) -> str:
    """One of Kodi's own strings (the fake knows the common ones; '' for an id it does not hold)."""
    return _current().localized_string(_CORE_STRINGS_ADDON, _int_arg(id))


def getSkinDir() -> str:
    """The active skin: Kodi's default, Estuary."""
    return "skin.estuary"


def getLanguage(format: int = ENGLISH_NAME, region: bool = False) -> str:
    """The GUI language (English, region UK)."""
    fmt = _int_arg(format)
    name = _LANGUAGE.get(fmt, "English")
    if _bool_arg(region) and fmt == ISO_639_1:
        return f"{name}-gb"
    return name


def getIPAddress() -> str:
    """The fake only talks on the loopback interface."""
    return "127.0.0.1"


@_xbmc
def getDVDState() -> int: ...


@_xbmc
def getFreeMem() -> int: ...


def getInfoLabel(cLine: str) -> str:
    """An info label such as 'System.BuildVersion' (unknown labels echo the input)."""
    return str(_current().info_label(_str_arg(cLine, "cLine", "getInfoLabel")))


@_xbmc
def getInfoImage(infotag: str) -> str: ...


@_xbmc
def playSFX(filename: str, useCached: bool = True) -> None: ...


@_xbmc
def stopSFX() -> None: ...


@_xbmc
def enableNavSounds(yesNo: bool) -> None: ...


def getCondVisibility(condition: str) -> bool:
    """Evaluate a visibility condition such as 'System.HasAddon(id)'."""
    return bool(_current().cond_visibility(_str_arg(condition, "condition", "getCondVisibility")))


@_xbmc
def getGlobalIdleTime() -> int: ...


@_xbmc
def getCacheThumbName(path: str) -> str: ...


@_xbmc
def getCleanMovieTitle(path: str, usefoldername: bool = False) -> tuple: ...


def getRegion(id: str) -> str:
    """A regional format setting ('dateshort', 'datelong', 'time', 'meridiem', 'tempunit', 'speedunit')."""
    return _REGION.get(_str_arg(id, "id", "getRegion"), "")


@_xbmc
def getSupportedMedia(mediaType: str) -> str: ...


@_xbmc
def skinHasImage(image: str) -> bool: ...


@_xbmc
def startServer(iTyp: int, bStart: bool) -> bool: ...


@_xbmc
def audioSuspend() -> None: ...


@_xbmc
def audioResume() -> None: ...


def getUserAgent() -> str:
    """Kodi's HTTP user agent for the emulated version."""
    version = {20: "20.1", 21: "21.2"}.get(_current().kodi_version, f"{_current().kodi_version}.0")
    return f"Kodi/{version} (X11; Linux x86_64) App_Bitness/64 Version/{version}"


@_xbmc
def convertLanguage(language: str, format: int) -> str: ...
