"""Trakt's real `extended=min` maps (keyed by Trakt ids, paged) must leave the mirror a full read leaves.

The maps are served by `contracts.real_min_maps` (written from Trakt's published contract), not by the
simulator, so a shape the simulator and the add-on share by mistake cannot hide here (issue 14, point 1
and 2): a first sync, churn on Trakt, an incremental sync reading the real maps, then the mirror must
equal one synced from scratch.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import event, given, note

from contracts.real_min_maps import RealMinMaps
from contracts.strategies import SHARDS, Churn, apply_churn, failure_report, library_strategy, shard_settings
from contracts.support import (
    ROOT,
    SIM_SCENARIOS,
    World,
    load_scenario_dict,
    rebuilt_state_failures,
    scenario_files,
    scenario_yaml,
)

SCHEMAS = ROOT / "contracts" / "schemas"


def min_schema_errors(maps: RealMinMaps) -> list[str]:
    """The served shapes checked against the contract-derived schemas (the oracle must obey them too)."""
    errors = []
    for name, document in (
        ("watched_movies_min", maps.movies_map()),
        ("watched_shows_min", maps.shows_map(specials=True, season_numbers=False)),
    ):
        schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
        errors += [
            f"{name}: {error.message}"
            for error in jsonschema.Draft202012Validator(schema).iter_errors(document)
        ]
    return errors


def incremental_then_rebuild(scenario: dict, churn: Churn, folder: Path) -> tuple[list[str], RealMinMaps]:
    """First sync, churn, an incremental sync on the real maps; the differences from a rebuild."""
    world = World(scenario, folder, "real-min-maps")
    with world.running():
        assert world.sync().ok
        apply_churn(world, churn)
        maps = RealMinMaps.read(world)
        with maps.serving(world):
            report = world.sync(attempts=1)
        failures = [] if report.ok else [f"the incremental sync failed: {report.failed}"]
        failures += min_schema_errors(maps)
        failures += rebuilt_state_failures(world, folder)
    return failures, maps


@pytest.mark.parametrize("shard", range(SHARDS))
@shard_settings(fraction=1 / 3, at_least=10)
@given(library_strategy())
def test_real_shaped_min_maps_give_the_mirror_a_full_read_gives(shard, library):
    scenario, churn = library
    note(f"shard {shard + 1} of {SHARDS}")
    scenario = {**scenario, "api": {**scenario["api"], "drift": True}}  # the min maps are the 2026 API
    note(scenario_yaml(scenario))
    note(f"churn: {churn.as_dict()}")
    with tempfile.TemporaryDirectory() as folder:
        failures, maps = incremental_then_rebuild(scenario, churn, Path(folder))
    event(f"min map pages served: {min(len(maps.served), 4)}{'+' if len(maps.served) >= 4 else ''}")
    assert not failures, failure_report(scenario, churn, failures)


def test_a_new_play_read_from_the_real_shows_map_is_mirrored_by_season_and_number(tmp_path):
    scenario = yaml.safe_load((SIM_SCENARIOS / "small_library.yaml").read_text(encoding="utf-8"))
    churn = Churn(add_plays=[(73484, "2026-11-01T11:00:00.000Z")])  # Breaking Bad 1x03 (season id 3951)
    failures, maps = incremental_then_rebuild(scenario, churn, tmp_path)
    assert any(entry.startswith("shows page") for entry in maps.served), (
        "the incremental read never asked the map"
    )
    assert not failures, "\n\n".join(failures)


def simulator_map(world: World, path: str) -> dict:
    """Every page of one of the simulator's own min maps (each page checked against the schema)."""
    stem = "watched_movies_min" if "movies" in path else "watched_shows_min"
    schema = json.loads((SCHEMAS / f"{stem}.json").read_text(encoding="utf-8"))
    merged: dict = {}
    page = 1
    while True:
        status, answer = world.sim_get(f"{path}&page={page}&limit=2")
        assert status == 200, f"{path} answered {status}"
        jsonschema.Draft202012Validator(schema).validate(answer)
        merged.update(answer)
        if len(answer) < 2:
            return merged
        page += 1


def unordered(document: dict) -> dict:
    """A min map with each list of play times sorted (the contract gives their order nowhere)."""
    return {
        key: unordered(value) if isinstance(value, dict) else sorted(value) for key, value in document.items()
    }


@pytest.mark.parametrize("path", scenario_files(), ids=lambda path: path.stem)
def test_the_simulators_min_maps_are_the_real_maps(path, tmp_path):
    scenario = load_scenario_dict(path)
    scenario["api"] = {**scenario.get("api", {}), "drift": True}
    world = World(scenario, tmp_path, path.stem)
    with world.running():
        world.sim.clear_faults()  # the scenario's injected outages are not the shape under test
        world.sim.limiter.reset()
        world.client().get("/sync/last_activities")  # refreshes a token the scenario lets expire
        real = RealMinMaps.read(world)
        assert unordered(simulator_map(world, "/sync/watched/movies?extended=min")) == unordered(
            real.movies_map()
        )
        for specials in (False, True):
            for numbers in (False, True):
                query = f"extended=min&specials={str(specials).lower()}&season_numbers={str(numbers).lower()}"
                want = unordered(real.shows_map(specials, numbers))
                assert unordered(simulator_map(world, f"/sync/watched/shows?{query}")) == want, query
