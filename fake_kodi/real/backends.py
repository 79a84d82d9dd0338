"""What `fake-kodi real debug` points the add-on at: the Trakt simulator (a scenario) or a cassette replay server.

Both listen on 127.0.0.1 only. The settings they produce are the reference add-on's (trakt_api_url, tokens,
...); `--setting KEY=VALUE` on the command line adds or overrides any, with `{server}` standing for the URL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The scenario's token as the add-on holds it: issued at the simulator's now (real time), valid a year;
# the simulator never expires a scenario's own token.
TOKEN_LIFETIME = 365 * 86400


@dataclass
class Backend:
    """A running fake Trakt: its URL, the add-on settings that point at it, and a way to summarise its traffic."""

    kind: str
    url: str
    settings: dict[str, str]
    summary: Any = field(repr=False, default=None)  # () -> str, read when the session ends

    def describe_traffic(self) -> str:
        """One line on what the backend answered so far."""
        return self.summary() if self.summary is not None else ""


def parse_setting_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """KEY=VALUE texts from the command line as a dict; ValueError naming the bad one otherwise."""
    overrides = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise ValueError(f"--setting needs KEY=VALUE, got {pair!r}")
        overrides[key.strip()] = value
    return overrides


def apply_overrides(settings: Mapping[str, str], overrides: Mapping[str, str], url: str) -> dict[str, str]:
    """The backend's settings with the overrides on top; '{server}' in an override becomes the backend URL."""
    merged = dict(settings)
    merged.update({key: value.replace("{server}", url) for key, value in overrides.items()})
    return merged


def scenario_settings(scenario_user: Mapping[str, Any], url: str, now: float) -> dict[str, str]:
    """The reference add-on's settings for a served simulator (Trakt and the AIOStreams stand-in)."""
    return {
        "aiostreams_manifest_url": f"{url}/stremio/cfg/manifest.json",
        "trakt_api_url": url,
        "trakt_client_id": "sim-client-id",
        "trakt_client_secret": "sim-client-secret",
        "trakt_access_token": str(scenario_user.get("access_token") or ""),
        "trakt_refresh_token": str(scenario_user.get("refresh_token") or ""),
        "trakt_token_expires": str(int(now + TOKEN_LIFETIME)),
        "auto_sync": "true",
    }


def cassette_settings(metadata: Mapping[str, Any], scenario: Mapping[str, Any], url: str, now: float) -> dict:
    """The reference add-on's settings for a cassette replay server (as trakt-cassettes replay sets them).

    `now` is the replay's clock (the wall clock in real Kodi): the recorded token gets the lifetime it had
    when the recording started, from `now` on, so the add-on sends what it sent when recorded.
    """
    from trakt_cassettes.recorded_time import token_expiry

    user, app = scenario.get("user") or {}, scenario.get("app") or {}
    return {
        "trakt_api_url": url,
        "trakt_client_id": str(app.get("client_id") or "replay-client-id"),
        "trakt_client_secret": str(app.get("client_secret") or "replay-client-secret"),
        "trakt_access_token": str(user.get("access_token") or ""),
        "trakt_refresh_token": str(user.get("refresh_token") or ""),
        "trakt_token_expires": str(token_expiry(metadata, scenario, now)),
        "auto_sync": "true",
    }


@contextmanager
def serve_scenario(scenario_path: Path) -> Iterator[Backend]:
    """The Trakt + AIOStreams simulator for one scenario file, on a free loopback port."""
    from trakt_cassettes.sim import Simulator

    # Real Kodi runs on the wall clock, so the simulator does too (from the scenario's now on).
    sim = Simulator.on_wall_clock(scenario_path)
    with sim.serve(port=0) as server:

        def summary() -> str:
            trakt = [entry for entry in sim.request_log if entry.get("api") == "trakt"]
            refreshes = sum(1 for entry in sim.request_log if entry.get("path") == "/oauth/token")
            limited = sum(1 for entry in trakt if entry.get("status") == 429)
            return (
                f"simulator answered {len(trakt)} Trakt requests, {refreshes} token refresh(es), "
                f"{limited} rate-limited (429)"
            )

        settings = scenario_settings(sim.scenario.user, server.url, sim.clock.now())
        yield Backend("scenario", server.url, settings, summary)


@contextmanager
def serve_cassette(cassette_path: Path) -> Iterator[Backend]:
    """A replay server answering from one cassette (and naming what it could not match), on a free port."""
    from trakt_cassettes.replay import read_cassette_plan
    from trakt_cassettes.replay_server import ReplayServer

    metadata, _scenario_path, scenario = read_cassette_plan(Path(cassette_path))
    with ReplayServer(cassette_path) as server:

        def summary() -> str:
            report = server.report()
            lines = [
                f"replay server played {len(server.replayer.served)} requests, "
                f"{len(report.unmatched)} unmatched, {len(report.unplayed)} unplayed"
            ]
            if report.unmatched:
                lines.append(f"the add-on asked for {len(report.unmatched)} request(s) the cassette lacks:")
                lines.extend(f"  {item.method} {item.uri}: {item.reason}" for item in report.unmatched)
            return "\n".join(lines)

        yield Backend(
            "cassette", server.url, cassette_settings(metadata, scenario, server.url, time.time()), summary
        )
