"""pytest fixtures: a Trakt simulator from a scenario file, a cassette applied to a test, a replay server.

Markers (paths are relative to the test file's directory):
    @pytest.mark.trakt_scenario("scenarios/first_sync.yaml")   -> trakt_sim
    @pytest.mark.trakt_cassette("cassettes/first_sync.cassette.yaml", allow_unplayed=False)
                                                               -> trakt_cassette, trakt_replay_server
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from trakt_cassettes.config import use_cassette
from trakt_cassettes.replay_server import ReplayServer

MARKERS = (
    "trakt_scenario(path): the scenario file the trakt_sim fixture starts the Trakt simulator from",
    "trakt_cassette(path, allow_unplayed=False): the cassette the trakt_cassette / trakt_replay_server fixtures use",
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers (the fake_kodi plugin calls this when it wires these fixtures in)."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)


@dataclass
class StartedSimulator:
    """A simulator serving on 127.0.0.1 for one test."""

    simulator: Any
    url: str

    @property
    def clock(self) -> Any:
        """The simulator's virtual clock."""
        return self.simulator.clock

    @property
    def request_log(self) -> list[dict]:
        """Every request the simulator handled, in order."""
        return self.simulator.request_log


def _marker_path(request: pytest.FixtureRequest, marker_name: str) -> tuple[Path, dict]:
    marker = request.node.get_closest_marker(marker_name)
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{request.fixturename} needs @pytest.mark.{marker_name}(path) on the test")
    path = Path(marker.args[0])
    if not path.is_absolute():
        path = Path(request.node.path).parent / path
    if not path.is_file():
        raise pytest.UsageError(f"@pytest.mark.{marker_name}: no such file: {path}")
    return path, dict(marker.kwargs)


@pytest.fixture
def trakt_sim(request: pytest.FixtureRequest) -> Iterator[StartedSimulator]:
    """A fresh Trakt simulator from the test's trakt_scenario marker, served over HTTP on 127.0.0.1."""
    from trakt_cassettes.sim import Simulator

    path, _ = _marker_path(request, "trakt_scenario")
    simulator = Simulator.from_file(path)
    with simulator.serve(port=0) as server:
        yield StartedSimulator(simulator, server.url)


@pytest.fixture
def trakt_cassette(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The test's trakt_cassette applied in-process (vcrpy, replay only); unplayed interactions fail the test."""
    path, options = _marker_path(request, "trakt_cassette")
    with use_cassette(path, record_mode="none") as cassette:
        yield cassette
    if not options.get("allow_unplayed", False) and not cassette.all_played:
        unplayed = [
            f"#{i} {r.method} {r.uri}" for i, r in enumerate(cassette.requests) if not cassette.play_counts[i]
        ]
        pytest.fail(
            f"cassette {path.name}: {len(unplayed)} interaction(s) never played:\n  " + "\n  ".join(unplayed)
        )


@pytest.fixture
def trakt_replay_server(request: pytest.FixtureRequest) -> Iterator[ReplayServer]:
    """The test's trakt_cassette served over HTTP on 127.0.0.1; unmatched requests fail the test."""
    path, options = _marker_path(request, "trakt_cassette")
    server = ReplayServer(path).start()
    try:
        yield server
    finally:
        report = server.stop()
    if report.unmatched or (report.unplayed and not options.get("allow_unplayed", False)):
        pytest.fail(report.format())
