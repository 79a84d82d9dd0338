"""Canned Trakt answers served through `responses` callbacks (until the simulator covers a case)."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import responses

from .conftest import BASE_URL

T0 = "2026-10-01T10:00:00.000Z"


def movie(trakt, imdb, title="Movie"):
    return {
        "title": f"{title} {trakt}",
        "year": 2019,
        "ids": {"trakt": trakt, "slug": f"m-{trakt}", "imdb": imdb, "tmdb": trakt + 5},
    }


def show(trakt, imdb, title="Show"):
    return {"title": f"{title} {trakt}", "year": 2020,
            "ids": {"trakt": trakt, "slug": f"s-{trakt}", "tvdb": trakt + 7, "imdb": imdb, "tmdb": trakt + 6}}  # fmt: skip


def activities(stamp=T0, **overrides):
    """A full last_activities body (plus keys Trakt added later), every value `stamp` unless overridden."""
    body = {
        "all": stamp,
        "movies": {k: stamp for k in ("watched_at", "collected_at", "watchlisted_at", "favorited_at", "paused_at", "hidden_at")},
        "episodes": {k: stamp for k in ("watched_at", "collected_at", "watchlisted_at", "paused_at")},
        "shows": {k: stamp for k in ("watchlisted_at", "favorited_at", "hidden_at", "dropped_at")},
        "seasons": {k: stamp for k in ("watchlisted_at", "hidden_at")},
        "watchlist": {"updated_at": stamp},
        "comments": {"reacted_at": stamp, "brand_new_key": {"nested": True}},
        "saved_filters": {"updated_at": stamp},
        "a_section_from_2027": ["unexpected", "shape"],
    }  # fmt: skip
    for dotted, value in overrides.items():
        section, key = dotted.split("__")
        body[section][key] = value
    return body


class FakeTrakt:
    """Answers GETs from `self.data[path]`; `fail[path] = status` injects failures; `page_size` pages lists."""

    def __init__(self, rsps: responses.RequestsMock):
        self.data: dict[str, object] = {
            "/sync/last_activities": activities(),
            "/sync/watched/movies": [],
            "/sync/watched/shows": [],
            "/sync/watchlist/movies/rank/asc": [],
            "/sync/watchlist/shows/rank/asc": [],
            "/sync/playback": [],
            "/users/hidden/progress_watched": [],
            "/users/hidden/progress_watched_reset": [],
        }
        self.fail: dict[str, int] = {}
        self.page_size: dict[str, int] = {}
        self.paths: list[str] = []
        rsps.add_callback(responses.GET, re.compile(re.escape(BASE_URL) + r"/.*"), callback=self._answer)

    def bump(self, *keys: str, stamp: str) -> None:
        """Move activity keys (e.g. 'episodes__watched_at') to a new timestamp."""
        acts = self.data["/sync/last_activities"]
        for dotted in keys:
            section, key = dotted.split("__")
            acts[section][key] = stamp

    def _answer(self, request):
        url = urlparse(request.url)
        path = url.path
        self.paths.append(path)
        if path in self.fail:
            return (self.fail[path], {}, "")
        if path not in self.data:
            return (404, {}, "")
        body = self.data[path]
        headers = {}
        size = self.page_size.get(path)
        if size and isinstance(body, list):
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            pages = max(1, -(-len(body) // size))
            headers = {"X-Pagination-Page": str(page), "X-Pagination-Limit": str(size),
                       "X-Pagination-Page-Count": str(pages), "X-Pagination-Item-Count": str(len(body))}  # fmt: skip
            body = body[(page - 1) * size : page * size]
        return (200, headers, json.dumps(body))
