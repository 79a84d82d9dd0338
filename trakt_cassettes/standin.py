"""STAND-IN drivers: a plain full sync and device login the way an add-on would do them.

They predate the reference add-on's real sync (its own drivers, the default of this checkout since issue 4) and
remain for comparison (`--driver standin-sync`, ...). They exist to produce realistic traffic, not
to be a sync to copy.
"""

from __future__ import annotations

from collections.abc import Callable

from trakt_cassettes.driver_context import WATCHED_PAGE_LIMIT, AccountStopped, AreaFailed, DriverContext


def standin_sync_driver(context: DriverContext) -> None:
    """STAND-IN sync: last_activities, watched, watchlist pages, playback, hidden, then seasons and progress."""
    try:
        context.get_json("/sync/last_activities")
        areas: list[tuple[str, Callable[[], object]]] = [
            ("watched movies", lambda: context.get_pages("/sync/watched/movies", limit=WATCHED_PAGE_LIMIT)),
            (
                "watched shows",
                lambda: context.get_pages(
                    "/sync/watched/shows", {"extended": "progress"}, WATCHED_PAGE_LIMIT
                ),
            ),
            ("watchlist", lambda: context.get_pages("/sync/watchlist/all/rank/asc")),
            ("playback", lambda: context.get_json("/sync/playback")),
            ("hidden", lambda: context.get_pages("/users/hidden/progress_watched")),
        ]
        results: dict[str, object] = {}
        for name, fetch in areas:
            try:
                results[name] = fetch()
            except AreaFailed as exc:
                context.notes.append(f"{name}: {exc} (area keeps its old data)")
        for row in results.get("watched shows") or []:
            show_id = row["show"]["ids"]["trakt"]
            try:
                context.get_json(f"/shows/{show_id}/seasons", {"extended": "full,episodes"})
                context.get_json(f"/shows/{show_id}/progress/watched",
                                 {"hidden": "false", "specials": "false", "count_specials": "false"})  # fmt: skip
            except AreaFailed as exc:
                context.notes.append(f"show {show_id}: {exc}")
    except (AreaFailed, AccountStopped) as exc:
        context.notes.append(f"sync stopped: {exc}")


def standin_device_login(context: DriverContext) -> bool:
    """STAND-IN device login: poll until approved, waiting `interval` on the clock; True once tokens are set."""
    code = context.session.post(context.base_url + "/oauth/device/code", json={"client_id": context.client_id},
                                headers=context.headers(authed=False), timeout=context.timeout).json()  # fmt: skip
    body = {
        "code": code["device_code"],
        "client_id": context.client_id,
        "client_secret": context.client_secret,
    }
    waited, interval = 0.0, float(code.get("interval", 5))
    while waited < float(code.get("expires_in", 600)):
        context.sleep(interval)  # the first poll waits an interval too, as the add-on's flow does
        waited += interval
        answer = context.session.post(context.base_url + "/oauth/device/token", json=body,
                                      headers=context.headers(authed=False), timeout=context.timeout)  # fmt: skip
        if answer.status_code == 200:
            tokens = answer.json()
            context.access_token, context.refresh_token = tokens["access_token"], tokens["refresh_token"]
            return True
        if answer.status_code == 429:
            interval += 1
        elif answer.status_code != 400:
            context.notes.append(f"device login ended: HTTP {answer.status_code}")
            return False
    context.notes.append("device login ended: code expired while pending")
    return False


def standin_device_auth_driver(context: DriverContext) -> None:
    """STAND-IN device login (poll until approved, waiting `interval` on the clock), then the stand-in sync."""
    if standin_device_login(context):
        standin_sync_driver(context)


def standin_incremental_driver(context: DriverContext) -> None:
    """STAND-IN: a full sync, ten virtual minutes, then a second sync (shows what an unchanged account costs)."""
    standin_sync_driver(context)
    context.sleep(600)
    context.get_json("/sync/last_activities")
