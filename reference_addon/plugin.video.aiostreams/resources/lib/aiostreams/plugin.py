"""The route table: `?action=...` -> a small handler, imported only when its route runs (cheap cold start).

Every plugin:// call goes through `run(argv)`. Handlers receive a `Call` (handle, params, URL
builder). An unknown action, a bad parameter or a failing handler shows an error notification,
is logged, and ends the call the way Kodi expects; it never escapes as an exception.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

from aiostreams import kodi

BASE_URL = f"plugin://{kodi.ADDON_ID}/"

# action -> (module, function). Listing routes end a directory; the others run via RunPlugin.
ROUTES: dict[str, tuple[str, str]] = {
    "": ("aiostreams.routes_browse", "main_menu"),
    "catalogs": ("aiostreams.routes_browse", "catalogs"),
    "genres": ("aiostreams.routes_browse", "genres"),
    "catalog": ("aiostreams.routes_browse", "catalog"),
    "seasons": ("aiostreams.routes_browse", "seasons"),
    "episodes": ("aiostreams.routes_browse", "episodes"),
    "next_up": ("aiostreams.routes_trakt", "next_up"),
    "watchlist": ("aiostreams.routes_trakt", "watchlist"),
    "tools": ("aiostreams.routes_browse", "tools"),
    "play": ("aiostreams.routes_browse", "play"),
    "mark_watched": ("aiostreams.routes_actions", "mark_watched"),
    "mark_unwatched": ("aiostreams.routes_actions", "mark_unwatched"),
    "watchlist_add": ("aiostreams.routes_actions", "watchlist_add"),
    "watchlist_remove": ("aiostreams.routes_actions", "watchlist_remove"),
    "force_trakt_sync": ("aiostreams.maintenance", "force_sync_route"),
    "show_database_info": ("aiostreams.maintenance", "database_info_route"),
    "clear_trakt_database": ("aiostreams.maintenance", "clear_route"),
    "rebuild_trakt_database": ("aiostreams.maintenance", "rebuild_route"),
    "vacuum_database": ("aiostreams.maintenance", "vacuum_route"),
    "authorize": ("aiostreams.routes_actions", "authorize"),
    "revoke": ("aiostreams.routes_actions", "revoke"),
}
LISTING_ACTIONS = frozenset(
    {"", "catalogs", "genres", "catalog", "seasons", "episodes", "next_up", "watchlist", "tools"}
)


class UserError(Exception):
    """A failure whose message is already written for the user (shown as is, logged as a warning)."""


class BadParameter(ValueError):
    """A route got a missing or malformed parameter (shown to the user, never a traceback)."""


def url_for(action: str, **params: object) -> str:
    """The plugin:// URL of a route (parameters in a stable order)."""
    query = {"action": action, **{key: str(value) for key, value in params.items() if value is not None}}
    return BASE_URL + "?" + urlencode(sorted(query.items()))


def run_plugin(action: str, **params: object) -> str:
    """A `RunPlugin(...)` builtin for a context menu entry."""
    return f"RunPlugin({url_for(action, **params)})"


class Call:
    """One plugin:// call: its handle (-1 for RunPlugin), its parameters and its URL."""

    def __init__(self, url: str, handle: int, params: Mapping[str, str]):
        self.url = url
        self.handle = handle
        self.params = dict(params)

    @property
    def action(self) -> str:
        """The route name ('' for the main menu)."""
        return self.params.get("action", "")

    @property
    def is_listing(self) -> bool:
        """True when Kodi waits for a directory (a real handle)."""
        return self.handle >= 0

    def param(self, name: str, default: str | None = None) -> str:
        """A required (or defaulted) text parameter."""
        value = self.params.get(name, default)
        if value is None or value == "":
            raise BadParameter(f"missing parameter {name!r}")
        return value

    def int_param(self, name: str, default: int | None = None, minimum: int = 0) -> int:
        """An integer parameter (>= `minimum`)."""
        text = self.params.get(name)
        if text is None or text == "":
            if default is None:
                raise BadParameter(f"missing parameter {name!r}")
            return default
        try:
            value = int(text)
        except ValueError:
            raise BadParameter(f"parameter {name!r} must be a whole number, not {text!r}") from None
        if value < minimum:
            raise BadParameter(f"parameter {name!r} must be at least {minimum}, not {value}")
        return value

    def choice(self, name: str, options: tuple[str, ...]) -> str:
        """A parameter that must be one of `options`."""
        value = self.param(name)
        if value not in options:
            raise BadParameter(f"parameter {name!r} must be one of {', '.join(options)}, not {value!r}")
        return value


def parse(argv: list[str]) -> Call:
    """Kodi's argv (`['plugin://id/path', '<handle>', '?query', 'resume:false']`) as a Call."""
    url = argv[0] if argv else BASE_URL
    try:
        handle = int(argv[1]) if len(argv) > 1 else -1
    except ValueError:
        handle = -1
    query = argv[2] if len(argv) > 2 else ""
    params = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    return Call(url, handle, params)


def run(argv: list[str]) -> None:
    """Dispatch one plugin call; failures become a notification and a log line, never a crash."""
    kodi.configure_logging()
    call = parse(argv)
    route = ROUTES.get(call.action)
    if route is None:
        _fail(call, kodi.localize(30300).format(action=call.action), f"unknown action {call.action!r}")
        return
    try:
        handler = getattr(importlib.import_module(route[0]), route[1])
        handler(call)
        if call.is_listing and call.action not in LISTING_ACTIONS and call.action != "play":
            # An action opened as a folder (e.g. by JSON-RPC GetDirectory) still owes Kodi an answer.
            kodi.end_directory(call.handle)
    except UserError as exc:
        _fail(call, str(exc), f"{call.action or 'main menu'}: {exc}")
    except BadParameter as exc:
        _fail(call, kodi.localize(30301).format(detail=exc), f"bad parameter in {call.url}{argv[2:3]}: {exc}")
    except Exception as exc:  # noqa: BLE001 - the call must end cleanly whatever a handler raised
        _fail(call, _user_message(exc), f"{call.action or 'main menu'} failed:\n{traceback.format_exc()}")


def _user_message(exc: Exception) -> str:
    from aiostreams.errors import AuthorizationRequired, LoginExpired, TraktError

    if isinstance(exc, LoginExpired):
        kodi.take_login_expired()  # told here: the service does not tell it again
        return kodi.login_expired_text()
    if isinstance(exc, AuthorizationRequired):
        return kodi.localize(30324)
    if isinstance(exc, TraktError):
        return kodi.localize(30308).format(error=exc)
    return f"{exc.__class__.__name__}: {exc}"


def _fail(call: Call, message: str, detail: str) -> None:
    kodi.log(detail, "error")
    kodi.notify(message, error=True)
    if not call.is_listing:
        return
    if call.action == "play":
        kodi.resolve(call.handle, False)
    else:
        kodi.end_directory(call.handle, succeeded=False)
