"""Trakt's `extended=min` watched maps in their real shape, built from the account's ordinary answers.

The simulator and the add-on were both written from the same notes, so a shape both got wrong keeps
every test green. This module is written from Trakt's published contract instead, so it can catch
that: `trakt/trakt-api` at 586224bf1b7d7e24fef194ca3f1acfed59d536c7, files
`projects/api/src/contracts/users/subroutes/watched.ts` (the `minimal` routes: `page`, `limit`,
`specials`, `season_numbers`; "📄 Pagination") and `users/schema/response/watchedShowsMinimalResponseSchema.ts`
/ `watchedMoviesMinimalResponseSchema.ts` (`record<string, record<string, record<string, datetime[]>>>`),
read with trakt-java's `Users.watchedShowsMin` example `{"77712": {"95726": {"1498291": [...]}}}`:
the keys are the show's, the season's and the episode's **Trakt ids**, never their numbers.

The maps are built from what the account answers elsewhere (every play of `/sync/history`, with the
episode's ids, and each show's `/shows/{id}/seasons` for the season ids), then served in pages of
`PAGE_LIMIT` keys in place of the simulator's own min answer, whatever that answer looks like.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# Tiny pages on purpose: a client must walk every page, at the limit the server echoes (the contract
# names `page` and `limit` but neither a default nor a maximum; this server clamps to 1).
PAGE_LIMIT = 1
MIN_PATHS = {"/sync/watched/movies": "movies", "/sync/watched/shows": "shows"}


@dataclass
class RealMinMaps:
    """One account's min maps: every play time by movie id, and by show id -> season -> episode id."""

    movies: dict[int, list[str]] = field(default_factory=dict)
    # show trakt id -> (season trakt id, season number) -> episode trakt id -> play times
    shows: dict[int, dict[tuple[int, int], dict[int, list[str]]]] = field(default_factory=dict)
    served: list[str] = field(default_factory=list)  # "shows page 1/3", ... for the tests' own checks

    @classmethod
    def read(cls, world: Any) -> RealMinMaps:
        """Build both maps from the world's simulator through its ordinary endpoints."""
        maps = cls()
        seasons: dict[int, dict[int, int]] = {}
        for play in _every_page(world, "/sync/history"):
            if play["type"] == "movie":
                maps.movies.setdefault(play["movie"]["ids"]["trakt"], []).append(play["watched_at"])
                continue
            show_id, episode = play["show"]["ids"]["trakt"], play["episode"]
            if show_id not in seasons:
                status, listed = world.sim_get(f"/shows/{show_id}/seasons")
                assert status == 200, f"/shows/{show_id}/seasons answered {status}"
                seasons[show_id] = {season["number"]: season["ids"]["trakt"] for season in listed}
            season = (seasons[show_id][episode["season"]], episode["season"])
            times = maps.shows.setdefault(show_id, {}).setdefault(season, {})
            times.setdefault(episode["ids"]["trakt"], []).append(play["watched_at"])
        return maps

    def movies_map(self) -> dict[str, list[str]]:
        """`{"<movie id>": [watched_at, ...]}` (newest first: the contract gives no order)."""
        return {str(movie): sorted(times, reverse=True) for movie, times in sorted(self.movies.items())}

    def shows_map(self, specials: bool, season_numbers: bool) -> dict[str, dict[str, dict[str, list[str]]]]:
        """`{"<show id>": {"<season id>": {"<episode id>": [watched_at, ...]}}}`; season 0 only with
        `specials`; with `season_numbers` the season key is `"<season id>|<season number>"`."""
        out: dict[str, dict[str, dict[str, list[str]]]] = {}
        for show, by_season in sorted(self.shows.items()):
            kept = {
                (f"{season_id}|{number}" if season_numbers else str(season_id)): {
                    str(episode): sorted(times, reverse=True) for episode, times in sorted(episodes.items())
                }
                for (season_id, number), episodes in sorted(by_season.items(), key=lambda item: item[0][1])
                if number != 0 or specials
            }
            if kept:
                out[str(show)] = kept
        return out

    @contextmanager
    def serving(self, world: Any) -> Iterator[RealMinMaps]:
        """Answer the world's `extended=min` requests with these maps, paged; everything else as before.

        The simulator still sees each request first (auth, rate limit, faults, its request log); only
        the body and pagination headers of a 200 are replaced."""
        original = world.sim.handle

        def handle(method: str, url: str, headers: dict | None = None, body: bytes | None = None):
            status, answer_headers, payload = original(method, url, headers, body)
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query))
            kind = MIN_PATHS.get(parts.path)
            if status != 200 or kind is None or "min" not in query.get("extended", "").split(","):
                return status, answer_headers, payload
            if kind == "movies":
                whole = self.movies_map()
            else:
                whole = self.shows_map(_flag(query, "specials"), _flag(query, "season_numbers"))
            page, pagination = _page(whole, query)
            self.served.append(
                f"{kind} page {pagination['X-Pagination-Page']}/{pagination['X-Pagination-Page-Count']}"
            )
            encoded = json.dumps(page, separators=(",", ":")).encode("utf-8")
            kept = {
                k: v
                for k, v in answer_headers.items()
                if not k.lower().startswith(("x-pagination", "content-length"))
            }
            return status, {**kept, **pagination, "Content-Length": str(len(encoded))}, encoded

        world.sim.handle = handle
        try:
            yield self
        finally:
            world.sim.handle = original


def _every_page(world: Any, path: str) -> list[dict]:
    rows: list[dict] = []
    page = 1
    while True:
        status, answer = world.sim_get(f"{path}?page={page}&limit=250")
        assert status == 200, f"{path} answered {status}"
        rows.extend(answer)
        if len(answer) < 250:
            return rows
        page += 1


def _flag(query: dict[str, str], name: str) -> bool:
    return query.get(name, "").lower() == "true"


def _page(whole: dict, query: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """One page of a map's keys (in id order) and the X-Pagination-* headers of it."""
    page = max(1, int(query.get("page") or 1))
    limit = min(max(1, int(query.get("limit") or PAGE_LIMIT)), PAGE_LIMIT)
    keys = list(whole)
    chosen = keys[(page - 1) * limit : page * limit]
    headers = {
        "X-Pagination-Page": str(page),
        "X-Pagination-Limit": str(limit),
        "X-Pagination-Page-Count": str(max(1, -(-len(keys) // limit))),
        "X-Pagination-Item-Count": str(len(keys)),
    }
    return {key: whole[key] for key in chosen}, headers
