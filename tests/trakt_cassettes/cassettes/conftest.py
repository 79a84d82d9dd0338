"""Fixtures for the cassette tools: a small canned Trakt-like origin on 127.0.0.1 and hand-made cassettes."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from trakt_cassettes.config import use_cassette
from trakt_cassettes.filters import Scrubber

CLIENT_ID = "c" * 64
CLIENT_SECRET = "s" * 64
USER_TOKEN = "0123456789abcdef" * 4


def issued_token(kind: str, number: int) -> str:
    """The canned origin's n-th token of a kind: 64 hex chars, like Trakt's."""
    return hashlib.sha256(f"{kind}-{number}".encode()).hexdigest()


class CannedOrigin:
    """A tiny Trakt-like server: OAuth answers with fresh tokens, a few GETs, volatile headers on purpose."""

    def __init__(self) -> None:
        self.token_counter = itertools.count(1)
        self.request_counter = itertools.count(1)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/oauth/device/code":
                    number = next(origin.token_counter)
                    self._json(200, {"device_code": issued_token("device", number), "user_code": "7F2A9C1B",
                                     "verification_url": "https://trakt.tv/activate", "expires_in": 600, "interval": 5})  # fmt: skip
                elif self.path in ("/oauth/device/token", "/oauth/token"):
                    number = next(origin.token_counter)
                    self._json(200, {"access_token": issued_token("access", number), "token_type": "bearer",
                                     "expires_in": 86400, "refresh_token": issued_token("refresh", number),
                                     "scope": "public", "created_at": 1793620800})  # fmt: skip
                else:
                    self._json(404, {"error": "not found"})

            def do_GET(self) -> None:
                if self.path.startswith("/sync/last_activities"):
                    self._json(
                        200,
                        {
                            "all": "2026-11-01T12:00:00.000Z",
                            "movies": {"watched_at": "2026-11-01T12:00:00.000Z"},
                        },
                    )
                elif self.path.startswith("/sync/watched/shows"):
                    self._json(
                        200,
                        [
                            {
                                "plays": 1,
                                "show": {"title": "Amélie à Paris – 東京", "year": 2020, "ids": {"trakt": 2}},
                            }
                        ],
                    )
                elif self.path.startswith("/broken"):
                    self._raw(200, b'[{"title": "cut', "application/json")
                else:
                    self._json(404, {"error": "not found"})

            def _json(self, status: int, document: object) -> None:
                self._raw(
                    status,
                    json.dumps(document, ensure_ascii=False).encode("utf-8"),
                    "application/json; charset=utf-8",
                )

            def _raw(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("X-Request-Id", f"req-{next(origin.request_counter)}-{id(self)}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler


@pytest.fixture
def canned_origin() -> Iterator[CannedOrigin]:
    """A fresh canned origin for one test."""
    origin = CannedOrigin()
    origin.thread.start()
    yield origin
    origin.httpd.shutdown()
    origin.httpd.server_close()


def record_oauth_and_sync(
    origin_url: str, cassette_path: Path, scenario: str | None = "scenario.yaml"
) -> Scrubber:
    """Record a device login, a refresh and two GETs against origin_url into cassette_path."""
    scrubber = Scrubber(recorded_base_url=origin_url)
    api_headers = {"trakt-api-key": CLIENT_ID, "trakt-api-version": "2", "User-Agent": "cassette-tests/1.0"}
    with use_cassette(cassette_path, record_mode="all", scrubber=scrubber) as cassette:
        if scenario:
            cassette.get_metadata("scenario", scenario)
        code = requests.post(
            f"{origin_url}/oauth/device/code", json={"client_id": CLIENT_ID}, headers=api_headers, timeout=5
        ).json()
        tokens = requests.post(f"{origin_url}/oauth/device/token", headers=api_headers, timeout=5,
                               json={"code": code["device_code"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()  # fmt: skip
        refreshed = requests.post(f"{origin_url}/oauth/token", headers=api_headers, timeout=5,
                                  json={"refresh_token": tokens["refresh_token"], "client_id": CLIENT_ID,
                                        "client_secret": CLIENT_SECRET, "grant_type": "refresh_token"}).json()  # fmt: skip
        authed = {**api_headers, "Authorization": f"Bearer {refreshed['access_token']}"}
        requests.get(f"{origin_url}/sync/last_activities", headers=authed, timeout=5)
        requests.get(
            f"{origin_url}/sync/watched/shows?extended=progress&page=1&limit=250", headers=authed, timeout=5
        )
    return scrubber


@pytest.fixture
def recorded_cassette(canned_origin: CannedOrigin, tmp_path: Path) -> Path:
    """A cassette recorded from the canned origin, next to an (empty) scenario file."""
    (tmp_path / "scenario.yaml").write_text("now: '2026-11-01T12:00:00Z'\n", encoding="utf-8")
    path = tmp_path / "login.cassette.yaml"
    record_oauth_and_sync(canned_origin.url, path)
    return path
