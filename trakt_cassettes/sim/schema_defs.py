"""JSON Schemas (draft 2020-12) of the Trakt and Stremio shapes; `python -m trakt_cassettes.sim.schema_defs DIR`
writes them as `contracts/schemas/<name>.json` (a test keeps the files and this module in step)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
TS = {"type": "string", "pattern": TIMESTAMP}
TS_NULL = {"type": ["string", "null"], "pattern": TIMESTAMP}
DATE_NULL = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
INT, INT_NULL, STR, STR_NULL, NUM, BOOL = (
    {"type": "integer"}, {"type": ["integer", "null"]}, {"type": "string"}, {"type": ["string", "null"]},
    {"type": "number"}, {"type": "boolean"},
)  # fmt: skip
IMDB = {"type": ["string", "null"], "pattern": r"^(tt\d+)?$"}


def obj(props: dict, required: list | None = None, extra: bool = True) -> dict:
    """An object schema; every listed property is required unless `required` says otherwise."""
    return {"type": "object", "properties": props, "required": list(props) if required is None else required,
            "additionalProperties": extra}  # fmt: skip


def id_map(values: dict, key: str = r"^\d+$") -> dict:
    """An object keyed by decimal numbers (trakt ids), or by `key`."""
    return {"type": "object", "patternProperties": {key: values}, "additionalProperties": False}


def arr(items: dict) -> dict:
    """An array schema."""
    return {"type": "array", "items": items}


MOVIE_IDS = obj({"trakt": INT, "slug": STR, "imdb": IMDB, "tmdb": INT_NULL}, ["trakt", "slug"])
SHOW_IDS = obj(
    {"trakt": INT, "slug": STR, "tvdb": INT_NULL, "imdb": IMDB, "tmdb": INT_NULL}, ["trakt", "slug"]
)
SEASON_IDS = obj({"trakt": INT, "tvdb": INT_NULL, "tmdb": INT_NULL}, ["trakt"])
EPISODE_IDS = obj({"trakt": INT, "tvdb": INT_NULL, "imdb": IMDB, "tmdb": INT_NULL}, ["trakt"])
MOVIE = obj({"title": STR, "year": INT_NULL, "ids": MOVIE_IDS})
SHOW = obj({"title": STR, "year": INT_NULL, "ids": SHOW_IDS})
SEASON = obj({"number": INT, "ids": SEASON_IDS})
EPISODE = obj({"season": INT, "number": INT, "title": STR_NULL, "ids": EPISODE_IDS})
EPISODE_FULL = obj({**EPISODE["properties"], "number_abs": INT_NULL, "overview": STR_NULL, "first_aired": TS_NULL,
                    "updated_at": TS, "rating": NUM, "votes": INT, "comment_count": INT, "available_translations": arr(STR),
                    "runtime": INT_NULL, "episode_type": STR, "original_title": STR_NULL})  # fmt: skip
SEASON_FULL = obj({**SEASON["properties"], "rating": NUM, "votes": INT, "episode_count": INT, "aired_episodes": INT,
                   "title": STR_NULL, "overview": STR_NULL, "first_aired": TS_NULL, "updated_at": TS, "network": STR_NULL,
                   "original_title": STR_NULL})  # fmt: skip
SHOW_STATUS = {
    "enum": [
        "returning series",
        "continuing",
        "in production",
        "planned",
        "upcoming",
        "pilot",
        "canceled",
        "ended",
    ]
}
SHOW_FULL = obj({**SHOW["properties"], "tagline": STR_NULL, "overview": STR_NULL, "first_aired": TS_NULL,
                 "airs": obj({"day": STR_NULL, "time": STR_NULL, "timezone": STR_NULL}), "runtime": INT_NULL,
                 "certification": STR_NULL, "network": STR_NULL, "country": STR_NULL, "updated_at": TS, "trailer": STR_NULL,
                 "homepage": STR_NULL, "status": SHOW_STATUS, "rating": NUM, "votes": INT, "comment_count": INT,
                 "languages": arr(STR), "available_translations": arr(STR), "genres": arr(STR), "aired_episodes": INT,
                 "original_title": STR_NULL})  # fmt: skip
MOVIE_FULL = obj({**MOVIE["properties"], "tagline": STR_NULL, "overview": STR_NULL, "released": DATE_NULL, "runtime": INT_NULL,
                  "country": STR_NULL, "updated_at": TS, "trailer": STR_NULL, "homepage": STR_NULL, "rating": NUM, "votes": INT,
                  "comment_count": INT, "languages": arr(STR), "available_translations": arr(STR), "genres": arr(STR),
                  "certification": STR_NULL, "original_title": STR_NULL,
                  "status": {"enum": ["released", "in production", "post production", "planned", "rumored", "canceled"]}})  # fmt: skip


def typed_row(head: dict, kinds: tuple[str, ...]) -> dict:
    """A row with `type` plus the object of that type (season/episode rows also carry `show`)."""
    variants = []
    for kind in kinds:
        body = {"movie": {"movie": MOVIE}, "show": {"show": SHOW}, "season": {"season": SEASON, "show": SHOW},
                "episode": {"episode": EPISODE, "show": SHOW}}[kind]  # fmt: skip
        variants.append(obj({**head, "type": {"const": kind}, **body}))
    return {"oneOf": variants}


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
COUNTS = lambda *keys: obj(dict.fromkeys(keys, INT))  # noqa: E731 - a tiny schema builder
PLAY_TIMES = {"type": "array", "items": TS, "minItems": 1}
NOT_FOUND = lambda *keys: obj(dict.fromkeys(keys, arr({"type": "object"})))  # noqa: E731
PROGRESS_EPISODE = obj({"number": INT, "completed": BOOL, "last_watched_at": TS_NULL})
STREMIO_META = obj({"id": STR, "type": {"enum": ["movie", "series"]}, "name": STR, "poster": STR, "genres": arr(STR),
                    "releaseInfo": STR})  # fmt: skip


# Trakt's published API contract (the oracle since issue 14): schemas written from it cite the file.
CONTRACT = "trakt/trakt-api@586224bf1b7d7e24fef194ca3f1acfed59d536c7 projects/api/src/contracts/"
# A min map's season key: the season's trakt id, or "<id>|<number>" with season_numbers=true.
SEASON_KEY = r"^\d+(\|\d+)?$"
COMMENTS = {
    "last_activities": (
        f"From {CONTRACT}sync/schema/response/lastActivitiesResponseSchema.ts: every area and key, each a"
        " datetime, including `collaborations: {updated_at}`. The contract does not say what moves"
        " `collaborations`; the simulator keeps it at the account's start. Clients must ignore keys they"
        " do not know (additionalProperties stays open)."
    ),
    "token": (
        f"From {CONTRACT}oauth/schema/response/tokenResponseSchema.ts (access_token, token_type, expires_in int,"
        " refresh_token, scope, created_at int): the answer of POST /oauth/token and /oauth/device/token. The"
        " refresh_token replaces the one sent, which can no longer be used (tokenRefreshSchema.ts). The lifetime"
        " is expires_in (oauth/index.ts: 7 days since 2026-05-19); 'bearer' is ours (the contract says string)."
    ),
    "token_error": (
        f"From {CONTRACT}oauth/schema/response/tokenErrorResponseSchema.ts: the 400 answer of POST /oauth/token"
        " when the exchange cannot be completed (oauth/index.ts), e.g. error 'invalid_grant' for a used,"
        " revoked or unknown refresh token."
    ),
    "watched_episodes": (
        f"From {CONTRACT}sync/index.ts (`/sync/watched/:type`: 'movies, shows, seasons, or episodes';"
        " items plays, last_watched_at, type, the rest passed through; extended full, images) and"
        " users/subroutes/watched.ts (`/users/:id/watched/:type`). The episode + show objects are ours (as on"
        " every other episode row); the paging (100 per page since 2026) is TRAKT_API.md §8.0, not the contract."
    ),
    "users_watched_movies": (
        f"From {CONTRACT}users/schema/response/watchedMoviesResponseSchema.ts (plays, last_watched_at,"
        " last_updated_at, movie{title, year, ids}) for GET /users/:id/watched/movies (users/subroutes/watched.ts:"
        " 'sorted by most recently watched'). The contract says year int; null is allowed here as for every movie."
    ),
    "users_watched_shows": (
        f"From {CONTRACT}users/schema/response/watchedShowsResponseSchema.ts (plays, last_watched_at,"
        " last_updated_at, reset_at nullish, show{aired_episodes, title, year nullish, ids}, seasons omitted with"
        " extended=noseasons) for GET /users/:id/watched/shows (users/subroutes/watched.ts)."
    ),
    "watched_movies_min": (
        f"From {CONTRACT}users/schema/response/watchedMoviesMinimalResponseSchema.ts (record<string, datetime[]>)"
        " and users/subroutes/watched.ts (route group `minimal`: extended=min, page, limit; '📄 Pagination')."
        " Keys are movie trakt ids."
    ),
    "watched_shows_min": (
        f"From {CONTRACT}users/schema/response/watchedShowsMinimalResponseSchema.ts"
        " (record<string, record<string, record<string, datetime[]>>>) and users/subroutes/watched.ts"
        " (extended=min, page, limit, specials, season_numbers; '📄 Pagination'). The keys are the show's, the"
        " season's and the episode's trakt ids, not numbers (trakt-java Users.watchedShowsMin example"
        ' {"77712": {"95726": {"1498291": [...]}}}); season_numbers=true makes the season key'
        " '<season id>|<season number>'. The contract's types allow any string key: the digits are ours."
    ),
}


def schemas() -> dict[str, dict]:
    """Every schema by file name (without `.json`)."""
    found = {
        "last_activities": obj({"all": TS, **{area: obj(dict.fromkeys(keys, TS)) for area, keys in ACTIVITY_AREAS.items()}}),
        "watched_movies": arr(obj({"plays": INT, "last_watched_at": TS, "last_updated_at": TS, "movie": MOVIE})),
        "watched_shows": arr(obj({
            "plays": INT, "last_watched_at": TS, "last_updated_at": TS, "reset_at": TS_NULL, "show": SHOW,
            "seasons": arr(obj({"number": INT, "episodes": arr(obj({"number": INT, "plays": INT, "last_watched_at": TS}))})),
        }, ["plays", "last_watched_at", "last_updated_at", "reset_at", "show"])),
        "watched_episodes": arr(obj({"plays": INT, "last_watched_at": TS, "type": {"const": "episode"},
                                     "episode": EPISODE, "show": SHOW})),
        "users_watched_movies": arr(obj({"plays": INT, "last_watched_at": TS, "last_updated_at": TS, "movie": MOVIE})),
        "users_watched_shows": arr(obj({
            "plays": INT, "last_watched_at": TS, "last_updated_at": TS, "reset_at": TS_NULL,
            "show": obj({**SHOW["properties"], "aired_episodes": INT}),
            "seasons": arr(obj({"number": INT, "episodes": arr(obj({"number": INT, "plays": INT, "last_watched_at": TS}))})),
        }, ["plays", "last_watched_at", "last_updated_at", "show"])),
        # extended=min (2026): play times by movie id, or by show id -> season id -> episode id
        "watched_movies_min": id_map(PLAY_TIMES),
        "watched_shows_min": id_map(id_map(id_map(PLAY_TIMES), SEASON_KEY)),
        "history": arr(typed_row({"id": INT, "watched_at": TS, "action": {"enum": ["scrobble", "checkin", "watch"]}}, ("movie", "episode"))),
        "watchlist": arr(typed_row({"rank": INT, "id": INT, "listed_at": TS, "notes": STR_NULL}, ("movie", "show", "season", "episode"))),
        "playback": arr(typed_row({"progress": {"type": "number", "minimum": 0, "maximum": 100}, "paused_at": TS, "id": INT},
                                  ("movie", "episode"))),
        "hidden": arr(typed_row({"hidden_at": TS}, ("movie", "show", "season"))),
        "settings": obj({
            "user": obj({"username": STR, "private": BOOL, "name": STR_NULL, "vip": BOOL, "vip_ep": BOOL,
                         "ids": obj({"slug": STR, "uuid": STR}), "joined_at": TS}, ["username", "private", "vip", "ids"]),
            "account": obj({"timezone": STR_NULL, "date_format": STR, "time_24hr": BOOL}, ["timezone"]),
            "limits": obj({"list": COUNTS("count", "item_count"), "watchlist": COUNTS("item_count")}, ["watchlist"]),
        }, ["user", "account", "limits"]),
        "show": SHOW_FULL, "movie": MOVIE_FULL,
        "seasons": arr({**SEASON_FULL, "properties": {**SEASON_FULL["properties"], "episodes": arr(EPISODE_FULL)}}),
        "season_episodes": arr(EPISODE_FULL),
        "progress_watched": obj({
            "aired": INT, "completed": INT, "last_watched_at": TS_NULL, "reset_at": TS_NULL,
            "seasons": arr(obj({"number": INT, "title": STR_NULL, "aired": INT, "completed": INT, "episodes": arr(PROGRESS_EPISODE)})),
            "hidden_seasons": arr(SEASON), "next_episode": {"oneOf": [{"type": "null"}, EPISODE]},
            "last_episode": {"oneOf": [{"type": "null"}, EPISODE]},
        }),
        "search": arr(typed_row({"score": {"type": ["number", "null"]}}, ("movie", "show", "episode"))),
        "token": obj({"access_token": STR, "token_type": {"const": "bearer"}, "expires_in": INT, "refresh_token": STR,
                      "scope": STR, "created_at": INT}),
        "token_error": obj({"error": STR, "error_description": STR}),
        "device_code": obj({"device_code": STR, "user_code": STR, "verification_url": STR, "expires_in": INT, "interval": INT}),
        "history_add": obj({"added": COUNTS("movies", "episodes"), "not_found": NOT_FOUND("movies", "shows", "seasons", "episodes")}),
        "history_remove": obj({"deleted": COUNTS("movies", "episodes"),
                               "not_found": obj({**NOT_FOUND("movies", "shows", "seasons", "episodes")["properties"], "ids": arr(INT)})}),
        "watchlist_add": obj({"added": COUNTS("movies", "shows", "seasons", "episodes"),
                              "existing": COUNTS("movies", "shows", "seasons", "episodes"),
                              "not_found": NOT_FOUND("movies", "shows", "seasons", "episodes"),
                              "list": obj({"updated_at": TS, "item_count": INT})}),
        "watchlist_remove": obj({"deleted": COUNTS("movies", "shows", "seasons", "episodes"),
                                 "not_found": NOT_FOUND("movies", "shows", "seasons", "episodes"),
                                 "list": obj({"updated_at": TS, "item_count": INT})}),
        "hidden_add": obj({"added": COUNTS("movies", "shows", "seasons", "users"), "not_found": NOT_FOUND("movies", "shows", "seasons", "users")}),
        "hidden_remove": obj({"deleted": COUNTS("movies", "shows", "seasons", "users"),
                              "not_found": NOT_FOUND("movies", "shows", "seasons", "users")}),
        "stremio_manifest": obj({"id": STR, "version": STR, "name": STR, "resources": arr({}), "types": arr(STR),
                                 "catalogs": arr(obj({"type": STR, "id": STR, "name": STR}))}),
        "stremio_catalog": obj({"metas": arr(STREMIO_META)}),
        "stremio_meta": obj({"meta": obj({**STREMIO_META["properties"],
                                          "videos": arr(obj({"id": {"type": "string", "pattern": r"^[^:]+(:\d+)?:\d+:\d+$"},
                                                             "season": INT, "episode": INT, "title": STR, "released": TS_NULL}))},
                                         list(STREMIO_META["properties"]))}),
    }  # fmt: skip
    return {name: {"$schema": DRAFT, "$id": f"https://kodi-trakt-harness.invalid/schemas/{name}.json", "title": name,
                   **({"$comment": COMMENTS[name]} if name in COMMENTS else {}), **schema}
            for name, schema in found.items()}  # fmt: skip


def write(directory: str | Path) -> list[Path]:
    """Write every schema as `<directory>/<name>.json`; returns the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in schemas().items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write(sys.argv[1] if len(sys.argv) > 1 else "contracts/schemas"):
        print(written)
