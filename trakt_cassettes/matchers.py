"""Request matchers: method + scheme-less path + sorted query + body for writes + the same Trakt
credential headers (vcrpy protocol)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from vcr.request import Request

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def method(r1: Request, r2: Request) -> None:
    """Same HTTP method."""
    if r1.method.upper() != r2.method.upper():
        raise AssertionError(f"method {r1.method} != {r2.method}")


def path(r1: Request, r2: Request) -> None:
    """Same path, whatever the scheme, host and port (cassettes replay on any 127.0.0.1 port)."""
    if (r1.path or "/") != (r2.path or "/"):
        raise AssertionError(f"path {r1.path} != {r2.path}")


def sorted_query(r1: Request, r2: Request) -> None:
    """Same query parameters in any order, blank values included."""
    q1 = sorted(parse_qsl(r1.parsed_uri.query, keep_blank_values=True))
    q2 = sorted(parse_qsl(r2.parsed_uri.query, keep_blank_values=True))
    if q1 != q2:
        raise AssertionError(f"query {q1} != {q2}")


def write_body(r1: Request, r2: Request) -> None:
    """Same body for writes (JSON compared as data); reads ignore the body."""
    if r1.method.upper() in READ_METHODS:
        return
    b1, b2 = _comparable_body(r1.body), _comparable_body(r2.body)
    if b1 != b2:
        raise AssertionError(f"body {_short(b1)} != {_short(b2)}")


# Trakt's credential headers: present on both sides or on neither (their secret values are scrubbed
# in cassettes, so only presence, the auth scheme and the API version are compared).
CREDENTIAL_HEADERS = ("Authorization", "trakt-api-key", "trakt-api-version")


def credentials(r1: Request, r2: Request) -> None:
    """The same Trakt credential headers are sent (a client that forgot one must not replay green)."""
    for name in CREDENTIAL_HEADERS:
        v1, v2 = _header(r1, name), _header(r2, name)
        if (v1 is None) != (v2 is None):
            # vcrpy passes the new request first and the recorded one second
            side = "replayed request" if v1 is None else "recording"
            raise AssertionError(f"header {name} missing from the {side}")
        if (
            name == "Authorization"
            and v1 is not None
            and v1.split(" ")[0].lower() != v2.split(" ")[0].lower()
        ):
            raise AssertionError("Authorization scheme differs")
        if name == "trakt-api-version" and v1 != v2:
            raise AssertionError(f"trakt-api-version {v1} != {v2}")


def _header(request: Request, name: str) -> str | None:
    wanted = name.lower()
    for key, value in request.headers.items():
        if key.lower() == wanted:
            return value[0] if isinstance(value, list) else str(value)
    return None


def _comparable_body(body: object) -> object:
    if body is None or body == b"" or body == "":
        return None
    raw = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _short(value: object, limit: int = 200) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "…"


# The project's matchers, by the name vcrpy's config uses, in the order they are checked.
PROJECT_MATCHERS = (
    ("method", method),
    ("path", path),
    ("sorted_query", sorted_query),
    ("write_body", write_body),
    ("credentials", credentials),
)
MATCH_ON = tuple(name for name, _ in PROJECT_MATCHERS)
