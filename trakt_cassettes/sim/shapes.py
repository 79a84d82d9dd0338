"""Trakt JSON shapes of catalog objects (minimal and `extended=full`)."""

from __future__ import annotations

from .clock import format_iso, parse_time
from .media import Episode, Movie, Season, Show


def iso(epoch: float | None) -> str | None:
    """Trakt timestamp or None."""
    return None if epoch is None else format_iso(epoch)


def extended(query: dict) -> set[str]:
    """The `extended` query parameter as a set of words."""
    return {word.strip() for word in query.get("extended", "").split(",") if word.strip()}


def aired_episodes(show: Show, now: float) -> int:
    """Aired episodes of the show's regular seasons (specials are not counted)."""
    return sum(1 for s in show.seasons if s.number > 0 for e in s.episodes if e.aired(now))


def show_json(show: Show, full: bool = False, now: float = 0.0, updated_at: float = 0.0) -> dict:
    """A show object: title, year, ids (+ the full fields)."""
    data = {"title": show.title, "year": show.year, "ids": dict(show.ids)}
    if not full:
        return data
    extra = show.extra
    regular = [e for s in show.seasons if s.number > 0 for e in s.episodes]
    first = extra.get("first_aired") or min(
        (e.first_aired for e in regular if e.first_aired is not None), default=None
    )
    data.update({
        "tagline": extra.get("tagline"), "overview": extra.get("overview"), "first_aired": iso(first),
        "airs": extra.get("airs") or {"day": None, "time": None, "timezone": None},
        "runtime": extra.get("runtime"), "certification": extra.get("certification"), "network": extra.get("network"),
        "country": extra.get("country"), "updated_at": _updated(extra, updated_at), "trailer": extra.get("trailer"),
        "homepage": extra.get("homepage"), "status": extra.get("status", "returning series"),
        "rating": float(extra.get("rating", 0.0)), "votes": extra.get("votes", 0), "comment_count": extra.get("comment_count", 0),
        "languages": extra.get("languages", ["en"]), "available_translations": extra.get("available_translations", ["en"]),
        "genres": extra.get("genres", []), "aired_episodes": aired_episodes(show, now),
        "original_title": extra.get("original_title", show.title),
    })  # fmt: skip
    return data


def movie_json(movie: Movie, full: bool = False, updated_at: float = 0.0) -> dict:
    """A movie object: title, year, ids (+ the full fields)."""
    data = {"title": movie.title, "year": movie.year, "ids": dict(movie.ids)}
    if not full:
        return data
    extra = movie.extra
    released = extra.get("released")
    if released is not None and not isinstance(released, str):
        released = format_iso(parse_time(released))[:10]
    data.update({
        "tagline": extra.get("tagline"), "overview": extra.get("overview"), "released": released,
        "runtime": extra.get("runtime"), "country": extra.get("country"), "updated_at": _updated(extra, updated_at),
        "trailer": extra.get("trailer"), "homepage": extra.get("homepage"), "rating": float(extra.get("rating", 0.0)),
        "votes": extra.get("votes", 0), "comment_count": extra.get("comment_count", 0),
        "languages": extra.get("languages", ["en"]), "available_translations": extra.get("available_translations", ["en"]),
        "genres": extra.get("genres", []), "certification": extra.get("certification"),
        "original_title": extra.get("original_title", movie.title), "status": extra.get("status", "released"),
    })  # fmt: skip
    return data


def episode_json(episode: Episode, full: bool = False, updated_at: float = 0.0) -> dict:
    """An episode object: season, number, title, ids (+ the full fields)."""
    data = {
        "season": episode.season,
        "number": episode.number,
        "title": episode.title,
        "ids": dict(episode.ids),
    }
    if not full:
        return data
    extra = episode.extra
    data.update({
        "number_abs": extra.get("number_abs"), "overview": extra.get("overview"), "first_aired": iso(episode.first_aired),
        "updated_at": _updated(extra, updated_at), "rating": float(extra.get("rating", 0.0)), "votes": extra.get("votes", 0),
        "comment_count": 0, "available_translations": ["en"], "runtime": extra.get("runtime"),
        "episode_type": extra.get("episode_type") or _episode_type(episode), "original_title": episode.title,
    })  # fmt: skip
    return data


def season_json(
    season: Season, full: bool = False, now: float = 0.0, updated_at: float = 0.0, network=None
) -> dict:
    """A season object: number, ids (+ the full fields)."""
    data = {"number": season.number, "ids": dict(season.ids)}
    if not full:
        return data
    aired = [e.first_aired for e in season.episodes if e.first_aired is not None]
    title = season.title or ("Specials" if season.number == 0 else f"Season {season.number}")
    data.update({
        "rating": 0.0, "votes": 0, "episode_count": len(season.episodes),
        "aired_episodes": sum(1 for e in season.episodes if e.aired(now)), "title": title,
        "overview": season.extra.get("overview"), "first_aired": iso(min(aired)) if aired else None,
        "updated_at": format_iso(updated_at), "network": network, "original_title": None,
    })  # fmt: skip
    if data["first_aired"] is None:
        # seasonResponseSchema.ts types first_aired `.optional()`, not nullable: unknown means no key.
        del data["first_aired"]
    return data


def season_ids_json(season: Season) -> dict:
    """`{number, ids}` as in `hidden_seasons` and watchlist/hidden season rows."""
    return {"number": season.number, "ids": dict(season.ids)}


def _updated(extra: dict, default: float) -> str:
    value = extra.get("updated_at")
    return format_iso(parse_time(value) if value is not None else default)


def _episode_type(episode: Episode) -> str:
    if episode.number == 1:
        return "series_premiere" if episode.season == 1 else "season_premiere"
    return "standard"
