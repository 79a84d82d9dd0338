"""pytest fixtures: a Trakt simulator from a scenario file, a cassette applied to a test, a replay server,
and `trakt_vcr`: the add-on under test against a cassette in a record mode (pytest_recording.py).

Markers (paths are relative to the test file's directory):
    @pytest.mark.trakt_scenario("scenarios/first_sync.yaml", shared_clock=True)   -> trakt_sim
    @pytest.mark.trakt_cassette("cassettes/first_sync.cassette.yaml", allow_unplayed=False,
        allow_playback_repeats=False, scenario=None, backend=None, record_mode=None,
        api_url_setting="trakt_api_url")          -> trakt_cassette, trakt_replay_server, trakt_vcr

Example:

    @pytest.mark.trakt_cassette("cassettes/watchlist.cassette.yaml", scenario="account.yaml")
    def test_watchlist_lists_the_movies(kodi, addon_zip, trakt_vcr):
        kodi.install(addon_zip("plugin.video.mine"))
        trakt_vcr.point("plugin.video.mine", trakt_access_token="{access_token}")
        assert kodi.run("plugin://plugin.video.mine/?action=watchlist").labels == ["Dune (2021)"]

`--trakt-record-mode=none|once|new_episodes|all` (default none; with CI set, none unless given on
the command line) says whether `trakt_vcr` replays or records. Imports happen inside the fixtures,
so loading the plugin costs a project that does not use them nothing (no vcrpy, yaml, requests).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all")  # pytest_recording.RECORD_MODES, without importing it
MARKERS = (
    "trakt_scenario(path, shared_clock=True): the scenario file the trakt_sim fixture starts the Trakt simulator "
    "from (on the kodi home's clock unless shared_clock=False)",
    "trakt_cassette(path, allow_unplayed=False, allow_playback_repeats=False, scenario=None, backend=None, "
    "record_mode=None, api_url_setting='trakt_api_url'): the cassette of trakt_cassette / trakt_replay_server / "
    "trakt_vcr",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake_kodi")
    group.addoption(
        "--trakt-record-mode",
        choices=RECORD_MODES,
        default=None,
        help="trakt_vcr: none (replay only; the default, and forced in CI unless given here), once, "
        "new_episodes or all",
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


def _test_relative(request: pytest.FixtureRequest, value: str | Path) -> Path:
    path = Path(value)
    return path if path.is_absolute() else Path(request.node.path).parent / path


def _marker_path(
    request: pytest.FixtureRequest, marker_name: str, must_exist: bool = True
) -> tuple[Path, dict]:
    marker = request.node.get_closest_marker(marker_name)
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{request.fixturename} needs @pytest.mark.{marker_name}(path) on the test")
    path = _test_relative(request, marker.args[0])
    if must_exist and not path.is_file():
        raise pytest.UsageError(f"@pytest.mark.{marker_name}: no such file: {path}")
    return path, dict(marker.kwargs)


@pytest.fixture
def trakt_sim(request: pytest.FixtureRequest) -> Iterator[StartedSimulator]:
    """A fresh Trakt simulator from the test's trakt_scenario marker, served over HTTP on 127.0.0.1.

    Its clock is the `kodi` fixture's home clock file (started at the scenario's now): the
    service's virtual hours are the simulator's, with no wiring in the test.
    """
    from trakt_cassettes.sim import Simulator
    from trakt_cassettes.sim.clock import VirtualClock
    from trakt_cassettes.sim.scenario import load_scenario

    path, options = _marker_path(request, "trakt_scenario")
    scenario = load_scenario(path)
    clock = None
    kodi_home = _kodi_home(request) if options.get("shared_clock", True) else None
    if kodi_home is not None:
        clock_file = kodi_home / ".fake_kodi" / "clock.json"  # fake_kodi.home.clock.clock_path's layout
        clock_file.parent.mkdir(parents=True, exist_ok=True)
        clock = VirtualClock.from_file(clock_file, default=scenario.now)
    simulator = Simulator(scenario, clock=clock)
    with simulator.serve(port=0) as server:
        yield StartedSimulator(simulator, server.url)


def _kodi_home(request: pytest.FixtureRequest) -> Path | None:
    # The fake_kodi plugin's kodi_home; these fixtures also load alone (`-p trakt_cassettes.pytest_fixtures`).
    try:
        return request.getfixturevalue("kodi_home")
    except pytest.FixtureLookupError:
        return None


@pytest.fixture
def trakt_cassette(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The test's trakt_cassette applied in-process (vcrpy, replay only); unplayed interactions fail the test.

    allow_playback_repeats here is vcrpy's own: a repeat gets the first matching answer (the servers
    give the last one, the state a polling client has reached).
    """
    from trakt_cassettes.config import use_cassette

    path, options = _marker_path(request, "trakt_cassette")
    with use_cassette(
        path, record_mode="none", allow_playback_repeats=bool(options.get("allow_playback_repeats"))
    ) as cassette:
        yield cassette
    if not options.get("allow_unplayed", False) and not cassette.all_played:
        unplayed = [
            f"#{i} {r.method} {r.uri}" for i, r in enumerate(cassette.requests) if not cassette.play_counts[i]
        ]
        pytest.fail(
            f"cassette {path.name}: {len(unplayed)} interaction(s) never played:\n  " + "\n  ".join(unplayed)
        )


@pytest.fixture
def trakt_replay_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The test's trakt_cassette served over HTTP on 127.0.0.1; unmatched requests fail the test."""
    from trakt_cassettes.replay_server import ReplayServer

    path, options = _marker_path(request, "trakt_cassette")
    server = ReplayServer(path, allow_playback_repeats=bool(options.get("allow_playback_repeats"))).start()
    try:
        yield server
    finally:
        report = server.stop()
    if report.unmatched or (report.unplayed and not options.get("allow_unplayed", False)):
        pytest.fail(report.format())


@pytest.fixture
def trakt_vcr(request: pytest.FixtureRequest, kodi: Any) -> Iterator[Any]:
    """The `kodi` fixture's add-on against the test's trakt_cassette, replayed or recorded by the record mode.

    `trakt_vcr.point(ADDON_ID, **settings)` sets the add-on's API URL setting to the replay server
    (or the recording proxy) and the settings given ({access_token} etc. filled in). At teardown a
    replay fails on unmatched requests and unplayed interactions; a recording writes the cassette.
    """
    from trakt_cassettes.pytest_recording import CassetteCheckError, TraktVCR, resolve_record_mode

    path, options = _marker_path(request, "trakt_cassette", must_exist=False)
    try:
        mode = resolve_record_mode(
            request.config.getoption("--trakt-record-mode"), options.get("record_mode")
        )
    except ValueError as exc:
        raise pytest.UsageError(f"@pytest.mark.trakt_cassette: {exc}") from None
    scenario = _test_relative(request, options["scenario"]) if options.get("scenario") else None
    problem = None
    try:
        vcr = TraktVCR(
            kodi,
            path,
            mode,
            scenario=scenario,
            backend=options.get("backend"),
            allow_unplayed=bool(options.get("allow_unplayed")),
            allow_playback_repeats=bool(options.get("allow_playback_repeats")),
            api_url_setting=options.get("api_url_setting") or "trakt_api_url",
            test_id=request.node.nodeid,
        )
    except CassetteCheckError as exc:
        problem = str(exc)
    if problem:  # failed outside the except block, so the report is not chained to the exception
        pytest.fail(problem, pytrace=False)
    try:
        yield vcr
    finally:
        try:
            vcr.finish()
        except CassetteCheckError as exc:
            problem = str(exc)
        if problem:
            pytest.fail(problem, pytrace=False)
