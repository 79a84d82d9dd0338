"""Recording and replaying an add-on that is not the reference one, through the CLI in real processes.

plugin.video.watchlistdemo (tests/trakt_cassettes/addons/) knows nothing of this project: a root
menu, a watchlist folder read with `requests`, and a service polling /sync/last_activities every
60 s. Its plugin calls and its service each run in their own interpreter under fake Kodi; the
recording proxy sees them all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fake_kodi.host.addon_folder import build_addon_zip
from trakt_cassettes.config import CASSETTE_DIR
from trakt_cassettes.lint import lint_paths

CLI = [sys.executable, "-m", "trakt_cassettes.cli"]
DEMO = Path(__file__).resolve().parents[1] / "addons" / "plugin.video.watchlistdemo"
ROOT_URL = "plugin://plugin.video.watchlistdemo/"
WATCHLIST_URL = "plugin://plugin.video.watchlistdemo/?action=watchlist"
CREDENTIALS = ["--setting", "trakt_client_id={client_id}", "--setting", "trakt_access_token={access_token}"]
DRIVE = ["--url", ROOT_URL, "--url", WATCHLIST_URL, "--service", "150"]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=180, cwd=cwd, check=False)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The demo add-on recorded once against first_sync_small: its folder, cassette and what the CLI said."""
    folder = tmp_path_factory.mktemp("demo")
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", folder / "account.yaml")
    cassette = folder / "demo.cassette.yaml"
    done = cli(
        "record",
        str(folder / "account.yaml"),
        "-o",
        str(cassette),
        "--addon",
        str(DEMO),
        *DRIVE,
        *CREDENTIALS,
    )
    assert done.returncode == 0, done.stderr
    return {"folder": folder, "cassette": cassette, "stdout": done.stdout,
            "data": yaml.safe_load(cassette.read_text(encoding="utf-8"))}  # fmt: skip


def test_recording_captures_the_plugin_call_and_every_service_poll(recorded: dict) -> None:
    uris = [interaction["request"]["uri"] for interaction in recorded["data"]["interactions"]]
    assert recorded["stdout"].startswith("recorded 4 interaction(s), ")
    assert (
        uris
        == ["https://api.trakt.tv/sync/watchlist/movies/rank/asc?page=1&limit=100"]
        + ["https://api.trakt.tv/sync/last_activities"] * 3
    )


def test_the_cassette_says_what_was_driven_and_how_the_addon_was_pointed_at_trakt(recorded: dict) -> None:
    metadata = recorded["data"]["metadata"]
    assert metadata == {
        "addon": {"id": "plugin.video.watchlistdemo", "api_url_setting": "trakt_api_url",
                  "settings": {"trakt_access_token": "{access_token}", "trakt_client_id": "{client_id}"}},
        "driver": "recording_proxy",
        "replay_steps": [["run", ROOT_URL], ["run", WATCHLIST_URL], ["service", 150]],
        "scenario": "account.yaml",
        "token_expires_in": 2592000,
    }  # fmt: skip


def test_the_recording_is_scrubbed_and_lints_clean(recorded: dict) -> None:
    text = recorded["cassette"].read_text(encoding="utf-8")
    assert (
        "fake-token" not in text
        and "standin-client-id" not in text
        and "Bearer SCRUBBED_ACCESS_TOKEN" in text
    )
    assert lint_paths([recorded["cassette"]]) == []


def test_recording_the_same_steps_twice_gives_the_same_bytes(recorded: dict, tmp_path: Path) -> None:
    again = tmp_path / "again.cassette.yaml"
    shutil.copy(recorded["folder"] / "account.yaml", tmp_path / "account.yaml")
    done = cli(
        "record", str(tmp_path / "account.yaml"), "-o", str(again), "--addon", str(DEMO), *DRIVE, *CREDENTIALS
    )
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == recorded["cassette"].read_bytes()


def test_replay_with_only_the_addon_prints_the_timeline_and_exits_0(recorded: dict, tmp_path: Path) -> None:
    zipped = build_addon_zip(DEMO, tmp_path)  # a zip replays what its folder recorded
    done = cli("replay", str(recorded["cassette"]), "--addon", str(zipped))
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        lines[0]
        == "replay demo.cassette.yaml on plugin.video.watchlistdemo (scenario account.yaml, recorded by recording_proxy)"
    )
    assert lines[2:] == [
        f"step 1: run {ROOT_URL} at 2026-11-01T12:00:00Z",
        "  directory, 1 item(s)",
        f"step 2: run {WATCHLIST_URL} at 2026-11-01T12:00:00Z",
        "      +0s 2026-11-01T12:00:00Z  GET /sync/watchlist/movies/rank/asc?page=1&limit=100  200",
        "  directory, 1 item(s)",
        "step 3: service 150 virtual s at 2026-11-01T12:00:00Z",
        "      +0s 2026-11-01T12:00:00Z  GET /sync/last_activities  200",
        "     +60s 2026-11-01T12:01:00Z  GET /sync/last_activities  200",
        "    +120s 2026-11-01T12:02:00Z  GET /sync/last_activities  200",
        "  returned within 5 s of abort",
        "errors: none",
        "unmatched requests: none",
        "unplayed interactions: none",
    ]  # fmt: skip


def test_a_changed_request_shows_as_unmatched_and_exits_1(recorded: dict) -> None:
    done = cli("replay", str(recorded["cassette"]), "--addon", str(DEMO), "--setting", "watchlist_type=shows")
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert (
        "      +0s 2026-11-01T12:00:00Z  GET /sync/watchlist/shows/rank/asc?page=1&limit=100  501  UNMATCHED"
        in lines
    )
    assert ("unmatched requests: 1", "unplayed interactions: 1") == (lines[-4], lines[-2])
    assert lines[-1] == "  #0 GET https://api.trakt.tv/sync/watchlist/movies/rank/asc?page=1&limit=100"


def test_steps_given_on_the_command_line_replace_the_recorded_ones(recorded: dict) -> None:
    done = cli("replay", str(recorded["cassette"]), "--addon", str(DEMO), "--service", "150", "--json")
    timeline = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr  # the watchlist interaction is left unplayed
    assert [step["kind"] for step in timeline["steps"]] == ["service"]
    assert timeline["unplayed"] == [
        "#0 GET https://api.trakt.tv/sync/watchlist/movies/rank/asc?page=1&limit=100"
    ]
    assert timeline["tables"] is None


def test_a_replay_without_the_addon_names_the_one_recorded_and_exits_2(recorded: dict) -> None:
    done = cli("replay", str(recorded["cassette"]), cwd=recorded["folder"])
    assert (done.returncode, done.stderr.strip()) == (
        2,
        "trakt-cassettes replay: cannot replay demo.cassette.yaml: name the add-on to drive with --addon "
        "ZIP_OR_FOLDER (the cassette was recorded with plugin.video.watchlistdemo)",
    )


def test_a_recording_that_captures_nothing_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", tmp_path / "account.yaml")
    done = cli(
        "record", str(tmp_path / "account.yaml"), "--addon", str(DEMO), "--url", ROOT_URL, *CREDENTIALS
    )
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "trakt-cassettes record: recording account.yaml recorded no interaction: plugin.video.watchlistdemo "
        "sent nothing to its trakt_api_url setting (no step failed)",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["account.yaml"]


def test_an_addon_without_steps_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", tmp_path / "account.yaml")
    done = cli("record", str(tmp_path / "account.yaml"), "--addon", str(DEMO))
    assert (done.returncode, done.stderr.strip()) == (
        2,
        "trakt-cassettes record: say what to drive: --url, --service, --wait or --call",
    )


def test_the_reference_addon_records_through_the_proxy_like_any_other(tmp_path: Path) -> None:
    # No --addon: this checkout's pyproject.toml names the reference add-on, its settings and its database.
    shutil.copy(CASSETTE_DIR / "no_change_incremental.yaml", tmp_path / "account.yaml")
    cassette = tmp_path / "sync.cassette.yaml"
    done = cli("record", str(tmp_path / "account.yaml"), "-o", str(cassette),
               "--call", "aiostreams.debug:run_sync", "[false]", "--wait", "600", "--call", "aiostreams.debug:run_sync")  # fmt: skip
    assert done.returncode == 0, done.stderr
    replayed = cli("replay", str(cassette), "--json")
    timeline = json.loads(replayed.stdout)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert [len(step["requests"]) for step in timeline["steps"]] == [10, 0, 1]
    assert timeline["steps"][2]["result"]["report"]["synced"] == []
    assert (timeline["addon"], timeline["tables"]["movies"], timeline["tables"]["watched_episodes"]) == (
        "plugin.video.aiostreams", 2, 4)  # fmt: skip


def test_recording_against_a_base_url_fills_the_placeholders_from_the_environment(tmp_path: Path) -> None:
    # The "real Trakt" mode, against the simulator's HTTP server on 127.0.0.1 (as the other record tests do).
    import os

    from trakt_cassettes.sim import Simulator

    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", tmp_path / "account.yaml")
    environ = {**os.environ, "TRAKT_CLIENT_ID": "standin-client-id", "TRAKT_CLIENT_SECRET": "standin-client-secret",
               "TRAKT_ACCESS_TOKEN": "fake-token"}  # fmt: skip
    with Simulator.from_file(tmp_path / "account.yaml").serve(port=0) as server:
        done = subprocess.run([*CLI, "record", str(tmp_path / "account.yaml"), "--base-url", server.url,
                               "--addon", str(DEMO), "--url", WATCHLIST_URL, *CREDENTIALS],
                              capture_output=True, text=True, timeout=180, env=environ, check=False)  # fmt: skip
    text = (tmp_path / "account.cassette.yaml").read_text(encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "fake-token" not in text and "standin-client-id" not in text
    assert "uri: https://api.trakt.tv/sync/watchlist/movies/rank/asc?page=1&limit=100" in text


# An add-on that ignores its API URL setting (a hard-coded host) is played here by pointing the tools at
# a setting the demo add-on never reads: its trakt_api_url keeps its default, https://api.trakt.tv.
ELSEWHERE = ["--api-url-setting", "trakt_unused_url"]
GUARD = (
    "fake_kodi blocked a network connection from plugin.video.watchlistdemo to api.trakt.tv:443: an add-on under "
    "test reaches only loopback servers and the hosts the test allowed (kodi.allow_network(HOST[:PORT]) or "
    "@pytest.mark.kodi_allow_network)"
)


def test_a_recording_names_the_hard_coded_host_the_addon_reached_for(tmp_path: Path) -> None:
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", tmp_path / "account.yaml")
    done = cli("record", str(tmp_path / "account.yaml"), "--addon", str(DEMO), "--service", "60",
               *CREDENTIALS, *ELSEWHERE)  # fmt: skip
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "trakt-cassettes record: recording account.yaml recorded no interaction: plugin.video.watchlistdemo "
        "sent nothing to its trakt_unused_url setting (step 1 (service): blocked a connection to "
        "api.trakt.tv:443 (2 attempts): the add-on sent it past its trakt_unused_url setting)",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["account.yaml"]


def test_a_replay_shows_what_went_past_the_replay_server_and_what_the_addon_logged(recorded: dict) -> None:
    done = cli("replay", str(recorded["cassette"]), "--addon", str(DEMO), "--service", "150", *ELSEWHERE)
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stderr
    assert lines[2:10] == [
        "step 1: service 150 virtual s at 2026-11-01T12:00:00Z",
        "  returned within 5 s of abort",
        *[f"  log warning: watchlistdemo: poll failed: {GUARD}"] * 3,
        "  BLOCKED api.trakt.tv:443 (3 attempts)",
        "errors: 1",
        "  step 1 (service): blocked a connection to api.trakt.tv:443 (3 attempts), past the replay server",
    ]
    assert "unplayed interactions: 4" in lines


def test_a_call_step_shows_what_the_function_returned(recorded: dict) -> None:
    call = ["--call", "resources.lib.watchlistdemo.trakt:get", '["/sync/last_activities"]']
    text = cli("replay", str(recorded["cassette"]), "--addon", str(DEMO), *call).stdout.splitlines()
    timeline = json.loads(
        cli("replay", str(recorded["cassette"]), "--addon", str(DEMO), *call, "--json").stdout
    )
    answer = next(i["response"]["body"]["string"] for i in recorded["data"]["interactions"]
                  if i["request"]["uri"].endswith("/sync/last_activities"))  # fmt: skip
    assert timeline["steps"][0]["result"] == json.loads(answer)
    assert (
        text[2]
        == 'step 1: call resources.lib.watchlistdemo.trakt:get ["/sync/last_activities"] at 2026-11-01T12:00:00Z'
    )
    returned = json.dumps(json.loads(answer), ensure_ascii=False, sort_keys=True)
    assert text[4] == f"  returned {returned[:400]} ..."
