"""Serve a cassette over HTTP on 127.0.0.1: recorded answers in order, a report of what did not match.

Answers are served as recorded, except that a token answer is issued at the replay clock's now
(`recorded_time.py` says why): the clock given, or the wall clock.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from vcr.cassette import Cassette
from vcr.errors import UnhandledHTTPRequestError
from vcr.request import Request

from trakt_cassettes.cassette_file import read_cassette
from trakt_cassettes.config import cassette_config
from trakt_cassettes.filters import is_placeholder, mask_secrets_in_text
from trakt_cassettes.matchers import PROJECT_MATCHERS
from trakt_cassettes.recorded_time import TOKEN_PATHS, reissue_token_answer
from trakt_cassettes.sim.web import BadFraming, body_length, error_body

# Answered to a request the cassette cannot serve. Not 5xx-retryable (500/502-504/520-522), not a Trakt
# status a client would act on, so a sync fails loudly instead of retrying or misreading it.
UNMATCHED_STATUS = 501
# Headers describing the recorded transfer, not the answer; the server sets its own.
TRANSFER_HEADERS = frozenset({"content-length", "transfer-encoding", "content-encoding", "connection"})
SECRET_HEADERS = frozenset({"authorization", "trakt-api-key", "cookie"})
MAX_SHOWN_BODY = 2000
# A Host header that can stand in a URL: a name or IPv4/IPv6 address and an optional port.
HOST_RE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")


@dataclass(frozen=True)
class ClosestMatch:
    """A recorded request close to an unmatched one, with the matchers it passed and failed."""

    index: int
    method: str
    uri: str
    passed: list[str]
    failed: list[tuple[str, str]]


@dataclass(frozen=True)
class UnmatchedRequest:
    """A request the cassette had no (unplayed) answer for, secrets masked."""

    method: str
    uri: str
    headers: dict[str, str]
    body: str | None
    reason: str
    closest: list[ClosestMatch] = field(default_factory=list)


@dataclass(frozen=True)
class ServedRequest:
    """One request the replay server answered (or could not: `matched` False, status 501)."""

    method: str
    path: str
    status: int
    at: float | None
    ratelimit_remaining: int | None
    matched: bool


@dataclass
class ReplayReport:
    """What a replay served: counts, requests without an answer, interactions never asked for."""

    cassette: str
    total: int
    played: int
    unmatched: list[UnmatchedRequest]
    unplayed: list[str]

    @property
    def ok(self) -> bool:
        """True when every request matched and every interaction was played."""
        return not self.unmatched and not self.unplayed

    def to_dict(self) -> dict:
        """The report as plain data (for --json and tests)."""
        return asdict(self) | {"ok": self.ok}

    def format(self) -> str:
        """The report as text: the first unmatched request in full, then the rest one line each."""
        lines = [f"cassette {self.cassette}: played {self.played} of {self.total} interactions"]
        if self.unmatched:
            first = self.unmatched[0]
            lines.append(f"{len(self.unmatched)} unmatched request(s); the first in full:")
            lines.append(f"  {first.method} {first.uri}")
            lines.extend(f"    {name}: {value}" for name, value in sorted(first.headers.items()))
            if first.body:
                lines.append(f"    body: {first.body}")
            lines.append(f"  reason: {first.reason}")
            for match in first.closest:
                lines.append(f"  closest recorded #{match.index}: {match.method} {match.uri}")
                lines.append(f"    passed: {', '.join(match.passed) or '-'}")
                lines.extend(f"    failed {name}: {message}" for name, message in match.failed)
            lines.extend(f"  also unmatched: {other.method} {other.uri}" for other in self.unmatched[1:])
        if self.unplayed:
            lines.append(f"{len(self.unplayed)} unplayed interaction(s):")
            lines.extend(f"  {item}" for item in self.unplayed)
        if self.ok:
            lines.append("all requests matched, all interactions played")
        return "\n".join(lines)


class CassetteReplayer:
    """Matches requests to a loaded cassette (thread-safe) and remembers what did not match."""

    def __init__(
        self,
        cassette_path: str | os.PathLike,
        clock: Callable[[], float | None] | None = None,
        allow_playback_repeats: bool = False,
    ):
        self.cassette_path = Path(cassette_path)
        # Every request in arrival order: method, path, status, time on `clock`, rate-limit budget left.
        self.served: list[ServedRequest] = []
        self._clock = clock
        read_cassette(self.cassette_path)  # CassetteError naming the problem, before vcrpy trusts the file
        self._cassette = Cassette.load(**cassette_config(self.cassette_path))
        # allow_playback_repeats (vcrpy's option, with a polling service in mind): a request whose matching
        # interactions were all played gets the last of them again. vcrpy's own option would always serve the
        # first match and leave the later polls of the recording unplayed.
        self.allow_playback_repeats = allow_playback_repeats
        self._lock = threading.Lock()
        self._unmatched: list[UnmatchedRequest] = []

    def answer(self, method: str, uri: str, headers: dict[str, str], body: bytes | None) -> dict | None:
        """The recorded vcrpy response dict for a request, or None (and a report entry) when none is left."""
        request = Request(method, uri, body or None, dict(headers))
        at = self._clock() if self._clock else None
        with self._lock:
            try:
                response = self._cassette.play_response(request)
            except UnhandledHTTPRequestError:
                response = self._repeat(request) if self.allow_playback_repeats else None
            if response is None:
                self._unmatched.append(self._describe_unmatched(method, uri, headers, body))
                self.served.append(ServedRequest(method, _path_of(uri), UNMATCHED_STATUS, at, None, False))
                return None
            status = response["status"]["code"]
            budget = _ratelimit_remaining(response.get("headers") or {})
            self.served.append(ServedRequest(method, _path_of(uri), status, at, budget, True))
            return response

    def _repeat(self, request: Request) -> dict | None:
        """The last recorded answer to this request, played once more (None when nothing matches it)."""
        incoming = self._cassette.filter_request(request)
        matchers = [matcher for _, matcher in PROJECT_MATCHERS]
        matching = [
            index
            for index, stored in enumerate(self._cassette.requests)
            if all(_passes(matcher, incoming, stored) for matcher in matchers)
        ]
        if not matching:
            return None
        self._cassette.play_counts[matching[-1]] += 1
        return self._cassette.responses[matching[-1]]

    def recorded_interactions(self) -> list[tuple[Request, dict]]:
        """The cassette's (request, response) pairs as loaded (a new_episodes recording keeps them first)."""
        with self._lock:
            return list(self._cassette.data)

    def now(self) -> float:
        """The replay's clock: the one given (fake Kodi's virtual time), else the wall clock."""
        at = self._clock() if self._clock else None
        return float(at) if at is not None else time.time()

    def report(self) -> ReplayReport:
        """The report so far."""
        with self._lock:
            played_indexes = {index for index, count in self._cassette.play_counts.items() if count}
            unplayed = [
                f"#{index} {request.method} {request.uri}"
                for index, request in enumerate(self._cassette.requests)
                if index not in played_indexes
            ]
            return ReplayReport(
                cassette=str(self.cassette_path),
                total=len(self._cassette),
                played=len(played_indexes),
                unmatched=list(self._unmatched),
                unplayed=unplayed,
            )

    def _describe_unmatched(
        self, method: str, uri: str, headers: dict[str, str], body: bytes | None
    ) -> UnmatchedRequest:
        incoming = self._cassette.filter_request(Request(method, uri, body or None, dict(headers)))
        matchers = [matcher for _, matcher in PROJECT_MATCHERS]
        closest: list[ClosestMatch] = []
        for stored, passed, failed in self._cassette.find_requests_with_most_matches(incoming)[:3]:
            closest.append(
                ClosestMatch(self._cassette.requests.index(stored), stored.method, stored.uri, passed, failed)
            )
        fully_matching = [
            index
            for index, stored in enumerate(self._cassette.requests)
            if all(_passes(matcher, incoming, stored) for matcher in matchers)
        ]
        if fully_matching:
            reason = f"all {len(fully_matching)} matching recorded interaction(s) were already played"
        elif closest:
            reason = "no recorded interaction matches; closest below"
        else:
            reason = "no recorded interaction is similar"
        if method == "POST" and _path_of(uri).split("?", 1)[0] in TOKEN_PATHS:
            reason += (
                "; the add-on asked for a token the recording did not: its token looked expired on the "
                "replay's clock (a replay gives the recorded token its lifetime from the replay's start, "
                "metadata.token_expires_in; check the expiry setting the add-on was given)"
            )
        return UnmatchedRequest(
            method=method,
            uri=mask_secrets_in_text(uri),
            headers={name: _mask_header(name, value) for name, value in headers.items()},
            body=_masked_body(body),
            reason=reason,
            closest=closest,
        )


def _path_of(uri: str) -> str:
    parts = urlsplit(uri)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _ratelimit_remaining(headers: dict) -> int | None:
    """`remaining` from Trakt's X-Ratelimit JSON header, when the answer has one."""
    for name, values in headers.items():
        if name.lower() != "x-ratelimit":
            continue
        value = values[0] if isinstance(values, list) and values else values
        try:
            remaining = json.loads(value).get("remaining")
        except (TypeError, ValueError, AttributeError):
            return None
        return remaining if isinstance(remaining, int) else None
    return None


def _passes(matcher, r1: Request, r2: Request) -> bool:
    try:
        matcher(r1, r2)
    except AssertionError:
        return False
    return True


def _mask_header(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, _, credential = value.partition(" ")
    if credential and scheme.lower() == "bearer":
        return value if is_placeholder(credential) else f"{scheme} ***"
    return value if is_placeholder(value) else "***"


def _masked_body(body: bytes | None) -> str | None:
    if not body:
        return None
    text = mask_secrets_in_text(body.decode("utf-8", errors="replace"))
    return text if len(text) <= MAX_SHOWN_BODY else text[:MAX_SHOWN_BODY] + "…"


class _ReplayHandler(BaseHTTPRequestHandler):
    server: _ReplayHTTPServer
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        try:
            length = body_length(self.headers.get("Content-Length"))
        except BadFraming as exc:
            # The body cannot be skipped safely, so the connection ends after the answer.
            self.close_connection = True
            self._send(exc.status, "", {"Content-Type": ["application/json"], "Connection": ["close"]},
                       error_body("bad_request", str(exc)))  # fmt: skip
            return
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items()}
        try:
            response = self.server.replayer.answer(self.command, self._uri(), headers, body)
        except Exception as exc:  # noqa: BLE001 - a replay bug answers 500 and the server keeps serving
            self._send(500, "", {"Content-Type": ["application/json"]},
                       error_body("replay_error", f"{type(exc).__name__}: {exc}"))  # fmt: skip
            return
        if response is None:
            self._send(
                UNMATCHED_STATUS, "Not Implemented", {"Content-Type": ["application/json"]}, _miss(self)
            )
            return
        recorded_body = response.get("body", {}).get("string") or b""
        if isinstance(recorded_body, str):
            recorded_body = recorded_body.encode("utf-8")
        status = response["status"]
        body = reissue_token_answer(self.path, status["code"], recorded_body, self.server.replayer.now())
        self._send(status["code"], status.get("message", ""), response.get("headers", {}), body)

    def _uri(self) -> str:
        """The request's URL; matching looks at the path and query, so a Host header that is not a host is ignored."""
        host = self.headers.get("Host") or ""
        if not HOST_RE.fullmatch(host):
            host = f"127.0.0.1:{self.server.server_port}"
        return f"http://{host}{self.path if self.path.startswith('/') else '/' + self.path}"

    def _send(self, code: int, message: str, headers: dict, body: bytes) -> None:
        self.send_response(code, message)
        for name, values in headers.items():
            if name.lower() in TRANSFER_HEADERS:
                continue
            for value in values if isinstance(values, list) else [values]:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the report says what happened."""


def _miss(handler: BaseHTTPRequestHandler) -> bytes:
    message = f"replay: the cassette has no unplayed interaction for {handler.command} {handler.path}"
    return json.dumps({"error": "unmatched_request", "error_description": message}).encode("utf-8")


class _ReplayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, replayer: CassetteReplayer):
        self.replayer = replayer
        super().__init__(("127.0.0.1", port), _ReplayHandler)


class ReplayServer:
    """A threaded HTTP server on 127.0.0.1 answering from one cassette; use as a context manager."""

    def __init__(
        self,
        cassette_path: str | os.PathLike,
        port: int = 0,
        clock: Callable[[], float | None] | None = None,
        allow_playback_repeats: bool = False,
    ):
        self.replayer = CassetteReplayer(
            cassette_path, clock=clock, allow_playback_repeats=allow_playback_repeats
        )
        self._port = port
        self._httpd: _ReplayHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:PORT."""
        if self._httpd is None:
            raise RuntimeError("replay server is not running")
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def start(self) -> ReplayServer:
        """Bind and serve in a background thread."""
        self._httpd = _ReplayHTTPServer(self._port, self.replayer)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="replay-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> ReplayReport:
        """Stop serving and return the report."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        return self.replayer.report()

    def report(self) -> ReplayReport:
        """The report so far (the server keeps running)."""
        return self.replayer.report()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
