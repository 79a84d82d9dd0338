"""The contract's media objects (movie, show, season, episode, their ids) and the rows that carry them.

Sources: `_internal/response/{movie,show,episode}ResponseSchema.ts`, `shows/schema/response/seasonResponseSchema.ts`,
`_internal/response/{movie,show,season,episode}IdsResponseSchema.ts`, `statusResponseSchema.ts`,
`genreEnumSchema.ts`, `{movie,show}CertificationResponseSchema.ts`, `imagesResponseSchema.ts`."""

from __future__ import annotations

from .base import BOOL, INT, NUM, STR, TS, arr, enum, obj

STRINGS = arr(STR)
# statusResponseSchema.ts (movie and show status share one enum in the contract).
STATUS = enum("released", "planned", "post production", "canceled", "in production", "rumored", "ended",
              "returning series", "pilot", "continuing", "upcoming")  # fmt: skip
GENRE = enum("action", "adventure", "animation", "biography", "children", "comedy", "crime", "documentary", "drama",
             "family", "fantasy", "game-show", "history", "home-and-garden", "holiday", "horror", "mini-series",
             "music", "musical", "mystery", "news", "none", "reality", "romance", "science-fiction", "short", "soap",
             "special-interest", "sporting-event", "suspense", "talk-show", "thriller", "war", "western", "anime",
             "superhero", "donghua")  # fmt: skip
MOVIE_CERTIFICATION = enum(
    "undefined", "Dark", "G", "NC-17", "NR", "PG", "PG-13", "R", "TVMA", "Unrated", "X", "Young"
)
SHOW_CERTIFICATION = enum(
    "TV-14", "TV-Y7", "TV-Y", "NR", "TV-PG", "TV-MA", "TV-G", "G", "PG-13", "NC-17", "R", "PG"
)
EPISODE_TYPE = enum("standard", "series_premiere", "season_premiere", "mid_season_finale", "mid_season_premiere",
                    "season_finale", "series_finale")  # fmt: skip
IMAGES = obj(dict.fromkeys(("fanart", "poster", "logo", "clearart", "banner", "thumb"), STRINGS))

MOVIE_IDS = obj({"trakt": INT, "slug": STR}, nullish={"imdb": STR, "tmdb": INT, "plex": {"type": "object"}})
EPISODE_IDS = obj({"trakt": INT}, nullish={"tvdb": INT, "imdb": STR, "tmdb": INT, "plex": {"type": "object"}})
SHOW_IDS = obj(
    {"trakt": INT, "slug": STR}, nullish={"tvdb": INT, "imdb": STR, "tmdb": INT, "plex": {"type": "object"}}
)
SEASON_IDS = obj({"trakt": INT}, nullish={"tvdb": INT, "tmdb": INT})

# Fields of `extended=full` shared by movies and shows (all `.nullish()` in the contract).
_FULL_COMMON = {"tagline": STR, "overview": STR, "runtime": INT, "country": STR, "status": STATUS, "rating": NUM,
                "votes": INT, "comment_count": INT, "trailer": STR, "homepage": STR, "updated_at": TS, "language": STR,
                "languages": STRINGS, "available_translations": STRINGS, "genres": arr(GENRE), "subgenres": STRINGS,
                "original_title": STR, "images": IMAGES, "colors": {"type": "object"}, "social_ids": {"type": "object"}}  # fmt: skip
MOVIE = obj({"title": STR, "ids": MOVIE_IDS}, nullish={
    "year": INT, **_FULL_COMMON, "released": STR, "certification": MOVIE_CERTIFICATION,
    "after_credits": BOOL, "during_credits": BOOL})  # fmt: skip
SHOW = obj({"title": STR, "ids": SHOW_IDS}, nullish={
    "year": INT, **_FULL_COMMON, "aired_episodes": INT, "first_aired": STR, "total_runtime": INT,
    "airs": obj({}, nullish={"day": STR, "time": STR, "timezone": STR}), "certification": SHOW_CERTIFICATION,
    "network": STR})  # fmt: skip
EPISODE = obj({"season": INT, "number": INT, "ids": EPISODE_IDS}, nullish={
    "title": STR, "first_aired": STR, "released": STR, "effective_release_date": STR, "number_abs": INT,
    "rating": NUM, "votes": INT, "comment_count": INT, "updated_at": TS, "available_translations": STRINGS,
    "runtime": INT, "overview": STR, "episode_type": EPISODE_TYPE, "original_title": STR, "after_credits": BOOL,
    "during_credits": BOOL, "images": obj({"screenshot": STRINGS})})  # fmt: skip
# seasonResponseSchema.ts: `first_aired` is `.optional()` there, not nullable: an unknown date leaves the key out.
SEASON = obj({"number": INT, "ids": SEASON_IDS}, optional={"first_aired": STR}, nullish={
    "aired_episodes": INT, "rating": NUM, "votes": INT, "episode_count": INT, "title": STR, "overview": STR,
    "updated_at": TS, "total_runtime": INT, "network": STR,
    "images": obj({"poster": STRINGS, "thumb": STRINGS})})  # fmt: skip
# `?extended=episodes` adds each season's episodes (seasons route description); the schema does not list the key.
SEASON_WITH_EPISODES = {**SEASON, "properties": {**SEASON["properties"], "episodes": arr(EPISODE)}}
# Season objects inside rows (hidden, watchlist) carry only number + ids (TRAKT_API.md §4 example).
SEASON_REF = obj({"number": INT, "ids": SEASON_IDS})

# The object each `type` names; season and episode rows also carry their `show` (typedEpisodeResponseSchema).
TYPED = {"movie": {"movie": MOVIE}, "show": {"show": SHOW}, "season": {"season": SEASON_REF, "show": SHOW},
         "episode": {"episode": EPISODE, "show": SHOW}}  # fmt: skip


def typed_rows(head: dict, kinds: tuple[str, ...], nullish: dict | None = None) -> dict:
    """An array of rows: the `head` keys, `type` one of kinds, and the object(s) that type names."""
    variants = [obj({**head, "type": {"const": kind}, **TYPED[kind]}, nullish=nullish) for kind in kinds]
    return arr(variants[0] if len(variants) == 1 else {"oneOf": variants})
