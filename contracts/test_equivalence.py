"""Equivalence: for every scenario and item, mirror == API path == the simulator's own answer."""

from __future__ import annotations

import pytest

from contracts.support import World, check_world, load_scenario_dict, scenario_files

SCENARIOS = scenario_files()


def test_every_scenario_file_is_covered():
    assert len(SCENARIOS) >= 20, [path.name for path in SCENARIOS]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_mirror_equals_api_path_and_simulator(path, tmp_path):
    world = World(load_scenario_dict(path), tmp_path, path.stem)
    with world.running():
        compared, failures = check_world(world)
    assert compared > 0, f"scenario {path.stem} has no item with an imdb id"
    assert not failures, "\n\n".join(failures)
