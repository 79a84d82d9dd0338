"""Item 2: syncs in a loop while 4 plugin processes make lookups and catalog calls; no error, no lock.

The syncing process alternates between two account states (A and B), so every answer a reader gets
must be one of the committed per-area answers of A or of B. One sync at a time across processes and
one token refresh for two processes are pinned in tests/reference_addon/core/test_lock.py and
test_token_refresh_processes.py (not repeated here).
"""

from __future__ import annotations

import json
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

from database import queries
from database.connection import Database

from .conftest import run_driver
from .kodi_world import ADDON_ID, KodiWorld, build_zip
from .support import state_a, state_b
from .sync_world import SyncWorld
from .test_fuzz_plugin_urls import PluginDriver

WORKERS = 4
LOOKUPS = 2000  # per worker
ROUNDS = 4  # router calls per lookup batch: each of CALLS this many times
BATCH = 250
CALLS = [
    f"plugin://{ADDON_ID}/?action=catalog&id=top&type=movie",
    f"plugin://{ADDON_ID}/?action=catalog&id=trending&type=series",
    f"plugin://{ADDON_ID}/?action=seasons&id=tt0903747&type=series",
    f"plugin://{ADDON_ID}/?action=watchlist&type=movie",
]


def split(answer: set, kind: str) -> list:
    return sorted(imdb for what, imdb in answer if what == kind)


def reference(db_path, movie_ids, show_ids) -> dict[str, dict[str, list]]:
    db = Database(str(db_path))
    try:
        watched = queries.watched_imdb_ids(db, movie_ids, show_ids)
        listed = queries.watchlisted_imdb_ids(db, movie_ids, show_ids)
    finally:
        db.close()
    return {
        "watched": {"movie": split(watched, "movie"), "show": split(watched, "show")},
        "watchlisted": {"movie": split(listed, "movie"), "show": split(listed, "show")},
    }


def test_readers_never_fail_or_see_a_half_written_area_while_syncs_run(kodi, tmp_path, served_sim, figures):
    sim_a, server_a = served_sim(state_a())
    sim_b, server_b = served_sim(state_b())
    world = KodiWorld(kodi, build_zip(tmp_path / "dist"), sim_b, server_b.url, auto_sync=False)
    mirrors = {}
    for name, sim, server in (("a", sim_a, server_a), ("b", sim_b, server_b)):
        synced = SyncWorld(sim, server.url, tmp_path / f"{name}.db")
        assert synced.engine.run(force=True).ok
        synced.close()
        mirrors[name] = tmp_path / f"{name}.db"
    world.profile.mkdir(parents=True, exist_ok=True)
    shutil.copy(mirrors["a"], world.db_path)
    scenario = state_b()
    movie_ids = [m["ids"]["imdb"] for m in scenario["movies"] if m["ids"].get("imdb")]
    show_ids = [s["ids"]["imdb"] for s in scenario["shows"] if s["ids"].get("imdb")]
    expected = [reference(path, movie_ids, show_ids) for path in mirrors.values()]
    assert expected[0] != expected[1]

    stop = threading.Event()
    sync_outcomes: list[dict] = []

    def sync_loop() -> None:
        urls = [server_b.url, server_a.url]
        while not stop.is_set():
            url = urls[len(sync_outcomes) % 2]
            result = run_driver(tmp_path, db=str(world.db_path), url=url, now=sim_b.clock.now(), force=True)
            sync_outcomes.append(
                {"rc": result.returncode, "err": result.stderr, **json.loads(result.stdout or "{}")}
            )

    def worker(index: int) -> dict:
        driver = PluginDriver(world.kodi.home.root)
        seen = {"watched": set(), "watchlisted": set()}
        errors, notes = [], []
        try:
            for batch in range(LOOKUPS // BATCH):
                answer = driver.call_lookups(BATCH, movie_ids, show_ids)
                errors += answer["errors"]
                for kind, values in answer["answers"].items():
                    seen[kind].update(values)
                for url in (CALLS[batch % len(CALLS) :] + CALLS[: batch % len(CALLS)]) * ROUNDS:
                    call = driver.call(url, 1)
                    notes += call["notifications"] + call["tracebacks"]
                    assert call["uncaught"] is None and call["ended"] == [True], call
        finally:
            driver.close()
        return {"seen": seen, "errors": errors, "notes": notes, "calls": driver.calls}

    syncer = threading.Thread(target=sync_loop)
    syncer.start()
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            results = list(pool.map(worker, range(WORKERS)))
    finally:
        stop.set()
        syncer.join()
    figures.set("concurrency_workers", WORKERS)
    figures.set("concurrency_lookups", WORKERS * LOOKUPS)
    figures.set("concurrency_router_calls", sum(r["calls"] for r in results))
    figures.set("concurrency_syncs_during_reads", len(sync_outcomes))
    assert all(o["rc"] == 0 and not o.get("failed") for o in sync_outcomes), sync_outcomes
    assert [e for r in results for e in r["errors"]] == []
    assert [n for r in results for n in r["notes"] if "locked" in n.lower() or "Traceback" in n] == []
    for kind in ("watched", "watchlisted"):
        for answer in set().union(*(r["seen"][kind] for r in results)):
            pairs = {tuple(pair) for pair in json.loads(answer)}
            for media in ("movie", "show"):
                assert split(pairs, media) in [e[kind][media] for e in expected], (kind, media, answer)
    assert len(sync_outcomes) >= 2, "the readers finished before a sync ran: nothing was tested"
