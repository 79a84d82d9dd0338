"""In-process mode: `requests` calls answered by the simulator through a `responses` mock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import responses

from .faults import SimulatedConnectionReset, SimulatedTimeout

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


@contextmanager
def intercept(sim, base_url: str, aiostreams_url: str | None = None) -> Iterator[responses.RequestsMock]:
    """Route requests for the given base URLs into `sim.handle`; 127.0.0.1 still passes through."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for prefix in [u.rstrip("/") for u in (base_url, aiostreams_url) if u]:
            pattern = re.compile(re.escape(prefix) + r"(?:[/?#].*)?$")
            for method in METHODS:
                mock.add_callback(method, pattern, callback=_callback(sim, prefix), content_type=None)
        mock.add_passthru(re.compile(r"https?://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:/|$)"))
        yield mock


def _callback(sim, prefix: str):
    def answer(request: requests.PreparedRequest):
        rest = request.url[len(prefix) :] or "/"
        if not rest.startswith("/"):
            rest = "/" + rest
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        try:
            status, headers, payload = sim.handle(request.method, rest, dict(request.headers), body)
        except SimulatedConnectionReset as exc:
            return requests.exceptions.ConnectionError(ConnectionResetError(104, str(exc)), request=request)
        except SimulatedTimeout as exc:
            return requests.exceptions.ReadTimeout(str(exc), request=request)
        headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
        return status, headers, payload

    return answer
