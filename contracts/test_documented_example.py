"""The documented example: TRAKT_API.md section 5's progress answer, from the simulator and from the mirror."""

from __future__ import annotations

from contracts.support import SIM_SCENARIOS, World, check_world, load_scenario_dict, schema_errors

# TRAKT_API.md section 5, GET /shows/{id}/progress/watched, verbatim.
DOCUMENTED = {
    "aired": 4, "completed": 2, "last_watched_at": "2025-02-02T20:00:00.000Z", "reset_at": None,
    "seasons": [{"number": 1, "title": "Season 1", "aired": 4, "completed": 2, "episodes": [
        {"number": 1, "completed": True, "last_watched_at": "2025-01-09T20:00:00.000Z"},
        {"number": 2, "completed": False, "last_watched_at": None},
        {"number": 3, "completed": True, "last_watched_at": "2025-02-02T20:00:00.000Z"},
        {"number": 4, "completed": False, "last_watched_at": None}]}],
    "hidden_seasons": [{"number": 2, "ids": {"trakt": 42, "tvdb": 72, "tmdb": 62}}],
    "next_episode": {"season": 1, "number": 4, "title": "Four", "ids": {"trakt": 34, "tvdb": 84, "imdb": None, "tmdb": 94}},
    "last_episode": {"season": 1, "number": 3, "title": "Three", "ids": {"trakt": 33, "tvdb": 83, "imdb": None, "tmdb": 93}},
}  # fmt: skip


def example_world(tmp_path) -> World:
    return World(load_scenario_dict(SIM_SCENARIOS / "progress_example.yaml"), tmp_path, "progress_example")


def test_the_documented_example_conforms_to_the_result_schema():
    assert schema_errors("get_show_progress", DOCUMENTED) == []


def test_the_simulator_gives_the_documented_progress(tmp_path):
    world = example_world(tmp_path)
    status, answer = world.sim_get("/shows/tt02/progress/watched")
    assert (status, answer) == (200, DOCUMENTED)


def test_the_mirror_gives_the_documented_progress(tmp_path):
    world = example_world(tmp_path)
    with world.running():
        compared, failures = check_world(world)
        world.use_mirror()
        answer = world.answers([("show", "tt02")])[("show", "tt02")]["get_show_progress"]
    assert compared and not failures, "\n\n".join(failures)
    assert answer == DOCUMENTED
