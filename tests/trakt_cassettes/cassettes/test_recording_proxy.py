"""The recording proxy: what passes through it is answered by the upstream and recorded as vcrpy records it."""

from __future__ import annotations

import gzip
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import yaml

from trakt_cassettes.config import CASSETTE_DIR, write_cassette
from trakt_cassettes.driver_context import DriverContext
from trakt_cassettes.filters import Scrubber
from trakt_cassettes.record import record
from trakt_cassettes.recording_proxy import RecordingProxy
from trakt_cassettes.sim import Simulator
from trakt_cassettes.standin import standin_sync_driver

TRAKT = {"Authorization": "Bearer fake-token", "trakt-api-key": "standin-client-id", "trakt-api-version": "2",
         "Content-Type": "application/json"}  # fmt: skip


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    shutil.copy(CASSETTE_DIR / "first_sync_small.yaml", path)
    return path


def test_traffic_through_the_proxy_records_the_same_bytes_as_vcrpy_in_process(scenario: Path, tmp_path: Path):
    simulator = Simulator.from_file(scenario)
    with simulator.serve(port=0) as server, RecordingProxy(server.url, Scrubber(server.url)) as proxy:
        context = DriverContext(proxy.url, "standin-client-id", "standin-client-secret", "fake-token",
                                "fake-refresh", sleep=simulator.clock.advance, clock=simulator.clock.now)  # fmt: skip
        standin_sync_driver(context)
    write_cassette(tmp_path / "proxy.cassette.yaml", proxy.interactions,
                   {"driver": "standin_sync_driver", "scenario": "small.yaml"})  # fmt: skip
    in_process = record(scenario, tmp_path / "vcrpy.cassette.yaml", standin_sync_driver)
    assert (tmp_path / "proxy.cassette.yaml").read_bytes() == in_process.cassette_path.read_bytes()


def test_the_add_on_gets_the_upstream_answer_and_the_cassette_gets_it_scrubbed(scenario: Path):
    with Simulator.from_file(scenario).serve(port=0) as server:
        with RecordingProxy(server.url, Scrubber(server.url)) as proxy:
            answer = requests.get(f"{proxy.url}/sync/watchlist/movies", headers=TRAKT, timeout=5)
    [(request, response)] = proxy.interactions
    assert (answer.status_code, answer.json()[0]["movie"]["title"]) == (200, "Inception")
    assert (request.uri, request.headers["Authorization"], request.headers["trakt-api-key"]) == (
        "https://api.trakt.tv/sync/watchlist/movies", "Bearer SCRUBBED_ACCESS_TOKEN", "SCRUBBED_CLIENT_ID")  # fmt: skip
    assert "Host" not in request.headers and "Date" not in response["headers"]


def test_a_reset_upstream_resets_the_add_on_and_is_noted_not_recorded(tmp_path: Path):
    scenario = yaml.safe_load((CASSETTE_DIR / "first_sync_small.yaml").read_text(encoding="utf-8"))
    scenario["faults"] = [{"path": "^/sync/playback", "kind": "reset"}]
    with Simulator(scenario).serve(port=0) as server:
        with RecordingProxy(server.url, Scrubber(server.url)) as proxy:
            with pytest.raises(requests.ConnectionError):
                requests.get(f"{proxy.url}/sync/playback", headers=TRAKT, timeout=5)
            assert requests.get(f"{proxy.url}/sync/playback", headers=TRAKT, timeout=5).status_code == 200
    assert [request.path for request, _ in proxy.interactions] == ["/sync/playback"]
    assert len(proxy.notes) == 1 and proxy.notes[0].startswith(
        "GET /sync/playback: no answer from http://127.0.0.1:"
    )
    assert proxy.notes[0].endswith("; not recorded")


class _GzipHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        body = gzip.compress(json.dumps({"secret": False, "path": self.path}).encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_gzip_answer_reaches_the_add_on_compressed_and_the_cassette_decoded():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _GzipHandler)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{upstream.server_port}/api"
    try:
        with RecordingProxy(base, Scrubber(base)) as proxy:
            answer = requests.get(f"{proxy.url}/users/me", headers={"Accept-Encoding": "gzip"}, timeout=5)
    finally:
        upstream.shutdown()
        upstream.server_close()
    [(request, response)] = proxy.interactions
    assert (answer.headers["Content-Encoding"], answer.json()) == (
        "gzip",
        {"secret": False, "path": "/api/users/me"},
    )
    assert request.uri == "https://api.trakt.tv/users/me"
    assert json.loads(response["body"]["string"]) == {"secret": False, "path": "/api/users/me"}
    assert "Content-Encoding" not in response["headers"]


def test_the_upstream_must_be_an_http_url():
    with pytest.raises(ValueError, match="upstream must be an http\\(s\\) URL, got 'ftp://x'"):
        RecordingProxy("ftp://x", Scrubber())
