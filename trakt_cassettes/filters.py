"""Scrubbing on record: secrets become fixed placeholders, volatile headers go, nothing else changes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from vcr.request import Request

PLACEHOLDER_PREFIX = "SCRUBBED_"
PLACEHOLDER_RE = re.compile(r"^SCRUBBED_[A-Z]+(?:_[A-Z]+)*(?:_\d+)?$")
CANONICAL_BASE_URL = "https://api.trakt.tv"

# Request body fields that carry a secret, and the kind of secret each one is.
REQUEST_BODY_SECRET_KINDS = {
    "client_secret": "CLIENT_SECRET",
    "client_id": "CLIENT_ID",
    "code": "DEVICE_CODE",
    "refresh_token": "REFRESH_TOKEN",
    "token": "ACCESS_TOKEN",
}
# OAuth answer fields that carry a secret.
RESPONSE_BODY_SECRET_KINDS = {
    "access_token": "ACCESS_TOKEN",
    "refresh_token": "REFRESH_TOKEN",
    "device_code": "DEVICE_CODE",
    "user_code": "USER_CODE",
}
# Headers that change on every call (or carry session state) and would make recordings differ.
VOLATILE_RESPONSE_HEADERS = frozenset(
    {
        "date",
        "server",
        "x-request-id",
        "x-runtime",
        "cf-ray",
        "cf-cache-status",
        "set-cookie",
        "age",
        "etag",
        "report-to",
        "nel",
        "alt-svc",
        "via",
        "x-amzn-trace-id",
        "connection",
        "keep-alive",
    }
)
# Free-text replacement of known secrets skips very short values, which could hit ordinary text.
MIN_FREE_TEXT_SECRET_LENGTH = 6


def is_placeholder(value: object) -> bool:
    """True when value is one of the scrubbing placeholders."""
    return isinstance(value, str) and bool(PLACEHOLDER_RE.match(value))


class Scrubber:
    """Replaces secrets by placeholders, consistently within one cassette (same secret, same placeholder)."""

    def __init__(self, recorded_base_url: str | None = None, canonical_base_url: str = CANONICAL_BASE_URL):
        self.recorded_base_url = recorded_base_url.rstrip("/") if recorded_base_url else None
        self.canonical_base_url = canonical_base_url.rstrip("/")
        self._placeholders: dict[str, str] = {}
        self._kind_counts: dict[str, int] = {}

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value seen so far (for tests and for masking reports)."""
        return tuple(self._placeholders)

    def placeholder_for(self, secret: str, kind: str) -> str:
        """The placeholder of secret; a new secret of a kind gets SCRUBBED_KIND, then SCRUBBED_KIND_2, ..."""
        if is_placeholder(secret) or secret == "":
            return secret
        if secret not in self._placeholders:
            count = self._kind_counts.get(kind, 0) + 1
            self._kind_counts[kind] = count
            suffix = "" if count == 1 else f"_{count}"
            self._placeholders[secret] = f"{PLACEHOLDER_PREFIX}{kind}{suffix}"
        return self._placeholders[secret]

    def mask_text(self, text: str) -> str:
        """Replace every known secret in free text (longest first, so prefixes cannot leak)."""
        for secret in sorted(self._placeholders, key=len, reverse=True):
            if len(secret) >= MIN_FREE_TEXT_SECRET_LENGTH:
                text = text.replace(secret, self._placeholders[secret])
        return text

    def request(self, request: Request) -> Request:
        """vcrpy before_record_request hook: scrub headers, body fields, and pin the origin."""
        headers = request.headers
        for name in list(headers):
            lowered = name.lower()
            if lowered == "authorization":
                headers[name] = self._scrub_authorization(headers[name])
            elif lowered == "trakt-api-key":
                headers[name] = self.placeholder_for(headers[name], "CLIENT_ID")
        if request.body:
            request.body = self._scrub_request_body(request.body)
            _set_content_length(headers, len(request.body))
        request.uri = self.mask_text(self._canonical_uri(request.uri))
        return request

    def response(self, response: dict) -> dict:
        """vcrpy before_record_response hook: scrub OAuth tokens and drop volatile headers."""
        response["headers"] = {
            name: values
            for name, values in response.get("headers", {}).items()
            if name.lower() not in VOLATILE_RESPONSE_HEADERS
        }
        body = response.get("body", {}).get("string")
        if body:
            text = body.decode("utf-8", errors="surrogateescape") if isinstance(body, bytes) else body
            for field, value in _json_string_fields(text, RESPONSE_BODY_SECRET_KINDS):
                self.placeholder_for(value, RESPONSE_BODY_SECRET_KINDS[field])
            text = self.mask_text(text)
            scrubbed = text.encode("utf-8", errors="surrogateescape")
            response["body"]["string"] = scrubbed if isinstance(body, bytes) else text
            _set_content_length(response["headers"], len(scrubbed), as_list=True)
        return response

    def _scrub_authorization(self, value: str) -> str:
        scheme, _, credential = value.partition(" ")
        if scheme.lower() == "bearer" and credential:
            return f"{scheme} {self.placeholder_for(credential, 'ACCESS_TOKEN')}"
        return self.placeholder_for(value, "AUTHORIZATION")

    def _scrub_request_body(self, body: bytes) -> bytes:
        text = body.decode("utf-8", errors="surrogateescape")
        for field, value in _json_string_fields(text, REQUEST_BODY_SECRET_KINDS):
            # A code or token seen before (a device code, an issued token) keeps its placeholder.
            self.placeholder_for(value, REQUEST_BODY_SECRET_KINDS[field])
        for field, value in _form_fields(text, REQUEST_BODY_SECRET_KINDS):
            self.placeholder_for(value, REQUEST_BODY_SECRET_KINDS[field])
        return self.mask_text(text).encode("utf-8", errors="surrogateescape")

    def _canonical_uri(self, uri: str) -> str:
        if not self.recorded_base_url or not uri.startswith(self.recorded_base_url):
            return uri
        canonical = urlsplit(self.canonical_base_url + uri[len(self.recorded_base_url) :])
        return urlunsplit(canonical)


def _set_content_length(headers: dict, length: int, as_list: bool = False) -> None:
    """Keep Content-Length true after a placeholder changed the body size."""
    for name in list(headers):
        if name.lower() == "content-length":
            headers[name] = [str(length)] if as_list else str(length)


def _json_string_fields(text: str, fields: Iterable[str]) -> list[tuple[str, str]]:
    """(field, value) for every string value of the named fields anywhere in a JSON text."""
    try:
        document = json.loads(text)
    except ValueError:
        return []
    wanted = set(fields)
    found: list[tuple[str, str]] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in wanted and isinstance(value, str):
                    found.append((key, value))
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    # Sorted so placeholders are numbered the same way on every run, whatever the dict order.
    return sorted(found)


def _form_fields(text: str, fields: Iterable[str]) -> list[tuple[str, str]]:
    """(field, value) for the named fields of a form-encoded body (real OAuth clients may send forms)."""
    if "=" not in text or text.lstrip().startswith(("{", "[")):
        return []
    from urllib.parse import parse_qsl

    wanted = set(fields)
    return sorted((key, value) for key, value in parse_qsl(text) if key in wanted and value)


def mask_secrets_in_text(text: str) -> str:
    """Mask anything that looks like a credential in a report line (bearer tokens, hex tokens, secrets)."""
    text = re.sub(r"(?i)(bearer\s+)(?!SCRUBBED_)[^\s'\",}]+", r"\1***", text)
    text = re.sub(r"\b[0-9a-fA-F]{32,}\b", "***", text)
    for field in (*REQUEST_BODY_SECRET_KINDS, *RESPONSE_BODY_SECRET_KINDS, "trakt-api-key"):
        text = re.sub(
            rf"(['\"]?{re.escape(field)}['\"]?\s*[:=]\s*['\"]?)(?!SCRUBBED_)[^'\"&,}}\s]+",
            r"\1***",
            text,
        )
    return text
