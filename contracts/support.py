"""Shared machinery of the contracts: a simulator world, the three answers per item, schemas and diffs."""

from __future__ import annotations

import difflib
import json
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
ADDON_LIB = ROOT / "reference_addon" / "plugin.video.aiostreams" / "resources" / "lib"
if str(ADDON_LIB) not in sys.path:
    sys.path.insert(0, str(ADDON_LIB))

import trakt  # noqa: E402
from aiostreams.progress import next_up, show_progress  # noqa: E402
from aiostreams.sync import SyncEngine, SyncReport  # noqa: E402
from aiostreams.tokens import MemoryTokenStore, Tokens  # noqa: E402
from aiostreams.trakt_client import TraktClient  # noqa: E402
from database import queries  # noqa: E402
from database.connection import Database  # noqa: E402
from trakt_cassettes.sim import Simulator  # noqa: E402

BASE_URL = "https://api.trakt.tv"
SIM_SCENARIOS = ROOT / "trakt_cassettes" / "scenarios"
CASSETTE_SCENARIOS = ROOT / "trakt_cassettes" / "cassettes"
CONTRACT_SCENARIOS = Path(__file__).resolve().parent / "scenarios"
RESULT_SCHEMAS = Path(__file__).resolve().parent / "schemas" / "results"
# A scenario that starts logged out (device auth) still needs a token for the contracts' questions.
STAND_IN_TOKEN = "contracts-access-token"
FUNCTIONS = ("is_watched", "is_in_watchlist", "get_show_progress")
SCHEMA_OF = {
    "is_watched": "is_watched",
    "is_in_watchlist": "is_in_watchlist",
    "get_show_progress": "show_progress",
}

MIRROR_AREAS = ("watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows", "hidden")

Item = tuple[str, str]  # (media_type, imdb_id)
Answers = dict[Item, dict[str, Any]]  # item -> {function name: answer}


def scenario_files() -> list[Path]:
    """Every scenario the equivalence runs on: the simulator's, the cassettes' (not the recordings), ours."""
    cassettes = [p for p in CASSETTE_SCENARIOS.glob("*.yaml") if ".cassette." not in p.name]
    return (
        sorted(SIM_SCENARIOS.glob("*.yaml")) + sorted(cassettes) + sorted(CONTRACT_SCENARIOS.glob("*.yaml"))
    )


def load_scenario_dict(path: Path) -> dict:
    """A scenario file as a dict, with a usable login when it starts logged out or with a dead one."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    user = data.setdefault("user", {})
    if not user.get("access_token"):
        user["access_token"] = STAND_IN_TOKEN
    # A scenario about an ended login (`tokens.revoked`) still has an account whose answers are compared.
    (data.get("tokens") or {}).pop("revoked", None)
    return data


def validator(function: str) -> jsonschema.Draft202012Validator:
    """The JSON Schema validator of one public function's result."""
    schema = json.loads((RESULT_SCHEMAS / f"{SCHEMA_OF[function]}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(function: str, answer: Any) -> list[str]:
    """Readable schema violations of one answer (empty when it conforms)."""
    leaves = [leaf for error in validator(function).iter_errors(answer) for leaf in _leaves(error)]
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in leaves]


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The errors that explain an anyOf failure: those of the branches other than a plain `null`."""
    if not error.context:
        return [error]
    branches: dict[Any, list[jsonschema.ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    real = [
        subs for subs in branches.values()
        if not (len(subs) == 1 and subs[0].validator_value == "null" and not subs[0].relative_path)
    ]  # fmt: skip
    return [leaf for subs in real for sub in subs for leaf in _leaves(sub)] or [error]


def readable_diff(expected: Any, actual: Any, expected_name: str, actual_name: str) -> str:
    """A unified diff of two JSON values (sorted keys, one value per line)."""
    left = json.dumps(expected, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
    right = json.dumps(actual, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
    return "\n".join(difflib.unified_diff(left, right, expected_name, actual_name, lineterm=""))


class World:
    """One scenario on a simulator, a mirror file synced from it, and the public API pointed at either."""

    def __init__(self, scenario: dict, workdir: Path, name: str = "scenario"):
        self.name = name
        self.scenario = scenario
        self.sim = Simulator(scenario)
        self.db_path = str(workdir / "mirror.db")
        self.missing_db_path = str(workdir / "never-created.db")
        user = self.sim.scenario.user
        tokens = Tokens(
            user["access_token"], user.get("refresh_token") or "none", self.sim.clock.now() + 86400
        )
        self.store = MemoryTokenStore(tokens)
        self.client_id = self.sim.scenario.app.get("client_id") or "contracts-client-id"
        self.client_secret = self.sim.scenario.app.get("client_secret") or "contracts-client-secret"

    @contextmanager
    def running(self) -> Iterator[World]:
        """Intercept Trakt calls for the simulator; forget the API configuration afterwards."""
        try:
            with self.sim.intercept(base_url=BASE_URL):
                yield self
        finally:
            trakt.reset()

    def client(self) -> TraktClient:
        """A TraktClient on the simulator's virtual clock (its waits advance that clock)."""
        clock = self.sim.clock
        return TraktClient(BASE_URL, self.client_id, self.client_secret, self.store, clock.now,
                           clock.advance, lambda: False, rng=random.Random(1))  # fmt: skip

    def sync(self, attempts: int = 3) -> SyncReport:
        """Sync the mirror; a scenario's one-shot faults may fail a run, so retry a minute later."""
        database = Database(self.db_path)
        try:
            for _ in range(attempts):
                report = SyncEngine(database, self.client(), self.sim.clock.now).run()
                if report.ok:
                    break
                self.sim.clock.advance(60)
            return report
        finally:
            database.close()

    def use_mirror(self) -> None:
        """Point the public API at the synced mirror."""
        trakt.configure(db_path=self.db_path, client_factory=self.client, clock=self.sim.clock.now)

    def use_api(self) -> None:
        """Point the public API at a database that does not exist: every answer takes the API path."""
        trakt.configure(db_path=self.missing_db_path, client_factory=self.client, clock=self.sim.clock.now)

    def items(self) -> list[Item]:
        """Every show and movie of the scenario that has an imdb id (the public API's key)."""
        catalog = self.sim.scenario.catalog
        movies = [("movie", m.ids["imdb"]) for m in catalog.movies if m.ids.get("imdb")]
        shows = [("show", s.ids["imdb"]) for s in catalog.shows if s.ids.get("imdb")]
        return movies + shows

    def answers(self, items: list[Item] | None = None) -> Answers:
        """The public API's answers for every item, from wherever it is configured to look."""
        out: Answers = {}
        self.requests_per_answer: dict[tuple[Item, str], int] = {}
        for kind, imdb in items if items is not None else self.items():
            questions = [("is_watched", (kind, imdb)), ("is_in_watchlist", (kind, imdb))]
            if kind == "show":
                questions.append(("get_show_progress", (imdb,)))
            answer = {}
            for function, arguments in questions:
                before = len(self.sim.request_log)
                answer[function] = getattr(trakt, function)(*arguments)
                self.requests_per_answer[((kind, imdb), function)] = len(self.sim.request_log) - before
            out[(kind, imdb)] = answer
        return out

    def next_up(self) -> list[dict]:
        """The add-on's Next Up view from the mirror (honours reset_at)."""
        database = Database(self.db_path)
        try:
            return next_up(database, self.sim.clock.now())
        finally:
            database.close()

    def mirror_progress_by_trakt_id(self, show_trakt_id: int) -> dict:
        """Progress computed from the mirror for a show keyed by its trakt id (titles without imdb id)."""
        database = Database(self.db_path)
        try:
            return show_progress(database, show_trakt_id, self.sim.clock.now())
        finally:
            database.close()

    def sim_get(self, path: str) -> tuple[int, Any]:
        """Ask the simulator directly (as Trakt itself would answer), with the current token."""
        status, _, answer = self._sim_call(path)
        return status, answer

    def sim_get_all(self, path: str) -> list | None:
        """Every page of one of the simulator's lists (2026 lists answer 100 items unless asked); None on an error."""
        rows: list = []
        page = 1
        while True:
            joiner = "&" if "?" in path else "?"
            status, headers, answer = self._sim_call(f"{path}{joiner}page={page}&limit=250")
            if status != 200:
                return None
            rows.extend(answer)
            if page >= int(headers.get("X-Pagination-Page-Count", "1")):  # no header: the whole list
                return rows
            page += 1

    def _sim_call(self, path: str) -> tuple[int, dict, Any]:
        tokens = self.store.load()
        headers = {"trakt-api-key": self.client_id, "trakt-api-version": "2",
                   "Authorization": f"Bearer {tokens.access_token if tokens else STAND_IN_TOKEN}"}  # fmt: skip
        status, answer_headers, body = self.sim.handle("GET", path, headers)
        return status, answer_headers, (json.loads(body) if body and status == 200 else None)

    def sim_answers(self, items: list[Item] | None = None) -> Answers:
        """Trakt's own answers: watched lists, watchlist and the progress endpoint; an error means no."""
        listed: dict[tuple[str, str], set[str]] = {}
        for kind, plural in (("movie", "movies"), ("show", "shows")):
            watched = self.sim_get_all(f"/sync/watched/{plural}?extended=noseasons")
            watchlist = self.sim_get_all(f"/sync/watchlist/{plural}")
            listed[("watched", kind)] = {_imdb(row.get(kind)) for row in watched or [] if row.get("plays")}
            listed[("watchlist", kind)] = {_imdb(row.get(kind)) for row in watchlist or []}
        out: Answers = {}
        for kind, imdb in items if items is not None else self.items():
            answer = {
                "is_watched": imdb in listed[("watched", kind)],
                "is_in_watchlist": imdb in listed[("watchlist", kind)],
            }
            if kind == "show":
                answer["get_show_progress"] = self.sim_get(f"/shows/{imdb}/progress/watched")[1]
            out[(kind, imdb)] = answer
        return out


def _imdb(item: Any) -> str | None:
    ids = item.get("ids") if isinstance(item, dict) else None
    return ids.get("imdb") if isinstance(ids, dict) else None


def conformance_failures(answers: Answers, source: str) -> list[str]:
    """Every schema violation in a set of answers, each naming the source, item and function."""
    failures = []
    for item, by_function in answers.items():
        for function, answer in by_function.items():
            for error in schema_errors(function, answer):
                failures.append(f"{source} {item[0]} {item[1]} {function}(): {error}")
    return failures


def invariant_failures(answers: Answers, source: str) -> list[str]:
    """Trakt's counting rules inside each progress answer (they catch a bug shared by mirror and simulator)."""
    failures = []
    for item, by_function in answers.items():
        progress = by_function.get("get_show_progress")
        if not progress:
            continue
        broken = _broken_invariants(progress)
        failures += [f"{source} {item[0]} {item[1]} get_show_progress(): {why}" for why in broken]
    return failures


def _broken_invariants(progress: dict) -> list[str]:
    broken = []
    seasons = progress["seasons"]
    if progress["aired"] != sum(s["aired"] for s in seasons):
        broken.append("aired is not the sum of the seasons' aired")
    if progress["completed"] != sum(s["completed"] for s in seasons):
        broken.append("completed is not the sum of the seasons' completed")
    for season in seasons:
        if season["aired"] != len(season["episodes"]):
            broken.append(f"season {season['number']}: aired != number of episodes listed")
        if season["completed"] != sum(e["completed"] for e in season["episodes"]):
            broken.append(f"season {season['number']}: completed != episodes completed")
    if (progress["last_episode"] is None) != (progress["completed"] == 0):
        broken.append("last_episode must be null exactly when nothing is completed")
    hidden = {h["number"] for h in progress["hidden_seasons"]}
    if hidden & {s["number"] for s in seasons}:
        broken.append("a hidden season is listed in seasons")
    done = {(s["number"], e["number"]) for s in seasons for e in s["episodes"] if e["completed"]}
    listed = {(s["number"], e["number"]) for s in seasons for e in s["episodes"]}
    for key in ("next_episode", "last_episode"):
        ref = progress[key]
        if ref is not None and (ref["season"], ref["number"]) not in listed:
            broken.append(f"{key} is not an aired, counted episode")
    nxt = progress["next_episode"]
    if nxt is not None and (nxt["season"], nxt["number"]) in done:
        broken.append("next_episode is already completed")
    return broken


def equivalence_failures(
    scenario: str, expected: Answers, actual: Answers, expected_name: str, actual_name: str
) -> list[str]:
    """Every answer that differs, each with the scenario, the item and a readable diff."""
    failures = []
    for item, by_function in expected.items():
        for function, want in by_function.items():
            got = actual.get(item, {}).get(function)
            if got != want:
                diff = readable_diff(want, got, f"{expected_name}", f"{actual_name}")
                failures.append(f"scenario {scenario}, {item[0]} {item[1]}, {function}():\n{diff}")
    return failures


# The watched state and watchlist of a mirror, as an incremental and a full sync must both leave it
# (last_updated_at / reset_at are Trakt's bookkeeping, which the extended=min read cannot see).
MIRROR_STATE = {
    "watched_movies": "SELECT movie_trakt_id, plays, last_watched_at FROM watched_movies ORDER BY 1",
    "watched_shows": "SELECT show_trakt_id, plays, last_watched_at FROM watched_shows ORDER BY 1",
    "watched_episodes": "SELECT * FROM watched_episodes ORDER BY 1, 2, 3",
    "watchlist": "SELECT media_type, trakt_id, rank, listed_at FROM watchlist ORDER BY 1, 2",
    "show_resets": "SELECT * FROM show_resets ORDER BY 1",
}


def mirror_state(db_path: str) -> dict[str, list[tuple]]:
    """The rows of MIRROR_STATE in one mirror file."""
    database = Database(db_path)
    try:
        return {name: database.query(sql) for name, sql in MIRROR_STATE.items()}
    finally:
        database.close()


def rebuilt_state_failures(world: World, workdir: Path) -> list[str]:
    """Differences between the world's (incrementally synced) mirror and one synced from scratch now."""
    fresh_path = str(workdir / "rebuilt.db")
    database = Database(fresh_path)
    try:
        report = SyncEngine(database, world.client(), world.sim.clock.now).run()
    finally:
        database.close()
    if not report.ok:
        return [f"scenario {world.name}: the rebuild failed: {report.failed}"]
    synced, rebuilt = mirror_state(world.db_path), mirror_state(fresh_path)
    return [
        f"scenario {world.name}: table {name} after the incremental sync differs from a rebuild:\n"
        + readable_diff(rebuilt[name], synced[name], "rebuild", "incremental")
        for name in MIRROR_STATE
        if synced[name] != rebuilt[name]
    ]


def check_world(world: World) -> tuple[int, list[str]]:
    """Sync, then compare mirror, API path and simulator for every item; returns (answers compared, failures)."""
    report = world.sync()
    world.use_mirror()
    mirror = world.answers()
    mirror_requests = dict(world.requests_per_answer)
    world.use_api()
    api = world.answers()
    truth = world.sim_answers()
    failures = [] if report.ok else [f"scenario {world.name}: the sync failed: {report.failed}"]
    failures += conformance_failures(mirror, "mirror") + conformance_failures(api, "api")
    failures += invariant_failures(mirror, "mirror")
    failures += equivalence_failures(world.name, api, mirror, "api path", "mirror")
    failures += equivalence_failures(world.name, truth, mirror, "simulator", "mirror")
    if _fully_synced(world):
        failures += _needless_requests(world.name, truth, mirror_requests)
    return sum(len(by_function) for by_function in mirror.values()), failures


def _needless_requests(scenario: str, truth: Answers, requests: dict[tuple[Item, str], int]) -> list[str]:
    """After a full sync the mirror answers alone; only an unwatched show's seasons are fetched on first ask."""
    failures = []
    for (item, function), count in requests.items():
        if count and (function != "get_show_progress" or truth[item]["is_watched"]):
            failures.append(f"scenario {scenario}, {item[0]} {item[1]}, {function}(): {count} Trakt request(s) "
                            "although the mirror is fully synced")  # fmt: skip
    return failures


def _fully_synced(world: World) -> bool:
    """Whether every area and every watched show's metadata is in the mirror (then no call is needed)."""
    database = Database(world.db_path)
    try:
        pending = SyncEngine(database, world.client(), world.sim.clock.now).shows_needing_metadata()
        return not pending and queries.areas_synced(database, MIRROR_AREAS)
    finally:
        database.close()


def scenario_yaml(scenario: dict) -> str:
    """A scenario dict as a scenario file (so a failing case can become a regression cassette)."""
    return yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True, default_flow_style=None)


NOW = "2026-11-01T12:00:00Z"


def make_show(trakt_id: int, imdb: str | None, seasons: dict[int, list[str | None]]) -> dict:
    """A scenario show: {season number: [air date of episode 1, 2, ...]} (None = unknown air date)."""
    return {
        "title": f"Show {trakt_id}",
        "year": 2020,
        "ids": {"trakt": trakt_id, "imdb": imdb, "tmdb": 1000 + trakt_id, "tvdb": 2000 + trakt_id},
        "seasons": [
            {"number": number, "ids": {"trakt": trakt_id * 100 + number},
             "episodes": [{"number": index + 1, "title": f"S{number}E{index + 1}", "first_aired": aired,
                           "ids": {"trakt": trakt_id * 10000 + number * 100 + index + 1}}
                          for index, aired in enumerate(dates)]}
            for number, dates in seasons.items()
        ],
    }  # fmt: skip


def make_scenario(shows: list[dict], **extra: Any) -> dict:
    """A minimal scenario around `shows` at NOW; `extra` adds movies, history, resets, hidden, watchlist."""
    scenario = {"now": NOW, "user": {"username": "contracts", "access_token": STAND_IN_TOKEN}, "shows": shows}
    scenario.update(extra)
    return scenario


def plays(show: str | int, season: int, *episodes_at: tuple[int, str]) -> list[dict]:
    """History entries: (episode number, watched_at) of one season of one show."""
    return [{"show": show, "season": season, "episode": n, "watched_at": at} for n, at in episodes_at]
