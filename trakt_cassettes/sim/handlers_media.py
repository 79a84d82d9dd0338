"""Media handlers (/shows, /movies, /search) and the 🔒 show progress."""

from __future__ import annotations

from .errors import BadRequest, NotFound
from .media import Show
from .progress import show_progress
from .shapes import episode_json, extended, movie_json, season_json, show_json
from .state import TraktState
from .web import Request, Response, paginate


def _show(state: TraktState, request: Request) -> Show:
    show = state.catalog.show(request.params["id"])
    if show is None:
        raise NotFound(f"no show {request.params['id']}")
    return show


def get_show(state: TraktState, request: Request) -> Response:
    """GET /shows/{id}."""
    full = "full" in extended(request.query)
    return Response(200, show_json(_show(state, request), full, state.clock.now(), state.scenario.now))


def get_seasons(state: TraktState, request: Request) -> Response:
    """GET /shows/{id}/seasons?extended=full,episodes (season 0 included)."""
    show, words, now = _show(state, request), extended(request.query), state.clock.now()
    full, updated = "full" in words, state.scenario.now
    rows = []
    for season in sorted(show.seasons, key=lambda s: s.number):
        row = season_json(season, full, now, updated, show.extra.get("network"))
        if "episodes" in words:
            row["episodes"] = [
                episode_json(e, full, updated) for e in sorted(season.episodes, key=lambda e: e.number)
            ]
        rows.append(row)
    return Response(200, rows)


def get_season(state: TraktState, request: Request) -> Response:
    """GET /shows/{id}/seasons/{n}: the season's episodes."""
    show = _show(state, request)
    season = show.season(int(request.params["season"]))
    if season is None:
        raise NotFound(f"no season {request.params['season']}")
    full = "full" in extended(request.query)
    return Response(
        200,
        [episode_json(e, full, state.scenario.now) for e in sorted(season.episodes, key=lambda e: e.number)],
    )


def get_episode(state: TraktState, request: Request) -> Response:
    """GET /shows/{id}/seasons/{n}/episodes/{e}."""
    show = _show(state, request)
    season = show.season(int(request.params["season"]))
    episode = (
        next((e for e in season.episodes if e.number == int(request.params["episode"])), None)
        if season
        else None
    )
    if episode is None:
        raise NotFound("no such episode")
    return Response(200, episode_json(episode, "full" in extended(request.query), state.scenario.now))


def get_progress(state: TraktState, request: Request) -> Response:
    """GET /shows/{id}/progress/watched?hidden=&specials=&count_specials=&last_activity=."""
    last_activity = request.query.get("last_activity", "aired")
    if last_activity not in ("aired", "watched"):
        raise BadRequest(f"last_activity must be aired or watched, not {last_activity!r}")
    return Response(200, show_progress(
        state, _show(state, request), hidden=request.flag("hidden", False), specials=request.flag("specials", False),
        count_specials=request.flag("count_specials", True), last_activity=last_activity,
    ))  # fmt: skip


def get_movie(state: TraktState, request: Request) -> Response:
    """GET /movies/{id}."""
    movie = state.catalog.movie(request.params["id"])
    if movie is None:
        raise NotFound(f"no movie {request.params['id']}")
    return Response(200, movie_json(movie, "full" in extended(request.query), state.scenario.now))


# The contract gives the type only; Trakt publishes no value for an id lookup (assumed).
ID_MATCH_SCORE = 1000


def search(state: TraktState, request: Request) -> Response:
    """GET /search/{id_type}/{id}?type=: id lookups, [] when nothing matches.

    `score` is an int64 in the contract (search/schema/response/searchResultResponseSchema.ts, not nullable),
    although the blueprint's example shows null for id lookups; an exact id match scores ID_MATCH_SCORE (ours)."""
    id_type = request.params["id_type"]
    if id_type not in ("trakt", "imdb", "tmdb", "tvdb"):
        raise NotFound(f"unknown id type {id_type}")
    types = {t.strip() for t in request.query.get("type", "").split(",") if t.strip()}
    full, now, updated = "full" in extended(request.query), state.clock.now(), state.scenario.now
    rows = []
    for kind, obj in state.catalog.search(id_type, request.params["id"]):
        if types and kind not in types:
            continue
        if kind == "movie":
            rows.append({"type": "movie", "score": ID_MATCH_SCORE, "movie": movie_json(obj, full, updated)})
        elif kind == "show":
            rows.append({"type": "show", "score": ID_MATCH_SCORE, "show": show_json(obj, full, now, updated)})
        else:
            rows.append({"type": "episode", "score": ID_MATCH_SCORE, "episode": episode_json(obj, full, updated),
                         "show": show_json(state.catalog.show_of(obj), full, now, updated)})  # fmt: skip
    page, headers = paginate(request, rows, 50 if state.scenario.api.get("drift", True) else 10)
    return Response(200, page, headers)
