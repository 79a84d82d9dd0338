"""Benchmarks: the public API answering from the mirror (items 1-3) and from Trakt through the simulator (item 4).

Mirror and API variants of the same question share a `group`, so `python -m perf.report` prints
their ratio from one run's JSON. Each mirror benchmark also records its limit (the same read
with bare sqlite3, timed side by side: `perf/limits.py`) and the ratio; `test_limits.py` checks it.
"""

from __future__ import annotations

import itertools

import pytest

from perf.conftest import guard, record_limit
from perf.support import (
    SHOW_60,
    SHOW_1000,
    SYNC_INTERVAL,
    catalog_pages,
    trakt,
    watched_movie,
    watchlisted_movie,
)

API_ROUNDS = 3  # every API round reads whole lists from the simulator over HTTP: seconds, not µs


def _page_overlays(page: list[tuple[str, str]]) -> tuple[dict, dict]:
    """What a catalog route asks for one page: watched and watchlist status of every item, two batch calls."""
    return trakt.watched_many(page), trakt.watchlist_many(page)


def _fresh_plugin_call(world, server):
    """Configure the API as a fresh plugin process does (new connection on first use), then read a page."""
    pages = itertools.cycle(catalog_pages(world.scenario, pages=10))

    def call():
        trakt.configure(db_path=world.db_path, client_factory=lambda: None, clock=world.sim.clock.now)
        return _page_overlays(next(pages))

    return call


# --- the mirror -----------------------------------------------------------------------------


@pytest.mark.benchmark(group="is_watched")
def test_is_watched_warm_mirror(benchmark, world, mirror_api, limits):
    imdb = watched_movie(world.scenario)
    trakt.is_watched("movie", imdb)  # warm: the connection is open
    assert benchmark(trakt.is_watched, "movie", imdb) is True
    guard(benchmark, 20e-6)
    record_limit(benchmark, limits.get("is_watched"))


@pytest.mark.benchmark(group="is_in_watchlist")
def test_is_in_watchlist_warm_mirror(benchmark, world, mirror_api, limits):
    imdb = watchlisted_movie(world.scenario)
    trakt.is_in_watchlist("movie", imdb)
    assert benchmark(trakt.is_in_watchlist, "movie", imdb) is True
    guard(benchmark, 20e-6)
    record_limit(benchmark, limits.get("is_in_watchlist"))


@pytest.mark.benchmark(group="catalog_page")
def test_catalog_page_cold_mirror(benchmark, world, server, limits):
    try:
        watched, listed = benchmark(_fresh_plugin_call(world, server))
    finally:
        trakt.reset()
    assert len(watched) == len(listed) == 100
    guard(benchmark, 2e-3)
    record_limit(benchmark, limits.get("catalog_page"))


@pytest.mark.benchmark(group="progress_60")
def test_show_progress_60_episodes_mirror(benchmark, mirror_api, limits):
    trakt.get_show_progress(SHOW_60["imdb"])
    progress = benchmark(trakt.get_show_progress, SHOW_60["imdb"])
    assert progress["aired"] == 60 and progress["completed"] == 40
    guard(benchmark, 0.3e-3)
    record_limit(benchmark, limits.get("progress_60"))


@pytest.mark.benchmark(group="progress_1000")
def test_show_progress_1000_episodes_mirror(benchmark, mirror_api, limits):
    trakt.get_show_progress(SHOW_1000["imdb"])
    progress = benchmark(trakt.get_show_progress, SHOW_1000["imdb"])
    assert progress["aired"] == 1000 and progress["completed"] == 666
    guard(benchmark, 3e-3)
    record_limit(benchmark, limits.get("progress_1000"))


# --- the API fallback (no mirror), real HTTP to the simulator ---------------------------------


def _api(benchmark, world, function, *args):
    """Few rounds; the virtual clock moves one window between rounds so Trakt's rate limit never bites."""

    def next_window():
        world.sim.clock.advance(SYNC_INTERVAL + 1)
        return args, {}

    return benchmark.pedantic(function, rounds=API_ROUNDS, iterations=1, warmup_rounds=0, setup=next_window)


@pytest.mark.benchmark(group="is_watched")
def test_is_watched_api(benchmark, world, api_only):
    assert _api(benchmark, world, trakt.is_watched, "movie", watched_movie(world.scenario)) is True


@pytest.mark.benchmark(group="is_in_watchlist")
def test_is_in_watchlist_api(benchmark, world, api_only):
    assert _api(benchmark, world, trakt.is_in_watchlist, "movie", watchlisted_movie(world.scenario)) is True


@pytest.mark.benchmark(group="catalog_page")
def test_catalog_page_api(benchmark, world, api_only):
    watched, listed = _api(benchmark, world, _page_overlays, catalog_pages(world.scenario, pages=1)[0])
    assert len(watched) == len(listed) == 100


@pytest.mark.benchmark(group="progress_60")
def test_show_progress_60_episodes_api(benchmark, world, api_only):
    assert _api(benchmark, world, trakt.get_show_progress, SHOW_60["imdb"])["completed"] == 40


@pytest.mark.benchmark(group="progress_1000")
def test_show_progress_1000_episodes_api(benchmark, world, api_only):
    assert _api(benchmark, world, trakt.get_show_progress, SHOW_1000["imdb"])["completed"] == 666
