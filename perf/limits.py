"""The limits the lookups are measured against: the same reads with bare `sqlite3` on the same mirror file.

A "limit" is what the answer costs with nothing of the add-on around it: a plain `sqlite3.connect`
to the same file, the indexed statement a person would write by hand for that one question
(written out here, not imported from the add-on), the rows fetched and nothing built from them.
`pair` times the add-on's call and the bare read alternately in the same process, so a busy
machine slows both alike and their ratio survives it; the benchmarks report that ratio
(`extra_info`) and `perf/test_limits.py` checks it against the targets of issue 18.
"""

from __future__ import annotations

import itertools
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from perf.support import SHOW_60, SHOW_1000, PerfWorld, catalog_pages, trakt, watched_movie, watchlisted_movie

# Point reads: the imdb index finds the title, the watched/watchlist key says yes or no.
WATCHED_MOVIE = (
    "SELECT 1 FROM movies m JOIN watched_movies w ON w.movie_trakt_id = m.trakt_id "
    "WHERE m.imdb_id = ? AND w.plays > 0 LIMIT 1"
)
WATCHLISTED_MOVIE = (
    "SELECT 1 FROM movies m CROSS JOIN watchlist w ON w.media_type = 'movie' AND w.trakt_id = m.trakt_id "
    "WHERE m.imdb_id = ? LIMIT 1"
)
# A catalog page: one IN query per (status, type). CROSS JOIN keeps the imdb index first, the
# fastest order for a page (the planner's own choice walks the whole watchlist).
PAGE_QUERIES = (
    ("movie", "SELECT m.imdb_id FROM movies m JOIN watched_movies w ON w.movie_trakt_id = m.trakt_id "
              "WHERE m.imdb_id IN ({marks}) AND w.plays > 0"),
    ("show", "SELECT s.imdb_id FROM shows s JOIN watched_shows w ON w.show_trakt_id = s.trakt_id "
             "WHERE s.imdb_id IN ({marks}) AND w.plays > 0"),
    ("movie", "SELECT m.imdb_id FROM movies m CROSS JOIN watchlist w "
              "ON w.media_type = 'movie' AND w.trakt_id = m.trakt_id WHERE m.imdb_id IN ({marks})"),
    ("show", "SELECT s.imdb_id FROM shows s CROSS JOIN watchlist w "
             "ON w.media_type = 'show' AND w.trakt_id = s.trakt_id WHERE s.imdb_id IN ({marks})"),
)  # fmt: skip
# Progress: the rows the answer is made of (the show's id, its resets, seasons, episodes, plays
# and hidden seasons), fetched and left as tuples.
PROGRESS_QUERIES = (
    "SELECT reset_at FROM watched_shows WHERE show_trakt_id = ? "
    "UNION ALL SELECT reset_at FROM show_resets WHERE show_trakt_id = ?",
    "SELECT number, trakt_id, tvdb_id, tmdb_id, title FROM seasons WHERE show_trakt_id = ?",
    "SELECT season, number, title, trakt_id, tvdb_id, imdb_id, tmdb_id, first_aired FROM episodes "
    "WHERE show_trakt_id = ? ORDER BY season, number",
    "SELECT season, number, plays, last_watched_at FROM watched_episodes WHERE show_trakt_id = ?",
    "SELECT number, trakt_id, tvdb_id, tmdb_id FROM hidden_seasons WHERE show_trakt_id = ?",
)


class BareMirror:
    """A plain `sqlite3` connection to the mirror file (library defaults) and the hand-written reads."""

    def __init__(self, path: str):
        self.conn = sqlite3.connect(path)

    def is_watched_movie(self, imdb_id: str) -> bool:
        return self.conn.execute(WATCHED_MOVIE, (imdb_id,)).fetchone() is not None

    def is_watchlisted_movie(self, imdb_id: str) -> bool:
        return self.conn.execute(WATCHLISTED_MOVIE, (imdb_id,)).fetchone() is not None

    def progress_rows(self, imdb_id: str) -> list[list[tuple]]:
        """The rows of one show's progress, fetched as they come (empty when the show is unknown)."""
        row = self.conn.execute(
            "SELECT trakt_id FROM shows WHERE imdb_id = ? ORDER BY trakt_id LIMIT 1", (imdb_id,)
        ).fetchone()
        if row is None:
            return []
        show = row[0]
        return [self.conn.execute(sql, (show,) * sql.count("?")).fetchall() for sql in PROGRESS_QUERIES]

    def close(self) -> None:
        self.conn.close()


def bare_page(path: str, page: list[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """A cold catalog page done bare: connect, the four IN queries, close; (watched, watchlisted) ids."""
    ids = {"movie": [imdb for kind, imdb in page if kind == "movie"],
           "show": [imdb for kind, imdb in page if kind != "movie"]}  # fmt: skip
    found: list[set[str]] = []
    conn = sqlite3.connect(path)
    try:
        for kind, sql in PAGE_QUERIES:
            wanted = ids[kind]
            rows = conn.execute(sql.format(marks=", ".join("?" * len(wanted))), wanted).fetchall()
            found.append({imdb for (imdb,) in rows})
    finally:
        conn.close()
    return found[0] | found[1], found[2] | found[3]


@dataclass(frozen=True)
class Pair:
    """One side-by-side measurement: medians per call (seconds) and the median of the per-round ratios."""

    question: str
    limit_what: str
    project_s: float
    bare_s: float
    ratio: float
    target: float
    rounds: int
    iterations: int

    def extra_info(self) -> dict[str, Any]:
        """What a benchmark records next to its own timings (perf/report.py prints it)."""
        return {"limit_s": self.bare_s, "limit_what": self.limit_what, "paired_project_s": self.project_s,
                "ratio": round(self.ratio, 3), "ratio_target": self.target, "paired_rounds": self.rounds}  # fmt: skip

    def describe(self) -> str:
        return (
            f"{self.question}: {self.project_s * 1e6:.1f} µs vs {self.bare_s * 1e6:.1f} µs bare "
            f"({self.limit_what}) = {self.ratio:.2f}x, target ≤ {self.target}x "
            f"({self.rounds} paired rounds of {self.iterations})"
        )


def pair(
    question: str,
    limit_what: str,
    project: Callable[[], Any],
    bare: Callable[[], Any],
    target: float,
    rounds: int,
    iterations: int = 1,
    warmup: int = 3,
    timer: Callable[[], float] = time.perf_counter,
) -> Pair:
    """Time `iterations` calls of each side per round, alternating which goes first, for `rounds` rounds."""
    for _ in range(warmup):
        project(), bare()
    project_times: list[float] = []
    bare_times: list[float] = []
    ratios: list[float] = []
    loop = range(iterations)
    for index in range(rounds):
        sides = (project, bare) if index % 2 == 0 else (bare, project)
        spent = {}
        for side in sides:
            started = timer()
            for _ in loop:
                side()
            spent[side] = (timer() - started) / iterations
        project_times.append(spent[project])
        bare_times.append(spent[bare])
        ratios.append(spent[project] / spent[bare])
    return Pair(question, limit_what, statistics.median(project_times), statistics.median(bare_times),
                statistics.median(ratios), target, rounds, iterations)  # fmt: skip


# Issue 18's targets: the add-on's median over the bare read's, measured side by side.
TARGETS = {
    "is_watched": 2.0,
    "is_in_watchlist": 2.0,
    "catalog_page": 1.5,
    "progress_60": 2.0,
    "progress_1000": 2.0,
}


class LimitBook:
    """The side-by-side measurement of each lookup on the session's mirror, made once on first request.

    Each measurement configures the public API on the mirror itself (a fallback could only reach
    nothing: no client) and resets it afterwards, so ask after a test's own use of the API."""

    def __init__(self, world: PerfWorld):
        self.world = world
        self._measured: dict[str, Pair] = {}

    def get(self, question: str) -> Pair:
        if question not in self._measured:
            self._measured[question] = getattr(self, "_" + question)()
        return self._measured[question]

    def remeasure(self, question: str) -> Pair:
        """Measure `question` again (the new figures replace the old)."""
        self._measured.pop(question, None)
        return self.get(question)

    def _configured(self) -> None:
        trakt.configure(
            db_path=self.world.db_path, client_factory=lambda: None, clock=self.world.sim.clock.now
        )

    def _warm(self, question: str, call: Callable[[str, str], bool], bare_read: str, imdb: str) -> Pair:
        bare = BareMirror(self.world.db_path)
        self._configured()
        try:
            read = getattr(bare, bare_read)
            assert call("movie", imdb) is True and read(imdb) is True  # both answer, and answer alike
            return pair(question, "one indexed SELECT on an open sqlite3 connection",
                        lambda: call("movie", imdb), lambda: read(imdb), TARGETS[question], rounds=200, iterations=50)  # fmt: skip
        finally:
            trakt.reset()
            bare.close()

    def _is_watched(self) -> Pair:
        return self._warm(
            "is_watched", trakt.is_watched, "is_watched_movie", watched_movie(self.world.scenario)
        )

    def _is_in_watchlist(self) -> Pair:
        imdb = watchlisted_movie(self.world.scenario)
        return self._warm("is_in_watchlist", trakt.is_in_watchlist, "is_watchlisted_movie", imdb)

    def _catalog_page(self) -> Pair:
        pages = catalog_pages(self.world.scenario, pages=10)
        project_pages, bare_pages = itertools.cycle(pages), itertools.cycle(pages)
        path = self.world.db_path

        def project() -> tuple[dict, dict]:  # a fresh plugin process: configure, two batch calls, close
            page = next(project_pages)
            self._configured()
            try:
                return trakt.watched_many(page), trakt.watchlist_many(page)
            finally:
                trakt.reset()

        def bare() -> tuple[set[str], set[str]]:
            return bare_page(path, next(bare_pages))

        for _ in pages:  # the bare queries answer exactly what the add-on answers, page by page
            watched, listed = project()
            bare_watched, bare_listed = bare()
            assert {imdb for (_, imdb), yes in watched.items() if yes} == bare_watched
            assert {imdb for (_, imdb), yes in listed.items() if yes} == bare_listed
        return pair("catalog_page", "connect, four IN queries, close", project, bare, TARGETS["catalog_page"],
                    rounds=150)  # fmt: skip

    def _progress(self, question: str, spec: dict, rounds: int, iterations: int) -> Pair:
        bare = BareMirror(self.world.db_path)
        self._configured()
        imdb = spec["imdb"]
        try:
            episodes = spec["seasons"] * spec["episodes_per_season"]
            assert trakt.get_show_progress(imdb)["aired"] == episodes == len(bare.progress_rows(imdb)[2])
            return pair(question, "the same rows, six SELECTs on an open sqlite3 connection",
                        lambda: trakt.get_show_progress(imdb), lambda: bare.progress_rows(imdb), TARGETS[question],
                        rounds=rounds, iterations=iterations)  # fmt: skip
        finally:
            trakt.reset()
            bare.close()

    def _progress_60(self) -> Pair:
        return self._progress("progress_60", SHOW_60, rounds=150, iterations=10)

    def _progress_1000(self) -> Pair:
        return self._progress("progress_1000", SHOW_1000, rounds=60, iterations=1)
