"""trakt_vcr's record modes as an add-on project sees them: pytest run on a test file by pytester.

The add-on is plugin.video.traktshelf (tests/package_lane/project/addons), which reads Trakt with
urllib in its plugin calls; the scenario is the package lane's account.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from .conftest import INNER_ARGS, PROJECT

SHELF = "plugin.video.traktshelf"
HEADER = f"""
import pytest

CREDENTIALS = {{"trakt_client_id": "{{client_id}}", "trakt_access_token": "{{access_token}}"}}


def shelf(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip("{SHELF}"))
    trakt_vcr.point("{SHELF}", **CREDENTIALS)
"""
WATCHLIST = """
@pytest.mark.trakt_cassette("shelf.cassette.yaml", scenario="account.yaml"{extra})
def test_watchlist(kodi, addon_zip, trakt_vcr):
    shelf(kodi, addon_zip, trakt_vcr)
    assert kodi.run("plugin://plugin.video.traktshelf/?action=watchlist").labels == ["Inception (2010)"]
"""
BOTH = """
@pytest.mark.trakt_cassette("shelf.cassette.yaml", scenario="account.yaml")
def test_watchlist_and_watched(kodi, addon_zip, trakt_vcr):
    shelf(kodi, addon_zip, trakt_vcr)
    assert kodi.run("plugin://plugin.video.traktshelf/?action=watchlist").labels == ["Inception (2010)"]
    assert kodi.run("plugin://plugin.video.traktshelf/?action=watched").labels == ["Batman Begins (2005)"]
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("CI", raising=False)
    shutil.copytree(PROJECT / "addons" / SHELF, pytester.path / SHELF)
    shutil.copy(PROJECT / "tests" / "scenarios" / "account.yaml", pytester.path / "account.yaml")
    return pytester


def run(project: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    project.makepyfile(test_shelf=HEADER + body)
    return project.runpytest(*INNER_ARGS, *args)


def uris(project: pytest.Pytester) -> list[str]:
    data = yaml.safe_load((project.path / "shelf.cassette.yaml").read_text(encoding="utf-8"))
    return [interaction["request"]["uri"] for interaction in data["interactions"]]


WATCHLIST_URI = "https://api.trakt.tv/sync/watchlist/movies/rank/asc?page=1&limit=100"
WATCHED_URI = "https://api.trakt.tv/sync/watched/movies"


def test_none_is_the_default_and_fails_on_a_missing_cassette(project):
    result = run(project, WATCHLIST.format(extra=""))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*shelf.cassette.yaml does not exist and the record mode is none: record it with "
                                 "--trakt-record-mode=once*"])  # fmt: skip
    assert not (project.path / "shelf.cassette.yaml").exists()


def test_once_records_a_missing_cassette_then_none_replays_it(project):
    run(project, WATCHLIST.format(extra=""), "--trakt-record-mode=once").assert_outcomes(passed=1)
    data = yaml.safe_load((project.path / "shelf.cassette.yaml").read_text(encoding="utf-8"))
    assert [i["request"]["uri"] for i in data["interactions"]] == [WATCHLIST_URI]
    assert data["metadata"]["replay_steps"] == [["run", "plugin://plugin.video.traktshelf/?action=watchlist"]]
    assert (data["metadata"]["driver"], data["metadata"]["scenario"]) == ("pytest", "account.yaml")
    assert "fake-token" not in (project.path / "shelf.cassette.yaml").read_text(encoding="utf-8")
    run(project, WATCHLIST.format(extra="")).assert_outcomes(passed=1)


def test_a_request_the_cassette_lacks_fails_a_replay_with_the_closest_recorded_one(project):
    run(project, WATCHLIST.format(extra=""), "--trakt-record-mode=once").assert_outcomes(passed=1)
    result = run(project, BOTH)
    result.assert_outcomes(
        failed=1, errors=1
    )  # the add-on raised on the 501, and teardown reports the request
    result.stdout.fnmatch_lines(["*1 unmatched request(s); the first in full:*", "*GET http://127.0.0.1:*/sync/watched/movies*",
                                 "*closest recorded #0: GET https://api.trakt.tv/sync/watchlist/movies/rank/asc*"])  # fmt: skip


def test_a_marker_record_mode_is_ignored_in_ci_unless_the_command_line_names_one(project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    body = WATCHLIST.format(extra=', record_mode="once"')
    run(project, body).assert_outcomes(errors=1)
    assert not (project.path / "shelf.cassette.yaml").exists()
    run(project, body, "--trakt-record-mode=once").assert_outcomes(passed=1)
    assert uris(project) == [WATCHLIST_URI]


def test_new_episodes_keeps_the_recorded_and_adds_the_new(project):
    run(project, WATCHLIST.format(extra=""), "--trakt-record-mode=once").assert_outcomes(passed=1)
    before = (project.path / "shelf.cassette.yaml").read_text(encoding="utf-8")
    run(project, BOTH, "--trakt-record-mode=new_episodes").assert_outcomes(passed=1)
    assert uris(project) == [WATCHLIST_URI, WATCHED_URI]
    data = yaml.safe_load((project.path / "shelf.cassette.yaml").read_text(encoding="utf-8"))
    assert data["metadata"]["replay_steps"][0] == [
        "run",
        "plugin://plugin.video.traktshelf/?action=watchlist",
    ]
    assert yaml.safe_load(before)["interactions"][0] == data["interactions"][0]
    run(project, BOTH).assert_outcomes(passed=1)  # and it replays in none


def test_all_records_again_from_scratch(project):
    run(project, BOTH, "--trakt-record-mode=once").assert_outcomes(passed=1)
    run(project, WATCHLIST.format(extra=""), "--trakt-record-mode=all").assert_outcomes(passed=1)
    assert uris(project) == [WATCHLIST_URI]


def test_unplayed_interactions_fail_a_replay_unless_allowed(project):
    run(project, BOTH, "--trakt-record-mode=once").assert_outcomes(passed=1)
    result = run(project, WATCHLIST.format(extra=""))
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*1 unplayed interaction(s):*", "*#1 GET https://api.trakt.tv/sync/watched/movies*"]
    )
    run(project, WATCHLIST.format(extra=", allow_unplayed=True")).assert_outcomes(passed=1)


def test_a_recording_that_captured_nothing_fails_and_writes_nothing(project):
    body = """
@pytest.mark.trakt_cassette("shelf.cassette.yaml", scenario="account.yaml")
def test_root_only(kodi, addon_zip, trakt_vcr):
    shelf(kodi, addon_zip, trakt_vcr)
    assert kodi.run("plugin://plugin.video.traktshelf/").labels == ["Watchlist", "Watched movies"]
"""
    result = run(project, body, "--trakt-record-mode=once")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*recording shelf.cassette.yaml captured nothing: the add-on sent no request*"]
    )
    assert not (project.path / "shelf.cassette.yaml").exists()


def test_recording_from_a_backend_url_replays_without_a_scenario(project, monkeypatch):
    # A "real Trakt" stand-in on 127.0.0.1 (the simulator on the wall clock); credentials from TRAKT_*.
    from trakt_cassettes.sim import Simulator

    for name, value in (("TRAKT_CLIENT_ID", "standin-client-id"), ("TRAKT_CLIENT_SECRET", "standin-client-secret"),
                        ("TRAKT_ACCESS_TOKEN", "fake-token")):  # fmt: skip
        monkeypatch.setenv(name, value)
    with Simulator.on_wall_clock(project.path / "account.yaml").serve(port=0) as server:
        body = WATCHLIST.format(extra="").replace('scenario="account.yaml"', f'backend="{server.url}"')
        run(project, body, "--trakt-record-mode=once").assert_outcomes(passed=1)
    data = yaml.safe_load((project.path / "shelf.cassette.yaml").read_text(encoding="utf-8"))
    assert "scenario" not in data["metadata"] and isinstance(data["metadata"]["recorded_at"], (int, float))
    assert "fake-token" not in (project.path / "shelf.cassette.yaml").read_text(encoding="utf-8")
    run(project, body).assert_outcomes(passed=1)  # the backend is gone: the replay needs only the cassette
