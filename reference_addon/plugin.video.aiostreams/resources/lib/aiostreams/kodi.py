"""The add-on's only door to Kodi: settings, dialogs, listings, log, properties, monitor, Trakt client.

Every other module imports this one instead of xbmc*, so the rest of the add-on stays plain Python
that tests can drive through the fake Kodi, and so secrets are redacted in one place.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import xbmc
import xbmcaddon
import xbmcgui
import xbmcplugin
import xbmcvfs

ADDON_ID = "plugin.video.aiostreams"
DB_FILENAME = "trakt_sync.db"
HOME_WINDOW = 10000
TOKEN_LOCK = "token_refresh"
TOKEN_LOCK_TIMEOUT = 30.0
# Settings whose values must never reach the log (their values are redacted from every message).
SECRET_SETTINGS = ("trakt_client_secret", "trakt_access_token", "trakt_refresh_token")
LOG_LEVELS = {
    "debug": xbmc.LOGDEBUG,
    "info": xbmc.LOGINFO,
    "warning": xbmc.LOGWARNING,
    "error": xbmc.LOGERROR,
}


def _addon() -> xbmcaddon.Addon:
    # A fresh Addon per read: Kodi reloads only the first live instance after a save (snapshots).
    return xbmcaddon.Addon(ADDON_ID)


# --- identity and paths ---------------------------------------------------------------------------


def addon_id() -> str:
    """The add-on id."""
    return ADDON_ID


def addon_version() -> str:
    """The installed add-on version (from addon.xml)."""
    return _addon().getAddonInfo("version")


def addon_path() -> str:
    """The add-on's installed folder (absolute)."""
    return _addon().getAddonInfo("path")


def profile_dir() -> str:
    """special://profile/addon_data/<id>/ translated to a real path, created when missing."""
    path = xbmcvfs.translatePath(_addon().getAddonInfo("profile"))
    if not os.path.isdir(path):
        os.makedirs(path, exist_ok=True)
    return path


def db_path() -> str:
    """The mirror database file in the profile folder."""
    return os.path.join(profile_dir(), DB_FILENAME)


# --- settings -------------------------------------------------------------------------------------


def setting(setting_id: str) -> str:
    """A setting as text ('' when unknown or empty)."""
    return _addon().getSetting(setting_id)


def setting_bool(setting_id: str) -> bool:
    """A boolean setting (anything but 'true' is False)."""
    return setting(setting_id).strip().lower() == "true"


def setting_int(setting_id: str, default: int = 0) -> int:
    """An integer setting; `default` when empty or not a number."""
    try:
        return int(float(setting(setting_id).strip()))
    except ValueError:
        return default


def set_setting(setting_id: str, value: str) -> None:
    """Store a setting (Kodi keeps every setting as text)."""
    _addon().setSetting(setting_id, str(value))


def localize(string_id: int) -> str:
    """A string of the add-on's strings.po (Kodi's own ids below 30000 come from Kodi)."""
    if int(string_id) < 30000:
        return xbmc.getLocalizedString(int(string_id))
    return _addon().getLocalizedString(int(string_id))


# --- log ------------------------------------------------------------------------------------------


def redact(message: str) -> str:
    """`message` with the values of secret settings replaced, so a token never reaches kodi.log."""
    addon = _addon()
    for setting_id in SECRET_SETTINGS:
        value = addon.getSetting(setting_id)
        if value and len(value) >= 4:
            message = message.replace(value, "<redacted>")
    return message


def log(msg: str, level: str = "info") -> None:
    """Write to kodi.log with the add-on's prefix; secrets are redacted."""
    xbmc.log(f"[{ADDON_ID}] {redact(str(msg))}", LOG_LEVELS.get(level, xbmc.LOGINFO))


def warn(msg: str) -> None:
    """`log` at warning level (what the user's log should show without debug logging)."""
    log(msg, "warning")


class KodiLogHandler(logging.Handler):
    """Forwards the core's `logging` records (loggers `aiostreams.*`, `trakt`) to kodi.log."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        if record.levelno >= logging.ERROR:
            level = "error"
        elif record.levelno >= logging.WARNING:
            level = "warning"
        elif record.levelno >= logging.INFO:
            level = "info"
        else:
            level = "debug"
        log(f"{record.name}: {message}", level)


def configure_logging() -> None:
    """Route the core's Python logging to kodi.log (once per process)."""
    for name in ("aiostreams", "trakt"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, KodiLogHandler) for handler in logger.handlers):
            logger.addHandler(KodiLogHandler())
        logger.setLevel(logging.DEBUG)
        logger.propagate = False


# --- dialogs --------------------------------------------------------------------------------------


def notify(message: str, heading: str | None = None, error: bool = False, time_ms: int = 5000) -> None:
    """A toast notification (error icon when `error`)."""
    icon = xbmcgui.NOTIFICATION_ERROR if error else xbmcgui.NOTIFICATION_INFO
    xbmcgui.Dialog().notification(heading or _addon().getAddonInfo("name"), message, icon, time_ms)


def ok(heading: str, message: str) -> bool:
    """A modal OK dialog."""
    return bool(xbmcgui.Dialog().ok(heading, message))


def yesno(heading: str, message: str) -> bool:
    """A modal yes/no question; True for yes."""
    return bool(xbmcgui.Dialog().yesno(heading, message))


def textviewer(heading: str, text: str) -> None:
    """A modal text viewer."""
    xbmcgui.Dialog().textviewer(heading, text)


def select(heading: str, options: Sequence[str]) -> int:
    """A modal list; the chosen index or -1 when cancelled."""
    return int(xbmcgui.Dialog().select(heading, list(options)))


class Progress:
    """A modal DialogProgress: update(percent, message) and canceled()."""

    def __init__(self, dialog: Any):
        self._dialog = dialog

    def update(self, percent: int, message: str = "") -> None:
        """Move the bar (0-100) and show a message."""
        self._dialog.update(max(0, min(100, int(percent))), message)

    def canceled(self) -> bool:
        """True once the user pressed Cancel."""
        return bool(self._dialog.iscanceled())


class ProgressBG:
    """A background DialogProgressBG: update(percent, message)."""

    def __init__(self, dialog: Any):
        self._dialog = dialog

    def update(self, percent: int, message: str = "") -> None:
        """Move the bar (0-100) and show a message."""
        self._dialog.update(max(0, min(100, int(percent))), message=message)

    def canceled(self) -> bool:
        """A background progress cannot be cancelled."""
        return False


@contextmanager
def progress(heading: str, message: str = "") -> Iterator[Progress]:
    """A cancelable progress dialog for the length of a block (always closed)."""
    dialog = xbmcgui.DialogProgress()
    dialog.create(heading, message)
    try:
        yield Progress(dialog)
    finally:
        dialog.close()


@contextmanager
def progress_bg(heading: str, message: str = "") -> Iterator[ProgressBG]:
    """A background progress bar for the length of a block (always closed)."""
    dialog = xbmcgui.DialogProgressBG()
    dialog.create(heading, message)
    try:
        yield ProgressBG(dialog)
    finally:
        dialog.close()


# --- shared state, monitor, builtins --------------------------------------------------------------


def home_property(key: str) -> str:
    """Window(10000) property shared by the plugin and the service ('' when unset)."""
    return xbmcgui.Window(HOME_WINDOW).getProperty(f"{ADDON_ID}.{key}")


def set_home_property(key: str, value: str) -> None:
    """Set (or with '' clear) a Window(10000) property."""
    xbmcgui.Window(HOME_WINDOW).setProperty(f"{ADDON_ID}.{key}", str(value))


# Set by whichever process saw Trakt reject the refresh token (it cleared the tokens); the first one to
# tell the user clears it, so the user is asked once, by the service or by the plugin call they made.
PROP_LOGIN_EXPIRED = "trakt.login_expired"
LOGIN_EXPIRED_TEXT = 30412


def take_login_expired() -> bool:
    """True once after a Trakt login ended (and clear the note: the caller tells the user)."""
    if home_property(PROP_LOGIN_EXPIRED) != "true":
        return False
    set_home_property(PROP_LOGIN_EXPIRED, "")
    return True


def login_expired_text() -> str:
    """What the user is told when Trakt ended the login."""
    return (
        localize(LOGIN_EXPIRED_TEXT) or "Trakt ended the login: authorise Trakt again in the add-on settings"
    )


class Monitor(xbmc.Monitor):
    """Base for the service's monitor; Kodi calls its on* callbacks."""


def abort_requested() -> bool:
    """True once Kodi asked add-ons to stop."""
    return bool(xbmc.Monitor().abortRequested())


def wait_for_abort(seconds: float) -> bool:
    """Wait up to `seconds`; True when Kodi asked to stop meanwhile."""
    return bool(xbmc.Monitor().waitForAbort(max(0.001, float(seconds))))


def execute_builtin(command: str) -> None:
    """Run a Kodi builtin such as `Container.Refresh` or `RunPlugin(...)`."""
    xbmc.executebuiltin(command)


def refresh_container() -> None:
    """Make Kodi re-list the current folder (after a context action changed an overlay)."""
    execute_builtin("Container.Refresh")


# --- listings -------------------------------------------------------------------------------------


def list_item(label: str, label2: str = "", path: str = "") -> Any:
    """A new xbmcgui.ListItem (offscreen: it is built off the GUI thread)."""
    return xbmcgui.ListItem(label=label, label2=label2, path=path, offscreen=True)


def add_items(handle: int, entries: Sequence[tuple[str, Any, bool]]) -> bool:
    """Add (url, ListItem, is_folder) entries to a listing in one call."""
    return bool(xbmcplugin.addDirectoryItems(handle, list(entries), len(entries)))


def end_directory(
    handle: int, succeeded: bool = True, content: str | None = None, category: str | None = None
) -> None:
    """Finish a listing (Kodi shows an error when a call ends without this or setResolvedUrl)."""
    if content:
        xbmcplugin.setContent(handle, content)
    if category:
        xbmcplugin.setPluginCategory(handle, category)
    xbmcplugin.endOfDirectory(handle, succeeded=succeeded, cacheToDisc=False)


def resolve(handle: int, succeeded: bool, path: str = "") -> None:
    """Answer a playable item's call (with `succeeded=False` when there is nothing to play)."""
    xbmcplugin.setResolvedUrl(handle, succeeded, xbmcgui.ListItem(path=path, offscreen=True))


# --- Trakt ----------------------------------------------------------------------------------------


class SettingsTokenStore:
    """Trakt tokens kept in the add-on settings; refreshes serialised across processes by a ProcessLock."""

    def __init__(self, lock: Any, lock_timeout: float = TOKEN_LOCK_TIMEOUT):
        self.lock = lock
        self.lock_timeout = lock_timeout

    def load(self) -> Any:
        """The stored tokens (re-read from the settings), or None when not authorised."""
        from aiostreams.tokens import Tokens

        addon = _addon()
        access = addon.getSetting("trakt_access_token")
        refresh = addon.getSetting("trakt_refresh_token")
        if not access:
            return None
        try:
            expires_at = float(addon.getSetting("trakt_token_expires") or 0)
        except ValueError:
            expires_at = 0.0
        if expires_at <= 0:
            # No expiry stored (tokens typed in by hand or by CI): treat them as good for a day.
            expires_at = time.time() + 86400.0
        return Tokens(access, refresh, expires_at)

    def save(self, tokens: Any) -> None:
        """Store a new pair (the old refresh token is dead once Trakt answered)."""
        addon = _addon()
        addon.setSetting("trakt_access_token", tokens.access_token)
        addon.setSetting("trakt_refresh_token", tokens.refresh_token)
        addon.setSetting("trakt_token_expires", str(int(tokens.expires_at)))

    def clear(self, expired: bool = False) -> None:
        """Forget the tokens (revoke, or `expired`: a refresh token Trakt rejected, noted for the user)."""
        addon = _addon()
        for setting_id in ("trakt_access_token", "trakt_refresh_token", "trakt_token_expires"):
            addon.setSetting(setting_id, "")
        if expired:
            set_home_property(PROP_LOGIN_EXPIRED, "true")

    def refresh_lock(self) -> Any:
        """The cross-process "one refresh at a time" lock (in the mirror's database file)."""
        return self.lock.hold(self.lock_timeout)


def token_store() -> SettingsTokenStore:
    """The token store over the settings, locked through the mirror file."""
    from database.connection import ProcessLock

    return SettingsTokenStore(ProcessLock(db_path(), TOKEN_LOCK, ttl=60.0))


def trakt_api_url() -> str:
    """The Trakt API base URL (an advanced setting, so tests and CI can point it at a simulator)."""
    return (setting("trakt_api_url") or "https://api.trakt.tv").strip().rstrip("/")


def build_client(monitor: Any = None, get_budget: Any = None) -> Any:
    """A TraktClient from the settings; waits go through the monitor so an abort ends them.

    `get_budget` (a `GetBudget`) is shared by the clients of one process across syncs."""
    from aiostreams.trakt_client import TraktClient

    monitor = monitor or xbmc.Monitor()
    return TraktClient(
        base_url=trakt_api_url(),
        client_id=setting("trakt_client_id").strip(),
        client_secret=setting("trakt_client_secret").strip(),
        token_store=token_store(),
        clock=time.time,
        sleep=monitor.waitForAbort,
        abort_check=monitor.abortRequested,
        user_agent=f"{ADDON_ID}/{addon_version()}",
        get_budget=get_budget,
    )


def configure_trakt_api() -> None:
    """The KODI_CONFIG_HOOK of trakt.py: the mirror in the profile, the client from the settings."""
    import trakt

    configure_logging()
    trakt.configure(db_path=db_path(), client_factory=build_client, clock=time.time)
