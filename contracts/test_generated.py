"""Generated libraries: random small accounts, a sync, churn on Trakt, a sync, then the full equivalence,
and the mirror that second (incremental) sync left equals one synced from scratch."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import event, given, note, settings

from contracts.strategies import Churn, failure_report, library_strategy
from contracts.support import World, check_world, rebuilt_state_failures, scenario_yaml


def apply_churn(world: World, churn: Churn) -> None:
    """Change the account on Trakt through its API, as another device would."""
    client = world.client()
    if churn.add_plays:
        body = [
            {"ids": {"trakt": trakt_id}, "watched_at": watched_at} for trakt_id, watched_at in churn.add_plays
        ]
        client.post("/sync/history", {"episodes": body})
    if churn.add_movie_plays:
        body = [{"ids": {"trakt": trakt_id}, "watched_at": at} for trakt_id, at in churn.add_movie_plays]
        client.post("/sync/history", {"movies": body})
    if churn.remove_plays or churn.remove_movie_plays:
        client.post("/sync/history/remove", {"episodes": [{"ids": {"trakt": t}} for t in churn.remove_plays],
                                             "movies": [{"ids": {"trakt": t}} for t in churn.remove_movie_plays]})  # fmt: skip
    for path, entries in (
        ("/sync/watchlist", churn.watchlist_add),
        ("/sync/watchlist/remove", churn.watchlist_remove),
    ):
        if entries:
            body: dict = {}
            for kind, trakt_id in entries:
                body.setdefault(f"{kind}s", []).append({"ids": {"trakt": trakt_id}})
            client.post(path, body)
    world.sim.clock.advance(60)


PROFILE = "contracts-" + os.environ.get("CONTRACTS_HYPOTHESIS_PROFILE", "ci")


@settings(settings.get_profile(PROFILE))
@given(library_strategy())
def test_generated_library_mirror_equals_api_path_and_simulator(library):
    scenario, churn = library
    note(scenario_yaml(scenario))
    note(f"churn: {churn.as_dict()}")
    with tempfile.TemporaryDirectory() as folder:  # hypothesis reuses the function: no tmp_path fixture
        world = World(scenario, Path(folder), "generated")
        with world.running():
            assert world.sync().ok
            apply_churn(world, churn)
            compared, failures = check_world(world)
            failures += rebuilt_state_failures(world, Path(folder))
            world.use_mirror()
            progress = [a.get("get_show_progress") for a in world.answers().values()]
    event(f"shows with progress completed > 0: {sum(1 for p in progress if p and p['completed'])}")
    event(f"answers compared: {compared // 5 * 5}+")
    assert not failures, failure_report(scenario, churn, failures)
