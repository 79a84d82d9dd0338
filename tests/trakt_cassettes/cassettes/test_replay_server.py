"""The replay server over real HTTP on 127.0.0.1: matched answers, unmatched and unplayed reports."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from trakt_cassettes.cassette_file import CassetteError
from trakt_cassettes.replay_server import UNMATCHED_STATUS, ReplayServer

API = {"trakt-api-key": "my-client-id-1234", "trakt-api-version": "2"}
AUTHED = {**API, "Authorization": "Bearer SCRUBBED_ACCESS_TOKEN_2"}


def _replay_login(url: str) -> list[requests.Response]:
    """The recorded traffic again, as a client holding only placeholders would send it."""
    code = requests.post(
        f"{url}/oauth/device/code", json={"client_id": "my-client-id-1234"}, headers=API, timeout=5
    )
    device_code = code.json()["device_code"]
    tokens = requests.post(f"{url}/oauth/device/token", headers=API, timeout=5,
                           json={"code": device_code, "client_id": "my-client-id-1234", "client_secret": "my-secret-5678"})  # fmt: skip
    refreshed = requests.post(f"{url}/oauth/token", headers=API, timeout=5,
                              json={"refresh_token": tokens.json()["refresh_token"], "client_id": "my-client-id-1234",
                                    "client_secret": "my-secret-5678", "grant_type": "refresh_token"})  # fmt: skip
    return [code, tokens, refreshed]


def test_recorded_answers_replay_in_order(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        code, tokens, refreshed = _replay_login(server.url)
        shows = requests.get(
            f"{server.url}/sync/watched/shows?limit=250&page=1&extended=progress", headers=AUTHED, timeout=5
        )
    assert [r.status_code for r in (code, tokens, refreshed, shows)] == [200, 200, 200, 200]
    assert refreshed.json()["access_token"] == "SCRUBBED_ACCESS_TOKEN_2"
    assert shows.json()[0]["show"]["title"] == "Amélie à Paris – 東京"


def test_full_replay_reports_ok(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        _replay_login(server.url)
        requests.get(f"{server.url}/sync/last_activities", headers=AUTHED, timeout=5)
        requests.get(
            f"{server.url}/sync/watched/shows?extended=progress&page=1&limit=250", headers=AUTHED, timeout=5
        )
        report = server.stop()
    assert (report.ok, report.played, report.total) == (True, 5, 5)
    assert report.format().endswith("all requests matched, all interactions played")


def test_unmatched_request_gets_501_and_is_reported_with_closest_match(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        answer = requests.get(f"{server.url}/sync/watched/shows?extended=full", headers=AUTHED, timeout=5)
        report = server.stop()
    assert answer.status_code == UNMATCHED_STATUS
    assert answer.json()["error"] == "unmatched_request"
    [unmatched] = report.unmatched
    assert unmatched.reason == "no recorded interaction matches; closest below"
    closest = unmatched.closest[0]
    assert (closest.index, closest.passed) == (4, ["method", "path", "write_body", "credentials"])
    assert closest.failed[0][0] == "sorted_query"


def test_a_request_without_its_credentials_does_not_match(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        _replay_login(server.url)
        answer = requests.get(
            f"{server.url}/sync/last_activities", headers=API, timeout=5
        )  # no Authorization
        report = server.stop()
    assert answer.status_code == UNMATCHED_STATUS
    closest = report.unmatched[0].closest[0]
    assert closest.passed == ["method", "path", "sorted_query", "write_body"]
    assert closest.failed == [("credentials", "header Authorization missing from the replayed request")]


def test_unmatched_report_masks_secrets(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        requests.post(f"{server.url}/oauth/token", timeout=5, headers={**API, "Authorization": "Bearer livetoken99"},
                      json={"refresh_token": "live-refresh-token", "client_secret": "live-secret-value"})  # fmt: skip
        text = server.stop().format()
    assert "livetoken99" not in text and "live-refresh-token" not in text and "live-secret-value" not in text
    assert "Authorization: Bearer ***" in text
    assert '"refresh_token": "***"' in text


def test_repeated_request_beyond_the_recording_is_reported_as_already_played(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        first = requests.get(f"{server.url}/sync/last_activities", headers=AUTHED, timeout=5)
        second = requests.get(f"{server.url}/sync/last_activities", headers=AUTHED, timeout=5)
        report = server.stop()
    assert (first.status_code, second.status_code) == (200, UNMATCHED_STATUS)
    assert report.unmatched[0].reason == "all 1 matching recorded interaction(s) were already played"


def test_unplayed_interactions_are_reported(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        requests.get(f"{server.url}/sync/last_activities", headers=AUTHED, timeout=5)
        report = server.stop()
    assert report.unplayed == [
        "#0 POST https://api.trakt.tv/oauth/device/code",
        "#1 POST https://api.trakt.tv/oauth/device/token",
        "#2 POST https://api.trakt.tv/oauth/token",
        "#4 GET https://api.trakt.tv/sync/watched/shows?extended=progress&page=1&limit=250",
    ]


def test_write_with_a_different_body_does_not_match(recorded_cassette: Path) -> None:
    with ReplayServer(recorded_cassette) as server:
        answer = requests.post(
            f"{server.url}/oauth/device/code", json={"client_id": "x", "extra": 1}, headers=API, timeout=5
        )
        report = server.stop()
    assert answer.status_code == UNMATCHED_STATUS
    assert report.unmatched[0].closest[0].failed[0][0] == "write_body"


def test_missing_cassette_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="no such cassette: .*nope.cassette.yaml"):
        ReplayServer(tmp_path / "nope.cassette.yaml")


def test_url_before_start_raises_runtime_error(recorded_cassette: Path) -> None:
    with pytest.raises(RuntimeError, match="replay server is not running"):
        _ = ReplayServer(recorded_cassette).url
