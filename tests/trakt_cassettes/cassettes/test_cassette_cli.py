"""trakt-cassettes through real subprocesses."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from trakt_cassettes.config import CASSETTE_DIR

CLI = [sys.executable, "-m", "trakt_cassettes.cli"]
# A replayed request must carry Trakt's credential headers as the recorded one did (values are scrubbed).
TRAKT = {"Authorization": "Bearer t", "trakt-api-key": "k", "trakt-api-version": "2"}


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def _serve(path: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [*CLI, "serve", str(path), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    first_line = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+)", first_line)
    assert match, first_line + process.stderr.read()
    return process, match.group(1)


def _stop(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    return process.returncode, out


@pytest.mark.parametrize("command", ["serve", "record", "lint", "replay", "index"])
def test_every_subcommand_has_help(command: str) -> None:
    result = _run(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: trakt-cassettes {command}")


def test_serve_cassette_replays_and_reports_unplayed_on_exit() -> None:
    process, url = _serve(CASSETTE_DIR / "locked_account_423.cassette.yaml")
    assert requests.get(f"{url}/sync/last_activities", headers=TRAKT, timeout=5).status_code == 423
    assert requests.get(f"{url}/sync/playback", headers=TRAKT, timeout=5).status_code == 501
    code, out = _stop(process)
    assert code == 1
    assert "played 1 of 1 interactions" in out
    assert "1 unmatched request(s); the first in full:\n  GET http://127.0.0.1:" in out


def test_serve_scenario_runs_the_simulator() -> None:
    process, url = _serve(CASSETTE_DIR / "first_sync_small.yaml")
    answer = requests.get(f"{url}/sync/watched/movies", timeout=5,
                          headers={"Authorization": "Bearer fake-token", "trakt-api-key": "standin-client-id",
                                   "trakt-api-version": "2", "Content-Type": "application/json"})  # fmt: skip
    code, out = _stop(process)
    # Once seen answering a JSON object here (shifted-clock lane, +1 year, loaded machine): say what it was.
    assert answer.status_code == 200, (answer.status_code, answer.text[:300], out, answer.headers)
    assert answer.json()[0]["movie"]["title"] == "Batman Begins"
    assert (code, out.splitlines()[-1]) == (0, "simulator served 1 request(s)")


def test_record_writes_the_cassette_given_with_o(tmp_path: Path) -> None:
    shutil.copy(CASSETTE_DIR / "no_imdb_titles.yaml", tmp_path / "s.yaml")
    result = _run("record", str(tmp_path / "s.yaml"), "-o", str(tmp_path / "out.cassette.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("recorded 8 interaction(s), ")
    assert (tmp_path / "out.cassette.yaml").read_bytes() == (
        CASSETTE_DIR / "no_imdb_titles.cassette.yaml"
    ).read_bytes().replace(b"scenario: no_imdb_titles.yaml", b"scenario: s.yaml")


def test_record_with_unknown_driver_exits_2() -> None:
    result = _run("record", str(CASSETTE_DIR / "first_sync_small.yaml"), "--driver", "nope")
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "trakt-cassettes record: unknown driver 'nope' (known: addon-sync, addon-incremental, addon-device-auth, standin-sync, standin-device-auth, standin-incremental)",
    )


def test_record_lists_its_drivers_without_a_scenario_and_wants_one_otherwise() -> None:
    listed = _run("record", "--list-drivers")
    assert listed.returncode == 0, listed.stderr
    assert [line.split(":")[0] for line in listed.stdout.splitlines()] == [
        "addon-sync", "addon-incremental", "addon-device-auth", "standin-sync", "standin-device-auth", "standin-incremental",
    ]  # fmt: skip
    missing = _run("record")
    assert (missing.returncode, missing.stderr.strip()) == (
        2,
        "trakt-cassettes record: a SCENARIO.yaml is required (or --list-drivers)",
    )


def test_lint_fails_with_exit_1_on_a_problem(tmp_path: Path) -> None:
    (tmp_path / "x.cassette.yaml").write_text("version: 1\ninteractions: []\n", encoding="utf-8")
    result = _run("lint", str(tmp_path))
    assert result.returncode == 1
    assert "[scenario] no scenario: metadata.scenario must name the scenario file" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 cassette(s) checked, 1 problem(s)"


def test_lint_passes_on_the_committed_cassettes() -> None:
    result = _run("lint")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].endswith("cassette(s) checked, 0 problem(s)")


def test_replay_of_a_missing_cassette_exits_2(tmp_path: Path) -> None:
    result = _run("replay", str(tmp_path / "gone.cassette.yaml"))
    assert (result.returncode, result.stderr.strip()) == (
        2,
        f"trakt-cassettes replay: no such cassette: {tmp_path / 'gone.cassette.yaml'}",
    )


def test_index_check_passes_when_current() -> None:
    result = _run("index", "--check")
    assert (result.returncode, result.stdout.strip().endswith("INDEX.md is current")) == (0, True)
