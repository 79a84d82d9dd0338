"""Drive the simulator over every Trakt endpoint it serves, and the add-on through a sync, recording
each exchange for `trakt_cassettes.contract.endpoints.Checker` (the conformance suite's machinery)."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from contracts.support import World
from trakt_cassettes.contract.endpoints import ENDPOINTS, Checker, Exchange, endpoint_for
from trakt_cassettes.sim import Simulator
from trakt_cassettes.sim.faults import SimulatedConnectionReset, SimulatedTimeout

CLIENT_ID = "conformance-client-id"
CLIENT_SECRET = "conformance-client-secret"
WATCHED_VARIANTS = ({}, {"extended": "full"}, {"extended": "progress"}, {"extended": "full,progress"},
                    {"extended": "noseasons"}, {"page": "1", "limit": "2"}, {"page": "2", "limit": "1"},
                    {"limit": "250", "page": "1"}, {"extended": "images"})  # fmt: skip
# The users' route takes noseasons (no progress): users/subroutes/watched.ts.
USERS_WATCHED_VARIANTS = ({}, {"extended": "full"}, {"extended": "noseasons"}, {"page": "1", "limit": "2"},
                          {"specials": "true"})  # fmt: skip
MIN_VARIANTS = ({"extended": "min"}, {"extended": "min", "page": "1", "limit": "1"},
                {"extended": "min", "specials": "true", "season_numbers": "true"})  # fmt: skip
HIDDEN_SECTIONS = ("progress_watched", "progress_watched_reset", "calendar", "dropped", "recommendations",
                   "progress_collected")  # fmt: skip


@dataclass
class Recorder:
    """Wraps a simulator's `handle` so every exchange (request body included) is kept, in order."""

    sim: Simulator

    def __post_init__(self) -> None:
        self.exchanges: list[Exchange] = []
        self._handle = self.sim.handle
        self.sim.handle = self  # intercept() and direct calls both go through the instance attribute

    def __call__(self, method: str, url: str, headers: dict | None = None, body: bytes | None = None):
        # A reset or timeout fault raises here: there is no answer to check, the caller sees the error.
        status, answer_headers, payload = self._handle(method, url, headers, body)
        parts = urlsplit(url)
        if not parts.path.startswith("/_sim/"):
            fired = self.sim.request_log[-1].get("fault") if self.sim.request_log else None
            kind = next((f.kind for f in self.sim.faults if f.name == fired), "") if fired else ""
            self.exchanges.append(Exchange(method.upper(), parts.path, dict(parse_qsl(parts.query)),
                                           _json_or_none(body), status, dict(answer_headers), payload, kind))  # fmt: skip
        return status, answer_headers, payload


def _json_or_none(body: bytes | str | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body  # not JSON: the request schema then reports it


class Sweep:
    """Every endpoint of the simulator's route table, with the query variants add-ons use, for one scenario."""

    def __init__(self, sim: Simulator, token: str):
        self.sim, self.token = sim, token
        self.recorder = Recorder(sim)
        self.paths_called: set[str] = set()

    def headers(self, auth: bool = True) -> dict:
        headers = {"Content-Type": "application/json", "trakt-api-version": "2", "User-Agent": "conformance/1.0",
                   "trakt-api-key": self.sim.scenario.app.get("client_id") or CLIENT_ID}  # fmt: skip
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, query: dict | None = None, auth: bool = True) -> tuple[int, Any]:
        url = path + ("?" + urlencode(query) if query else "")
        try:
            status, _, body = self.sim.handle("GET", url, self.headers(auth))
        except (SimulatedConnectionReset, SimulatedTimeout):
            return 0, None
        self._seen("GET", path)
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, None

    def send(self, method: str, path: str, payload: dict | None, auth: bool = True) -> tuple[int, Any]:
        self.sim.clock.advance(2)  # writes are limited to one a second (AUTHED_API_POST_LIMIT)
        body = json.dumps(payload).encode() if payload is not None else None
        try:
            status, _, answer = self.sim.handle(method, path, self.headers(auth), body)
        except (SimulatedConnectionReset, SimulatedTimeout):
            return 0, None
        self._seen(method, path)
        try:
            return status, json.loads(answer) if answer else None
        except ValueError:
            return status, None

    def _seen(self, method: str, path: str) -> None:
        endpoint = endpoint_for(method, path)
        if endpoint is not None:
            self.paths_called.add(f"{endpoint.method} {endpoint.path}")

    def run(self) -> list[Exchange]:
        """Reads first, then writes, then the OAuth calls (the revoke ends the login)."""
        catalog = self.sim.scenario.catalog
        shows = [s.ids for s in catalog.shows][:3]
        movies = [m.ids for m in catalog.movies][:3]
        slug = self.sim.scenario.user["username"].lower()
        self.get("/sync/last_activities")
        for kind in ("movies", "shows", "episodes"):
            for query in WATCHED_VARIANTS:
                self.get(f"/sync/watched/{kind}", query)
            for query in USERS_WATCHED_VARIANTS:
                self.get(f"/users/me/watched/{kind}", query)
            self.get(f"/users/{slug}/watched/{kind}", {"extended": "noseasons"})
            self.get(f"/users/{slug}/watched/{kind}", {}, auth=False)
        # extended=min is 2026 API (the contract's `minimal` routes); the blueprint mode (`api.drift: false`)
        # answers as Trakt did before it, which the contract does not describe, so it is not asked there.
        for kind in ("movies", "shows") if self.sim.scenario.api.get("drift", True) else ():
            for query in MIN_VARIANTS:
                self.get(f"/sync/watched/{kind}", query)
                self.get(f"/users/me/watched/{kind}", query)
        self._history(shows, movies)
        for path in (
            "/sync/watchlist",
            "/sync/watchlist/movies/rank/asc",
            "/sync/watchlist/shows/rank/asc",
            "/sync/watchlist/seasons",
            "/sync/watchlist/episodes",
            "/sync/watchlist/movies/added/desc",
        ):
            for query in ({}, {"page": "1", "limit": "1"}, {"extended": "full"}):
                self.get(path, query)
        for path in ("/sync/playback", "/sync/playback/movies", "/sync/playback/episodes"):
            for query in ({}, {"page": "1", "limit": "1"}, {"extended": "full"}):
                self.get(path, query)
        self.get("/users/settings")
        for section in HIDDEN_SECTIONS:
            for query in ({}, {"type": "show"}, {"type": "season"}, {"page": "1", "limit": "1"}):
                self.get(f"/users/hidden/{section}", query)
        self._media(shows, movies)
        self._writes(shows, movies)
        self._oauth()
        return self.recorder.exchanges

    def _history(self, shows: list[dict], movies: list[dict]) -> None:
        for path in (
            "/sync/history",
            "/sync/history/movies",
            "/sync/history/episodes",
            "/sync/history/shows",
        ):
            for query in ({}, {"page": "1", "limit": "2"}, {"extended": "full"}):
                self.get(path, query)
        for ids in shows[:1]:
            self.get(f"/sync/history/shows/{ids['trakt']}")
        for ids in movies[:1]:
            self.get(f"/sync/history/movies/{ids['trakt']}", {"page": "1", "limit": "10"})

    def _media(self, shows: list[dict], movies: list[dict]) -> None:
        for ids in shows:
            ref = ids.get("imdb") or ids["trakt"]
            for query in ({}, {"specials": "true"}, {"hidden": "true"}, {"specials": "true", "count_specials": "false"},
                          {"last_activity": "watched"}):  # fmt: skip
                self.get(f"/shows/{ref}/progress/watched", query)
            for query in ({}, {"extended": "full"}):
                self.get(f"/shows/{ref}", query, auth=False)
            for query in ({}, {"extended": "full"}, {"extended": "episodes"}, {"extended": "full,episodes"}):
                status, seasons = self.get(f"/shows/{ids['trakt']}/seasons", query, auth=False)
            for season in (seasons or [])[:2] if status == 200 else []:
                for query in ({}, {"extended": "full"}):
                    self.get(f"/shows/{ids['trakt']}/seasons/{season['number']}", query, auth=False)
                    self.get(
                        f"/shows/{ids['trakt']}/seasons/{season['number']}/episodes/1", query, auth=False
                    )
            self.get(f"/search/trakt/{ids['trakt']}", {"type": "show"}, auth=False)
            if ids.get("imdb"):
                self.get(f"/search/imdb/{ids['imdb']}", {}, auth=False)
            if ids.get("tvdb"):
                self.get(f"/search/tvdb/{ids['tvdb']}", {"type": "show", "extended": "full"}, auth=False)
        for ids in movies:
            for query in ({}, {"extended": "full"}):
                self.get(f"/movies/{ids.get('imdb') or ids['trakt']}", query, auth=False)
            self.get(f"/search/trakt/{ids['trakt']}", {"type": "movie"}, auth=False)
            if ids.get("tmdb"):
                self.get(
                    f"/search/tmdb/{ids['tmdb']}", {"type": "movie", "page": "1", "limit": "5"}, auth=False
                )
        self.get("/search/imdb/tt0000000", {}, auth=False)  # no match: an empty page
        # Unknown ids: 404s (and every route is reached even in a scenario without movies or shows).
        for path in ("/movies/tt0000000", "/shows/tt0000000", "/shows/tt0000000/seasons",
                     "/shows/tt0000000/seasons/1", "/shows/tt0000000/seasons/1/episodes/1",
                     "/shows/tt0000000/progress/watched"):  # fmt: skip
            self.get(path, {}, auth=path.endswith("watched"))

    def _writes(self, shows: list[dict], movies: list[dict]) -> None:
        movie = [{"ids": {"trakt": ids["trakt"]}} for ids in movies[:1]]
        show = [{"ids": {"trakt": ids["trakt"]}} for ids in shows[:1]]
        body = {"movies": movie + [{"ids": {"imdb": "tt0000001"}}], "shows": show}
        self.send(
            "POST",
            "/sync/history",
            {**body, "movies": [{**m, "watched_at": "released"} for m in body["movies"]]},
        )
        status, rows = self.get("/sync/history", {"page": "1", "limit": "1"})
        first = [rows[0]["id"]] if status == 200 and rows else []
        self.send("POST", "/sync/history/remove", {"movies": movie, "ids": first + [1]})
        self.send("POST", "/sync/watchlist", body)
        self.send("POST", "/sync/watchlist/remove", body)
        self.send("POST", "/users/hidden/progress_watched", {"shows": show})
        self.send("POST", "/users/hidden/progress_watched/remove", {"shows": show})
        self.send("POST", "/users/hidden/calendar", {"movies": movie})
        status, rows = self.get("/sync/playback")
        if status == 200 and rows:
            self.send("DELETE", f"/sync/playback/{rows[0]['id']}", None)
        self.send("DELETE", "/sync/playback/1", None)  # unknown id: 404

    def _oauth(self) -> None:
        app = self.sim.scenario.app
        client_id, secret = app.get("client_id") or CLIENT_ID, app.get("client_secret") or CLIENT_SECRET
        status, code = self.send("POST", "/oauth/device/code", {"client_id": client_id}, auth=False)
        if status == 200:
            poll = {"code": code["device_code"], "client_id": client_id, "client_secret": secret}
            self.send("POST", "/oauth/device/token", poll, auth=False)  # pending
            self.sim.handle("POST", f"/_sim/device/{code['user_code']}", {"Content-Type": "application/json"},
                            b'{"outcome": "approve"}')  # fmt: skip
            self.send("POST", "/oauth/device/token", poll, auth=False)
        refresh = self.sim.scenario.user.get("refresh_token")
        grant = {"client_id": client_id, "client_secret": secret, "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                 "grant_type": "refresh_token"}  # fmt: skip
        if refresh:
            self.send("POST", "/oauth/token", {**grant, "refresh_token": refresh}, auth=False)
        self.send("POST", "/oauth/token", {**grant, "refresh_token": "used-or-unknown"}, auth=False)
        self.send("POST", "/oauth/revoke", {"token": self.token, "client_id": client_id, "client_secret": secret},
                  auth=False)  # fmt: skip


def addon_exchanges(world: World) -> list[Exchange]:
    """What the reference add-on sends and gets in a first and a second (incremental) sync."""
    recorder = Recorder(world.sim)
    with world.running():
        world.sync()
        world.sim.clock.advance(3600)
        world.sync()
    return recorder.exchanges


def uncovered_routes() -> list[str]:
    """Trakt routes of the simulator's table that no contract endpoint covers (each a missing schema)."""
    from trakt_cassettes.sim.routes import ROUTES

    samples = {"movies|shows|episodes": "movies"}
    missing = []
    for route in ROUTES:
        if route.api == "stremio":
            continue
        sample = route.pattern.pattern.strip("^$")
        for group, value in samples.items():
            sample = sample.replace(f"(?P<type>{group})", value)
        sample = _sample_path(sample)
        if endpoint_for(route.method, sample) is None:
            missing.append(f"{route.method} {route.pattern.pattern}")
    return missing


def _sample_path(pattern: str) -> str:
    """A concrete path for a route regex: each named group filled with a plausible value, optional parts dropped."""
    values = {"type": "movies", "id": "1", "season": "1", "episode": "1", "section": "calendar", "id_type": "imdb",
              "sort_by": "rank", "sort_how": "asc"}  # fmt: skip
    text, before = pattern, None
    while text != before:  # innermost optional groups first
        before, text = text, re.sub(r"\(\?:(?:[^()]|\(\?P<\w+>[^()]*\))*\)\?", "", text)
    text = re.sub(r"\(\?P<(\w+)>[^()]*\)", lambda m: values.get(m.group(1), "x"), text)
    return text.replace("\\d+", "1").replace("\\", "")


def check_all(exchanges: list[Exchange], checker: Checker | None = None) -> list[str]:
    """Every contract failure of the exchanges, each numbered by its place in the run."""
    checker = checker or Checker()
    failures = []
    for number, exchange in enumerate(exchanges, start=1):
        failures += [f"#{number} {problem}" for problem in checker.check(exchange)]
    return failures


def make_sim(scenario: dict, keep_faults: bool) -> Simulator:
    """A simulator for a scenario; without its troubles (faults, rate limits, a locked account, an expired
    login) unless asked to keep them, so every endpoint gets to answer with success too."""
    data = copy.deepcopy(scenario)
    if not keep_faults:
        data.pop("faults", None)
        data.pop("rate_limits", None)
        (data.get("tokens") or {}).pop("created_at", None)
        for key in ("locked", "deactivated"):
            (data.get("user") or {}).pop(key, None)
    return Simulator(data)


ALL_ENDPOINTS = tuple(f"{e.method} {e.path}" for e in ENDPOINTS)
