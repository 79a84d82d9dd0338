"""/sync handlers: last_activities, watched, history, watchlist, playback."""

from __future__ import annotations

import random

from .bodies import SECTIONS, resolve
from .clock import parse_time
from .errors import AccountLimit, BadRequest, NotFound
from .progress import watched_episodes, watched_min_movies, watched_min_shows, watched_movies, watched_shows
from .shapes import episode_json, extended, iso, movie_json, season_ids_json, show_json
from .state import TraktState
from .web import Request, Response, paginate

# Assumed (not published): without page/limit a min map answers its first 100 ids, like the other paged
# lists of 2026; a limit is honoured up to 10,000, the largest Trakt's own web client asks (10000 for
# movies, 1000 for shows: TRAKT_API.md §8.0), not clamped to the lists' 250.
MIN_DEFAULT_LIMIT = 100
MIN_MAX_LIMIT = 10_000
HISTORY_TYPES = {"movies": "movie", "shows": "show", "seasons": "season", "episodes": "episode"}
FREE_SORTS = (
    "rank",
    "added",
    "title",
    "released",
    "runtime",
    "popularity",
    "random",
    "percentage",
    "my_rating",
    "watched",
    "collected",
)
VIP_SORTS = (
    "imdb_rating",
    "tmdb_rating",
    "rt_tomatometer",
    "rt_audience",
    "metascore",
    "votes",
    "imdb_votes",
    "tmdb_votes",
)


def drift(state: TraktState) -> bool:
    """True when the 2026 live-API behaviour is simulated (the default)."""
    return state.scenario.api.get("drift", True)


def list_page_default(state: TraktState) -> int | None:
    """Default page size of the watched lists and the watchlist: 100 since 2026 (`strict_paging`, on by
    default with the drift; trakt-api discussions #681, #775), everything in the blueprint."""
    return 100 if state.scenario.api.get("strict_paging", drift(state)) else None


def item_json(state: TraktState, kind: str, trakt: int, full: bool = False) -> dict:
    """`{movie: ...}`, `{show: ...}`, `{season: ..., show: ...}` or `{episode: ..., show: ...}`."""
    catalog, now = state.catalog, state.clock.now()
    if kind == "movie":
        return {"movie": movie_json(catalog.movie(trakt), full, state.scenario.now)}
    if kind == "show":
        return {"show": show_json(catalog.show(trakt), full, now, state.scenario.now)}
    if kind == "season":
        season = catalog.season_by_ids({"trakt": trakt})
        return {
            "season": season_ids_json(season),
            "show": show_json(catalog.show_of(season), full, now, state.scenario.now),
        }
    episode = catalog.episode_by_ids({"trakt": trakt})
    return {
        "episode": episode_json(episode, full, state.scenario.now),
        "show": show_json(catalog.show_of(episode), full, now, state.scenario.now),
    }


def last_activities(state: TraktState, request: Request) -> Response:
    """GET /sync/last_activities."""
    data = state.last_activities()
    return Response(200, {key: iso(value) if not isinstance(value, dict) else {k: iso(v) for k, v in value.items()}
                          for key, value in data.items()})  # fmt: skip


def get_watched(state: TraktState, request: Request) -> Response:
    """GET /sync/watched/{movies|shows|episodes}; 2026 drift: seasons need extended=progress, paging."""
    words = extended(request.query)
    if drift(state) and "min" in words and request.params["type"] != "episodes":
        return _watched_min(state, request)
    if request.params["type"] == "shows" and drift(state):
        rows = watched_shows(
            state,
            "progress" in words and "noseasons" not in words,
            request.flag("specials", False),
            "full" in words,
        )
    else:
        rows = watched_rows(state, request.params["type"], words)
    return page_watched(state, request, rows)


def watched_rows(state: TraktState, kind: str, words: set[str]) -> list[dict]:
    """The rows of a watched list; shows carry `seasons` unless `noseasons` (the blueprint's rule)."""
    full = "full" in words
    if kind == "movies":
        return watched_movies(state, full)
    if kind == "episodes":
        return watched_episodes(state, full)
    return watched_shows(state, "noseasons" not in words, True, full)


def page_watched(state: TraktState, request: Request, rows: list[dict]) -> Response:
    """A watched list as answered: paged since 2026 (100 per page unless asked), whole in the blueprint."""
    if not drift(state):
        return Response(200, rows)
    page, headers = paginate(request, rows, list_page_default(state))
    return Response(200, page, headers)


def _watched_min(state: TraktState, request: Request) -> Response:
    """2026 `extended=min`: a compact map of every play time, paged by its top-level ids.

    Movies: `{"<trakt>": [watched_at, ...]}`; shows: `{"<show id>": {"<season id>": {"<episode id>": [...]}}}`
    (season 0 only with `specials=true`; `season_numbers=true` keys seasons `"<id>|<number>"`). Play times
    oldest first. Paged like every "📄 Pagination" endpoint of the contract (`page`, `limit`, headers on
    every answer); its default and maximum page size are not published (see MIN_DEFAULT_LIMIT)."""
    if request.params["type"] == "movies":
        entries = sorted(watched_min_movies(state).items())
    else:
        specials, numbers = request.flag("specials", False), request.flag("season_numbers", False)
        entries = sorted(watched_min_shows(state, specials, numbers).items())
    page, headers = paginate(request, entries, MIN_DEFAULT_LIMIT, max_limit=MIN_MAX_LIMIT)
    return Response(200, {str(key): value for key, value in page}, headers)


def get_history(state: TraktState, request: Request) -> Response:
    """GET /sync/history[/{type}[/{id}]]: newest first, paginated."""
    kind = request.params.get("type")
    if kind and kind not in HISTORY_TYPES:
        raise NotFound(f"unknown history type {kind}")
    wanted = request.params.get("id")
    start = parse_time(request.query["start_at"]) if request.query.get("start_at") else None
    end = parse_time(request.query["end_at"]) if request.query.get("end_at") else None
    # The episodes a /shows|seasons|episodes/{id} asks for, found once (not looked up per play).
    episodes = _episodes_wanted(state, kind, wanted) if kind in ("shows", "seasons", "episodes") else None
    plays = []
    for play in state.plays:
        if (start is not None and play.watched_at < start) or (end is not None and play.watched_at > end):
            continue
        if kind == "movies" and (play.kind != "movie" or (wanted and str(play.trakt) != wanted)):
            continue
        if kind in ("shows", "seasons", "episodes"):
            if play.kind != "episode" or (episodes is not None and play.trakt not in episodes):
                continue
        plays.append(play)
    plays.sort(key=lambda p: (p.watched_at, p.id), reverse=True)
    full = "full" in extended(request.query)
    rows = [{"id": p.id, "watched_at": iso(p.watched_at), "action": p.action, "type": p.kind, **item_json(state, p.kind, p.trakt, full)}
            for p in plays]  # fmt: skip
    page, headers = paginate(request, rows, 100 if drift(state) else 10, clamp=drift(state))
    return Response(200, page, headers)


def _episodes_wanted(state: TraktState, kind: str, wanted: str | None) -> set[int] | None:
    """Trakt ids of the episodes in the show, season or episode with trakt id `wanted` (None: all)."""
    if not wanted:
        return None
    if not wanted.isdigit() or str(int(wanted)) != wanted:
        return set()  # only trakt ids, as Trakt writes them, name an item here
    trakt = int(wanted)
    if kind == "episodes":
        return {trakt}
    if kind == "shows":
        show = state.catalog.show(trakt)
        return {episode.ids["trakt"] for episode in show.episodes()} if show is not None else set()
    season = state.catalog.season_by_ids({"trakt": trakt})
    return {episode.ids["trakt"] for episode in season.episodes} if season is not None else set()


def _watched_at(state: TraktState, value: object, kind: str, obj) -> float:
    if value is None:
        return state.clock.now()
    if value == "unknown":
        return 0.0  # assumption: Trakt keeps no date; the simulator reports the epoch
    if value == "released":
        if kind == "movie":
            released = obj.extra.get("released") or (f"{obj.year}-01-01" if obj.year else None)
            return parse_time(released) if released else state.clock.now()
        runtime = obj.extra.get("runtime") or 0
        return (obj.first_aired + runtime * 60) if obj.first_aired is not None else state.clock.now()
    try:
        return parse_time(value)
    except ValueError:
        raise BadRequest(f"watched_at is not a time: {value!r}") from None


def _episodes_of(state: TraktState, unit, aired_only: bool) -> list:
    now = state.clock.now()
    episodes = unit.obj.episodes() if unit.kind == "show" else unit.obj.episodes
    return [e for e in episodes if e.aired(now) or not aired_only]


def add_history(state: TraktState, request: Request) -> Response:
    """POST /sync/history: every item becomes new plays (no de-duplication)."""
    resolved = resolve(state.catalog, request.json_object())
    items = []
    for unit in resolved.units:
        if unit.kind == "movie":
            items.append(
                (
                    "movie",
                    unit.obj.ids["trakt"],
                    _watched_at(state, unit.attrs.get("watched_at"), "movie", unit.obj),
                )
            )
            continue
        episodes = [unit.obj] if unit.kind == "episode" else _episodes_of(state, unit, aired_only=True)
        for episode in episodes:
            items.append(
                (
                    "episode",
                    episode.ids["trakt"],
                    _watched_at(state, unit.attrs.get("watched_at"), "episode", episode),
                )
            )
    added = state.add_plays(items)
    counts = {
        "movies": sum(1 for p in added if p.kind == "movie"),
        "episodes": sum(1 for p in added if p.kind == "episode"),
    }
    # `updated` is required by the contract (sync/schema/response/historyResponseSchema.ts); every POST adds
    # new plays (no de-duplication, sync/index.ts), so nothing is ever updated.
    updated = {"movies": 0, "episodes": 0}
    return Response(201, {"added": counts, "updated": updated, "not_found": resolved.not_found})


def remove_history(state: TraktState, request: Request) -> Response:
    """POST /sync/history/remove: items' plays and single plays by history id."""
    body = request.json_object()
    resolved = resolve(state.catalog, body)
    targets: set[tuple[str, int]] = set()
    for unit in resolved.units:
        if unit.kind == "movie":
            targets.add(("movie", unit.obj.ids["trakt"]))
        else:
            episodes = [unit.obj] if unit.kind == "episode" else _episodes_of(state, unit, aired_only=False)
            targets.update(("episode", e.ids["trakt"]) for e in episodes)
    ids = body.get("ids", [])
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise BadRequest("'ids' must be an array of history ids (numbers)")
    known = {p.id for p in state.plays}
    removed = state.remove_plays(targets, set(ids))
    counts = {
        "movies": sum(1 for p in removed if p.kind == "movie"),
        "episodes": sum(1 for p in removed if p.kind == "episode"),
    }
    return Response(
        200,
        {"deleted": counts, "not_found": {**resolved.not_found, "ids": [i for i in ids if i not in known]}},
    )


def get_watchlist(state: TraktState, request: Request) -> Response:
    """GET /sync/watchlist[/{type}[/{sort_by}[/{sort_how}]]] with sort and pagination headers."""
    kind = request.params.get("type") or "all"
    if kind != "all" and kind not in HISTORY_TYPES:
        raise NotFound(f"unknown watchlist type {kind}")
    sort_by = request.params.get("sort_by") or "rank"
    sort_how = request.params.get("sort_how") or "asc"
    if sort_by not in FREE_SORTS + VIP_SORTS or sort_how not in ("asc", "desc"):
        raise BadRequest(f"unknown sort {sort_by}/{sort_how}")
    applied = sort_by if sort_by in FREE_SORTS or state.user["vip"] else "rank"
    full = "full" in extended(request.query)
    ranked = [
        (rank, w) for rank, w in state.watchlist_ranked() if kind == "all" or w.kind == HISTORY_TYPES[kind]
    ]
    rows = [{"rank": rank, "id": w.id, "listed_at": iso(w.listed_at), "notes": w.notes, "type": w.kind,
             **item_json(state, w.kind, w.trakt, full)} for rank, w in ranked]  # fmt: skip
    rows = _sorted_watchlist(rows, applied, sort_how)
    page, headers = paginate(request, rows, list_page_default(state))
    headers.update({"X-Sort-By": "rank", "X-Sort-How": "asc"})
    if request.params.get("sort_by"):
        headers.update({"X-Applied-Sort-By": applied, "X-Applied-Sort-How": sort_how})
    return Response(200, page, headers)


def _sorted_watchlist(rows: list[dict], sort_by: str, how: str) -> list[dict]:
    def title(row: dict) -> str:
        return (row.get("movie") or row["show"])["title"].lower()

    keys = {
        "added": lambda r: r["listed_at"],
        "title": title,
        "released": lambda r: (r.get("movie") or r["show"])["year"] or 0,
    }
    if sort_by == "random":
        rows = list(rows)
        random.Random(len(rows)).shuffle(rows)  # seeded: recordings stay deterministic
        return rows
    rows = sorted(rows, key=keys.get(sort_by, lambda r: r["rank"]))
    return rows[::-1] if how == "desc" else rows


def _watchlist_units(state: TraktState, request: Request):
    resolved = resolve(state.catalog, request.json_object())
    return [(u.kind, u.obj.ids["trakt"], u.attrs.get("notes")) for u in resolved.units], resolved.not_found


def _counts(items) -> dict:
    return {section: sum(1 for item in items if item[0] + "s" == section) for section in SECTIONS}


def add_watchlist(state: TraktState, request: Request) -> Response:
    """POST /sync/watchlist: 201, or 420 when the account limit would be exceeded."""
    units, not_found = _watchlist_units(state, request)
    present = {(w.kind, w.trakt) for w in state.watchlist}
    new = {(kind, trakt) for kind, trakt, _ in units if (kind, trakt) not in present}
    limit = state.limits["watchlist"]
    if len(state.watchlist) + len(new) > limit:
        raise AccountLimit(limit, state.user["vip"])
    added, existing = state.watchlist_add(units)
    return Response(
        201,
        {
            "added": _counts(added),
            "existing": _counts(existing),
            "not_found": not_found,
            "list": _list_info(state),
        },
    )


def remove_watchlist(state: TraktState, request: Request) -> Response:
    """POST /sync/watchlist/remove."""
    units, not_found = _watchlist_units(state, request)
    removed = state.watchlist_remove([(kind, trakt) for kind, trakt, _ in units])
    return Response(200, {"deleted": _counts(removed), "not_found": not_found, "list": _list_info(state)})


def _list_info(state: TraktState) -> dict:
    return {
        "updated_at": iso(state.activities["watchlist"]["updated_at"]),
        "item_count": len(state.watchlist),
    }


def get_playback(state: TraktState, request: Request) -> Response:
    """GET /sync/playback[/{type}]: newest pause first; pagination optional."""
    kind = request.params.get("type")
    if kind and kind not in ("movies", "episodes"):
        raise NotFound(f"unknown playback type {kind}")
    start = parse_time(request.query["start_at"]) if request.query.get("start_at") else None
    end = parse_time(request.query["end_at"]) if request.query.get("end_at") else None
    entries = [p for p in state.playback if not kind or p.kind + "s" == kind]
    entries = [
        p for p in entries if (start is None or p.paused_at >= start) and (end is None or p.paused_at <= end)
    ]
    entries.sort(key=lambda p: (p.paused_at, p.id), reverse=True)
    full = "full" in extended(request.query)
    rows = [{"progress": p.progress, "paused_at": iso(p.paused_at), "id": p.id, "type": p.kind, **item_json(state, p.kind, p.trakt, full)}
            for p in entries]  # fmt: skip
    # "📄 Pagination Optional" in the contract (trakt/trakt-api@586224b sync/index.ts): all unless asked.
    page, headers = paginate(request, rows, None)
    return Response(200, page, headers)


def delete_playback(state: TraktState, request: Request) -> Response:
    """DELETE /sync/playback/{id}: 204, or 404 for an unknown id."""
    if not state.remove_playback(int(request.params["id"])):
        raise NotFound(f"no playback item {request.params['id']}")
    return Response(204, None)
