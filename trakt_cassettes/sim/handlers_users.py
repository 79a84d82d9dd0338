"""/users handlers: hidden items, settings and a user's watched lists."""

from __future__ import annotations

import hashlib

from .bodies import resolve
from .clock import parse_time
from .errors import BadRequest, NotFound, Unauthorized
from .handlers_sync import get_watched, item_json, page_watched, watched_rows
from .progress import watched_shows
from .scenario import HIDDEN_SECTIONS, SECTION_KINDS
from .shapes import aired_episodes, extended, iso
from .state import TraktState
from .web import Request, Response, paginate

SECTION_TYPES = {"movie", "show", "season", "user"}


def get_hidden(state: TraktState, request: Request) -> Response:
    """GET /users/hidden/{section}?type=: paginated, 10 per page by default."""
    section = request.params["section"]
    if section not in HIDDEN_SECTIONS and section != "progress_watched_reset":
        raise NotFound(f"unknown hidden section {section}")
    wanted = request.query.get("type")
    if wanted and wanted not in SECTION_TYPES:
        raise BadRequest(f"unknown type {wanted}")
    if section == "progress_watched_reset":
        # Assumption: the shows with a reset, hidden at their reset time.
        entries = [("show", trakt, at) for trakt, at in sorted(state.resets.items())]
    else:
        entries = [(h.kind, h.trakt, h.hidden_at) for h in state.hidden if h.section == section]
    rows = [{"hidden_at": iso(at), "type": kind, **item_json(state, kind, trakt)} for kind, trakt, at in entries
            if not wanted or kind == wanted]  # fmt: skip
    page, headers = paginate(request, rows, 10)
    return Response(200, page, headers)


def _section_items(state: TraktState, request: Request) -> tuple[str, list, dict]:
    section = request.params["section"]
    if section not in HIDDEN_SECTIONS:
        raise NotFound(f"unknown hidden section {section}")
    body = request.json_object()
    resolved = resolve(state.catalog, body, ("movies", "shows", "seasons"))
    items, not_found = [], {"movies": resolved.not_found["movies"], "shows": resolved.not_found["shows"],
                            "seasons": resolved.not_found["seasons"], "users": list(body.get("users", []))}  # fmt: skip
    for unit in resolved.units:
        if unit.kind not in SECTION_KINDS[section]:
            not_found[unit.kind + "s"].append({"ids": dict(unit.obj.ids)})
            continue
        at = unit.attrs.get("hidden_at")
        try:
            hidden_at = parse_time(at) if at is not None else state.clock.now()
        except ValueError:
            raise BadRequest(f"hidden_at is not a time: {at!r}") from None
        items.append((unit.kind, unit.obj.ids["trakt"], hidden_at))
    return section, items, not_found


def _counts(items, contract_keys: dict[str, str]) -> dict:
    """The blueprint's counts (movies, shows, seasons, users; TRAKT_API.md §4) plus the contract's own keys.

    The contract names them differently: hiddenAddResponseSchema.ts `added{movies, shows, season}` and
    hiddenRemoveResponseSchema.ts `deleted{movies, episodes}`; both spellings are sent so a client reading
    either one works. `contract_keys` maps a contract key to the count it repeats ("" = always 0)."""
    counts = {
        section: sum(1 for item in items if item[0] + "s" == section)
        for section in ("movies", "shows", "seasons", "users")
    }
    return {**counts, **{key: counts.get(source, 0) for key, source in contract_keys.items()}}


def add_hidden(state: TraktState, request: Request) -> Response:
    """POST /users/hidden/{section}: 201."""
    section, items, not_found = _section_items(state, request)
    present = {(h.kind, h.trakt) for h in state.hidden if h.section == section}
    new = [item for item in items if (item[0], item[1]) not in present]
    state.hide(section, items)
    return Response(201, {"added": _counts(new, {"season": "seasons"}), "not_found": not_found})


def remove_hidden(state: TraktState, request: Request) -> Response:
    """POST /users/hidden/{section}/remove: 200."""
    section, items, not_found = _section_items(state, request)
    present = {(h.kind, h.trakt) for h in state.hidden if h.section == section}
    gone = [item for item in items if (item[0], item[1]) in present]
    state.unhide(section, [(kind, trakt) for kind, trakt, _ in items])
    return Response(200, {"deleted": _counts(gone, {"episodes": ""}), "not_found": not_found})


def settings(state: TraktState, request: Request) -> Response:
    """GET /users/settings, with the account's limits."""
    user, limits, account = state.user, state.limits, state.scenario.settings
    username = user["username"]
    return Response(200, {
        "user": {
            "username": username, "private": user["private"], "name": user.get("name") or username, "vip": user["vip"],
            "vip_ep": user["vip_ep"], "ids": {"slug": username.lower(), "uuid": user.get("uuid") or hashlib.sha256(username.encode()).hexdigest()[:16]},
            "joined_at": iso(user["joined_at"]), "location": user.get("location"), "about": user.get("about"),
            "gender": None, "age": None, "images": {"avatar": {"full": "https://example.invalid/avatar.png"}},
            "vip_og": False, "vip_years": 1 if user["vip"] else 0, "director": False,
        },
        "account": {"timezone": account.get("timezone", "Europe/Berlin"), "date_format": account.get("date_format", "dmy"),
                    "time_24hr": account.get("time_24hr", True), "cover_image": account.get("cover_image")},
        "connections": dict.fromkeys(("facebook", "twitter", "mastodon", "google", "tumblr", "medium", "slack", "apple",
                                      "dropbox", "microsoft"), False),
        "sharing_text": {"watching": "Now on: [item]", "watched": "Finished [item]", "rated": "[item] got [stars]"},
        "limits": {"list": {"count": limits["lists"], "item_count": limits["list_items"]},
                   "watchlist": {"item_count": limits["watchlist"]}, "favorites": {"item_count": limits["favorites"]},
                   "search": {"recent_count": limits["search_recent"]}, "collection": {"item_count": limits["collection"]},
                   "notes": {"item_count": limits["notes"]}},
        "permissions": {"commenting": True, "liking": True, "following": True},
    })  # fmt: skip


def get_user_watched(state: TraktState, request: Request) -> Response:
    """GET /users/{id}/watched/{movies|shows|episodes} (contract `users/subroutes/watched.ts`).

    OAuth optional; `id` is the user's slug or `me`. Movies and shows "sorted by most recently
    watched" and show rows carry `seasons` unless `extended=noseasons`, with `show.aired_episodes`
    (the contract's `typed` route and `watchedShowsResponseSchema.ts`); `extended=min` gives the
    paged min maps (route group `minimal`). Paging of the other lists follows /sync/watched (assumed)."""
    _check_profile(state, request)
    words = extended(request.query)
    kind = request.params["type"]
    if "min" in words and kind != "episodes":
        return get_watched(state, request)
    if kind == "shows":
        # `specials` is the contract's query parameter; leaving season 0 out by default is assumed,
        # as on /sync/watched/shows.
        rows = watched_shows(
            state, "noseasons" not in words, request.flag("specials", False), "full" in words
        )
        now = state.clock.now()
        for row in rows:
            row["show"]["aired_episodes"] = aired_episodes(
                state.catalog.show(row["show"]["ids"]["trakt"]), now
            )
    else:
        rows = watched_rows(state, kind, words)
    rows.sort(key=lambda row: (-parse_time(row["last_watched_at"]), _row_trakt(row)))
    return page_watched(state, request, rows)


def _row_trakt(row: dict) -> int:
    return row[next(key for key in ("episode", "movie", "show") if key in row)]["ids"]["trakt"]


def _check_profile(state: TraktState, request: Request) -> None:
    """404 for a user other than the scenario's; `me` needs OAuth; a private user's data needs it too.

    The contract says a private user's profile is returned only with OAuth as that user or an approved
    follower (users/index.ts, profile route); the simulator has one account, so any valid token is
    that user's. The 401 with `X-Private-User: true` is the blueprint's answer (TRAKT_API.md §7)."""
    user_id = request.params["id"].lower()
    if user_id == "me":
        if request.token is None:
            raise Unauthorized("'me' needs OAuth")
        return
    if user_id != state.user["username"].lower():
        raise NotFound(f"no user {request.params['id']}")
    if state.user["private"] and request.token is None:
        raise Unauthorized("this user's data is private", headers={"X-Private-User": "true"})
