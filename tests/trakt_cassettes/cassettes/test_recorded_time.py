"""What a cassette's recorded times mean on a later day: relative token lifetime, tokens issued when served."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests
import yaml

from trakt_cassettes.lint import lint_paths
from trakt_cassettes.recorded_time import (
    DEFAULT_TOKEN_LIFETIME,
    RecordedTimeError,
    absolute_expiry_problem,
    reissue_token_answer,
    token_expiry,
    token_lifetime,
)
from trakt_cassettes.replay import ReplayError, read_cassette_plan
from trakt_cassettes.replay_server import ReplayServer

NOW = "2026-11-01T12:00:00Z"
NOW_EPOCH = 1793534400  # NOW in epoch seconds
SCENARIO = {"now": NOW}
COMMITTED = Path(__file__).resolve().parents[3] / "trakt_cassettes" / "cassettes"
API = {"trakt-api-key": "SCRUBBED_CLIENT_ID", "trakt-api-version": "2"}


def test_a_replay_years_later_gives_the_token_its_recorded_lifetime_from_the_replay_start() -> None:
    later = NOW_EPOCH + 10 * 365 * 86400
    assert token_expiry({"token_expires_in": 3600}, SCENARIO, later) == later + 3600


def test_the_old_absolute_expiry_is_read_as_the_lifetime_it_had_when_recorded() -> None:
    metadata = {"token_expires_at": NOW_EPOCH + 30 * 86400}
    assert token_lifetime(metadata, NOW_EPOCH) == 30 * 86400
    assert token_expiry(metadata, SCENARIO, NOW_EPOCH + 400 * 86400) == NOW_EPOCH + 430 * 86400


def test_a_cassette_without_an_expiry_gets_a_fresh_login() -> None:
    assert token_expiry({}, SCENARIO, 1000.0) == 1000 + DEFAULT_TOKEN_LIFETIME


@pytest.mark.parametrize("value", ["soon", None, True, [1]])
def test_an_unreadable_lifetime_is_a_clear_error(value: object) -> None:
    with pytest.raises(RecordedTimeError, match=r"metadata.token_expires_in must be a number of seconds"):
        token_lifetime({"token_expires_in": value}, NOW_EPOCH)


def test_a_token_answer_is_issued_when_it_is_served() -> None:
    recorded = json.dumps({"access_token": "A", "created_at": NOW_EPOCH, "expires_in": 86400}).encode()
    served = json.loads(reissue_token_answer("/oauth/token", 200, recorded, NOW_EPOCH + 99.7))
    assert served == {"access_token": "A", "created_at": NOW_EPOCH + 99, "expires_in": 86400}


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/sync/last_activities", 200, b'{"created_at": 1}'),
        ("/oauth/token", 400, b'{"error": "invalid_grant"}'),
        ("/oauth/token", 200, b"not json"),
        ("/oauth/device/token", 200, b"[1, 2]"),
    ],
)
def test_other_answers_are_served_as_recorded(path: str, status: int, body: bytes) -> None:
    assert reissue_token_answer(path, status, body, 5.0) == body


def test_the_absolute_form_is_reported_with_the_fix() -> None:
    problem = absolute_expiry_problem({"token_expires_at": NOW_EPOCH + 2592000}, SCENARIO)
    assert problem is not None
    assert "absolute time (2026-12-01T12:00:00Z)" in problem
    assert "fix: replace it with `token_expires_in: 2592000`" in problem
    assert absolute_expiry_problem({"token_expires_in": 2592000}, SCENARIO) is None


def _cassette(tmp_path: Path, metadata: dict, interactions: list | None = None) -> Path:
    (tmp_path / "s.yaml").write_text(f"now: '{NOW}'\n", encoding="utf-8")
    path = tmp_path / "c.cassette.yaml"
    document = {
        "metadata": {"scenario": "s.yaml", **metadata},
        "version": 1,
        "interactions": interactions or [],
    }
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_lint_reports_a_cassette_tied_to_the_calendar(tmp_path: Path) -> None:
    path = _cassette(tmp_path, {"token_expires_at": NOW_EPOCH + 2592000, "session_expires_at": 5})
    clock = [p.message for p in lint_paths([path]) if p.kind == "clock"]
    assert len(clock) == 2, clock
    assert "token_expires_in: 2592000" in clock[0]
    assert "metadata.session_expires_at is an absolute deadline" in clock[1]


def test_lint_reports_an_unreadable_lifetime(tmp_path: Path) -> None:
    path = _cassette(tmp_path, {"token_expires_in": "soon"})
    assert [p.kind for p in lint_paths([path])] == ["clock"]


def test_lint_accepts_a_relative_lifetime(tmp_path: Path) -> None:
    assert lint_paths([_cassette(tmp_path, {"token_expires_in": 3600})]) == []


def test_no_committed_cassette_is_tied_to_the_calendar() -> None:
    assert [str(p) for p in lint_paths([COMMITTED]) if p.kind == "clock"] == []


def test_replay_refuses_a_cassette_whose_lifetime_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match=r"c.cassette.yaml: metadata.token_expires_in must be a number"):
        read_cassette_plan(_cassette(tmp_path, {"token_expires_in": "soon"}))


def _token_interaction(created_at: int) -> dict:
    body = json.dumps({"access_token": "SCRUBBED_ACCESS_TOKEN_2", "refresh_token": "SCRUBBED_REFRESH_TOKEN_2",
                       "created_at": created_at, "expires_in": 86400, "token_type": "bearer", "scope": "public"})  # fmt: skip
    return {
        "request": {
            "method": "POST",
            "uri": "https://api.trakt.tv/oauth/token",
            "body": None,
            "headers": API,
        },
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": body}},
    }


def test_the_replay_server_issues_a_recorded_token_on_the_wall_clock(tmp_path: Path) -> None:
    path = _cassette(tmp_path, {"token_expires_in": 3600}, [_token_interaction(NOW_EPOCH)])
    with ReplayServer(path) as server:
        before = time.time()
        answer = requests.post(f"{server.url}/oauth/token", headers=API, timeout=5)
    assert answer.status_code == 200
    assert int(before) <= answer.json()["created_at"] <= time.time()


def test_the_replay_server_issues_a_recorded_token_on_the_clock_it_is_given(tmp_path: Path) -> None:
    path = _cassette(tmp_path, {"token_expires_in": 3600}, [_token_interaction(NOW_EPOCH)])
    with ReplayServer(path, clock=lambda: NOW_EPOCH + 42.0) as server:
        answer = requests.post(f"{server.url}/oauth/token", headers=API, timeout=5)
    assert answer.json()["created_at"] == NOW_EPOCH + 42


def test_an_unmatched_token_request_says_why_the_addon_asked(tmp_path: Path) -> None:
    path = _cassette(tmp_path, {"token_expires_in": 3600}, [])
    with ReplayServer(path) as server:
        requests.post(f"{server.url}/oauth/token", headers=API, timeout=5)
        report = server.report()
    assert "its token looked expired on the replay's clock" in report.unmatched[0].reason
