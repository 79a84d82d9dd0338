"""Simulator: one scenario's state behind `handle()`, usable in-process or behind the HTTP server."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from .clock import MovingClock, VirtualClock, format_iso
from .control import control
from .errors import (
    ERRORS_BY_STATUS,
    AccountLimit,
    BadRequest,
    CloudflareRateLimited,
    Forbidden,
    Locked,
    PreconditionFailed,
    RateLimited,
    TraktError,
    Unauthorized,
    VipOnly,
)
from .faults import ANSWERING_KINDS, Fault, SimulatedConnectionReset, SimulatedTimeout, parse_fault
from .ratelimit import RateLimiter
from .routes import Route, match
from .scenario import Scenario, load_scenario
from .state import TraktState
from .web import Request, Response

CLOUDFLARE = {
    520: "Web server is returning an unknown error",
    521: "Web server is down",
    522: "Connection timed out",
}


class Simulator:
    """A simulated Trakt API v2 (plus the AIOStreams side) for one scenario."""

    def __init__(self, scenario: Scenario | dict, clock: VirtualClock | None = None):
        self.scenario = scenario if isinstance(scenario, Scenario) else Scenario.from_dict(scenario)
        self._owns_clock = clock is None
        self.clock = clock if clock is not None else VirtualClock(self.scenario.now)
        self._lock = threading.RLock()
        self.reset(reset_clock=False)

    @classmethod
    def from_file(cls, path: str | Path, clock: VirtualClock | None = None) -> Simulator:
        """A simulator for a scenario YAML file."""
        return cls(load_scenario(path), clock)

    @classmethod
    def on_wall_clock(cls, scenario: Scenario | dict | str | Path) -> Simulator:
        """A simulator served to clients on the wall clock: its time moves from the scenario's now on.

        Used when nothing drives the simulator's time (`trakt-cassettes serve`, `python -m
        trakt_cassettes.sim`, `fake-kodi real debug --scenario`): tokens it issues are fresh for the
        client, write windows pass. A test that drives time keeps the default `VirtualClock`.
        """
        if isinstance(scenario, (str, Path)):
            scenario = load_scenario(scenario)
        scenario = scenario if isinstance(scenario, Scenario) else Scenario.from_dict(scenario)
        return cls(scenario, MovingClock(scenario.now))

    def reset(self, reset_clock: bool = True) -> None:
        """Back to the scenario's state, faults and (for a clock it owns) time; the log is cleared."""
        with self._lock:
            if reset_clock and self._owns_clock:
                self.clock.set(self.scenario.now)
            self.state = TraktState(self.scenario, self.clock)
            self.limiter = RateLimiter(self.clock, self.scenario.rate_limits)
            self.faults: list[Fault] = [dataclasses.replace(f, seen=0, fired=0) for f in self.scenario.faults]
            self.request_log: list[dict] = []

    def add_fault(
        self,
        method: str | None = None,
        path: str = ".*",
        status: int | None = None,
        times: int | None = 1,
        **options,
    ) -> Fault:
        """Inject a fault (same keys as a scenario's `faults:` entry); `times=None` fires on every match."""
        raw = {"method": method, "path": path, **options}
        if status is not None:
            raw["status"] = status
        raw = {k: v for k, v in raw.items() if v is not None}
        # Set after the None filter: None is a value here ("every time"), not "not given".
        raw["times"] = times
        fault = parse_fault(raw)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self.faults.clear()

    def handle(
        self, method: str, url: str, headers: dict | None = None, body: bytes | None = None
    ) -> tuple[int, dict, bytes]:
        """Answer one request: (status, headers, body). Raises SimulatedConnectionReset/SimulatedTimeout for those faults."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if path.startswith("/_sim/"):
            with self._lock:
                return control(self, method.upper(), path, body)
        request = Request(method.upper(), path, dict(parse_qsl(parts.query, keep_blank_values=True)),
                          {str(k).lower(): str(v) for k, v in (headers or {}).items()}, body)  # fmt: skip
        with self._lock:
            response, entry, fault = self._answer(request)
            self.request_log.append(entry)
        if fault is not None and fault.real_delay and fault.kind != "timeout":
            time.sleep(fault.real_delay)  # a real slow answer, outside the lock
        if fault is not None and fault.kind == "reset":
            raise SimulatedConnectionReset(f"connection reset by the simulator ({fault.name})")
        if fault is not None and fault.kind == "timeout":
            raise SimulatedTimeout(f"no answer from the simulator ({fault.name})", fault.real_delay or 1.0)
        return response

    def _answer(self, request: Request) -> tuple[tuple[int, dict, bytes], dict, Fault | None]:
        fault = next((f for f in self.faults if f.matches(request.method, request.path) and f.take()), None)
        if fault is not None and fault.delay:
            self.clock.advance(fault.delay)
        entry = {"seq": len(self.request_log) + 1, "method": request.method, "path": request.path, "query": dict(request.query),
                 "time": self.clock.now_iso(), "epoch": self.clock.now(), "fault": fault.name if fault else None,
                 "api": None, "ratelimit": None}  # fmt: skip
        route = None
        try:
            route, request.params = match(request.method, request.path)
            entry["api"] = route.api
            if fault is not None and fault.kind in ANSWERING_KINDS:
                encoded = (
                    self._fault_response(fault) if fault.kind in ("status", "cloudflare") else (0, {}, b"")
                )
            else:
                entry["ratelimit"] = self._admit(route, request)
                encoded = route.handler(self.state, request).encode()
        except TraktError as error:
            if fault is not None and fault.kind in ANSWERING_KINDS:
                encoded = (
                    self._fault_response(fault) if fault.kind in ("status", "cloudflare") else (0, {}, b"")
                )
            else:
                encoded = _error_response(error)
        if fault is not None and fault.kind in ("malformed_json", "truncated_json"):
            encoded = _mangle(encoded, fault)
        if entry["ratelimit"] is None and route is not None and route.api == "trakt":
            entry["ratelimit"] = self.limiter.budget(request.method, request.token is not None)
        entry["status"] = encoded[0]
        return encoded, entry, fault

    def _admit(self, route: Route, request: Request) -> dict | None:
        """Trakt's header, auth, lock and rate-limit checks, in that order."""
        writes = request.method in ("POST", "PUT", "DELETE")
        if route.api == "stremio":
            return None
        if writes and not request.headers.get("content-type", "").lower().startswith("application/json"):
            raise PreconditionFailed("Content-Type must be application/json")
        if route.api == "oauth":
            return None
        expected = self.scenario.app.get("client_id")
        key = request.headers.get("trakt-api-key")
        if not key or (expected and key != expected):
            raise Forbidden("invalid API key (trakt-api-key)")
        if request.headers.get("trakt-api-version") != "2":
            raise BadRequest("trakt-api-version header must be 2")
        bearer = request.headers.get("authorization", "")
        token_value = bearer[7:].strip() if bearer.lower().startswith("bearer ") else None
        if route.auth == "required" or writes or token_value:
            request.token = self.state.tokens.authenticate(token_value)
            if self.state.user["locked"]:
                raise Locked(deactivated=self.state.user["deactivated"])
        return self.limiter.check(request.method, request.token is not None)

    def _fault_response(self, fault: Fault) -> tuple[int, dict, bytes]:
        if fault.kind == "cloudflare":  # Cloudflare's 429 page: HTML, Retry-After 300, no X-Ratelimit
            status, headers, body = _error_response(CloudflareRateLimited())
            return fault.status, {**headers, **fault.headers}, body
        if fault.body is not None:
            body = fault.body.encode() if isinstance(fault.body, str) else json.dumps(fault.body).encode()
            return Response(fault.status, body, fault.headers).encode()
        if fault.status in CLOUDFLARE:
            html = f"<html><body><h1>{fault.status}: {CLOUDFLARE[fault.status]}</h1></body></html>".encode()
            return Response(
                fault.status, html, {"Content-Type": "text/html; charset=UTF-8", **fault.headers}
            ).encode()
        if fault.status < 400:
            return Response(fault.status, {}, fault.headers).encode()
        error = _default_error(fault.status, self.state, self.clock)
        status, headers, body = _error_response(error)
        return status, {**headers, **fault.headers}, body

    @contextmanager
    def intercept(
        self, base_url: str = "https://api.trakt.tv", aiostreams_url: str | None = None
    ) -> Iterator:
        """Answer `requests` calls to base_url (and aiostreams_url) in-process, via `responses`."""
        from .intercept import intercept

        with intercept(self, base_url, aiostreams_url) as mock:
            yield mock

    def serve(self, port: int = 0):
        """A started SimulatorServer on 127.0.0.1 (use it as a context manager)."""
        from .server import SimulatorServer

        server = SimulatorServer(self, port=port)
        server.start()
        return server


def _error_response(error: TraktError) -> tuple[int, dict, bytes]:
    return Response(error.status, error.body(), error.headers).encode()


def _default_error(status: int, state: TraktState, clock: VirtualClock) -> TraktError:
    if status == 420:
        return AccountLimit(state.limits["watchlist"], state.user["vip"])
    if status == 423:
        return Locked()
    if status == 426:
        return VipOnly()
    if status == 429:
        until = format_iso(clock.now() + 1)[:19] + "Z"
        return RateLimited(
            1,
            json.dumps(
                {"name": "AUTHED_API_GET_LIMIT", "period": 300, "limit": 500, "remaining": 0, "until": until}
            ),
        )
    if status == 401:
        return Unauthorized("injected 401")
    cls = ERRORS_BY_STATUS.get(status)
    if cls is not None:
        return cls(f"injected {status}")
    error = TraktError(f"injected {status}")
    error.status, error.code = status, f"http_{status}"
    return error


def _mangle(encoded: tuple[int, dict, bytes], fault: Fault) -> tuple[int, dict, bytes]:
    status, headers, body = encoded
    if fault.kind == "malformed_json":
        body = b"<!DOCTYPE html>" + body  # what a proxy error page glued to JSON looks like to a parser
    else:
        body = body[: max(1, len(body) // 2)] if len(body) > 1 else b"["
    return status, {**headers, "Content-Length": str(len(body))}, body
