"""Server mode: real HTTP on 127.0.0.1, the /_sim/ control plane, resets on a real socket, the runner."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from trakt_cassettes.sim import Simulator

from .sim_helpers import ROOT, SCENARIOS, mini_scenario, trakt_headers


def test_server_answers_over_http_on_localhost(small_sim):
    with small_sim.serve(port=0) as server:
        answer = requests.get(
            server.url + "/sync/last_activities", headers=trakt_headers(client_id="sim-client-id"), timeout=5
        )
    assert (server.url.startswith("http://127.0.0.1:"), answer.status_code, answer.headers["Content-Type"]) == (
        True, 200, "application/json; charset=utf-8")  # fmt: skip


def test_server_keeps_state_across_requests():
    sim = Simulator(mini_scenario())
    with sim.serve() as server, requests.Session() as http:
        http.post(
            server.url + "/sync/history",
            json={"movies": [{"ids": {"trakt": 20}}]},
            headers=trakt_headers(),
            timeout=5,
        )
        rows = http.get(server.url + "/sync/watched/movies", headers=trakt_headers(), timeout=5).json()
    assert [r["movie"]["ids"]["trakt"] for r in rows] == [20]


def test_control_plane_advances_the_clock():
    sim = Simulator(mini_scenario())
    with sim.serve() as server:
        answer = requests.post(server.url + "/_sim/advance", json={"seconds": 3600}, timeout=5).json()
    assert (answer["now"], sim.clock.now_iso()) == ("2026-11-01T13:00:00.000Z",) * 2


def test_control_plane_injects_a_fault_and_lists_requests():
    sim = Simulator(mini_scenario())
    with sim.serve() as server:
        requests.post(server.url + "/_sim/faults", json={"path": "^/movies/", "status": 502}, timeout=5)
        status = requests.get(server.url + "/movies/20", headers=trakt_headers(), timeout=5).status_code
        log = requests.get(server.url + "/_sim/requests", timeout=5).json()
    assert (status, [(e["path"], e["status"]) for e in log]) == (502, [("/movies/20", 502)])


def test_control_plane_reset_restores_the_scenario():
    sim = Simulator(mini_scenario())
    with sim.serve() as server:
        requests.post(
            server.url + "/sync/history",
            json={"movies": [{"ids": {"trakt": 20}}]},
            headers=trakt_headers(),
            timeout=5,
        )
        requests.post(server.url + "/_sim/reset", timeout=5)
        state = requests.get(server.url + "/_sim/state", timeout=5).json()
    assert (state["plays"], state["requests"]) == (0, 0)


def test_reset_fault_resets_the_real_connection():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", kind="reset")
    with sim.serve() as server, pytest.raises(requests.exceptions.ConnectionError):
        requests.get(server.url + "/sync/last_activities", headers=trakt_headers(), timeout=5)


def test_timeout_fault_makes_the_client_time_out():
    sim = Simulator(mini_scenario())
    sim.add_fault(path="^/sync/", kind="timeout", real_delay=1.0)
    with sim.serve() as server, pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(server.url + "/sync/last_activities", headers=trakt_headers(), timeout=0.2)


def test_stopped_server_refuses_connections():
    server = Simulator(mini_scenario()).serve()
    url = server.url
    server.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + "/movies/20", timeout=2)


def test_module_runner_serves_a_scenario_until_interrupted():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "trakt_cassettes.sim", str(SCENARIOS / "small_library.yaml"), "--port", "0"],
                            stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        line = proc.stdout.readline()
        url = line.split(" on ")[1].split(" ")[0]
        status = requests.get(url + "/manifest.json", timeout=5).status_code
    finally:
        proc.send_signal(subprocess.signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
    assert (url.startswith("http://127.0.0.1:"), status, "stopped after 1 requests" in out) == (
        True,
        200,
        True,
    )
