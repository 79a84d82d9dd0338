"""The URL table: (method, path regex) -> handler, with each route's auth need and API family."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import handlers_media as media
from . import handlers_oauth as oauth
from . import handlers_sync as sync
from . import handlers_users as users
from . import stremio
from .errors import MethodNotFound, NotFound

SEG = r"[^/]+"


@dataclass(frozen=True)
class Route:
    """One endpoint; `auth` is required | optional | none; `api` is trakt | oauth | stremio."""

    method: str
    pattern: re.Pattern
    handler: Callable
    auth: str = "required"
    api: str = "trakt"


def _r(method: str, path: str, handler: Callable, auth: str = "required", api: str = "trakt") -> Route:
    return Route(method, re.compile(f"^{path}$"), handler, auth, api)


ROUTES: tuple[Route, ...] = (
    _r("POST", "/oauth/device/code", oauth.device_code, "none", "oauth"),
    _r("POST", "/oauth/device/token", oauth.device_token, "none", "oauth"),
    _r("POST", "/oauth/token", oauth.token, "none", "oauth"),
    _r("POST", "/oauth/revoke", oauth.revoke, "none", "oauth"),
    _r("GET", "/sync/last_activities", sync.last_activities),
    _r("GET", "/sync/watched/(?P<type>movies|shows|episodes)", sync.get_watched),
    _r("POST", "/sync/history/remove", sync.remove_history),
    _r("POST", "/sync/history", sync.add_history),
    _r("GET", f"/sync/history(?:/(?P<type>{SEG})(?:/(?P<id>\\d+))?)?", sync.get_history),
    _r("POST", "/sync/watchlist/remove", sync.remove_watchlist),
    _r("POST", "/sync/watchlist", sync.add_watchlist),
    _r(
        "GET",
        f"/sync/watchlist(?:/(?P<type>{SEG})(?:/(?P<sort_by>{SEG})(?:/(?P<sort_how>{SEG}))?)?)?",
        sync.get_watchlist,
    ),
    _r("DELETE", "/sync/playback/(?P<id>\\d+)", sync.delete_playback),
    _r("GET", f"/sync/playback(?:/(?P<type>{SEG}))?", sync.get_playback),
    _r("GET", "/users/settings", users.settings),
    _r(
        "GET",
        f"/users/(?P<id>{SEG})/watched/(?P<type>movies|shows|episodes)",
        users.get_user_watched,
        "optional",
    ),
    _r("POST", f"/users/hidden/(?P<section>{SEG})/remove", users.remove_hidden),
    _r("POST", f"/users/hidden/(?P<section>{SEG})", users.add_hidden),
    _r("GET", f"/users/hidden/(?P<section>{SEG})", users.get_hidden),
    _r("GET", f"/shows/(?P<id>{SEG})/progress/watched", media.get_progress),
    _r(
        "GET",
        f"/shows/(?P<id>{SEG})/seasons/(?P<season>\\d+)/episodes/(?P<episode>\\d+)",
        media.get_episode,
        "optional",
    ),
    _r("GET", f"/shows/(?P<id>{SEG})/seasons/(?P<season>\\d+)", media.get_season, "optional"),
    _r("GET", f"/shows/(?P<id>{SEG})/seasons", media.get_seasons, "optional"),
    _r("GET", f"/shows/(?P<id>{SEG})", media.get_show, "optional"),
    _r("GET", f"/movies/(?P<id>{SEG})", media.get_movie, "optional"),
    _r("GET", f"/search/(?P<id_type>{SEG})/(?P<id>{SEG})", media.search, "optional"),
    # Stremio paths may sit under any prefix (AIOStreams puts a config id there).
    _r("GET", "(?:/.*)?/manifest\\.json", stremio.manifest, "none", "stremio"),
    _r(
        "GET",
        f"(?:/.*)?/catalog/(?P<type>{SEG})/(?P<id>[^/]+?)(?:/(?P<extra>{SEG}))?\\.json",
        stremio.catalog,
        "none",
        "stremio",
    ),
    _r("GET", f"(?:/.*)?/meta/(?P<type>{SEG})/(?P<id>{SEG})\\.json", stremio.meta, "none", "stremio"),
)


def match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request and its path parameters; 404 when no path fits, 405 for a wrong method."""
    path_known = False
    for route in ROUTES:
        found = route.pattern.match(path)
        if found is None:
            continue
        if route.method == method.upper():
            return route, {k: v for k, v in found.groupdict().items() if v is not None}
        path_known = True
    if path_known:
        raise MethodNotFound(f"{method} is not allowed on {path}")
    raise NotFound(f"no endpoint {path}")
