"""Generated libraries: random small accounts, a sync, churn on Trakt, a sync, then the full equivalence,
and the mirror that second (incremental) sync left equals one synced from scratch."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, note

from contracts.strategies import SHARDS, apply_churn, failure_report, library_strategy, shard_settings
from contracts.support import World, check_world, rebuilt_state_failures, scenario_yaml


@pytest.mark.parametrize("shard", range(SHARDS))
@shard_settings()
@given(library_strategy())
def test_generated_library_mirror_equals_api_path_and_simulator(shard, library):
    scenario, churn = library
    note(f"shard {shard + 1} of {SHARDS}")
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
