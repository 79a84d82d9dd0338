"""Injected faults: status codes, malformed/truncated JSON, resets, timeouts, slow answers."""

from __future__ import annotations

import json

import pytest
import requests

from trakt_cassettes.sim import ScenarioError, SimulatedConnectionReset, Simulator

from .sim_helpers import call, mini_scenario, trakt_headers

BASE = "https://api.trakt.tv"


def statuses(sim, path: str, count: int) -> list[int]:
    return [call(sim, "GET", path).status for _ in range(count)]


def test_status_fault_fires_once_by_default():
    sim = Simulator(mini_scenario())
    sim.add_fault(method="GET", path=r"^/sync/last_activities", status=503)
    assert statuses(sim, "/sync/last_activities", 3) == [503, 200, 200]


def test_nth_and_times_choose_which_matches_fail():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/movies/", status=502, nth=2, times=2)
    assert statuses(sim, "/movies/20", 5) == [200, 502, 502, 200, 200]


def test_every_fault_fires_on_every_match():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/movies/", status=500, every=True)
    assert statuses(sim, "/movies/20", 3) == [500, 500, 500]


def test_429_fault_carries_retry_after():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", status=429, headers={"Retry-After": "7"})
    answer = call(sim, "GET", "/sync/last_activities")
    assert (answer.status, answer.headers["Retry-After"], "X-Ratelimit" in answer.headers) == (429, "7", True)


def test_cloudflare_520_is_an_html_page():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", status=520)
    answer = call(sim, "GET", "/sync/last_activities")
    assert (answer.status, answer.headers["Content-Type"], answer.body.startswith(b"<html>")) == (
        520,
        "text/html; charset=UTF-8",
        True,
    )


def test_malformed_json_fault_breaks_the_parser():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/last_activities", kind="malformed_json")
    answer = call(sim, "GET", "/sync/last_activities")
    with pytest.raises(json.JSONDecodeError):
        answer.json()


def test_truncated_json_fault_cuts_the_body_and_its_length():
    sim = Simulator(mini_scenario())
    full = call(sim, "GET", "/sync/last_activities").body
    sim.add_fault(path="^/sync/last_activities", kind="truncated_json")
    answer = call(sim, "GET", "/sync/last_activities")
    assert (answer.body, answer.headers["Content-Length"]) == (full[: len(full) // 2], str(len(full) // 2))


def test_reset_fault_raises_from_handle():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", kind="reset")
    with pytest.raises(SimulatedConnectionReset, match="connection reset by the simulator"):
        sim.handle("GET", "/sync/last_activities", trakt_headers())


def test_reset_fault_is_a_connection_error_under_intercept():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", kind="reset")
    with (
        sim.intercept(),
        pytest.raises(requests.exceptions.ConnectionError, match="connection reset by the simulator"),
    ):
        requests.get(BASE + "/sync/last_activities", headers=trakt_headers())


def test_timeout_fault_is_a_read_timeout_under_intercept():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", kind="timeout")
    with (
        sim.intercept(),
        pytest.raises(requests.exceptions.ReadTimeout, match="no answer from the simulator"),
    ):
        requests.get(BASE + "/sync/last_activities", headers=trakt_headers(), timeout=1)


def test_slow_fault_moves_the_virtual_clock_before_answering():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", kind="slow", delay=30)
    answer = call(sim, "GET", "/sync/last_activities")
    assert (answer.status, sim.clock.now_iso(), sim.request_log[-1]["time"]) == (
        200,
        "2026-11-01T12:00:30.000Z",
        "2026-11-01T12:00:30.000Z",
    )


def test_faulted_write_changes_nothing():
    sim = Simulator(mini_scenario())
    sim.add_fault(method="POST", path="^/sync/watchlist", status=503)
    call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}]})
    assert sim.state.watchlist == []


def test_scenario_faults_fire_and_are_named_in_the_log():
    sim = Simulator(
        mini_scenario(faults=[{"name": "outage", "path": "^/sync/last_activities", "status": 503}])
    )
    call(sim, "GET", "/sync/last_activities")
    assert (sim.request_log[0]["status"], sim.request_log[0]["fault"]) == (503, "outage")


def test_reset_restores_scenario_fault_counters():
    sim = Simulator(mini_scenario(faults=[{"path": "^/sync/last_activities", "status": 503}]))
    call(sim, "GET", "/sync/last_activities")
    sim.reset()
    assert call(sim, "GET", "/sync/last_activities").status == 503


def test_fault_with_unknown_kind_is_a_scenario_error():
    with pytest.raises(ScenarioError, match=r"faults\[0\]\.kind: expected one of status, malformed_json"):
        Simulator(mini_scenario(faults=[{"path": "x", "kind": "explode"}]))


def test_add_fault_rejects_a_bad_regex():
    with pytest.raises(ValueError, match="path: not a valid regex"):
        Simulator(mini_scenario()).add_fault(path="(")


def test_add_fault_with_times_none_fires_on_every_match():
    sim = Simulator(mini_scenario())
    fault = sim.add_fault(path="^/movies/", status=503, times=None)
    assert (fault.times, statuses(sim, "/movies/20", 4)) == (None, [503, 503, 503, 503])
