"""Scenario files: the example files load; malformed ones name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from trakt_cassettes.sim import ScenarioError, Simulator, load_scenario

from .sim_helpers import SCENARIOS, mini_scenario


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_example_scenarios_load(path):
    assert load_scenario(path).catalog.shows or load_scenario(path).catalog.movies


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_names_file_line_and_key(tmp_path):
    path = write(
        tmp_path, 'now: "2026-11-01T12:00:00Z"\nmovies:\n  - title: A\n    ids: {trakt: 1}\n    titel: typo\n'
    )
    with pytest.raises(ScenarioError, match=r"bad\.yaml:5: movies\[0\]\.titel: unknown key"):
        load_scenario(path)


def test_bad_time_names_its_line(tmp_path):
    path = write(tmp_path, "now: yesterday\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml:1: now: expected an ISO-8601 time"):
        load_scenario(path)


def test_unknown_item_reference_names_its_line(tmp_path):
    text = "movies:\n  - {title: A, ids: {trakt: 1, imdb: tt01}}\nhistory:\n  - {movie: tt99}\n"
    with pytest.raises(ScenarioError, match=r"bad\.yaml:4: history\[0\]\.movie: unknown movie 'tt99'"):
        load_scenario(write(tmp_path, text))


def test_missing_season_names_the_key(tmp_path):
    text = "shows:\n  - {title: S, ids: {trakt: 1}, seasons: [{number: 1}]}\nwatchlist:\n  - {show: 1, season: 4}\n"
    with pytest.raises(ScenarioError, match=r"bad\.yaml:4: watchlist\[0\]\.season: show 1 has no season 4"):
        load_scenario(write(tmp_path, text))


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(ScenarioError, match=r"bad\.yaml:3: invalid YAML"):
        load_scenario(write(tmp_path, "user:\n  username: a\n  bad: x: y\n"))


def test_missing_trakt_id_is_reported(tmp_path):
    with pytest.raises(
        ScenarioError, match=r"bad\.yaml:2: movies\[0\]\.ids\.trakt: missing required trakt id"
    ):
        load_scenario(write(tmp_path, "movies:\n  - {title: A, ids: {imdb: tt1}}\n"))


def test_wrong_type_is_reported(tmp_path):
    with pytest.raises(
        ScenarioError, match=r"bad\.yaml:2: user\.vip: expected true or false, got 'yes please'"
    ):
        load_scenario(write(tmp_path, "user:\n  vip: yes please\n"))


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ScenarioError, match=r"nope\.yaml: cannot read the file"):
        load_scenario(tmp_path / "nope.yaml")


def test_dict_scenarios_report_the_key_without_a_line():
    with pytest.raises(
        ScenarioError, match=r"^<dict>: device_auth\.then: expected one of approve, deny, expire, never"
    ):
        Simulator(mini_scenario(device_auth={"then": "maybe"}))


def test_episode_count_shorthand_generates_weekly_episodes():
    show = {
        "title": "G",
        "ids": {"trakt": 5},
        "seasons": [{"number": 1, "episodes": 3, "first_aired": "2026-01-01T00:00:00Z"}],
    }
    episodes = Simulator(mini_scenario(shows=[show])).scenario.catalog.show(5).episodes()
    assert [e.first_aired - episodes[0].first_aired for e in episodes] == [0, 7 * 86400, 14 * 86400]
