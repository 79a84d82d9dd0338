"""Recording against the simulator: deterministic bytes, scenario reference, real-Trakt mode via --base-url."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import requests
import yaml

from trakt_cassettes.cassettes.catalog import CASSETTE_DIR, render_index, spec_named, write_scenario
from trakt_cassettes.drivers import load_driver
from trakt_cassettes.lint import lint_paths
from trakt_cassettes.project_config import find_project_config
from trakt_cassettes.record import Credentials, RecordError, record
from trakt_cassettes.replay_server import ReplayServer
from trakt_cassettes.sim import Simulator
from trakt_cassettes.standin import standin_device_auth_driver, standin_sync_driver

# The reference add-on's drivers, by the names this checkout's pyproject.toml gives them.
PROJECT = find_project_config(CASSETTE_DIR)
addon_incremental_driver = load_driver("addon-incremental", config=PROJECT)
addon_device_auth_driver = load_driver("addon-device-auth", config=PROJECT)


@pytest.fixture
def small_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", path)
    return path


def test_recording_twice_gives_identical_bytes(small_scenario: Path, tmp_path: Path) -> None:
    first = record(small_scenario, tmp_path / "a.cassette.yaml").cassette_path.read_bytes()
    second = record(small_scenario, tmp_path / "b.cassette.yaml").cassette_path.read_bytes()
    assert first == second


def test_cassette_is_stored_next_to_its_scenario_and_names_it(small_scenario: Path) -> None:
    result = record(small_scenario)
    assert result.cassette_path == small_scenario.with_name("small.cassette.yaml")
    assert (
        yaml.safe_load(result.cassette_path.read_text(encoding="utf-8"))["metadata"]["scenario"]
        == "small.yaml"
    )


def test_recorded_cassette_lints_clean(small_scenario: Path) -> None:
    assert lint_paths([record(small_scenario).cassette_path]) == []


def test_addon_sync_is_the_default_driver_and_reads_every_area(small_scenario: Path) -> None:
    cassette = yaml.safe_load(record(small_scenario).cassette_path.read_text(encoding="utf-8"))
    paths = [
        i["request"]["uri"].split("?")[0].removeprefix("https://api.trakt.tv")
        for i in cassette["interactions"]
    ]
    assert cassette["metadata"]["driver"] == "addon_sync_driver"
    assert paths[0] == "/sync/last_activities"
    assert {
        "/sync/watched/movies",
        "/sync/watched/shows",
        "/sync/playback",
        "/shows/1/seasons",
        "/shows/2/seasons",
    } <= set(paths)


@pytest.mark.parametrize("driver", [addon_incremental_driver, addon_device_auth_driver])
def test_addon_drivers_record_identical_bytes_twice(driver, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    name = "device_auth_pending_twice" if driver is addon_device_auth_driver else "no_change_incremental"
    shutil.copy(CASSETTE_DIR / f"{name}.yaml", scenario)
    first = record(scenario, tmp_path / "a.cassette.yaml", driver).cassette_path.read_bytes()
    second = record(scenario, tmp_path / "b.cassette.yaml", driver).cassette_path.read_bytes()
    assert first == second


def test_addon_incremental_driver_writes_its_replay_steps(small_scenario: Path) -> None:
    cassette = yaml.safe_load(
        record(small_scenario, driver=addon_incremental_driver).cassette_path.read_text(encoding="utf-8")
    )
    assert cassette["metadata"]["replay_steps"] == [["sync"], ["wait", 600], ["sync"]]


def test_stand_in_sync_reads_every_area_and_each_watched_show(small_scenario: Path) -> None:
    cassette = yaml.safe_load(
        record(small_scenario, driver=standin_sync_driver).cassette_path.read_text(encoding="utf-8")
    )
    paths = [
        i["request"]["uri"].split("?")[0].removeprefix("https://api.trakt.tv")
        for i in cassette["interactions"]
    ]
    assert paths == ["/sync/last_activities", "/sync/watched/movies", "/sync/watched/shows", "/sync/watchlist/all/rank/asc",
                     "/sync/playback", "/users/hidden/progress_watched", "/shows/1/seasons", "/shows/1/progress/watched",
                     "/shows/2/seasons", "/shows/2/progress/watched"]  # fmt: skip


def test_recorded_cassette_replays_the_same_answers(small_scenario: Path) -> None:
    cassette = record(small_scenario).cassette_path
    interactions = yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
    watched = next(i for i in interactions if "/sync/watched/movies" in i["request"]["uri"])
    recorded = watched["response"]["body"]["string"]
    with ReplayServer(cassette) as server:
        headers = {"Authorization": "Bearer t", "trakt-api-key": "k", "trakt-api-version": "2"}
        answer = requests.get(
            f"{server.url}/sync/watched/movies?limit=250&page=1", headers=headers, timeout=5
        )
    assert answer.text == recorded


def test_record_against_a_base_url_uses_environment_credentials(small_scenario: Path, tmp_path: Path) -> None:
    environ = {"TRAKT_CLIENT_ID": "standin-client-id", "TRAKT_CLIENT_SECRET": "standin-client-secret",
               "TRAKT_ACCESS_TOKEN": "fake-token"}  # fmt: skip
    simulator = Simulator.from_file(small_scenario)
    with simulator.serve(port=0) as server:
        result = record(small_scenario, tmp_path / "live.cassette.yaml", base_url=server.url,
                        credentials=Credentials.from_env(environ))  # fmt: skip
    text = result.cassette_path.read_text(encoding="utf-8")
    assert result.interactions == 10
    assert "Bearer fake-token" not in text and "standin-client-id" not in text
    assert "https://api.trakt.tv/sync/last_activities" in text


def test_missing_credentials_for_a_base_url_raise_record_error() -> None:
    with pytest.raises(
        RecordError, match="needs the environment variables TRAKT_CLIENT_SECRET, TRAKT_ACCESS_TOKEN"
    ):
        Credentials.from_env({"TRAKT_CLIENT_ID": "x"})


def test_unreadable_scenario_raises_record_error(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="cannot read scenario .*missing.yaml"):
        record(tmp_path / "missing.yaml")


def test_device_auth_driver_polls_through_pending(tmp_path: Path) -> None:
    spec = spec_named("device_auth_pending_twice")
    scenario = tmp_path / "device.yaml"
    scenario.write_text(write_scenario_text(spec), encoding="utf-8")
    cassette = yaml.safe_load(
        record(scenario, driver=standin_device_auth_driver).cassette_path.read_text(encoding="utf-8")
    )
    statuses = [i["response"]["status"]["code"] for i in cassette["interactions"][:4]]
    assert statuses == [200, 400, 400, 200]


def test_malformed_json_fault_is_marked_in_the_cassette(tmp_path: Path) -> None:
    spec = spec_named("malformed_json")
    scenario = tmp_path / "broken.yaml"
    scenario.write_text(write_scenario_text(spec), encoding="utf-8")
    interactions = yaml.safe_load(record(scenario).cassette_path.read_text(encoding="utf-8"))["interactions"]
    assert [i["response"].get("fault") for i in interactions if "/sync/playback" in i["request"]["uri"]] == [
        "malformed_json"
    ]


def test_index_is_current() -> None:
    assert (CASSETTE_DIR / "INDEX.md").read_text(encoding="utf-8") == render_index()


def test_committed_cassettes_lint_clean() -> None:
    assert [str(problem) for problem in lint_paths([CASSETTE_DIR])] == []


def write_scenario_text(spec) -> str:
    """The scenario text the catalog would write for spec, without touching the committed file."""
    return yaml.safe_dump(spec.build_scenario(), allow_unicode=True, sort_keys=False)


def test_write_scenario_matches_the_committed_file() -> None:
    spec = spec_named("first_sync_small")
    committed = spec.scenario_path.read_text(encoding="utf-8")
    assert write_scenario(spec).read_text(encoding="utf-8") == committed


def test_large_library_generator_is_seeded_and_full_size() -> None:
    from trakt_cassettes.cassettes.catalog import large_library_scenario

    scenario = large_library_scenario(seed=42)
    episodes = sum(season["episodes"] for show in scenario["shows"] for season in show["seasons"])
    assert (len(scenario["shows"]), episodes, len(scenario["movies"]), len(scenario["watchlist"])) == (
        5000,
        200000,
        20000,
        1000,
    )
    assert scenario == large_library_scenario(seed=42)
    assert scenario["history"] != large_library_scenario(seed=43)["history"]


def test_names_moved_out_of_record_still_resolve_there_with_a_deprecation_warning():
    import trakt_cassettes.record
    import trakt_cassettes.standin

    with pytest.warns(
        DeprecationWarning, match=r"record\.standin_sync_driver moved to trakt_cassettes\.standin"
    ):
        driver = trakt_cassettes.record.standin_sync_driver
    assert driver is trakt_cassettes.standin.standin_sync_driver
