"""Context-menu actions: write to Trakt first, then bring the mirror up to date; authorise/revoke.

A write goes to Trakt through the one client (paced to one write per second). Only after Trakt
accepted it does the mirror change: a sync of the areas Trakt now reports as stale, so the mirror
holds exactly Trakt's answer (never a guess that the next sync would have to undo).
"""

from __future__ import annotations

import importlib
import time

from aiostreams import kodi
from aiostreams.plugin import BadParameter, Call, UserError

MEDIA_TYPES = ("movie", "show", "episode")


def _ids(item_id: str) -> dict:
    if item_id.startswith("tt") and item_id[2:].isdigit():
        return {"imdb": item_id}
    if item_id.startswith("trakt:") and item_id[6:].isdigit():
        return {"trakt": int(item_id[6:])}
    raise BadParameter(f"parameter 'id' must be an imdb id (tt...) or trakt:<number>, not {item_id!r}")


def trakt_body(media_type: str, item_id: str) -> dict:
    """The body of POST /sync/history|watchlist[/remove] for one movie, show or episode."""
    if media_type == "movie":
        return {"movies": [{"ids": _ids(item_id)}]}
    if media_type == "show":
        return {"shows": [{"ids": _ids(item_id)}]}
    parts = item_id.split(":")
    cut = 2 if item_id.startswith("trakt:") else 1
    show_id, rest = ":".join(parts[:cut]), parts[cut:]
    if len(rest) != 2 or not all(part.isdigit() for part in rest):
        raise BadParameter(f"episode id must be <show id>:<season>:<episode>, not {item_id!r}")
    seasons = [{"number": int(rest[0]), "episodes": [{"number": int(rest[1])}]}]
    return {"shows": [{"ids": _ids(show_id), "seasons": seasons}]}


def _write(call: Call, path: str, media_types: tuple[str, ...], done_string: int) -> None:
    media_type = call.choice("type", media_types)
    body = trakt_body(media_type, call.param("id"))
    client = kodi.build_client()
    answer = client.post(path, body)
    kodi.log(f"Trakt {path}: {answer}")
    if isinstance(answer, dict) and _all_not_found(answer):
        raise UserError(kodi.localize(30308).format(error=f"{call.param('id')} is not known to Trakt"))
    _refresh_mirror(client)
    kodi.notify(kodi.localize(done_string))
    kodi.refresh_container()


def _all_not_found(answer: dict) -> bool:
    changed = sum(
        value
        for key in ("added", "deleted", "existing")
        for value in (answer.get(key) or {}).values()
        if isinstance(value, int)
    )
    missing = any(answer.get("not_found", {}).get(kind) for kind in ("movies", "shows", "episodes"))
    return missing and changed == 0


def _refresh_mirror(client: object) -> None:
    """Sync the areas the write made stale (the sync lock keeps this to one sync at a time)."""
    from aiostreams.maintenance import open_database
    from aiostreams.sync import SyncEngine

    report = SyncEngine(open_database(), client, time.time, log=kodi.log, warn=kodi.warn).run()
    if "all" in report.skipped:
        kodi.log("mirror refresh after a Trakt write skipped: a sync is running and will pick it up")
    elif report.failed:
        kodi.log(f"mirror refresh after a Trakt write failed: {report.failed}", "warning")


def mark_watched(call: Call) -> None:
    """Add a play on Trakt (movie, whole show, or one episode), then refresh the mirror."""
    _write(call, "/sync/history", MEDIA_TYPES, 30304)


def mark_unwatched(call: Call) -> None:
    """Remove the plays on Trakt, then refresh the mirror."""
    _write(call, "/sync/history/remove", MEDIA_TYPES, 30305)


def watchlist_add(call: Call) -> None:
    """Add a movie or show to the Trakt watchlist, then refresh the mirror."""
    _write(call, "/sync/watchlist", ("movie", "show"), 30306)


def watchlist_remove(call: Call) -> None:
    """Remove a movie or show from the Trakt watchlist, then refresh the mirror."""
    _write(call, "/sync/watchlist/remove", ("movie", "show"), 30307)


def _auth(function: str) -> None:
    # aiostreams.auth (device flow) belongs to the service side; imported only when asked for.
    try:
        module = importlib.import_module("aiostreams.auth")
    except ImportError:
        raise UserError(kodi.localize(30325)) from None
    getattr(module, function)()


def authorize(call: Call) -> None:
    """Trakt device authorisation (aiostreams.auth.authorize)."""
    _auth("authorize")


def revoke(call: Call) -> None:
    """Revoke the Trakt authorisation and clear the mirror (aiostreams.auth.revoke)."""
    _auth("revoke")
