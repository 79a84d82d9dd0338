"""The perf world: the large generated library, its simulator, a mirror synced from it, and Trakt clients.

The library is `large_library_scenario()` (5,000 shows, 200,000 episodes, 20,000 movies, 1,000
watchlist items) plus what the benchmarks need and the generator lacks: movie plays, shows on the
watchlist, and two shows of known size for `get_show_progress` (60 and 1,000 episodes).
`PERF_SCALE` (default 1) shrinks the generated part for quick local runs.
"""

from __future__ import annotations

import math
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDON_LIB = ROOT / "reference_addon" / "plugin.video.aiostreams" / "resources" / "lib"
if str(ADDON_LIB) not in sys.path:
    sys.path.insert(0, str(ADDON_LIB))

import trakt  # noqa: E402, F401  (the public API under measurement, re-exported for the tests)
from aiostreams.sync import SyncEngine  # noqa: E402
from aiostreams.tokens import MemoryTokenStore, Tokens  # noqa: E402
from aiostreams.trakt_client import PAGE_LIMIT, GetBudget, TraktClient  # noqa: E402
from aiostreams.watched_delta import MAP_LIMIT  # noqa: E402, F401  (re-exported for the tests)
from database.connection import Database  # noqa: E402
from trakt_cassettes.cassettes.catalog import large_library_scenario  # noqa: E402
from trakt_cassettes.sim import Simulator  # noqa: E402

BASE_URL = "https://api.trakt.tv"
CLIENT_ID = "perf-client-id"
SYNC_INTERVAL = 300.0  # the add-on's default sync_interval setting: 5 minutes
SHOW_60 = {"trakt": 900_001, "imdb": "tt9000001", "seasons": 3, "episodes_per_season": 20}
SHOW_1000 = {"trakt": 900_002, "imdb": "tt9000002", "seasons": 20, "episodes_per_season": 50}
STATUS_AREAS = ("watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows")
# Each public status and the areas it reads (trakt.py answers it from the mirror once they are synced).
STATUS_QUESTIONS = {
    "is_in_watchlist (movies and shows)": ("watchlist_movies", "watchlist_shows"),
    "is_watched (movies)": ("watched_movies",),
    "is_watched (shows)": ("watched_shows",),
}


def perf_scale() -> float:
    """The library size factor from `PERF_SCALE` (1 = the full large library)."""
    return float(os.environ.get("PERF_SCALE", "1"))


def watched_movie(scenario: dict) -> str:
    """The imdb id of a movie with a play."""
    return next(h["movie"] for h in scenario["history"] if "movie" in h)


def watchlisted_movie(scenario: dict) -> str:
    """The imdb id of a movie on the watchlist."""
    return next(w["movie"] for w in scenario["watchlist"] if "movie" in w)


def _progress_show(spec: dict, title: str) -> dict:
    seasons = [
        {
            "number": s,
            "episodes": spec["episodes_per_season"],
            "first_aired": f"20{s + 3:02d}-01-05T20:00:00Z",
        }
        for s in range(1, spec["seasons"] + 1)
    ]
    return {
        "title": title,
        "year": 2004,
        "ids": {"trakt": spec["trakt"], "imdb": spec["imdb"]},
        "seasons": seasons,
    }


def _progress_plays(spec: dict) -> list[dict]:
    """About two thirds of the show watched, in order: a realistic next_episode in the middle."""
    total = spec["seasons"] * spec["episodes_per_season"]
    plays = []
    for index in range(total * 2 // 3):
        season, episode = divmod(index, spec["episodes_per_season"])
        plays.append({"show": spec["imdb"], "season": season + 1, "episode": episode + 1,
                      "watched_at": "2026-06-02T20:00:00Z"})  # fmt: skip
    return plays


def perf_scenario(scale: float | None = None, seed: int = 42) -> dict:
    """The generated large library (scaled) plus movie plays, watchlisted shows and the two progress shows."""
    scale = perf_scale() if scale is None else scale
    shows, movies = max(10, int(5000 * scale)), max(40, int(20000 * scale))
    scenario = large_library_scenario(
        seed=seed, shows=shows, movies=movies, watchlist=max(4, int(1000 * scale))
    )
    rng = random.Random(seed + 1)
    for n in rng.sample(range(1, movies + 1), movies // 20):  # 5 % of the movies watched
        scenario["history"].append({"movie": f"tt2{n:07d}", "watched_at": "2026-07-01T20:00:00Z"})
    for n in rng.sample(range(1, shows + 1), max(2, shows // 25)):  # 4 % of the shows on the watchlist
        scenario["watchlist"].append({"show": f"tt1{n:07d}", "listed_at": "2026-05-02T00:00:00Z"})
    for spec, title in ((SHOW_60, "Sixty Episodes"), (SHOW_1000, "Thousand Episodes")):
        scenario["shows"].append(_progress_show(spec, title))
        scenario["history"].extend(_progress_plays(spec))
    return scenario


def catalog_pages(scenario: dict, pages: int, size: int = 100, seed: int = 7) -> list[list[tuple[str, str]]]:
    """Catalog pages of mixed (media_type, imdb_id) items as AIOStreams would list them: 70 % movies."""
    rng = random.Random(seed)
    movies = [("movie", m["ids"]["imdb"]) for m in scenario["movies"]]
    shows = [("series", s["ids"]["imdb"]) for s in scenario["shows"]]
    result = []
    for _ in range(pages):
        page = rng.sample(movies, size * 7 // 10) + rng.sample(shows, size - size * 7 // 10)
        rng.shuffle(page)
        result.append(page)
    return result


def status_pages_needed(scenario: dict) -> dict[str, int]:
    """The fewest list requests each status area can take at Trakt's 250-item page clamp."""
    watched_movies = {h["movie"] for h in scenario["history"] if "movie" in h}
    watched_shows = {h["show"] for h in scenario["history"] if "show" in h}
    listed_movies = [w for w in scenario["watchlist"] if "movie" in w]
    listed_shows = [w for w in scenario["watchlist"] if "show" in w]
    sizes = {"watched_movies": len(watched_movies), "watched_shows": len(watched_shows),
             "watchlist_movies": len(listed_movies), "watchlist_shows": len(listed_shows)}  # fmt: skip
    return {area: max(1, math.ceil(size / PAGE_LIMIT)) for area, size in sizes.items()}


def make_client(
    sim: Simulator,
    base_url: str = BASE_URL,
    sleep: Callable[[float], object] | None = None,
    paced: bool = True,
) -> TraktClient:
    """A TraktClient on the simulator's virtual clock (waits advance it) with the scenario's token.

    `paced=False` drops the client's own GET budget, as add-ons before 2.8 had none."""
    user = sim.scenario.user
    store = MemoryTokenStore(Tokens(user["access_token"], "perf-refresh", sim.clock.now() + 30 * 86400))
    budget = None if paced else GetBudget(limit=10**9)
    return TraktClient(base_url, CLIENT_ID, "perf-client-secret", store, sim.clock.now,
                       sleep or sim.clock.advance, lambda: False, rng=random.Random(1), get_budget=budget)  # fmt: skip


class SimulatorTimer:
    """Adds up the wall time spent inside one simulator's `handle` (server side), to tell it from the add-on's."""

    def __init__(self, sim: Simulator):
        self.seconds = 0.0
        inner = sim.handle

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        sim.handle = timed  # an instance attribute: the server and intercept both call sim.handle


class MarkingSyncEngine(SyncEngine):
    """A SyncEngine that notes, per synced area: wall seconds, requests and seconds spent in the simulator."""

    def __init__(self, *args, timer: SimulatorTimer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.timer = timer
        self.started = time.perf_counter()
        self.sim_seconds_at_start = timer.seconds if timer else 0.0
        self.requests_at_start = self.client.requests_made
        self.marks: dict[str, tuple[float, int, float]] = {}

    def _sync_area(self, area, remote, report, **options):  # noqa: ANN001 - the base class's signature
        parsed = super()._sync_area(area, remote, report, **options)
        if parsed is not None:
            elapsed = time.perf_counter() - self.started
            in_sim = (self.timer.seconds if self.timer else 0.0) - self.sim_seconds_at_start
            self.marks[area.name] = (elapsed, self.client.requests_made - self.requests_at_start, in_sim)
        return parsed

    def usable_at(self, areas: tuple[str, ...] = STATUS_AREAS) -> tuple[float, int, float]:
        """(seconds, requests, seconds inside the simulator) until every named area was committed."""
        missing = [area for area in areas if area not in self.marks]
        if missing:
            raise AssertionError(f"areas never synced: {missing}")
        return max((self.marks[a] for a in areas), key=lambda mark: mark[1])


@dataclass
class BackfillRun:
    """One scheduled sync of the backfill: when it ran (virtual) and what it cost."""

    epoch: float
    requests: int
    metadata_pending: int
    failed: dict[str, str] = field(default_factory=dict)


@dataclass
class PerfWorld:
    """The session's simulator, its scenario and the mirror fully synced from it (metadata included)."""

    scenario: dict
    sim: Simulator
    db_path: str
    first_sync_usable: tuple[float, int, float]  # wall seconds, requests, of which seconds in the simulator
    usable_by_question: dict[str, tuple[float, int, float]]  # the same, per STATUS_QUESTIONS entry
    backfill: list[BackfillRun]
    build_seconds: dict[str, float]
    backfill_log: list[dict]  # the simulator's request log of the first sync and the backfill


def build_world(tmp_dir: Path, scale: float | None = None) -> PerfWorld:
    """Generate the library, start its simulator, and sync a mirror the way the service would.

    The first run is the first sync (its marks give time and requests until status is usable);
    later runs follow every SYNC_INTERVAL of virtual time until no show metadata is pending.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    scenario = perf_scenario(scale)
    timings["scenario"] = time.perf_counter() - start
    start = time.perf_counter()
    sim = Simulator(scenario)
    timings["simulator"] = time.perf_counter() - start
    db_path = str(tmp_dir / "trakt_sync.db")
    db = Database(db_path)
    runs: list[BackfillRun] = []
    start = time.perf_counter()
    try:
        with sim.serve() as server:  # the first sync over real HTTP: its timing is the user's wait
            engine = MarkingSyncEngine(
                db, make_client(sim, server.url), sim.clock.now, timer=SimulatorTimer(sim)
            )
            report = engine.run()
            usable = engine.usable_at()
            by_question = {question: engine.usable_at(areas) for question, areas in STATUS_QUESTIONS.items()}
            runs.append(BackfillRun(sim.clock.now(), report.requests, report.metadata_pending, report.failed))
        with sim.intercept(base_url=BASE_URL):
            client = make_client(sim)
            while report.metadata_pending and len(runs) < 1000:
                sim.clock.advance(SYNC_INTERVAL)
                report = SyncEngine(db, client, sim.clock.now).run()
                runs.append(
                    BackfillRun(sim.clock.now(), report.requests, report.metadata_pending, report.failed)
                )
    finally:
        db.close()
    timings["sync_and_backfill"] = time.perf_counter() - start
    return PerfWorld(scenario, sim, db_path, usable, by_question, runs, timings, list(sim.request_log))


def copy_database(source: str, target: str) -> str:
    """A consistent copy of a mirror (SQLite's backup API, safe with WAL)."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target
