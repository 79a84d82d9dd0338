"""Scrubbing on record: no secret survives, placeholders are consistent, nothing else changes."""

from __future__ import annotations

from pathlib import Path

import yaml
from vcr.request import Request

from trakt_cassettes.filters import Scrubber, is_placeholder, mask_secrets_in_text

from .conftest import CLIENT_ID, CLIENT_SECRET, CannedOrigin, issued_token, record_oauth_and_sync


def _interactions(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]


def test_no_secret_survives_recording(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    scrubber = record_oauth_and_sync(canned_origin.url, path)
    text = path.read_text(encoding="utf-8")
    secrets = [
        CLIENT_ID,
        CLIENT_SECRET,
        *(issued_token(kind, n) for kind in ("device", "access", "refresh") for n in (1, 2, 3)),
    ]
    assert set(scrubber.secrets) >= {CLIENT_ID, CLIENT_SECRET}
    assert [secret for secret in secrets if secret in text] == []


def test_issued_tokens_become_numbered_placeholders(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    bodies = [interaction["response"]["body"]["string"] for interaction in _interactions(path)]
    assert '"device_code": "SCRUBBED_DEVICE_CODE"' in bodies[0]
    assert '"access_token": "SCRUBBED_ACCESS_TOKEN"' in bodies[1]
    assert '"access_token": "SCRUBBED_ACCESS_TOKEN_2"' in bodies[2]
    assert '"refresh_token": "SCRUBBED_REFRESH_TOKEN_2"' in bodies[2]


def test_same_secret_gets_same_placeholder_across_interactions(
    canned_origin: CannedOrigin, tmp_path: Path
) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    interactions = _interactions(path)
    # The refresh request sends back the refresh token the device login issued.
    assert '"refresh_token": "SCRUBBED_REFRESH_TOKEN"' in interactions[1]["response"]["body"]["string"]
    assert '"refresh_token": "SCRUBBED_REFRESH_TOKEN"' in interactions[2]["request"]["body"]
    # The device-token poll sends back the device code.
    assert '"code": "SCRUBBED_DEVICE_CODE"' in interactions[1]["request"]["body"]
    # Later GETs carry the refreshed access token.
    assert interactions[3]["request"]["headers"]["Authorization"] == ["Bearer SCRUBBED_ACCESS_TOKEN_2"]
    assert {tuple(i["request"]["headers"]["trakt-api-key"]) for i in interactions} == {
        ("SCRUBBED_CLIENT_ID",)
    }


def test_client_secret_in_request_body_is_scrubbed(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    assert '"client_secret": "SCRUBBED_CLIENT_SECRET"' in _interactions(path)[1]["request"]["body"]


def test_volatile_headers_are_dropped(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    names = {
        name.lower() for interaction in _interactions(path) for name in interaction["response"]["headers"]
    }
    assert names == {"content-type", "content-length"}


def test_content_length_follows_the_scrubbed_body(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    for interaction in _interactions(path):
        body = interaction["response"]["body"]["string"].encode("utf-8")
        assert interaction["response"]["headers"]["Content-Length"] == [str(len(body))]


def test_unicode_body_is_kept_as_is(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    assert "Amélie à Paris – 東京" in path.read_text(encoding="utf-8")
    assert "Amélie à Paris – 東京" in _interactions(path)[4]["response"]["body"]["string"]


def test_recorded_origin_becomes_the_canonical_trakt_url(canned_origin: CannedOrigin, tmp_path: Path) -> None:
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    assert (
        _interactions(path)[4]["request"]["uri"]
        == "https://api.trakt.tv/sync/watched/shows?extended=progress&page=1&limit=250"
    )


def test_placeholders_pass_through_a_scrubber_unchanged() -> None:
    scrubber = Scrubber()
    request = Request(
        "GET", "https://api.trakt.tv/sync/playback", None, {"Authorization": "Bearer SCRUBBED_ACCESS_TOKEN_2"}
    )
    assert scrubber.request(request).headers["Authorization"] == "Bearer SCRUBBED_ACCESS_TOKEN_2"
    assert scrubber.secrets == ()


def test_form_encoded_oauth_body_is_scrubbed() -> None:
    scrubber = Scrubber()
    body = f"grant_type=refresh_token&refresh_token={'r' * 40}&client_secret={'s' * 40}".encode()
    request = scrubber.request(Request("POST", "https://api.trakt.tv/oauth/token", body, {}))
    assert (
        request.body
        == b"grant_type=refresh_token&refresh_token=SCRUBBED_REFRESH_TOKEN&client_secret=SCRUBBED_CLIENT_SECRET"
    )


def test_is_placeholder_accepts_only_scrubbed_names() -> None:
    assert [
        is_placeholder(v) for v in ("SCRUBBED_ACCESS_TOKEN", "SCRUBBED_REFRESH_TOKEN_12", "abc", "SCRUBBED_x")
    ] == [
        True,
        True,
        False,
        False,
    ]


def test_mask_secrets_in_text_hides_bearer_hex_and_secret_fields() -> None:
    text = f'Authorization: Bearer tok123 {"a1" * 20} {{"client_secret": "hunter22", "token": "SCRUBBED_ACCESS_TOKEN"}}'
    assert (
        mask_secrets_in_text(text)
        == 'Authorization: Bearer *** *** {"client_secret": "***", "token": "SCRUBBED_ACCESS_TOKEN"}'
    )
