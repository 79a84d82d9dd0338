"""Request/response objects and the helpers every handler shares (JSON bodies, pagination)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from .errors import BadRequest

JSON_TYPE = "application/json; charset=utf-8"
# Trakt's request bodies are a few KB; anything far larger is refused before it is read.
MAX_BODY_BYTES = 8 * 1024 * 1024
_DECIMAL = re.compile(r"[0-9]+")
MAX_LIMIT = 250  # [drift] 2026: limit is silently clamped to 250


class BadFraming(ValueError):
    """A request whose length cannot be trusted: answered with `status` and the connection closed."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def body_length(value: str | None) -> int:
    """The body length a `Content-Length` header declares; BadFraming when it is not one we can read."""
    if value is None or value == "":
        return 0
    if not _DECIMAL.fullmatch(value.strip()):
        raise BadFraming(400, f"Content-Length must be a non-negative integer, got {value[:40]!r}")
    length = int(value.strip()[:20])  # more digits than that is over the limit anyway
    if length > MAX_BODY_BYTES or len(value.strip()) > 20:
        raise BadFraming(
            413, f"Content-Length {value.strip()[:40]} is over the {MAX_BODY_BYTES}-byte limit of a body"
        )
    return length


def error_body(error: str, description: str) -> bytes:
    """A Trakt-style JSON error body."""
    return json.dumps({"error": error, "error_description": description}).encode("utf-8")


@dataclass
class Request:
    """One parsed request; header names are lower case; `params` holds the path's named groups."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes | None = None
    params: dict[str, str] = field(default_factory=dict)
    token: object = None

    def json(self) -> object:
        """The JSON body; 400 when it does not parse."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except ValueError:
            raise BadRequest("the body is not valid JSON") from None

    def json_object(self) -> dict:
        """The JSON body, which must be an object."""
        data = self.json()
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        return data

    def flag(self, name: str, default: bool) -> bool:
        """A `true`/`false` query parameter."""
        value = self.query.get(name)
        return default if value is None else value.lower() in ("true", "1", "yes")


@dataclass
class Response:
    """A handler's answer; `data` is JSON-encoded unless it is bytes (None: empty body)."""

    status: int = 200
    data: object = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body bytes) with Content-Type and Content-Length."""
        if isinstance(self.data, bytes):
            body = self.data
        elif self.data is None:
            body = b""
        else:
            body = json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": JSON_TYPE, **self.headers, "Content-Length": str(len(body))}
        return self.status, headers, body


def paginate(
    request: Request, items: list, default_limit: int | None, clamp: bool = True, max_limit: int = MAX_LIMIT
) -> tuple[list, dict[str, str]]:
    """One page of `items` plus X-Pagination-* headers.

    `default_limit=None` means pagination is optional: everything, no headers, unless page or
    limit is sent. Pages past the end are empty; the echoed limit is the effective one (clamped to
    `max_limit` unless `clamp` is off)."""
    if default_limit is None and "page" not in request.query and "limit" not in request.query:
        return items, {}
    page = _positive(request.query.get("page"), 1)
    limit = _positive(request.query.get("limit"), default_limit or 10)
    if clamp:
        limit = min(limit, max_limit)
    headers = {
        "X-Pagination-Page": str(page), "X-Pagination-Limit": str(limit),
        "X-Pagination-Page-Count": str(max(1, math.ceil(len(items) / limit))), "X-Pagination-Item-Count": str(len(items)),
    }  # fmt: skip
    return items[(page - 1) * limit : page * limit], headers


def _positive(value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"not a positive integer: {value!r}") from None
    return number if number > 0 else default
