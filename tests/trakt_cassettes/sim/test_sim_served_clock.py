"""A simulator served on its own runs on real time from the scenario's now on; a test may still drive it."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

import pytest
import requests

from trakt_cassettes.sim import Simulator
from trakt_cassettes.sim.clock import MovingClock, parse_time

from .sim_helpers import ROOT, SCENARIOS, call, mini_scenario, trakt_headers

NOW = parse_time("2026-11-01T12:00:00Z")
REFRESH = {"refresh_token": "test-refresh", "client_id": "sim-client-id", "client_secret": "sim-secret",
           "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "grant_type": "refresh_token"}  # fmt: skip


class FakeWall:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_scenario_in_the_past_runs_on_the_wall_clock() -> None:
    wall = FakeWall(NOW + 30 * 86400)
    clock = MovingClock(NOW, wall=wall)
    wall.now += 5
    assert clock.now() == NOW + 30 * 86400 + 5


def test_a_scenario_in_the_future_starts_at_its_now_and_moves_at_real_pace() -> None:
    wall = FakeWall(NOW - 86400)
    clock = MovingClock(NOW, wall=wall)
    assert clock.now() == NOW
    wall.now += 7
    assert clock.now() == NOW + 7


def test_advance_and_set_shift_the_moving_clock_which_keeps_moving() -> None:
    wall = FakeWall(NOW)
    clock = MovingClock(NOW, wall=wall)
    clock.advance(3600)
    wall.now += 1
    assert clock.now() == NOW + 3601
    clock.set("2027-01-01T00:00:00Z")
    wall.now += 2
    assert clock.now() == parse_time("2027-01-01T00:00:00Z") + 2


@pytest.mark.parametrize("seconds", [-1.0, math.nan, math.inf])
def test_the_moving_clock_refuses_a_bad_advance_and_stays_put(seconds: float) -> None:
    wall = FakeWall(NOW)
    clock = MovingClock(NOW, wall=wall)
    with pytest.raises(ValueError, match="seconds must be a finite amount >= 0"):
        clock.advance(seconds)
    assert clock.now() == NOW


def test_tokens_issued_on_the_wall_clock_are_fresh_for_a_wall_clock_client() -> None:
    sim = Simulator.on_wall_clock(mini_scenario())
    before = time.time()
    answer = call(sim, "POST", "/oauth/token", REFRESH, headers={"Content-Type": "application/json"})
    token = answer.json()
    assert answer.status == 200, token
    assert int(before) <= token["created_at"] <= time.time()
    assert token["created_at"] + token["expires_in"] > time.time() + 3600


def test_the_write_window_passes_in_real_time() -> None:
    sim = Simulator.on_wall_clock(mini_scenario())
    body = {"movies": [{"ids": {"trakt": 20}}]}
    first = call(sim, "POST", "/sync/history", body).status
    time.sleep(1.1)
    second = call(sim, "POST", "/sync/history", body).status
    assert (first, second) == (201, 201)


def test_a_driven_simulator_keeps_its_virtual_clock() -> None:
    sim = Simulator(mini_scenario())
    time.sleep(0.05)
    assert sim.clock.now() == NOW


def _serve(*options: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "trakt_cassettes.sim",
        str(SCENARIOS / "small_library.yaml"),
        "--port",
        "0",
    ]
    process = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, text=True, env=env)
    return process, process.stdout.readline().split(" on ")[1].split(" ")[0]


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(subprocess.signal.SIGINT)
    process.communicate(timeout=10)


def test_the_module_runner_issues_fresh_tokens_and_lets_writes_through() -> None:
    process, url = _serve()
    try:
        before = time.time()
        token = requests.post(url + "/oauth/token", json={**REFRESH, "client_secret": "sim-client-secret"},
                              headers={"Content-Type": "application/json"}, timeout=5).json()  # fmt: skip
        headers = trakt_headers(token["access_token"], client_id="sim-client-id")
        body = {"movies": [{"ids": {"trakt": 1}}]}
        first = requests.post(url + "/sync/watchlist", json=body, headers=headers, timeout=5).status_code
        time.sleep(1.1)
        second = requests.post(
            url + "/sync/watchlist/remove", json=body, headers=headers, timeout=5
        ).status_code
    finally:
        _stop(process)
    assert int(before) <= token["created_at"] <= time.time()
    assert (first, second) == (201, 200)


def test_the_module_runner_freezes_time_when_asked() -> None:
    process, url = _serve("--virtual-clock")
    try:
        time.sleep(0.1)
        state = requests.get(url + "/_sim/state", timeout=5).json()
    finally:
        _stop(process)
    assert state["now_iso"] == "2026-11-01T12:00:00.000Z"
