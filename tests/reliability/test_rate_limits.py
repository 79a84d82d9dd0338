"""Item 3, 429: over a virtual day of force syncs against a tight limit, Retry-After is always honoured."""

from __future__ import annotations

import math

from .support import state_b
from .sync_world import SyncWorld

DAY = 86400.0
SYNC_EVERY = 300.0  # a force sync every 5 virtual minutes (or at once when the last one ran longer)
GET_LIMIT, GET_PERIOD = 6, 300  # tighter than Trakt's 1000/300 s so that almost every sync hits it


def test_a_virtual_day_of_force_syncs_never_exceeds_the_limit_and_honours_retry_after(
    tmp_path, served_sim, figures
):
    scenario = state_b()
    scenario["rate_limits"] = {"enabled": True, "get_limit": GET_LIMIT, "get_period": GET_PERIOD}
    sim, server = served_sim(scenario)
    world = SyncWorld(sim, server.url, tmp_path / "mirror.db")
    start = sim.clock.now()
    syncs = failed = 0
    while sim.clock.now() < start + DAY:
        began = sim.clock.now()
        report = world.engine.run(force=True)
        syncs += 1
        failed += 0 if report.ok else 1
        sim.clock.advance(max(0.0, began + SYNC_EVERY - sim.clock.now()))
    world.close()
    log = [entry for entry in sim.request_log if entry.get("api") == "trakt"]
    accepted = [entry["epoch"] for entry in log if entry["status"] != 429]
    busiest = max(sum(1 for t in accepted if s - GET_PERIOD < t <= s) for s in accepted)
    limited = [index for index, entry in enumerate(log) if entry["status"] == 429]
    for index in limited:
        before = [t for t in accepted if log[index]["epoch"] - GET_PERIOD < t <= log[index]["epoch"]]
        retry_after = max(1, math.ceil(min(before) + GET_PERIOD - log[index]["epoch"]))
        assert log[index + 1]["epoch"] >= log[index]["epoch"] + retry_after, (
            "a request came before Retry-After"
        )
        assert log[index + 1]["status"] != 429
    figures.set("ratelimit_virtual_day_syncs", syncs)
    figures.set("ratelimit_virtual_day_requests", len(log))
    figures.set("ratelimit_virtual_day_429s", len(limited))
    figures.set("ratelimit_busiest_window", busiest)
    figures.set("ratelimit_limit", f"{GET_LIMIT}/{GET_PERIOD}s")
    assert busiest <= GET_LIMIT
    assert limited, "the limit was never reached: the test proves nothing"
    assert failed == 0
