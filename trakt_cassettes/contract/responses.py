"""Response schemas of every Trakt endpoint the simulator serves, each citing its contract file.

`RESPONSES[name] = (schema, comment)`; the comment becomes the schema's `$comment`: what the contract says,
and what comes from another source (named) where the contract leaves it open or contradicts itself."""

from __future__ import annotations

from .base import BOOL, CONTRACT, INT, STR, TS, arr, enum, nullable, obj, record
from .media import EPISODE, MOVIE, MOVIE_IDS, SEASON_IDS, SEASON_WITH_EPISODES, SHOW, SHOW_IDS, typed_rows

C = CONTRACT
ACTIVITY_AREAS = {
    "movies": ["watched_at", "collected_at", "rated_at", "watchlisted_at", "favorited_at", "commented_at", "paused_at", "hidden_at"],
    "episodes": ["watched_at", "collected_at", "rated_at", "watchlisted_at", "commented_at", "paused_at"],
    "shows": ["rated_at", "watchlisted_at", "favorited_at", "commented_at", "hidden_at", "dropped_at"],
    "seasons": ["rated_at", "watchlisted_at", "commented_at", "hidden_at"],
    "comments": ["liked_at", "reacted_at", "blocked_at"], "lists": ["liked_at", "reacted_at", "updated_at", "commented_at"],
    "watchlist": ["updated_at"], "favorites": ["updated_at"], "collaborations": ["updated_at"],
    "account": ["settings_at", "followed_at", "following_at", "pending_at", "requested_at"],
    "saved_filters": ["updated_at"], "notes": ["updated_at"],
}  # fmt: skip
PLAY_TIMES = arr(TS, minItems=1)
WATCHED_EPISODES = arr(obj({"number": INT, "plays": INT, "last_watched_at": TS}))
WATCHED_SEASONS = arr(obj({"number": INT, "episodes": WATCHED_EPISODES}))
# users/schema/response/watchedMoviesResponseSchema.ts: the movie is only title, year (int, required), ids.
WATCHED_MOVIE = obj({"title": STR, "year": INT, "ids": MOVIE_IDS})
WATCHED_SHOW = obj({"aired_episodes": INT, "title": STR, "ids": SHOW_IDS}, nullish={"year": INT})
COUNTS = lambda *keys: obj(dict.fromkeys(keys, INT))  # noqa: E731 - a tiny schema builder
MEDIA_COUNTS = COUNTS(
    "movies", "shows", "seasons", "episodes"
)  # _internal/response/mediaMutationCountsSchema.ts
# not_found is `bulkMediaRequestSchema`: the items sent that matched nothing, under the same nullish keys.
NOT_FOUND = obj(
    {}, nullish=dict.fromkeys(("movies", "shows", "seasons", "episodes"), arr({"type": "object"}))
)
LIST_STATE = obj({"updated_at": TS, "item_count": INT})
ACTION = enum("scrobble", "checkin", "watch")  # users/schema/response/historyActionSchema.ts
STATS = obj(
    {"play_count": INT, "minutes_watched": INT}, nullish={"minutes_left": INT}
)  # statsResponseSchema.ts
PROGRESS_EPISODE = obj({"number": INT, "completed": BOOL}, nullish={"last_watched_at": TS, "stats": STATS})

RESPONSES: dict[str, tuple[dict, str]] = {
    "device_code": (
        obj({"device_code": STR, "user_code": STR, "verification_url": STR, "expires_in": INT, "interval": INT}),
        f"From {C}oauth/schema/response/codeResponseSchema.ts: the 200 answer of POST /oauth/device/code.",
    ),
    "token": (
        obj({"access_token": STR, "token_type": STR, "expires_in": INT, "refresh_token": STR, "scope": STR,
             "created_at": INT}),
        f"From {C}oauth/schema/response/tokenResponseSchema.ts: the 200 answer of POST /oauth/token and"
        " /oauth/device/token. The refresh_token replaces the one sent, which can no longer be used"
        " (tokenRefreshSchema.ts); the lifetime is expires_in (oauth/index.ts: 7 days since 2026-05-19).",
    ),
    "token_error": (
        obj({"error": STR, "error_description": STR}),
        f"From {C}oauth/schema/response/tokenErrorResponseSchema.ts: the 400 answer of POST /oauth/token when"
        " the exchange cannot be completed (oauth/index.ts), e.g. error 'invalid_grant' for a used, revoked or"
        " unknown refresh token.",
    ),
    "last_activities": (
        obj({"all": TS, **{area: obj(dict.fromkeys(keys, TS)) for area, keys in ACTIVITY_AREAS.items()}}),
        f"From {C}sync/schema/response/lastActivitiesResponseSchema.ts: every area and key required, each a"
        " datetime, including `collaborations: {updated_at}`. What moves `collaborations` is not in the"
        " contract (the simulator keeps it at the account's start). Unknown keys stay allowed (Zod strips them).",
    ),
    "watched_movies": (
        arr(obj({"plays": INT, "last_watched_at": TS, "last_updated_at": TS, "movie": MOVIE})),
        f"From {C}sync/index.ts (`/sync/watched/:type`, syncWatchedItemResponseSchema: plays int,"
        " last_watched_at datetime, the rest passed through) and users/schema/response/watchedMoviesResponseSchema.ts"
        " for the rest of the row (last_updated_at, movie). The contract marks the sync row's keys optional; the"
        " blueprint (TRAKT_API.md §3) always sends them, so they are required here. The movie may be extended=full.",
    ),
    "watched_shows": (
        arr(obj({"plays": INT, "last_watched_at": TS, "last_updated_at": TS, "show": SHOW},
                optional={"seasons": WATCHED_SEASONS}, nullish={"reset_at": TS})),
        f"From {C}sync/index.ts (`/sync/watched/:type`) and users/schema/response/watchedShowsResponseSchema.ts"
        " (plays, last_watched_at, last_updated_at, reset_at nullish, seasons[{number, episodes[{number, plays,"
        " last_watched_at}]}] nullish). Since 2026 `seasons` comes only with extended=progress (trakt-api"
        " discussion #775, TRAKT_API.md §8.0): not in the contract.",
    ),
    "watched_episodes": (
        arr(obj({"plays": INT, "last_watched_at": TS, "type": {"const": "episode"}, "episode": EPISODE, "show": SHOW})),
        f"From {C}sync/index.ts (`/sync/watched/:type`: 'movies, shows, seasons, or episodes'; plays,"
        " last_watched_at, type, the rest passed through) and users/subroutes/watched.ts (`/users/:id/watched/:type`)."
        " The episode + show objects are assumed (as on every other episode row, typedEpisodeResponseSchema.ts).",
    ),
    "users_watched_movies": (
        arr(obj({"plays": INT, "last_watched_at": TS, "last_updated_at": TS, "movie": WATCHED_MOVIE})),
        f"From {C}users/schema/response/watchedMoviesResponseSchema.ts (plays, last_watched_at, last_updated_at,"
        " movie{title, year int, ids}) for GET /users/:id/watched/movies (users/subroutes/watched.ts).",
    ),
    "users_watched_shows": (
        arr(obj({"plays": INT, "last_watched_at": TS, "last_updated_at": TS, "show": WATCHED_SHOW},
                nullish={"reset_at": TS, "seasons": WATCHED_SEASONS})),
        f"From {C}users/schema/response/watchedShowsResponseSchema.ts (plays, last_watched_at, last_updated_at,"
        " reset_at nullish, show{aired_episodes, title, year nullish, ids}, seasons nullish: left out with"
        " extended=noseasons) for GET /users/:id/watched/shows (users/subroutes/watched.ts).",
    ),
    "watched_movies_min": (
        record(PLAY_TIMES),
        f"From {C}users/schema/response/watchedMoviesMinimalResponseSchema.ts (record<string, datetime[]>) and"
        " users/subroutes/watched.ts (route group `minimal`: extended=min, page, limit; '📄 Pagination')."
        " Keys are movie trakt ids (trakt-java Users.watchedMoviesMin); the contract's type allows any string key.",
    ),
    "watched_shows_min": (
        record(record(record(PLAY_TIMES), r"^[0-9]+(\|[0-9]+)?$")),
        f"From {C}users/schema/response/watchedShowsMinimalResponseSchema.ts"
        " (record<string, record<string, record<string, datetime[]>>>) and users/subroutes/watched.ts (extended=min,"
        " page, limit, specials, season_numbers; '📄 Pagination'). The keys are the show's, the season's and the"
        " episode's trakt ids (trakt-java Users.watchedShowsMin example {\"77712\": {\"95726\": {\"1498291\": [...]}}});"
        " season_numbers=true makes the season key '<season id>|<season number>' (TRAKT_API.md §8.0).",
    ),
    "history": (
        typed_rows({"id": INT, "watched_at": TS, "action": ACTION}, ("movie", "episode")),
        f"From {C}sync/index.ts (`/sync/history/:type/:id`, syncHistoryItemResponseSchema: id int64, watched_at"
        " datetime, action, type, the rest passed through; '📄 Pagination') with the action enum of"
        " users/schema/response/historyActionSchema.ts. The movie / episode + show objects per type are the"
        " blueprint's (TRAKT_API.md §3), as in users/schema/response/*ActivityHistoryResponseSchema.ts.",
    ),
    "history_add": (
        obj({"added": COUNTS("movies", "episodes"), "updated": COUNTS("movies", "episodes"), "not_found": NOT_FOUND}),
        f"From {C}sync/schema/response/historyResponseSchema.ts: added{{movies, episodes}}, updated{{movies,"
        " episodes}}, not_found (bulkMediaRequestSchema). The contract lists the status as 200; the blueprint"
        " (TRAKT_API.md §3) says 201, which the simulator answers; both are accepted.",
    ),
    "history_remove": (
        obj({"deleted": COUNTS("movies", "episodes"),
             "not_found": {**NOT_FOUND, "properties": {**NOT_FOUND["properties"], "ids": nullable(arr(INT))}}}),
        f"From {C}sync/schema/response/historyRemoveResponseSchema.ts: deleted{{movies, episodes}}, not_found"
        " (bulkMediaRequestSchema); not_found.ids (history ids that matched nothing) is the blueprint's"
        " (TRAKT_API.md §3).",
    ),
    "watchlist": (
        typed_rows({"rank": INT, "id": INT, "listed_at": TS}, ("movie", "show", "season", "episode"), {"notes": STR}),
        f"From {C}sync/index.ts (watchlist get, syncListItemResponseSchema: rank, id, listed_at datetime, type,"
        " the rest passed through; '📄 Pagination Optional'). The contract marks those keys optional; the"
        " blueprint (TRAKT_API.md §3) always sends them with notes and the object of the type, so they are required.",
    ),
    "watchlist_add": (
        obj({"added": MEDIA_COUNTS, "existing": MEDIA_COUNTS, "not_found": NOT_FOUND, "list": LIST_STATE}),
        f"From {C}_internal/response/listAddResponseSchema.ts (the 201 answer of POST /sync/watchlist, sync/index.ts).",
    ),
    "watchlist_remove": (
        obj({"deleted": MEDIA_COUNTS, "not_found": NOT_FOUND, "list": LIST_STATE}),
        f"From {C}_internal/response/listRemoveResponseSchema.ts (the 200 answer of POST /sync/watchlist/remove).",
    ),
    "playback": (
        typed_rows({"progress": {"type": "number", "minimum": 0, "maximum": 100}, "paused_at": TS, "id": INT},
                   ("movie", "episode")),
        f"From {C}sync/schema/response/movieProgressResponseSchema.ts (progress float 0..100, paused_at datetime,"
        " id int64, type, movie) for `/sync/playback/:type` ('📄 Pagination Optional'). The contract types every"
        " row as a movie; episode rows (type episode, episode + show) are the blueprint's (TRAKT_API.md §3).",
    ),
    "hidden": (
        typed_rows({}, ("show", "movie", "season"), {"hidden_at": TS}),
        f"From {C}users/subroutes/hidden.ts (getBySection, '📄 Pagination') and"
        " users/schema/response/hiddenShowResponseSchema.ts (hidden_at nullish datetime, type 'show', show). The"
        " contract types only show rows; movie rows (calendar, recommendations) and season rows (season + show)"
        " are the blueprint's (TRAKT_API.md §4). `progress_watched_reset` is not in the contract (blueprint only).",
    ),
    "hidden_add": (
        obj({"added": COUNTS("movies", "shows", "season"), "not_found": NOT_FOUND}),
        f"From {C}users/schema/response/hiddenAddResponseSchema.ts: added{{movies, shows, season}} (sic: 'season'),"
        " not_found. The blueprint (TRAKT_API.md §4) spells it `seasons` and adds `users`; the simulator sends both"
        " spellings so a client reading either works. Status: the contract says 200, the blueprint 201.",
    ),
    "hidden_remove": (
        obj({"deleted": COUNTS("movies", "episodes"), "not_found": NOT_FOUND}),
        f"From {C}users/schema/response/hiddenRemoveResponseSchema.ts: deleted{{movies, episodes}}, not_found. The"
        " blueprint (TRAKT_API.md §4) counts movies, shows, seasons and users; the simulator sends all of them.",
    ),
    "settings": (
        obj({
            "user": obj({"username": STR, "private": BOOL, "vip": BOOL, "vip_ep": BOOL, "director": BOOL,
                         "ids": obj({"slug": STR, "uuid": STR}, nullish={"trakt": INT}), "joined_at": TS,
                         "images": obj({"avatar": obj({"full": STR})}), "vip_og": BOOL, "vip_years": INT},
                        nullish={"name": STR, "location": STR, "about": STR, "gender": STR, "age": INT,
                                 "vip_cover_image": STR, "dob": STR}),
            "permissions": obj({"commenting": BOOL, "liking": BOOL, "following": BOOL}),
            "account": obj({"timezone": STR, "date_format": STR, "time_24hr": BOOL},
                           nullish={"cover_image": STR, "token": STR, "display_ads": BOOL}),
        }, nullish={
            "browsing": {"type": "object"},
            "connections": obj({}, nullish=dict.fromkeys(("facebook", "twitter", "mastodon", "google", "tumblr",
                                                          "medium", "slack", "apple", "dropbox", "microsoft"), BOOL)),
            "sharing_text": obj({"watching": STR, "watched": STR}, nullish={"rated": STR}),
            "limits": obj({"list": COUNTS("count", "item_count"), "watchlist": COUNTS("item_count"),
                           "favorites": COUNTS("item_count")}),
        }),
        f"From {C}users/schema/response/settingsResponseSchema.ts (GET /users/settings, users/index.ts): user"
        " (director, images, vip_og, vip_years required), permissions, account (timezone a string, not null),"
        " limits nullish but complete when sent; `browsing` only with extended=browsing (not modelled).",
    ),
    "show": (SHOW, f"From {C}_internal/response/showResponseSchema.ts (GET /shows/:id, shows/index.ts summary)."),
    "movie": (MOVIE, f"From {C}_internal/response/movieResponseSchema.ts (GET /movies/:id, movies/index.ts summary)."),
    "seasons": (
        arr(SEASON_WITH_EPISODES),
        f"From {C}shows/schema/response/seasonResponseSchema.ts (GET /shows/:id/seasons, shows/index.ts: first_aired"
        " optional, not nullable). `episodes` (episodeResponseSchema) with extended=episodes is the route's"
        " description, not its schema.",
    ),
    "season_episodes": (
        arr(EPISODE),
        f"From {C}_internal/response/episodeResponseSchema.ts (GET /shows/:id/seasons/:season, shows/index.ts"
        " season.episodes: an array of episodes).",
    ),
    "episode": (
        EPISODE,
        f"From {C}_internal/response/episodeResponseSchema.ts (GET /shows/:id/seasons/:season/episodes/:episode).",
    ),
    "progress_watched": (
        obj({"aired": INT, "completed": INT, "next_episode": nullable(EPISODE), "last_episode": nullable(EPISODE),
             "seasons": arr(obj({"number": INT, "aired": INT, "completed": INT, "episodes": arr(PROGRESS_EPISODE)},
                                nullish={"title": STR, "stats": STATS})),
             "hidden_seasons": arr(obj({"number": INT, "ids": SEASON_IDS}))},
            optional={"reset_at": nullable(TS)}, nullish={"last_watched_at": TS, "stats": STATS}),
        f"From {C}shows/schema/response/showProgressResponseSchema.ts and _internal/response/progressResponseSchema.ts"
        " (GET /shows/:id/progress/watched). The contract types reset_at as z.null(), but the route's own text says"
        " 'If not null, the reset_at date is when the user started re-watching': a datetime or null here.",
    ),
    "search": (
        arr({"oneOf": [obj({"score": INT, "type": {"const": "movie"}, "movie": MOVIE}),
                       obj({"score": INT, "type": {"const": "show"}, "show": SHOW}),
                       obj({"score": INT, "type": {"const": "episode"}, "episode": EPISODE, "show": SHOW})]}),
        f"From {C}search/schema/response/searchResultResponseSchema.ts (GET /search/:id_type/:id, search/index.ts:"
        " score int64 required, type, the object of the type; '📄 Pagination'). The blueprint (TRAKT_API.md §5)"
        " shows score null for id lookups; the contract does not allow null. Episode hits carry `show` (blueprint).",
    ),
    "error": (
        obj({"error": STR, "error_description": STR}),
        "Trakt documents the status codes of its errors, not their bodies (TRAKT_API.md §7; the contract types"
        f" only {C}oauth/schema/response/tokenErrorResponseSchema.ts). The simulator's JSON errors use that"
        " OAuth shape everywhere: an assumption. Cloudflare's 429 and 520-522 answers are HTML, not JSON, and the"
        " device poll's 400 has no body (oauth/index.ts: `400: z.undefined()`).",
    ),
}  # fmt: skip
