"""A loopback recording proxy: forwards each request to an upstream Trakt and records the exchange.

vcrpy records only the process it patches, but an add-on under fake Kodi runs in other
interpreters (each plugin call, the service). Pointed at this proxy instead of Trakt (through its
API URL setting), every process's requests pass through one place. Each exchange is filtered
exactly as `use_cassette` records it (`config.record_filters`: gzip decoded, secrets scrubbed,
volatile headers dropped) and kept in arrival order; `write_cassette` saves them.

A request the upstream never answered (a timeout, a reset) is not recorded, as with vcrpy: the
add-on sees the same failure (the connection closes, or is reset) and `notes` says what happened.
"""

from __future__ import annotations

import copy
import http.client
import socket
import struct
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from vcr.request import Request

from trakt_cassettes.config import record_filters
from trakt_cassettes.filters import Scrubber, mask_secrets_in_text
from trakt_cassettes.sim.web import BadFraming, body_length, error_body

HOST = "127.0.0.1"  # never 0.0.0.0: what passes through carries the user's tokens
# Headers about one connection, not the message: never forwarded either way.
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
     "transfer-encoding", "upgrade"}
)  # fmt: skip
# vcrpy's stubs never see Host (http.client adds it below them), so a recording through it has none.
NOT_RECORDED_REQUEST_HEADERS = frozenset({"host"})
DEFAULT_UPSTREAM_TIMEOUT = 60.0

BeforeSave = Callable[[Request, dict], tuple[Request, dict]]


class UpstreamFailed(Exception):
    """The upstream gave no answer; `reset` says whether the connection was reset (else closed)."""

    def __init__(self, message: str, reset: bool):
        super().__init__(message)
        self.reset = reset


class RecordingProxy:
    """An HTTP server on 127.0.0.1 forwarding to `upstream` and recording each exchange; a context manager."""

    def __init__(
        self,
        upstream: str,
        scrubber: Scrubber,
        *,
        before_save: BeforeSave | None = None,
        timeout: float = DEFAULT_UPSTREAM_TIMEOUT,
        port: int = 0,
    ):
        self.upstream = upstream.rstrip("/")
        self.scrubber = scrubber
        self.timeout = timeout
        self.notes: list[str] = []
        self._target = urlsplit(self.upstream)
        if self._target.scheme not in ("http", "https") or not self._target.hostname:
            raise ValueError(f"upstream must be an http(s) URL, got {upstream!r}")
        self._filter_request, self._filter_response = record_filters(scrubber)
        self._before_save = before_save
        self._recorded: list[tuple[Request, dict]] = []
        self._lock = threading.Lock()
        self._port = port
        self._httpd: _ProxyHTTPServer | None = None

    @property
    def url(self) -> str:
        """The base URL to give the add-on, e.g. http://127.0.0.1:PORT."""
        if self._httpd is None:
            raise RuntimeError("recording proxy is not running")
        return f"http://{HOST}:{self._httpd.server_port}"

    @property
    def interactions(self) -> list[tuple[Request, dict]]:
        """The recorded (request, response) pairs so far, scrubbed, in the order their answers arrived."""
        with self._lock:
            return list(self._recorded)

    def start(self) -> RecordingProxy:
        """Bind on 127.0.0.1 and serve in a background thread."""
        self._httpd = _ProxyHTTPServer(self._port, self)
        threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="recording-proxy",
            daemon=True,
        ).start()
        return self

    def stop(self) -> None:
        """Stop serving (what was recorded stays readable)."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> RecordingProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def forward(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes | None
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """Send one request upstream and record it; (status, reason, headers, body) as the upstream sent them."""
        # Recorded as the add-on sent them (as vcrpy would: Connection included, Host not); forwarded without
        # the headers that belong to this hop.
        recorded = {
            name: value for name, value in headers if name.lower() not in NOT_RECORDED_REQUEST_HEADERS
        }
        sent = {name: value for name, value in recorded.items() if name.lower() not in HOP_BY_HOP}
        connection_class = (
            http.client.HTTPSConnection if self._target.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(self._target.hostname, self._target.port, timeout=self.timeout)
        try:
            connection.request(method, self._target.path.rstrip("/") + path, body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
            self._note(f"{method} {path}: no answer from {self.upstream} ({reason}); not recorded")
            raise UpstreamFailed(reason, reset=isinstance(exc, ConnectionResetError)) from None
        finally:
            connection.close()
        answer_headers = answer.msg.items()
        self._record(method, path, recorded, body, answer, data)
        return answer.status, answer.reason, answer_headers, data

    def _record(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None,
        answer: http.client.HTTPResponse,
        data: bytes,
    ) -> None:
        # Shaped as vcrpy's stubs shape what they record, then filtered as they filter it.
        request = self._filter_request(Request(method, self.upstream + path, body or None, dict(headers)))
        grouped: dict[str, list[str]] = {}
        for name, value in answer.msg.items():
            grouped.setdefault(name, []).append(value)
        response = {"status": {"code": answer.status, "message": answer.reason}, "headers": grouped,
                    "body": {"string": data}}  # fmt: skip
        response = self._filter_response(copy.deepcopy(response)) if request else None
        if not request or response is None:
            return
        if self._before_save is not None:
            request, response = self._before_save(request, response)
        with self._lock:
            self._recorded.append((request, response))

    def _note(self, note: str) -> None:
        with self._lock:
            self.notes.append(mask_secrets_in_text(self.scrubber.mask_text(note)))


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _ProxyHTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def _handle(self) -> None:
        try:
            length = body_length(self.headers.get("Content-Length"))
        except BadFraming as exc:
            self.close_connection = True  # the body cannot be skipped safely
            self._send(
                exc.status, "", [("Content-Type", "application/json")], error_body("bad_request", str(exc))
            )
            return
        body = self.rfile.read(length) if length else None
        path = self.path if self.path.startswith("/") else "/" + self.path
        try:
            status, reason, headers, data = self.server.proxy.forward(
                self.command, path, list(self.headers.items()), body
            )
        except UpstreamFailed as failure:
            # The add-on meets what the upstream did: a reset stays a reset, anything else a closed connection.
            if failure.reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self._send(status, reason, headers, data)

    def _send(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        # send_response_only: the upstream's own Date and Server go through, not a second pair of ours.
        self.send_response_only(status, reason)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the cassette and the notes say what happened."""


class _ProxyHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, proxy: RecordingProxy):
        self.proxy = proxy
        super().__init__((HOST, port), _ProxyHandler)
