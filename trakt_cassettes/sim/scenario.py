"""Scenario files: the YAML a person writes to describe a Trakt account (format in README.md).

Loading composes the YAML first so every validation error names the file, the line and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trakt_cassettes.yaml_loader import SAFE_LOADER

from .clock import parse_time
from .faults import Fault, parse_fault
from .media import (
    EPISODE_FULL_KEYS,
    MOVIE_FULL_KEYS,
    SHOW_FULL_KEYS,
    Catalog,
    Episode,
    Movie,
    Season,
    Show,
    slugify,
)
from .tokens import TOKEN_LIFETIME

TOP_KEYS = {
    "name", "description", "now", "user", "app", "tokens", "limits", "settings", "device_auth", "api",
    "rate_limits", "shows", "movies", "history", "resets", "hidden", "watchlist", "playback", "catalogs",
    "faults", "last_activities",
}  # fmt: skip
USER_KEYS = {
    "username", "name", "vip", "vip_ep", "private", "access_token", "refresh_token", "uuid", "joined_at",
    "locked", "deactivated", "location", "about",
}  # fmt: skip
HIDDEN_SECTIONS = (
    "calendar",
    "progress_watched",
    "progress_collected",
    "recommendations",
    "comments",
    "dropped",
)
SECTION_KINDS = {
    "calendar": ("movie", "show"), "progress_watched": ("show", "season"), "progress_collected": ("show", "season"),
    "recommendations": ("movie", "show"), "comments": ("user",), "dropped": ("show",),
}  # fmt: skip
LIMIT_KEYS = {"watchlist", "lists", "list_items", "favorites", "collection", "notes", "search_recent"}


class ScenarioError(ValueError):
    """A malformed scenario; the message reads `file:line: key: what is wrong`."""

    def __init__(self, message: str, source: str = "<scenario>", line: int | None = None, key: str = ""):
        self.source, self.line, self.key, self.reason = source, line, key, message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


@dataclass
class Scenario:
    """A validated scenario: the catalog plus the account's seed data, times in epoch seconds."""

    source: str
    data: dict
    now: float
    user: dict
    app: dict
    tokens: dict
    limits: dict
    settings: dict
    device_auth: dict
    api: dict
    rate_limits: dict
    catalog: Catalog
    history: list[dict] = field(default_factory=list)
    resets: dict[int, float] = field(default_factory=dict)
    hidden: list[dict] = field(default_factory=list)
    watchlist: list[dict] = field(default_factory=list)
    playback: list[dict] = field(default_factory=list)
    catalogs: list[dict] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    last_activities: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>", lines: dict | None = None) -> Scenario:
        """Validate a scenario given as a Python dict (`lines` maps key paths to line numbers)."""
        return _Builder(source, lines or {}).build(data)


# libyaml's loader when PyYAML has it (large scenarios parse ~10x faster); the same marks on errors.


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"not UTF-8 text (byte {exc.start})", source) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", source) from None
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ScenarioError(f"invalid YAML: {exc.problem}", source, mark.line + 1 if mark else None) from None
    lines: dict[tuple, int] = {(): 1}
    if node is not None:
        _collect_lines(node, (), lines)
    return Scenario.from_dict(data if data is not None else {}, source, lines)


def _collect_lines(node: yaml.Node, path: tuple, lines: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            sub = (*path, key_node.value)
            lines[sub] = key_node.start_mark.line + 1
            _collect_lines(value_node, sub, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = (*path, index)
            lines[sub] = item.start_mark.line + 1
            _collect_lines(item, sub, lines)


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Builder:
    """Walks the raw data; every check knows its key path, so errors can name file, line and key."""

    def __init__(self, source: str, lines: dict):
        self.source, self.lines = source, lines
        self._auto_id = {"season": 50_000_000, "episode": 60_000_000}

    def fail(self, path: tuple, message: str) -> None:
        line = None
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                line = self.lines[path[:cut]]
                break
        raise ScenarioError(message, self.source, line, _dotted(path))

    def mapping(self, path: tuple, value: object, allowed: set | tuple | None = None, required=()) -> dict:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, got {type(value).__name__}")
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.fail((*path, key), f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in value:
                self.fail(path, f"missing required key '{key}'")
        return value

    def sequence(self, path: tuple, value: object) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {type(value).__name__}")
        return value

    def integer(self, path: tuple, value: object, optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected an integer, got {value!r}")
        return value

    def number(self, path: tuple, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"expected a number, got {value!r}")
        return float(value)

    def text(self, path: tuple, value: object, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {value!r}")
        return value

    def boolean(self, path: tuple, value: object) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {value!r}")
        return value

    def time(self, path: tuple, value: object, optional: bool = False) -> float | None:
        if value is None and optional:
            return None
        try:
            return parse_time(value)
        except ValueError:
            self.fail(path, f"expected an ISO-8601 time like 2026-11-01T12:00:00Z, got {value!r}")

    def choice(self, path: tuple, value: object, choices: tuple) -> str:
        if value not in choices:
            self.fail(path, f"expected one of {', '.join(map(str, choices))}, got {value!r}")
        return value

    def build(self, data: object) -> Scenario:
        data = self.mapping((), data, TOP_KEYS)
        now = self.time(("now",), data["now"]) if "now" in data else parse_time("2026-11-01T12:00:00Z")
        catalog = Catalog()
        for index, raw in enumerate(self.sequence(("shows",), data.get("shows"))):
            self.add_show(catalog, ("shows", index), raw)
        for index, raw in enumerate(self.sequence(("movies",), data.get("movies"))):
            self.add_movie(catalog, ("movies", index), raw)
        scenario = Scenario(
            source=self.source, data=data, now=now, user=self.user(data.get("user"), now),
            app=self.simple(("app",), data.get("app"), {"client_id": str, "client_secret": str}),
            tokens=self.tokens(data.get("tokens")), limits=self.limits(data.get("limits")),
            settings=self.simple(("settings",), data.get("settings"),
                                 {"timezone": str, "date_format": str, "time_24hr": bool, "cover_image": str}),
            device_auth=self.device_auth(data.get("device_auth")),
            api=self.simple(("api",), data.get("api"), {"drift": bool, "strict_paging": bool}),
            rate_limits=self.simple(("rate_limits",), data.get("rate_limits"),
                                    {"enabled": bool, "get_limit": int, "get_period": int, "unauthed_get_limit": int,
                                     "post_limit": int, "post_period": int, "cloudflare": bool}),
            catalog=catalog,
        )  # fmt: skip
        self.seed(scenario, data)
        return scenario

    def simple(self, path: tuple, raw: object, types: dict) -> dict:
        raw = self.mapping(path, raw, set(types))
        for key, value in raw.items():
            kind = types[key]
            if kind is bool:
                self.boolean((*path, key), value)
            elif kind is int:
                self.integer((*path, key), value)
            else:
                self.text((*path, key), value, optional=True)
        return dict(raw)

    def user(self, raw: object, now: float) -> dict:
        raw = self.mapping(("user",), raw, USER_KEYS)
        user = dict(raw)
        user["username"] = self.text(("user", "username"), raw.get("username", "kodiuser"))
        for key in ("vip", "vip_ep", "private", "locked", "deactivated"):
            user[key] = self.boolean(("user", key), raw.get(key, False))
        for key in ("access_token", "refresh_token", "name", "uuid", "location", "about"):
            user[key] = self.text(("user", key), raw.get(key), optional=True)
        user["joined_at"] = self.time(("user", "joined_at"), raw.get("joined_at", now - 365 * 86400))
        return user

    def tokens(self, raw: object) -> dict:
        raw = self.mapping(("tokens",), raw, {"expires_in", "created_at", "revoked"})
        return {
            "expires_in": self.integer(("tokens", "expires_in"), raw.get("expires_in", TOKEN_LIFETIME)),
            "created_at": self.time(("tokens", "created_at"), raw.get("created_at"), optional=True),
            "revoked": self.boolean(("tokens", "revoked"), raw.get("revoked", False)),
        }

    def limits(self, raw: object) -> dict:
        raw = self.mapping(("limits",), raw, LIMIT_KEYS)
        return {key: self.integer(("limits", key), value) for key, value in raw.items()}

    def device_auth(self, raw: object) -> dict:
        raw = self.mapping(("device_auth",), raw, {"pending", "then", "interval", "expires_in", "user_code"})
        return {
            "pending": self.integer(("device_auth", "pending"), raw.get("pending", 0)),
            "then": self.choice(
                ("device_auth", "then"), raw.get("then", "approve"), ("approve", "deny", "expire", "never")
            ),
            "interval": self.integer(("device_auth", "interval"), raw.get("interval", 5)),
            "expires_in": self.integer(("device_auth", "expires_in"), raw.get("expires_in", 600)),
            "user_code": self.text(("device_auth", "user_code"), raw.get("user_code"), optional=True),
        }

    def ids(self, path: tuple, raw: object, kinds: tuple, title: str | None, auto: str | None = None) -> dict:
        raw = self.mapping(path, raw, set(kinds))
        ids: dict = {}
        for kind in kinds:
            value = raw.get(kind)
            if kind in ("trakt", "tmdb", "tvdb"):
                ids[kind] = self.integer((*path, kind), value, optional=True)
            else:
                ids[kind] = self.text((*path, kind), value, optional=True) or None  # "" means null
        if ids.get("trakt") is None:
            if auto is None:
                self.fail((*path, "trakt"), "missing required trakt id")
            self._auto_id[auto] += 1
            ids["trakt"] = self._auto_id[auto]
        if "slug" in kinds and not ids.get("slug"):
            ids["slug"] = slugify(title or str(ids["trakt"]))
        return ids

    def extras(self, path: tuple, raw: dict, allowed: tuple, base: set) -> dict:
        self.mapping(path, raw, set(allowed) | base)
        return {key: raw[key] for key in allowed if key in raw}

    def add_show(self, catalog: Catalog, path: tuple, raw: object) -> None:
        raw = self.mapping(path, raw, None, required=("title", "ids"))
        extra = self.extras(path, raw, SHOW_FULL_KEYS, {"title", "year", "ids", "seasons"})
        title = self.text((*path, "title"), raw["title"])
        ids = self.ids((*path, "ids"), raw["ids"], ("trakt", "slug", "tvdb", "imdb", "tmdb"), title)
        if catalog.show(ids["trakt"]) is not None:
            self.fail((*path, "ids", "trakt"), f"duplicate show trakt id {ids['trakt']}")
        if "first_aired" in extra:
            extra["first_aired"] = self.time((*path, "first_aired"), extra["first_aired"], optional=True)
        seasons = [
            self.season((*path, "seasons", index), season, ids["trakt"])
            for index, season in enumerate(self.sequence((*path, "seasons"), raw.get("seasons")))
        ]
        year = self.integer((*path, "year"), raw.get("year"), optional=True)
        catalog.add_show(Show(title, year, ids, seasons, extra))

    def season(self, path: tuple, raw: object, show_trakt: int) -> Season:
        allowed = {"number", "title", "ids", "episodes", "first_aired", "every_days", "overview"}
        raw = self.mapping(path, raw, allowed, required=("number",))
        number = self.integer((*path, "number"), raw["number"])
        ids = self.ids((*path, "ids"), raw.get("ids"), ("trakt", "tvdb", "tmdb"), None, auto="season")
        episodes_raw = raw.get("episodes", [])
        episodes: list[Episode] = []
        if isinstance(episodes_raw, int) and not isinstance(episodes_raw, bool):
            start = self.time((*path, "first_aired"), raw.get("first_aired"), optional=True)
            step = self.number((*path, "every_days"), raw.get("every_days", 7)) * 86400
            for n in range(1, episodes_raw + 1):
                aired = None if start is None else start + (n - 1) * step
                auto_ids = self.ids(
                    (*path, "episodes"), {}, ("trakt", "tvdb", "imdb", "tmdb"), None, auto="episode"
                )
                episodes.append(Episode(show_trakt, number, n, f"Episode {n}", auto_ids, aired))
        else:
            for index, episode in enumerate(self.sequence((*path, "episodes"), episodes_raw)):
                episodes.append(self.episode((*path, "episodes", index), episode, show_trakt, number))
        extra = {"overview": raw["overview"]} if "overview" in raw else {}
        return Season(
            show_trakt, number, ids, self.text((*path, "title"), raw.get("title"), True), episodes, extra
        )

    def episode(self, path: tuple, raw: object, show_trakt: int, season: int) -> Episode:
        raw = self.mapping(path, raw, None, required=("number",))
        extra = self.extras(path, raw, EPISODE_FULL_KEYS, {"number", "title", "first_aired", "ids"})
        number = self.integer((*path, "number"), raw["number"])
        ids = self.ids(
            (*path, "ids"), raw.get("ids"), ("trakt", "tvdb", "imdb", "tmdb"), None, auto="episode"
        )
        aired = self.time((*path, "first_aired"), raw.get("first_aired"), optional=True)
        return Episode(
            show_trakt, season, number, self.text((*path, "title"), raw.get("title"), True), ids, aired, extra
        )

    def add_movie(self, catalog: Catalog, path: tuple, raw: object) -> None:
        raw = self.mapping(path, raw, None, required=("title", "ids"))
        extra = self.extras(path, raw, MOVIE_FULL_KEYS, {"title", "year", "ids"})
        title = self.text((*path, "title"), raw["title"])
        ids = self.ids((*path, "ids"), raw["ids"], ("trakt", "slug", "imdb", "tmdb"), title)
        if catalog.movie(ids["trakt"]) is not None:
            self.fail((*path, "ids", "trakt"), f"duplicate movie trakt id {ids['trakt']}")
        if not raw.get("ids", {}).get("slug") and raw.get("year"):
            ids["slug"] = slugify(f"{title} {raw['year']}")
        catalog.add_movie(
            Movie(title, self.integer((*path, "year"), raw.get("year"), optional=True), ids, extra)
        )

    def item(
        self, path: tuple, raw: dict, catalog: Catalog, kinds=("movie", "show", "season", "episode")
    ) -> dict:
        """Resolve `{movie: ref}`, `{show: ref}`, `{show: ref, season: n[, episode: m]}` to a kind and trakt id."""
        if "movie" in raw:
            movie = catalog.movie(raw["movie"])
            if movie is None:
                self.fail((*path, "movie"), f"unknown movie {raw['movie']!r} (use its imdb or trakt id)")
            found = {"kind": "movie", "trakt": movie.ids["trakt"]}
        elif "show" in raw:
            show = catalog.show(raw["show"])
            if show is None:
                self.fail((*path, "show"), f"unknown show {raw['show']!r} (use its imdb or trakt id)")
            found = {"kind": "show", "trakt": show.ids["trakt"]}
            if "season" in raw:
                season = show.season(self.integer((*path, "season"), raw["season"]))
                if season is None:
                    self.fail((*path, "season"), f"show {raw['show']!r} has no season {raw['season']}")
                found = {"kind": "season", "trakt": season.ids["trakt"]}
                if "episode" in raw:
                    number = self.integer((*path, "episode"), raw["episode"])
                    episode = next((e for e in season.episodes if e.number == number), None)
                    if episode is None:
                        self.fail((*path, "episode"), f"season {season.number} has no episode {number}")
                    found = {"kind": "episode", "trakt": episode.ids["trakt"]}
            elif "episode" in raw:
                self.fail((*path, "episode"), "an episode needs its season")
        else:
            self.fail(path, "an item needs a 'movie' or a 'show' key")
        if found["kind"] not in kinds:
            self.fail(path, f"a {found['kind']} is not allowed here (allowed: {', '.join(kinds)})")
        return found

    def seed(self, scenario: Scenario, data: dict) -> None:
        catalog, item_keys = scenario.catalog, {"movie", "show", "season", "episode"}
        for index, raw in enumerate(self.sequence(("history",), data.get("history"))):
            path = ("history", index)
            raw = self.mapping(path, raw, item_keys | {"watched_at", "action", "id"})
            found = self.item(path, raw, catalog, ("movie", "episode"))
            found["watched_at"] = self.time((*path, "watched_at"), raw.get("watched_at", scenario.now))
            found["action"] = self.choice(
                (*path, "action"), raw.get("action", "watch"), ("scrobble", "checkin", "watch")
            )
            found["id"] = self.integer((*path, "id"), raw.get("id"), optional=True)
            scenario.history.append(found)
        for index, raw in enumerate(self.sequence(("resets",), data.get("resets"))):
            path = ("resets", index)
            raw = self.mapping(path, raw, {"show", "reset_at"}, required=("show", "reset_at"))
            found = self.item(path, raw, catalog, ("show",))
            scenario.resets[found["trakt"]] = self.time((*path, "reset_at"), raw["reset_at"])
        hidden = self.mapping(("hidden",), data.get("hidden"), set(HIDDEN_SECTIONS))
        for section, entries in hidden.items():
            for index, raw in enumerate(self.sequence(("hidden", section), entries)):
                path = ("hidden", section, index)
                raw = self.mapping(path, raw, item_keys | {"hidden_at"})
                found = self.item(path, raw, catalog, SECTION_KINDS[section])
                found["section"] = section
                found["hidden_at"] = self.time((*path, "hidden_at"), raw.get("hidden_at", scenario.now))
                scenario.hidden.append(found)
        for index, raw in enumerate(self.sequence(("watchlist",), data.get("watchlist"))):
            path = ("watchlist", index)
            raw = self.mapping(path, raw, item_keys | {"listed_at", "notes"})
            found = self.item(path, raw, catalog)
            found["listed_at"] = self.time((*path, "listed_at"), raw.get("listed_at", scenario.now))
            found["notes"] = self.text((*path, "notes"), raw.get("notes"), optional=True)
            scenario.watchlist.append(found)
        for index, raw in enumerate(self.sequence(("playback",), data.get("playback"))):
            path = ("playback", index)
            raw = self.mapping(path, raw, item_keys | {"progress", "paused_at", "id"}, required=("progress",))
            found = self.item(path, raw, catalog, ("movie", "episode"))
            found["progress"] = self.number((*path, "progress"), raw["progress"])
            found["paused_at"] = self.time((*path, "paused_at"), raw.get("paused_at", scenario.now))
            found["id"] = self.integer((*path, "id"), raw.get("id"), optional=True)
            scenario.playback.append(found)
        for index, raw in enumerate(self.sequence(("catalogs",), data.get("catalogs"))):
            scenario.catalogs.append(self.stremio_catalog(("catalogs", index), raw, catalog))
        for index, raw in enumerate(self.sequence(("faults",), data.get("faults"))):
            try:
                scenario.faults.append(parse_fault(raw))
            except ValueError as exc:
                key, _, message = str(exc).partition(": ")
                self.fail(("faults", index, key) if message else ("faults", index), message or str(exc))
        scenario.last_activities = self.mapping(("last_activities",), data.get("last_activities"))
        for area, keys in scenario.last_activities.items():
            for key, value in self.mapping(("last_activities", area), keys).items():
                keys[key] = self.time(("last_activities", area, key), value)

    def stremio_catalog(self, path: tuple, raw: object, catalog: Catalog) -> dict:
        raw = self.mapping(
            path, raw, {"type", "id", "name", "items", "genres"}, required=("type", "id", "items")
        )
        kind = {"show": "series"}.get(raw["type"], raw["type"])
        self.choice((*path, "type"), kind, ("movie", "series"))
        items = []
        for index, ref in enumerate(self.sequence((*path, "items"), raw["items"])):
            found = catalog.movie(ref) if kind == "movie" else catalog.show(ref)
            if found is None:
                self.fail(
                    (*path, "items", index), f"unknown {'movie' if kind == 'movie' else 'show'} {ref!r}"
                )
            items.append(found)
        genres = [
            self.text((*path, "genres", i), g)
            for i, g in enumerate(self.sequence((*path, "genres"), raw.get("genres")))
        ]
        return {
            "type": kind, "id": self.text((*path, "id"), raw["id"]),
            "name": self.text((*path, "name"), raw.get("name", raw["id"])), "items": items, "genres": genres,
        }  # fmt: skip
