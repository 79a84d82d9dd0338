"""The simulated Trakt catalog: shows, seasons, episodes and movies, found by any of their ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SHOW_FULL_KEYS = (
    "tagline", "overview", "first_aired", "airs", "runtime", "certification", "network", "country",
    "updated_at", "trailer", "homepage", "status", "rating", "votes", "comment_count", "languages",
    "available_translations", "genres", "original_title", "poster",
)  # fmt: skip
MOVIE_FULL_KEYS = (
    "tagline", "overview", "released", "runtime", "country", "updated_at", "trailer", "homepage",
    "rating", "votes", "comment_count", "languages", "available_translations", "genres",
    "certification", "original_title", "status", "poster",
)  # fmt: skip
EPISODE_FULL_KEYS = ("overview", "runtime", "episode_type", "rating", "votes", "number_abs", "updated_at")


@dataclass
class Episode:
    """One episode; `first_aired` is epoch seconds or None (unknown air date)."""

    show_trakt: int
    season: int
    number: int
    title: str | None
    ids: dict
    first_aired: float | None
    extra: dict = field(default_factory=dict)

    def aired(self, now: float) -> bool:
        """True when the episode has an air date that is not in the future."""
        return self.first_aired is not None and self.first_aired <= now

    def air_key(self) -> tuple:
        """Sort key for air order: air date, then season and number (unknown dates last)."""
        return (self.first_aired is None, self.first_aired or 0.0, self.season, self.number)


@dataclass
class Season:
    """One season (number 0 holds the specials)."""

    show_trakt: int
    number: int
    ids: dict
    title: str | None
    episodes: list[Episode]
    extra: dict = field(default_factory=dict)


@dataclass
class Show:
    """One show with its seasons; `extra` holds the `extended=full` fields given by the scenario."""

    title: str
    year: int | None
    ids: dict
    seasons: list[Season]
    extra: dict = field(default_factory=dict)

    def episodes(self) -> list[Episode]:
        """All episodes, season by season."""
        return [episode for season in self.seasons for episode in season.episodes]

    def season(self, number: int) -> Season | None:
        """The season with that number, or None."""
        return next((season for season in self.seasons if season.number == number), None)


@dataclass
class Movie:
    """One movie; `extra` holds the `extended=full` fields given by the scenario."""

    title: str
    year: int | None
    ids: dict
    extra: dict = field(default_factory=dict)


def slugify(text: str) -> str:
    """Trakt-like slug: lower case, non-alphanumerics collapsed to dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


class Catalog:
    """All media of a scenario, indexed by every id kind (trakt, slug, imdb, tmdb, tvdb)."""

    def __init__(self) -> None:
        self.shows: list[Show] = []
        self.movies: list[Movie] = []
        self._shows: dict[tuple[str, object], Show] = {}
        self._movies: dict[tuple[str, object], Movie] = {}
        self._seasons: dict[tuple[str, object], Season] = {}
        self._episodes: dict[tuple[str, object], Episode] = {}

    def add_show(self, show: Show) -> None:
        """Register a show with its seasons and episodes."""
        self.shows.append(show)
        _index(self._shows, show.ids, show)
        for season in show.seasons:
            _index(self._seasons, season.ids, season)
            for episode in season.episodes:
                _index(self._episodes, episode.ids, episode)

    def add_movie(self, movie: Movie) -> None:
        """Register a movie."""
        self.movies.append(movie)
        _index(self._movies, movie.ids, movie)

    def show(self, ref: object) -> Show | None:
        """A show by path id: trakt id (int or digits), slug or imdb id."""
        return _lookup_path(self._shows, ref)

    def movie(self, ref: object) -> Movie | None:
        """A movie by path id: trakt id (int or digits), slug or imdb id."""
        return _lookup_path(self._movies, ref)

    def show_by_ids(self, ids: dict) -> Show | None:
        """A show matched from a sync body's `ids` (trakt, imdb, tmdb, tvdb, slug in that order)."""
        return _lookup_ids(self._shows, ids)

    def movie_by_ids(self, ids: dict) -> Movie | None:
        """A movie matched from a sync body's `ids`."""
        return _lookup_ids(self._movies, ids)

    def season_by_ids(self, ids: dict) -> Season | None:
        """A season matched by its own ids (trakt, tvdb, tmdb)."""
        return _lookup_ids(self._seasons, ids)

    def episode_by_ids(self, ids: dict) -> Episode | None:
        """An episode matched by its own ids (trakt, imdb, tmdb, tvdb)."""
        return _lookup_ids(self._episodes, ids)

    def episode_by_trakt(self, trakt: int) -> Episode | None:
        """The episode with that trakt id (one dict read: history and watched scans call it per play)."""
        return self._episodes.get(("trakt", trakt))

    def search(self, id_type: str, value: str) -> list[tuple[str, object]]:
        """`(type, object)` pairs whose `id_type` id equals `value` (for `/search/{id_type}/{id}`)."""
        key = (id_type, int(value) if id_type != "imdb" and value.isdigit() else value)
        hits: list[tuple[str, object]] = []
        for kind, index in (("movie", self._movies), ("show", self._shows), ("episode", self._episodes)):
            if key in index:
                hits.append((kind, index[key]))
        return hits

    def show_of(self, item: Season | Episode) -> Show:
        """The show a season or episode belongs to."""
        show = self._shows[("trakt", item.show_trakt)]
        return show


def _index(index: dict, ids: dict, obj: object) -> None:
    for kind in ("trakt", "slug", "imdb", "tmdb", "tvdb"):
        value = ids.get(kind)
        if value not in (None, ""):
            index.setdefault((kind, value), obj)


def _lookup_path(index: dict, ref: object):
    if isinstance(ref, int) and not isinstance(ref, bool):
        return index.get(("trakt", ref))
    text = str(ref)
    if text.isdigit():
        return index.get(("trakt", int(text)))
    if re.fullmatch(r"tt\d+", text):
        return index.get(("imdb", text))
    return index.get(("slug", text))


def _lookup_ids(index: dict, ids: object):
    if not isinstance(ids, dict):
        return None
    for kind in ("trakt", "imdb", "tmdb", "tvdb", "slug"):
        value = ids.get(kind)
        if value in (None, ""):
            continue
        if kind in ("trakt", "tmdb", "tvdb") and isinstance(value, str) and value.isdigit():
            value = int(value)
        found = index.get((kind, value))
        if found is not None:
            return found
    return None
