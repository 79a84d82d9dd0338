"""Which schema checks what: every Trakt endpoint the simulator serves, with its answers by status, its
request-body and query schemas and its paging rule; `Checker` applies them to one exchange."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parents[2] / "contracts" / "schemas"
PAGING_HEADERS = (
    "X-Pagination-Page",
    "X-Pagination-Limit",
    "X-Pagination-Page-Count",
    "X-Pagination-Item-Count",
)
NO_BODY = ""  # an answer the contract types `z.undefined()`: nothing in the body
MIN_QUERY = re.compile(r"(^|,)min(,|$)")
# Schemas of documents that carry credentials: their failures never quote a value.
SECRET_SCHEMAS = frozenset({"token", "token_error", "device_code", "device_code.request", "device_token.request",
                            "token.request", "revoke.request"})  # fmt: skip
# Deliberate faults whose bodies are broken on purpose: nothing to validate.
BROKEN_BODY_FAULTS = frozenset({"malformed_json", "truncated_json"})


@dataclass(frozen=True)
class Endpoint:
    """One route: `answers` maps a success status to its schema name (NO_BODY: an empty body).

    `paging`: "always" (the contract's 📄 Pagination: X-Pagination-* on every answer), "asked" (📄
    Pagination Optional: on answers to a request with page or limit), or "" (none). `min_answer` is the
    schema of an `extended=min` answer."""

    method: str
    path: str
    answers: dict[int, str]
    request: str = ""
    query: str = "none"
    paging: str = ""
    min_answer: str = ""
    pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", re.compile(f"^{self.path}$"))


SEG = r"[^/]+"
WATCHED = "(movies|shows|episodes)"
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("POST", "/oauth/device/code", {200: "device_code"}, "device_code"),
    Endpoint("POST", "/oauth/device/token", {200: "token", 400: NO_BODY}, "device_token"),
    Endpoint("POST", "/oauth/token", {200: "token", 400: "token_error"}, "token"),
    Endpoint("POST", "/oauth/revoke", {200: NO_BODY}, "revoke"),
    Endpoint("GET", "/sync/last_activities", {200: "last_activities"}),
    # The contract's /sync/watched/:type takes no page/limit: its paging is 2026 drift (discussion #775; the
    # simulator's `api.drift`), so X-Pagination-* is required only on the min maps (route group `minimal`).
    Endpoint("GET", "/sync/watched/movies", {200: "watched_movies"}, query="sync_watched",
             min_answer="watched_movies_min"),
    Endpoint("GET", "/sync/watched/shows", {200: "watched_shows"}, query="sync_watched",
             min_answer="watched_shows_min"),
    Endpoint("GET", "/sync/watched/episodes", {200: "watched_episodes"}, query="sync_watched"),
    Endpoint("GET", f"/users/{SEG}/watched/movies", {200: "users_watched_movies"}, query="users_watched",
             min_answer="watched_movies_min"),
    Endpoint("GET", f"/users/{SEG}/watched/shows", {200: "users_watched_shows"}, query="users_watched",
             min_answer="watched_shows_min"),
    Endpoint("GET", f"/users/{SEG}/watched/episodes", {200: "watched_episodes"}, query="users_watched"),
    Endpoint("POST", "/sync/history/remove", {200: "history_remove"}, "history_remove"),
    # The contract says 200, the blueprint 201 (the simulator's): see history_add.json.
    Endpoint("POST", "/sync/history", {200: "history_add", 201: "history_add"}, "history_add"),
    Endpoint("GET", r"/sync/history(/(movies|shows|seasons|episodes)(/[0-9]+)?)?", {200: "history"},
             query="history", paging="always"),
    Endpoint("POST", "/sync/watchlist/remove", {200: "watchlist_remove"}, "watchlist"),
    Endpoint("POST", "/sync/watchlist", {201: "watchlist_add"}, "watchlist"),
    Endpoint("GET", f"/sync/watchlist(/{SEG}(/{SEG}(/{SEG})?)?)?", {200: "watchlist"}, query="watchlist",
             paging="asked"),
    Endpoint("DELETE", "/sync/playback/[0-9]+", {204: NO_BODY}),
    Endpoint("GET", "/sync/playback(/(movies|episodes))?", {200: "playback"}, query="playback", paging="asked"),
    Endpoint("GET", "/users/settings", {200: "settings"}, query="settings"),
    Endpoint("POST", f"/users/hidden/{SEG}/remove", {200: "hidden_remove"}, "hidden"),
    Endpoint("POST", f"/users/hidden/{SEG}", {200: "hidden_add", 201: "hidden_add"}, "hidden"),
    Endpoint("GET", f"/users/hidden/{SEG}", {200: "hidden"}, query="hidden", paging="always"),
    Endpoint("GET", f"/shows/{SEG}/progress/watched", {200: "progress_watched"}, query="progress"),
    Endpoint("GET", f"/shows/{SEG}/seasons/[0-9]+/episodes/[0-9]+", {200: "episode"}, query="media"),
    Endpoint("GET", f"/shows/{SEG}/seasons/[0-9]+", {200: "season_episodes"}, query="media"),
    Endpoint("GET", f"/shows/{SEG}/seasons", {200: "seasons"}, query="media"),
    Endpoint("GET", f"/shows/{SEG}", {200: "show"}, query="media"),
    Endpoint("GET", f"/movies/{SEG}", {200: "movie"}, query="media"),
    Endpoint("GET", f"/search/{SEG}/{SEG}", {200: "search"}, query="search", paging="always"),
)  # fmt: skip
# Headers Trakt documents on error answers (TRAKT_API.md §7, the blueprint's status table).
ERROR_HEADERS = {
    420: ("X-Upgrade-URL", "X-VIP-User", "X-Account-Limit"),
    423: ("X-Account-Locked", "X-Account-Deactivated"),
    426: ("X-Upgrade-URL",),
    429: ("Retry-After",),
}
# Answers that are HTML pages by nature: Cloudflare's 429 (trakt-api #909, #922) and its 520-522.
HTML_STATUSES = frozenset({429, 520, 521, 522})


def endpoint_for(method: str, path: str) -> Endpoint | None:
    """The endpoint a request goes to; None when it is not one the contract table covers."""
    return next((e for e in ENDPOINTS if e.method == method.upper() and e.pattern.match(path)), None)


@dataclass
class Exchange:
    """One request and its answer, as a cassette or the simulator's log holds them."""

    method: str
    path: str
    query: dict[str, str]
    request_body: object  # parsed JSON, or None
    status: int
    headers: dict[str, str]
    body: bytes | str | None
    fault: str = ""  # the kind of a deliberate fault that shaped the answer (malformed_json, ...)


class Checker:
    """The contract's schemas from a folder (contracts/schemas), applied to exchanges."""

    def __init__(self, schema_dir: str | Path | None = None, *, built_in: bool = False):
        # An installed harness has no contracts/ folder: it uses the definitions the files are written
        # from (trakt_cassettes/sim/schema_defs.py, kept in step with the files by a test); built_in
        # asks for those even in a checkout.
        default = DEFAULT_SCHEMA_DIR if DEFAULT_SCHEMA_DIR.is_dir() and not built_in else None
        self.schema_dir = Path(schema_dir) if schema_dir else default
        self._validators: dict[str, jsonschema.protocols.Validator | None] = {}
        self._built: dict[str, dict] | None = None

    def validate(self, name: str, document: object, where: str) -> list[str]:
        """Messages for each way document breaks schema `name` (none when the folder lacks that schema)."""
        validator = self._validator(name)
        if validator is None:
            return []
        errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
        secret = name in SECRET_SCHEMAS
        return [f"{where} breaks schema {name}: {_message(e, secret)} at /{'/'.join(map(str, e.absolute_path))}"
                for e in errors[:5]]  # fmt: skip

    def check(self, exchange: Exchange) -> list[str]:
        """Every way the exchange differs from the contract: uncovered path, status, body, headers, request."""
        where = f"{exchange.method} {exchange.path}"
        endpoint = endpoint_for(exchange.method, exchange.path)
        if endpoint is None:
            return [f"no schema for {where}: the contract table does not cover this Trakt path"]
        problems = self.validate(f"{endpoint.query}.query", exchange.query, f"{where} query")
        if exchange.request_body is not None and endpoint.request:
            problems += self.validate(
                f"{endpoint.request}.request", exchange.request_body, f"{where} request body"
            )
        return problems + self.check_answer(endpoint, exchange, where)

    def check_answer(self, endpoint: Endpoint, exchange: Exchange, where: str) -> list[str]:
        """The answer's status, body and headers against the endpoint's contract."""
        if exchange.fault in BROKEN_BODY_FAULTS:
            return []
        status, headers = exchange.status, {k.lower(): v for k, v in exchange.headers.items()}
        text = (
            exchange.body.decode("utf-8", "replace")
            if isinstance(exchange.body, bytes)
            else exchange.body or ""
        )
        html = "html" in headers.get("content-type", "").lower()
        if 200 <= status < 300:
            if status not in endpoint.answers:
                return [
                    f"{where} answered {status}; the contract's success status is {sorted(endpoint.answers)}"
                ]
            name = self.answer_schema(endpoint, status, exchange.query)
            return self._body(name, text, html, where) + self._paging(endpoint, exchange, headers)
        # The device poll's 429 is "Slow Down" (oauth/index.ts), not the rate limiter's: no headers promised.
        documented = {} if exchange.path == "/oauth/device/token" else ERROR_HEADERS
        problems = [f"{where} {status} lacks the {name} header" for name in documented.get(status, ())
                    if name.lower() not in headers]  # fmt: skip
        if status == 429 and documented and not html and "x-ratelimit" not in headers:
            problems.append(f"{where} 429 lacks X-Ratelimit (only Cloudflare's HTML 429 goes without)")
        if status in endpoint.answers:
            return problems + self._body(endpoint.answers[status], text, html, where)
        if html:
            return problems + ([] if status in HTML_STATUSES else [f"{where} {status} is an HTML page"])
        if not text.strip():
            return problems  # Trakt's blueprint documents statuses; an empty error body is fine
        return problems + self._json(text, "error", f"{where} {status}")

    def _body(self, name: str, text: str, html: bool, where: str) -> list[str]:
        if name == NO_BODY:
            return (
                []
                if not text.strip()
                else [f"{where} must answer with no body (the contract: z.undefined())"]
            )
        if html:
            return [f"{where} answered HTML where the contract's schema {name} is JSON"]
        return self._json(text, name, where)

    def _json(self, text: str, name: str, where: str) -> list[str]:
        try:
            document = json.loads(text)
        except ValueError:
            return [f"{where} body is not JSON (schema {name})"]
        return self.validate(name, document, where)

    def _paging(self, endpoint: Endpoint, exchange: Exchange, headers: dict[str, str]) -> list[str]:
        asked = "page" in exchange.query or "limit" in exchange.query
        minimal = endpoint.min_answer and MIN_QUERY.search(exchange.query.get("extended", ""))
        if not (endpoint.paging == "always" or minimal or (endpoint.paging == "asked" and asked)):
            return []
        return [f"{exchange.method} {exchange.path} lacks {name} (📄 Pagination)" for name in PAGING_HEADERS
                if name.lower() not in headers]  # fmt: skip

    def answer_schema(self, endpoint: Endpoint, status: int, query: dict[str, str]) -> str:
        """The schema name of an answer (the min map's when extended=min asked for it)."""
        if endpoint.min_answer and MIN_QUERY.search(query.get("extended", "")):
            return endpoint.min_answer
        return endpoint.answers.get(status, "")

    def _validator(self, name: str) -> jsonschema.protocols.Validator | None:
        if name not in self._validators:
            schema = self._schema(name)
            self._validators[name] = (
                None if schema is None else jsonschema.validators.validator_for(schema)(schema)
            )
        return self._validators[name]

    def _schema(self, name: str) -> dict | None:
        if self.schema_dir is None:
            if self._built is None:  # every schema is built in one go: build them once per Checker
                from trakt_cassettes.sim.schema_defs import schemas

                self._built = schemas()
            return self._built.get(name)
        path = self.schema_dir / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _message(error: jsonschema.ValidationError, secret: bool = False) -> str:
    """The deepest reason of a oneOf/anyOf failure (the branch that got furthest), else the error's own.

    With `secret`, the message never quotes the document (only what the schema wanted): token answers and
    OAuth bodies hold credentials, which must not reach a lint line or an assertion message."""
    if error.context:
        best = max(error.context, key=lambda e: len(e.absolute_path))
        if len(best.absolute_path) > len(error.absolute_path):
            return f"{_message(best, secret)} (at /{'/'.join(map(str, best.absolute_path))})"
    if secret and error.validator != "required":
        return f"the value fails {error.validator} {error.validator_value!r}"
    return error.message
