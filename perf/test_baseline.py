"""Baseline (issue 6 item 8): the same catalog browsing the pre-2.8 way, one Trakt request per status check.

Pre-2.8 checked each item against Trakt: watched through `/sync/history/{type}/{trakt id}?limit=1`,
watchlist through `/sync/watchlist/{type}` (one request, unpaged as before 2026). Two requests per
item, 200 per page of 100, against the same simulator over real HTTP.
"""

from __future__ import annotations

import time

import pytest

from perf.support import SYNC_INTERVAL, catalog_pages, make_client

PLURAL = {"movie": "movies", "series": "shows", "show": "shows"}


def _trakt_id(imdb: str) -> int:
    """The generator's ids: tt1NNNNNNN shows and tt2NNNNNNN movies carry trakt id N; tt9... are the extras."""
    return int(imdb[3:]) if not imdb.startswith("tt9") else 900_000 + int(imdb[3:])


def page_the_old_way(client, page: list[tuple[str, str]]) -> tuple[dict, dict]:
    """Watched and watchlist status of one page, one request per check."""
    watched, listed = {}, {}
    for media_type, imdb in page:
        plural = PLURAL[media_type]
        watched[(media_type, imdb)] = bool(
            client.get(f"/sync/history/{plural}/{_trakt_id(imdb)}", {"limit": 1})
        )
        rows = client.get(f"/sync/watchlist/{plural}")
        kind = "movie" if plural == "movies" else "show"
        listed[(media_type, imdb)] = any(row.get(kind, {}).get("ids", {}).get("imdb") == imdb for row in rows)
    return watched, listed


@pytest.mark.benchmark(group="catalog_page")
def test_catalog_page_pre_2_8_baseline(benchmark, world, server, fresh_window):
    client = make_client(world.sim, server.url, paced=False)
    page = catalog_pages(world.scenario, pages=1)[0]

    pages_read = 0

    def next_window():
        nonlocal pages_read
        pages_read += 1  # one setup per page read: 3 rounds timed, or 1 call with --benchmark-disable
        world.sim.clock.advance(SYNC_INTERVAL + 1)
        return (client, page), {}

    before = client.requests_made
    watched, listed = benchmark.pedantic(page_the_old_way, setup=next_window, rounds=3, iterations=1)
    assert pages_read == (1 if benchmark.disabled else 3)
    assert client.requests_made - before == pages_read * 200  # two requests per item, every page read
    benchmark.extra_info["requests_per_page"] = 200
    assert len(watched) == len(listed) == 100


def test_ten_pages_the_pre_2_8_way_hit_the_rate_limit(world, server, fresh_window, figures):
    client = make_client(world.sim, server.url, paced=False)
    log_before, virtual_before, started = (
        len(world.sim.request_log),
        world.sim.clock.now(),
        time.perf_counter(),
    )
    for page in catalog_pages(world.scenario, pages=10):
        page_the_old_way(client, page)
    wall = time.perf_counter() - started
    log = world.sim.request_log[log_before:]
    answered = sum(1 for entry in log if entry["status"] == 200)
    limited = sum(1 for entry in log if entry["status"] == 429)
    assert answered == 2000 and limited >= 1  # 2,000 checks cannot fit one 500-request window
    figures["baseline_10_pages"] = {"requests": len(log), "status_429": limited, "wall_seconds": round(wall, 3),
                                    "virtual_seconds": world.sim.clock.now() - virtual_before}  # fmt: skip
