"""Naming the add-on to drive: the project config, the profile's precedence, placeholders, steps and drivers."""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pytest

from trakt_cassettes.addon_profile import (
    SCRUBBED_SETTING,
    AddonProfile,
    AddonProfileError,
    fill_placeholders,
    parse_setting_pairs,
    resolve_profile,
)
from trakt_cassettes.addon_steps import StepError, expand
from trakt_cassettes.drivers import DriverError, load_driver
from trakt_cassettes.project_config import ProjectConfigError, find_project_config
from trakt_cassettes.standin import standin_sync_driver

DEMO = Path(__file__).resolve().parent / "addons" / "plugin.video.watchlistdemo"
ROOT = Path(__file__).resolve().parents[2]


def write_project(folder: Path, table: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n{table}', encoding="utf-8")
    return folder


def test_the_nearest_pyproject_with_the_table_wins_and_paths_are_its_own(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "mine", '[tool.trakt-cassettes]\naddon = "src/plugin.video.mine"\ndb = "m.db"\n'
    )
    write_project(project / "cassettes", "")  # a pyproject without the table is passed over
    config = find_project_config(project / "cassettes")
    assert (config.path, config.addon, config.db) == (
        project / "pyproject.toml",
        project / "src/plugin.video.mine",
        "m.db",
    )


def test_this_checkout_names_the_reference_addon(tmp_path: Path) -> None:
    config = find_project_config(
        tmp_path
    )  # nothing above tmp_path: the working directory's, then this package's
    assert (config.path, config.addon.name, config.default_driver) == (
        ROOT / "pyproject.toml", "plugin.video.aiostreams", "addon-sync")  # fmt: skip


def test_an_unknown_key_in_the_table_names_the_file_and_the_known_keys(tmp_path: Path) -> None:
    write_project(tmp_path, '[tool.trakt-cassettes]\naddn = "x"\n')
    with pytest.raises(
        ProjectConfigError, match=r"pyproject.toml: \[tool.trakt-cassettes\] has unknown key\(s\) addn"
    ):
        find_project_config(tmp_path)


def test_placeholders_are_filled_and_other_braces_left_alone() -> None:
    templates = {
        "token": "{access_token}",
        "url": "{server}/v2",
        "json": '{"a": 1}',
        "refresh": "{refresh_token}",
    }
    values = {"access_token": "t0k3n", "server": "http://127.0.0.1:9", "refresh_token": None}
    assert fill_placeholders(templates, values) == {
        "token": "t0k3n", "url": "http://127.0.0.1:9/v2", "json": '{"a": 1}', "refresh": ""}  # fmt: skip


def test_a_cassette_keeps_placeholders_and_plain_values_but_never_a_literal_secret() -> None:
    profile = AddonProfile(settings={"trakt_access_token": "live-secret-token", "trakt_client_id": "{client_id}",
                                     "watchlist_type": "shows", "trakt_refresh_token": "known-refresh"})  # fmt: skip
    mask = {"known-refresh": "SCRUBBED_REFRESH_TOKEN"}.get
    assert profile.metadata("plugin.video.x", mask=lambda value: mask(value, value))["settings"] == {
        "trakt_access_token": SCRUBBED_SETTING, "trakt_client_id": "{client_id}",
        "trakt_refresh_token": "SCRUBBED_REFRESH_TOKEN", "watchlist_type": "shows"}  # fmt: skip


def test_the_command_line_beats_the_cassette_which_beats_the_project(tmp_path: Path) -> None:
    project = write_project(tmp_path, '[tool.trakt-cassettes]\naddon = "demo"\napi-url-setting = "base"\n'
                            'db = "p.db"\n[tool.trakt-cassettes.settings]\na = "project"\nb = "project"\n')  # fmt: skip
    (project / "demo").symlink_to(DEMO)
    profile = resolve_profile(settings={"a": "cli"}, db="cli.db", config=find_project_config(project),
                              recorded={"id": "plugin.video.watchlistdemo", "settings": {"a": "cassette", "c": "cassette"}})  # fmt: skip
    assert (profile.source, profile.api_url_setting, profile.db, profile.settings) == (
        project / "demo", "base", "cli.db", {"a": "cli", "b": "project", "c": "cassette"})  # fmt: skip


def test_the_project_defaults_apply_to_its_own_addon_only(tmp_path: Path) -> None:
    config = find_project_config(tmp_path)  # this checkout: the reference add-on
    other = resolve_profile(addon=DEMO, config=config)
    own = resolve_profile(config=config)
    assert (other.settings, other.db, other.step_names) == ({}, None, {})
    assert (own.db, sorted(own.step_names)) == ("trakt_sync.db", ["device_login", "sync"])


def test_a_cassette_of_another_addon_does_not_fall_back_to_the_projects(tmp_path: Path) -> None:
    with pytest.raises(
        AddonProfileError, match=r"--addon ZIP_OR_FOLDER \(the cassette was recorded with plugin.video.x\)"
    ):
        resolve_profile(recorded={"id": "plugin.video.x"}, config=find_project_config(tmp_path))


def test_a_missing_addon_path_and_a_bad_setting_pair_are_named(tmp_path: Path) -> None:
    with pytest.raises(AddonProfileError, match="no such add-on zip or folder: .*gone.zip"):
        resolve_profile(addon=tmp_path / "gone.zip")
    with pytest.raises(AddonProfileError, match="--setting needs KEY=VALUE, got 'novalue'"):
        parse_setting_pairs(["a=b", "novalue"])


def test_a_step_name_expands_to_what_the_project_names() -> None:
    names = {"sync": ["call", "mine.debug:sync", [False]]}
    assert expand(["sync"], names) == ["call", "mine.debug:sync", [False]]
    assert expand(["service", 600], names) == ["service", 600]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (["jump"], "unknown step 'jump' (known: run, service, wait, call, post, sync)"),
        (["run", "http://x/"], "a run step names one plugin:// URL"),
        (["service", -5], "a service step names a finite number of seconds >= 0"),
        (["call", "nomodule"], "a call step names MODULE:FUNCTION"),
        ("run", "a step is a list starting with its kind"),
    ],
)
def test_an_unusable_step_is_named(step: object, message: str) -> None:
    with pytest.raises(StepError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expand(step, {"sync": ["call", "m:f"]})


def test_a_driver_is_found_by_project_name_by_file_and_by_module(tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text("def record_me(context):\n    '''mine'''\n", encoding="utf-8")
    by_file = load_driver(f"{tmp_path / 'mine.py'}:record_me")
    assert (by_file.__doc__, load_driver(f"{tmp_path / 'mine.py'}:record_me") is by_file) == ("mine", True)
    assert load_driver("trakt_cassettes.standin:standin_sync_driver") is standin_sync_driver
    assert load_driver("addon-sync", config=find_project_config(tmp_path)).__name__ == "addon_sync_driver"
    with pytest.raises(DriverError, match="unknown driver 'nope' \\(known: standin-sync, "):
        load_driver("nope")


def test_the_old_driver_names_still_resolve_in_a_checkout_with_a_deprecation_warning() -> None:
    import trakt_cassettes.drivers

    # By name, as a user would: the project's own code must not use the old path (test_layout).
    old_module = importlib.import_module("trakt_cassettes.addon_sync")
    with pytest.warns(
        DeprecationWarning, match=r"addon_sync\.addon_sync_driver moved to the project's drivers module"
    ):
        driver = old_module.addon_sync_driver
    with pytest.warns(DeprecationWarning, match=r"drivers\.DRIVERS is deprecated: use"):
        names = list(trakt_cassettes.drivers.DRIVERS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert trakt_cassettes.drivers.DEFAULT_DRIVER == "addon-sync"
    assert (driver.__name__, names[0], names[-1]) == (
        "addon_sync_driver",
        "addon-sync",
        "standin-incremental",
    )
