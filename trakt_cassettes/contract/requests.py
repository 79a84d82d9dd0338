"""Request-body and query schemas of the endpoints the simulator serves, each citing its contract file.

`REQUESTS[name]` and `QUERIES[name]` are `(schema, comment)` pairs, written as `<name>.request.json` and
`<name>.query.json`. Query values are text on the wire, so the contract's numbers and booleans are patterns."""

from __future__ import annotations

from .base import CONTRACT, INT, Q_BOOL, Q_INT, STR, arr, enum, extended, nullable, obj, query

C = CONTRACT
# bulkMediaRequestSchema.ts types watched_at as a datetime; the add route's text also allows `released`
# (episodes: air date + runtime) and `unknown` (no date), so those words are accepted.
WHEN = {"anyOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"},
                  {"enum": ["released", "unknown"]}]}  # fmt: skip


def ids_of(*keys: tuple[str, dict]) -> dict:
    """idsRequestSchema.ts: an ids object in which at least one of the listed keys is given (a union)."""
    props = {key: nullable(kind) for key, kind in keys}
    one_of = [{"required": [key], "properties": {key: kind}} for key, kind in keys]
    return {"type": "object", "properties": props, "anyOf": one_of}


MOVIE_IDS = ids_of(("trakt", INT), ("slug", STR), ("imdb", STR), ("tmdb", INT))
SHOW_IDS = ids_of(("trakt", INT), ("slug", STR), ("imdb", STR), ("tmdb", INT), ("tvdb", INT))
# seasonIdsRequestSchema types tmdb as a string in its union (sic) and as an int in its base: either is taken.
SEASON_IDS = ids_of(("trakt", INT), ("tmdb", {"type": ["integer", "string"]}), ("tvdb", INT))
EPISODE_IDS = ids_of(("trakt", INT), ("tvdb", INT))
EPISODES = arr(obj({"number": INT}, nullish={"watched_at": WHEN}))
SEASONS = arr(obj({"number": INT}, nullish={"episodes": EPISODES, "watched_at": WHEN}))
BY_TITLE = obj({"title": STR, "year": INT}, nullish={"watched_at": WHEN})
BULK = obj({}, nullish={
    "movies": arr({"anyOf": [obj({"ids": MOVIE_IDS}, nullish={"watched_at": WHEN}), BY_TITLE]}),
    "shows": arr({"anyOf": [obj({"ids": SHOW_IDS}, nullish={"watched_at": WHEN, "seasons": SEASONS}),
                            obj({"title": STR, "year": INT}, nullish={"watched_at": WHEN, "seasons": SEASONS})]}),
    "seasons": arr(obj({"ids": SEASON_IDS}, nullish={"watched_at": WHEN, "seasons": SEASONS})),
    "episodes": arr(obj({"ids": EPISODE_IDS}, nullish={"watched_at": WHEN})),
})  # fmt: skip
BULK_TEXT = (
    f"From {C}_internal/request/bulkMediaRequestSchema.ts and idsRequestSchema.ts: movies, shows, seasons, episodes"
    " (each nullish); an item names itself by ids (movies: trakt|slug|imdb|tmdb, shows also tvdb, seasons"
    " trakt|tmdb|tvdb, episodes trakt|tvdb) or by title + year; shows may carry seasons[{number, episodes[{number}]}]."
)
TOKEN_BASE = {"client_id": STR, "client_secret": STR, "redirect_uri": STR}
REQUESTS: dict[str, tuple[dict, str]] = {
    "device_code": (obj({"client_id": STR}), f"From {C}oauth/schema/request/codeRequestSchema.ts."),
    "device_token": (
        obj({"code": STR, "client_id": STR, "client_secret": STR}),
        f"From {C}oauth/schema/request/deviceTokenRequestSchema.ts.",
    ),
    "token": (
        {"anyOf": [obj({**TOKEN_BASE, "code": STR, "grant_type": STR}),
                   obj({**TOKEN_BASE, "refresh_token": STR, "grant_type": STR})]},
        f"From {C}oauth/index.ts (token route: the union of oauth/schema/request/tokenRequestSchema.ts and"
        " tokenRefreshSchema.ts, both extending tokenBaseSchema.ts: client_id, client_secret, redirect_uri).",
    ),
    "revoke": (
        obj({"token": STR, "client_id": STR, "client_secret": STR}),
        f"From {C}oauth/index.ts (revokeRequestSchema: token, client_id, client_secret).",
    ),
    "history_add": (BULK, BULK_TEXT + " Any item may carry watched_at: a datetime, 'released' or 'unknown'"
                    " (sync/index.ts, history add)."),
    "history_remove": (
        {**BULK, "properties": {**BULK["properties"], "ids": nullable(arr(INT))}},
        BULK_TEXT + f" Plus ids: history ids, int64 ({C}sync/schema/request/historyRemoveRequestSchema.ts,"
        " historyIdsRequestSchema.ts).",
    ),
    "watchlist": (
        BULK, BULK_TEXT + f" The watchlist's add and remove take it as {C}_internal/request/listRequestSchema.ts;"
        " `notes` per item (VIP, 500 characters) is the add route's text.",
    ),
    "hidden": (
        BULK, BULK_TEXT + f" Hidden add/remove take it ({C}users/subroutes/hidden.ts); `hidden_at` per item is"
        " the add route's text; the blueprint's `users` (comments section) is allowed as an extra key.",
    ),
}  # fmt: skip

PAGE = {"page": Q_INT, "limit": Q_INT}  # _internal/request/pageQuerySchema.ts
RANGE = {"start_at": STR, "end_at": STR}  # sync/schema/request/progressParamsSchema.ts
SHOW_FLAGS = {"hidden": Q_BOOL, "specials": Q_BOOL, "count_specials": Q_BOOL}  # showQueryParamsSchema.ts
MEDIA_FILTERS = {"watchnow": enum("favorites", "any", "any_all", "free", "free_all", "subscriptions",
                                  "subscriptions_all"),
                 **dict.fromkeys(("genres", "subgenres", "years", "ratings", "start_date", "end_date", "runtimes",
                                  "countries", "certifications"), STR)}  # fmt: skip
MEDIA_EXTENDED = ("full", "images", "colors", "streaming_ids")  # extendedMediaQuerySchema.ts
QUERIES: dict[str, tuple[dict, str]] = {
    "none": (query({}), "Routes whose contract entry has no query (oauth/index.ts, sync last_activities)."),
    "sync_watched": (
        query({"extended": extended("full", "images", "progress", "noseasons", "min"), **PAGE,
               "specials": Q_BOOL, "season_numbers": Q_BOOL}),
        f"From {C}sync/index.ts (`/watched/:type`: extended full, images). The 2026 additions are not in that"
        " route: page/limit and extended=progress (discussion #775), noseasons (blueprint), extended=min with"
        " specials and season_numbers (users/subroutes/watched.ts `minimal`, which clients also call here).",
    ),
    "users_watched": (
        query({"extended": extended("noseasons", "min", "full", "images"), **PAGE, **SHOW_FLAGS,
               "season_numbers": Q_BOOL}),
        f"From {C}users/subroutes/watched.ts: typed (extended noseasons, hidden, specials, count_specials) and"
        " minimal (extended=min, page, limit, specials, season_numbers). extended=full/images (as on /sync) and"
        " page/limit outside min (TRAKT_API.md §8.0) are assumed.",
    ),
    "history": (
        query({"extended": extended("full", "images"), **PAGE, **RANGE}),
        f"From {C}sync/index.ts (history get: extendedQuerySchemaFactory<['full','images']>, pageQuerySchema,"
        " progressParamsSchema start_at/end_at).",
    ),
    "watchlist": (
        query({"extended": extended("full", "images"), **PAGE}),
        f"From {C}sync/index.ts (watchlist get: extended full, images; pageQuerySchema).",
    ),
    "playback": (
        query({"extended": extended("full", "images", "available_on"), **PAGE, **RANGE, **MEDIA_FILTERS}),
        f"From {C}sync/index.ts (progress.playback: extended full, images, available_on; mediaFilterParamsSchema;"
        " pageQuerySchema; progressParamsSchema).",
    ),
    "hidden": (
        query({"extended": extended("full", "images"), **PAGE, "type": enum("movie", "show", "season", "user")}),
        f"From {C}users/subroutes/hidden.ts (getBySection: extended full, images; page, limit; type a string). The"
        " progress_watched route's query says type 'show' (hiddenShowRequestSchema.ts); the blueprint's types"
        " movie|show|season|user (TRAKT_API.md §4) are allowed on every section.",
    ),
    "settings": (query({"extended": extended("browsing")}), f"From {C}users/index.ts (settings: extended browsing)."),
    "progress": (
        query({"extended": extended(*MEDIA_EXTENDED), **SHOW_FLAGS, "include_stats": Q_BOOL,
               "last_activity": enum("aired", "watched")}),
        f"From {C}shows/index.ts (progress.watched: extendedMediaQuerySchema, showQueryParamsSchema, statsQuerySchema)."
        " last_activity=aired|watched is the route's text, not its query schema.",
    ),
    "media": (
        query({"extended": extended(*MEDIA_EXTENDED, "episodes"), "translations": STR}),
        f"From {C}shows/index.ts and movies/index.ts (summary, seasons, season, episode: extendedMediaQuerySchema)."
        " extended=episodes (seasons) and translations (season episodes) are the routes' text.",
    ),
    "search": (
        query({"type": extended("movie", "show", "episode", "person", "list"), **PAGE,
               "extended": extended("full", "images")}),
        f"From {C}search/index.ts (id lookup: type, pageQuerySchema, extended full,images).",
    ),
}  # fmt: skip
