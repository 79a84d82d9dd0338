"""`trakt-cassettes replay` through a real subprocess: the add-on's sync in a fake Kodi against served cassettes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from trakt_cassettes.config import CASSETTE_DIR


def replay(name: str, *extra: str) -> subprocess.CompletedProcess:
    cassette = CASSETTE_DIR / f"{name}.cassette.yaml"
    return subprocess.run([sys.executable, "-m", "trakt_cassettes.cli", "replay", str(cassette), *extra],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def replay_json(name: str) -> dict:
    result = replay(name, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def first_sync() -> dict:
    return replay_json("first_sync_small")


def test_first_sync_plays_every_interaction_and_matches_every_request(first_sync: dict) -> None:
    assert (first_sync["ok"], first_sync["unmatched"], first_sync["unplayed"]) == (True, [], [])


def test_first_sync_timeline_starts_with_last_activities_at_the_scenario_now(first_sync: dict) -> None:
    first = first_sync["steps"][0]["requests"][0]
    assert (first["method"], first["path"], first["status"], first["at"]) == (
        "GET", "/sync/last_activities", 200, first_sync["started_at"])  # fmt: skip


def test_first_sync_reports_rows_written_per_area_and_table(first_sync: dict) -> None:
    areas = first_sync["steps"][0]["result"]["areas"]
    assert areas["watched_movies"]["watched_movies"] == {"inserted": 1, "updated": 0, "deleted": 0}
    assert areas["playback"]["playback"] == {"inserted": 1, "updated": 0, "deleted": 0}


def test_first_sync_final_state_counts_rows_per_table(first_sync: dict) -> None:
    tables = first_sync["tables"]
    assert (tables["shows"], tables["movies"], tables["watched_episodes"], tables["playback"]) == (2, 2, 4, 1)


def test_no_change_second_sync_asks_only_last_activities_and_skips_every_area() -> None:
    timeline = replay_json("no_change_incremental")
    kinds = [step["kind"] for step in timeline["steps"]]
    second = timeline["steps"][2]
    assert kinds == ["sync", "wait", "sync"]
    assert [r["path"] for r in second["requests"]] == ["/sync/last_activities"]
    assert second["result"]["report"]["synced"] == [] and set(
        second["result"]["report"]["skipped"].values()
    ) == {"unchanged"}
    assert second["requests"][0]["at"] - timeline["started_at"] == 600


def test_rate_limited_request_shows_429_budget_and_the_retry_after_the_wait() -> None:
    timeline = replay_json("rate_limited_429_then_success")
    shows = [r for r in timeline["steps"][0]["requests"] if r["path"].startswith("/sync/watched/shows")]
    assert [(r["status"], r["ratelimit_remaining"]) for r in shows] == [(429, 0), (200, None)]
    assert shows[1]["at"] - shows[0]["at"] == 2
    assert timeline["errors"] == []


def test_outage_shows_the_retries_and_the_area_that_gave_up() -> None:
    timeline = replay_json("outage_5xx_520")
    playback = [
        r["status"] for r in timeline["steps"][0]["requests"] if r["path"].startswith("/sync/playback")
    ]
    assert playback == [520] * 5
    assert timeline["errors"] == [
        "step 1 (sync): playback: ServerUnavailableError: Trakt is unavailable (HTTP 520 on GET /sync/playback); "
        "try again later"
    ]


def test_malformed_json_fails_only_its_area() -> None:
    timeline = replay_json("malformed_json")
    report = timeline["steps"][0]["result"]["report"]
    assert list(report["failed"]) == ["playback"] and "watched_movies" in report["synced"]
    assert report["failed"]["playback"] == (
        "MalformedResponseError: Trakt sent malformed JSON for GET /sync/playback (HTTP 200)"
    )


def test_text_timeline_lists_requests_writes_errors_and_final_state() -> None:
    result = replay("malformed_json")
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert "      +0s 2026-11-01T12:00:00Z  GET /sync/last_activities  200" in lines
    assert "  wrote watched_movies: movies +1 ~0 -0; watched_movies +1 ~0 -0" in lines
    assert "errors: 1" in lines and "unmatched requests: none" in lines
    assert lines[-1].startswith("final state: ") and "playback 0" in lines[-1]


def test_a_request_the_cassette_lacks_is_reported_unmatched_and_exits_1(tmp_path: Path) -> None:
    data = yaml.safe_load((CASSETTE_DIR / "first_sync_small.cassette.yaml").read_text(encoding="utf-8"))
    data["interactions"] = [i for i in data["interactions"] if "/sync/playback" not in i["request"]["uri"]]
    (tmp_path / "cut.cassette.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", tmp_path / "first_sync_small.yaml")
    result = subprocess.run([sys.executable, "-m", "trakt_cassettes.cli", "replay", str(tmp_path / "cut.cassette.yaml")],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "unmatched requests: 1" in result.stdout.splitlines()
    assert "GET /sync/playback?page=1&limit=250  501  UNMATCHED" in result.stdout
