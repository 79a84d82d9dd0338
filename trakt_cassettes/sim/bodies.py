"""Sync POST bodies (`movies`, `shows`, `seasons`, `episodes`) resolved against the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import BadRequest
from .media import Catalog

SECTIONS = ("movies", "shows", "seasons", "episodes")
INHERITED = ("watched_at", "hidden_at", "notes")


@dataclass
class Unit:
    """One resolved item of a body: its kind, catalog object and the attributes it carries."""

    kind: str  # movie | show | season | episode
    obj: object
    attrs: dict


@dataclass
class Resolved:
    """Resolved units plus Trakt's `not_found` lists."""

    units: list[Unit] = field(default_factory=list)
    not_found: dict[str, list] = field(default_factory=lambda: {section: [] for section in SECTIONS})


def resolve(catalog: Catalog, body: dict, sections=SECTIONS) -> Resolved:
    """Walk a body; a show with `seasons` (and `episodes`) resolves to those seasons (episodes)."""
    result = Resolved()
    for section in sections:
        items = body.get(section, [])
        if not isinstance(items, list):
            raise BadRequest(f"'{section}' must be an array")
        for raw in items:
            if not isinstance(raw, dict):
                raise BadRequest(f"items of '{section}' must be objects")
            attrs = {key: raw[key] for key in INHERITED if key in raw}
            ids = _checked_ids(section, raw.get("ids", {}))
            if section == "movies":
                found = catalog.movie_by_ids(ids) or _by_title(catalog.movies, raw)
                _add(result, section, raw, "movie", found, attrs)
            elif section == "seasons":
                _add(result, section, raw, "season", catalog.season_by_ids(ids), attrs)
            elif section == "episodes":
                _add(result, section, raw, "episode", catalog.episode_by_ids(ids), attrs)
            else:
                show = catalog.show_by_ids(ids) or _by_title(catalog.shows, raw)
                if show is None or not raw.get("seasons"):
                    _add(result, section, raw, "show", show, attrs)
                    continue
                _expand_show(result, show, raw, attrs)
    return result


def _checked_ids(section: str, ids: object) -> dict:
    """An item's `ids`, each a number or text (Trakt answers 400 to anything else)."""
    if not isinstance(ids, dict):
        raise BadRequest(f"'ids' of an item of '{section}' must be an object")
    for key, value in ids.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, type(None))):
            raise BadRequest(f"ids.{key} of an item of '{section}' must be a number or text")
    return ids


def _expand_show(result: Resolved, show, raw: dict, attrs: dict) -> None:
    for season_raw in raw["seasons"]:
        if not isinstance(season_raw, dict):
            raise BadRequest("items of 'seasons' must be objects")
        season = show.season(season_raw.get("number"))
        season_attrs = {**attrs, **{k: season_raw[k] for k in INHERITED if k in season_raw}}
        if season is None:
            result.not_found["shows"].append({"ids": dict(show.ids), "seasons": [season_raw]})
            continue
        if not season_raw.get("episodes"):
            result.units.append(Unit("season", season, season_attrs))
            continue
        for episode_raw in season_raw["episodes"]:
            number = episode_raw.get("number") if isinstance(episode_raw, dict) else None
            episode = next((e for e in season.episodes if e.number == number), None)
            if episode is None:
                result.not_found["episodes"].append(
                    {"show": {"ids": dict(show.ids)}, "season": season.number, "episode": episode_raw}
                )
                continue
            episode_attrs = {**season_attrs, **{k: episode_raw[k] for k in INHERITED if k in episode_raw}}
            result.units.append(Unit("episode", episode, episode_attrs))


def _add(result: Resolved, section: str, raw: dict, kind: str, found, attrs: dict) -> None:
    if found is None:
        result.not_found[section].append(raw)
    else:
        result.units.append(Unit(kind, found, attrs))


def _by_title(candidates: list, raw: dict):
    # Trakt's last resort: title + year, then title alone.
    title = raw.get("title")
    if not title:
        return None
    same = [c for c in candidates if c.title == title]
    exact = [c for c in same if raw.get("year") is not None and c.year == raw.get("year")]
    return (exact or same or [None])[0]
