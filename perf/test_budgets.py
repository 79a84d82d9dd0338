"""Exact API-call budgets (issue 6 items 5 and 6): deterministic, so asserted as tests, and recorded in figures.json."""

from __future__ import annotations

import bisect
import json
import math
import time

from perf.support import (
    BASE_URL,
    MAP_LIMIT,
    SHOW_60,
    SYNC_INTERVAL,
    Database,
    Simulator,
    SimulatorTimer,
    SyncEngine,
    catalog_pages,
    copy_database,
    make_client,
    status_pages_needed,
    trakt,
)

RATE_LIMIT = 500  # Trakt: authenticated GETs per 5-minute window (2026-09; the simulator's default too)
RATE_WINDOW = 300.0


def _browse(pages: list[list[tuple[str, str]]]) -> int:
    """Every overlay of every page: watched + watchlist in two batch calls, progress of each watched show."""
    progress_calls = 0
    for page in pages:
        watched = trakt.watched_many(page)
        trakt.watchlist_many(page)
        for (media_type, imdb), seen in watched.items():
            if media_type == "series" and seen:  # a show's playcount needs its progress
                assert trakt.get_show_progress(imdb) is not None
                progress_calls += 1
    return progress_calls


def _sync_copy(world, tmp_path, sim: Simulator):
    """One sync of a copy of the session's mirror against `sim` (in-process)."""
    db = Database(copy_database(world.db_path, str(tmp_path / "copy.db")))
    try:
        with sim.intercept(base_url=BASE_URL):
            return SyncEngine(db, make_client(sim), sim.clock.now).run()
    finally:
        db.close()


def test_browsing_ten_catalog_pages_makes_zero_trakt_requests(world, mirror_api, figures):
    before = len(world.sim.request_log)
    progress_calls = _browse(catalog_pages(world.scenario, pages=10))
    assert progress_calls > 0  # the show overlays really ran
    assert world.sim.request_log[before:] == []
    figures["browse_10_pages"] = {"requests": 0, "progress_calls": progress_calls}


def test_no_change_sync_makes_exactly_one_request(world, fresh_window, tmp_path, figures):
    report = _sync_copy(world, tmp_path, world.sim)
    assert (report.requests, report.synced, report.failed) == (1, [], {})
    figures["no_change_sync_requests"] = report.requests


def test_a_day_later_a_no_change_sync_re_reads_only_shows_that_may_change(world, tmp_path, figures):
    sim = Simulator(world.scenario)  # its own clock: a day and a month later, nothing changed on Trakt
    now_db = Database(copy_database(world.db_path, str(tmp_path / "later.db")))
    # the same sync under the old policy: every show re-read once its seasons are 24 h old
    old_db = Database(copy_database(world.db_path, str(tmp_path / "old_policy.db")))
    try:
        engine = SyncEngine(now_db, make_client(sim), sim.clock.now)
        old_engine = SyncEngine(old_db, make_client(sim), sim.clock.now, dormant_max_age=86400.0)
        sim.clock.advance(25 * 3600)
        with sim.intercept(base_url=BASE_URL):
            active, old_due = len(engine.shows_needing_metadata()), len(old_engine.shows_needing_metadata())
            report, old_report = engine.run(), old_engine.run()
        assert report.ok and report.synced == []
        assert report.requests == 1 + min(active, engine.metadata_budget)
        assert old_report.requests == 1 + min(old_due, old_engine.metadata_budget)
        sim.clock.advance(30 * 86400)
        with sim.intercept(base_url=BASE_URL):
            due_monthly = len(engine.shows_needing_metadata())
    finally:
        now_db.close()
        old_db.close()
    watched_shows = len({h["show"] for h in world.scenario["history"] if "show" in h})
    assert due_monthly >= watched_shows - active  # the dormant ones come due after a month
    figures["day_later_sync"] = {
        "requests": report.requests,
        "shows_re_read_daily": active,
        "shows_due_after_30_days": due_monthly,
        "watched_shows": watched_shows,
        "old_policy_due": old_due,
        "old_policy_requests": old_report.requests,
    }


def _one_new_play(world, tmp_path, figures) -> int:
    sim = Simulator(world.scenario)  # its own simulator: the session's stays unchanged for the others
    with sim.intercept(base_url=BASE_URL):
        sim.clock.advance(60)
        body = {
            "shows": [
                {"ids": {"trakt": SHOW_60["trakt"]}, "seasons": [{"number": 3, "episodes": [{"number": 1}]}]}
            ]
        }
        assert make_client(sim).post("/sync/history", body)["added"]["episodes"] == 1
    sim.clock.advance(60)
    timer = SimulatorTimer(sim)
    started = time.perf_counter()
    report = _sync_copy(world, tmp_path, sim)
    seconds, in_simulator = time.perf_counter() - started, timer.seconds
    assert report.ok, report.failed
    with sim.intercept(base_url=BASE_URL):  # the size of the one big answer, read again for the figures
        min_map = make_client(sim).get_map(
            "/sync/watched/shows", {"extended": "min", "specials": "true"}, limit=MAP_LIMIT["show"]
        )
    map_pages = math.ceil(len(min_map) / MAP_LIMIT["show"])
    assert report.requests == 1 + map_pages  # last_activities, then every page of the shows' map
    figures["one_new_play"] = {
        "requests": report.requests,
        "map_pages": map_pages,
        "synced": report.synced,
        "target_max": 3,
        "seconds": round(seconds, 3),
        "seconds_in_simulator": round(in_simulator, 3),
        "min_map_kb": round(len(json.dumps(min_map, separators=(",", ":"))) / 1024),
        "min_map_plays": sum(
            len(times) for seasons in min_map.values() for eps in seasons.values() for times in eps.values()
        ),
    }
    return report.requests


def test_one_new_play_costs_last_activities_and_the_pages_of_the_shows_map(world, tmp_path, figures):
    # last_activities + every page of the extended=min map of the watched shows, diffed against the mirror
    assert _one_new_play(world, tmp_path, figures) >= 2


def test_status_is_usable_after_the_fewest_possible_requests(world, figures):
    seconds, requests, in_simulator = world.first_sync_usable
    pages = status_pages_needed(world.scenario)
    # last_activities, then every page of the four status lists and nothing else before them
    assert requests == 1 + sum(pages.values())
    # Cheapest lists first: each status is usable once its own lists (and the cheaper ones) are in.
    by_question = {question: mark[1] for question, mark in world.usable_by_question.items()}
    watchlist = 1 + pages["watchlist_movies"] + pages["watchlist_shows"]
    assert by_question == {
        "is_in_watchlist (movies and shows)": watchlist,
        "is_watched (movies)": watchlist + pages["watched_movies"],
        "is_watched (shows)": requests,
    }
    figures["status_usable"] = {
        "requests": requests,
        "seconds": round(seconds, 3),
        "pages": pages,
        "target_max": 10,
        "seconds_in_simulator": round(in_simulator, 3),
        "by_question": {
            question: {"requests": mark[1], "seconds": round(mark[0], 3)}
            for question, mark in world.usable_by_question.items()
        },
    }


def _max_per_window(epochs: list[float]) -> int:
    """The most requests inside any sliding RATE_WINDOW (the simulator's and Trakt's window)."""
    ordered = sorted(epochs)
    return max(
        (i + 1 - bisect.bisect_right(ordered, t - RATE_WINDOW) for i, t in enumerate(ordered)), default=0
    )


def test_metadata_backfill_stays_under_the_rate_limit(world, figures):
    log = world.backfill_log
    runs = world.backfill
    assert runs[-1].metadata_pending == 0 and all(not run.failed for run in runs)
    assert [entry for entry in log if entry["status"] == 429] == []
    busiest = _max_per_window([entry["epoch"] for entry in log])
    assert busiest <= RATE_LIMIT
    figures["backfill"] = {
        "runs": len(runs),
        "requests": len(log),
        "busiest_5min_window": busiest,
        "virtual_seconds": runs[-1].epoch - runs[0].epoch,
        "sync_interval": SYNC_INTERVAL,
        "status_429": 0,
    }
