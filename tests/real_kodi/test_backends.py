"""What `fake-kodi real debug` serves: setting overrides, the simulator's and the replay server's settings."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from fake_kodi.real.backends import (
    apply_overrides,
    cassette_settings,
    parse_setting_overrides,
    serve_cassette,
    serve_scenario,
)
from tests.real_kodi.reference_world import SMALL_LIBRARY
from trakt_cassettes.recorded_time import scenario_now, token_lifetime
from trakt_cassettes.replay import read_cassette_plan

CASSETTE = (
    Path(__file__).resolve().parents[2] / "trakt_cassettes" / "cassettes" / "first_sync_small.cassette.yaml"
)


def test_setting_overrides_are_key_value_pairs() -> None:
    assert parse_setting_overrides(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}


def test_setting_override_without_equals_sign_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"--setting needs KEY=VALUE, got 'oops'"):
        parse_setting_overrides(["oops"])


def test_server_placeholder_in_an_override_becomes_the_url() -> None:
    merged = apply_overrides({"a": "1", "b": "2"}, {"b": "{server}/x", "c": "3"}, "http://127.0.0.1:9")
    assert merged == {"a": "1", "b": "http://127.0.0.1:9/x", "c": "3"}


def test_scenario_backend_points_the_addon_at_the_served_simulator() -> None:
    with serve_scenario(SMALL_LIBRARY) as backend:
        assert backend.url.startswith("http://127.0.0.1:")
        assert backend.settings["trakt_api_url"] == backend.url
        assert backend.settings["aiostreams_manifest_url"] == f"{backend.url}/stremio/cfg/manifest.json"
        with urllib.request.urlopen(backend.settings["aiostreams_manifest_url"], timeout=10) as answer:
            assert answer.status == 200
        assert backend.describe_traffic() == (
            "simulator answered 0 Trakt requests, 0 token refresh(es), 0 rate-limited (429)"
        )


def test_cassette_backend_uses_the_scenario_tokens() -> None:
    with serve_cassette(CASSETTE) as backend:
        assert backend.url.startswith("http://127.0.0.1:")
        assert (backend.settings["trakt_api_url"], backend.settings["trakt_access_token"]) == (
            backend.url,
            "fake-token",
        )
        assert backend.describe_traffic().startswith("replay server played 0 requests, 0 unmatched")


@pytest.mark.parametrize(
    "cassette", sorted(CASSETTE.parent.glob("*.cassette.yaml")), ids=lambda path: path.stem
)
def test_every_committed_cassette_gives_real_kodi_a_token_valid_on_the_wall_clock(cassette: Path) -> None:
    metadata, _scenario_path, scenario = read_cassette_plan(cassette)
    now = time.time()
    settings = cassette_settings(metadata, scenario, "http://127.0.0.1:1", now)
    lifetime = token_lifetime(metadata, scenario_now(scenario))
    assert lifetime > 0
    assert int(settings["trakt_token_expires"]) == int(now + lifetime)
