"""Cassette lint: unscrubbed secrets, broken YAML/JSON, schema breaks, no scenario, replays tied to the calendar."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import yaml

from trakt_cassettes.cassette_file import interaction_problem
from trakt_cassettes.config import CASSETTE_SUFFIX
from trakt_cassettes.filters import REQUEST_BODY_SECRET_KINDS, RESPONSE_BODY_SECRET_KINDS, is_placeholder
from trakt_cassettes.recorded_time import absolute_expiry_problem

# libyaml's loader when PyYAML has it: cassettes are large and linting parses each one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The checkout's files; an installed harness has no contracts/ folder and uses the definitions they are
# written from (trakt_cassettes/sim/schema_defs.py, kept in step with the files by a test).
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parents[1] / "contracts" / "schemas"
# (method, response path regex, schema file stem in contracts/schemas/) for 2xx answers. First match wins.
SCHEMA_BY_PATH = (
    ("GET", r"^/sync/last_activities$", "last_activities"),
    ("GET", r"^/sync/watched/movies$", "watched_movies"),
    ("GET", r"^/sync/watched/shows$", "watched_shows"),
    ("GET", r"^/sync/watched/episodes$", "watched_episodes"),
    ("GET", r"^/users/[^/]+/watched/episodes$", "watched_episodes"),
    ("GET", r"^/users/[^/]+/watched/movies$", "users_watched_movies"),
    ("GET", r"^/users/[^/]+/watched/shows$", "users_watched_shows"),
    ("GET", r"^/sync/watchlist(/.*)?$", "watchlist"),
    ("POST", r"^/sync/watchlist/remove$", "watchlist_remove"),
    ("POST", r"^/sync/watchlist$", "watchlist_add"),
    ("GET", r"^/sync/playback(/(movies|episodes))?$", "playback"),
    ("GET", r"^/sync/history(/.*)?$", "history"),
    ("POST", r"^/sync/history/remove$", "history_remove"),
    ("POST", r"^/sync/history$", "history_add"),
    ("GET", r"^/users/hidden/[a-z_]+$", "hidden"),
    ("POST", r"^/users/hidden/[a-z_]+/remove$", "hidden_remove"),
    ("POST", r"^/users/hidden/[a-z_]+$", "hidden_add"),
    ("GET", r"^/users/settings$", "settings"),
    ("GET", r"^/shows/[^/]+/seasons$", "seasons"),
    ("GET", r"^/shows/[^/]+/seasons/\d+$", "season_episodes"),
    ("GET", r"^/shows/[^/]+/progress/watched$", "progress_watched"),
    ("GET", r"^/shows/[^/]+$", "show"),
    ("GET", r"^/movies/[^/]+$", "movie"),
    ("GET", r"^/search/[a-z]+/[^/]+$", "search"),
    ("POST", r"^/oauth/device/code$", "device_code"),
    ("POST", r"^/oauth/(device/)?token$", "token"),
    ("GET", r"^/manifest\.json$", "stremio_manifest"),
    ("GET", r"^/catalog/.+\.json$", "stremio_catalog"),
    ("GET", r"^/meta/.+\.json$", "stremio_meta"),
)
# Answers whose shape depends on the query (2026 `extended=min` maps): checked before SCHEMA_BY_PATH.
MIN_QUERY = r"(^|&)extended=([^&]*(,|%2C))?min((,|%2C)[^&]*)?(&|$)"
SCHEMA_BY_QUERY = (
    ("GET", r"^/sync/watched/movies$", MIN_QUERY, "watched_movies_min"),
    ("GET", r"^/sync/watched/shows$", MIN_QUERY, "watched_shows_min"),
    ("GET", r"^/users/[^/]+/watched/movies$", MIN_QUERY, "watched_movies_min"),
    ("GET", r"^/users/[^/]+/watched/shows$", MIN_QUERY, "watched_shows_min"),
)
# Deliberate faults are marked on the response (`fault: malformed_json`); their bodies may be broken.
BROKEN_BODY_FAULTS = frozenset({"malformed_json", "truncated_json"})
HEX_TOKEN_RE = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])")
BEARER_RE = re.compile(r"(?i)bearer\s+(?!SCRUBBED_)([^\s'\",}\]]+)")


@dataclass(frozen=True)
class Problem:
    """One lint finding: the file, what kind of problem, where, and what is wrong."""

    path: str
    kind: str  # secret | yaml | json | schema | scenario | format | clock
    message: str
    interaction: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        at = f" interaction #{self.interaction}" if self.interaction is not None else ""
        return f"{where}:{at} [{self.kind}] {self.message}"


def cassette_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The cassettes named by paths: files as given, directories searched for *.cassette.yaml."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(path.rglob(f"*{CASSETTE_SUFFIX}")))
        else:
            found.append(path)
    return found


def lint_paths(
    paths: Iterable[str | os.PathLike], schema_dir: str | os.PathLike | None = None
) -> list[Problem]:
    """Lint every cassette under paths; an empty list means clean."""
    if schema_dir:
        schemas = SchemaSet(Path(schema_dir))
    else:
        schemas = SchemaSet(DEFAULT_SCHEMA_DIR if DEFAULT_SCHEMA_DIR.is_dir() else None)
    problems: list[Problem] = []
    for path in cassette_files(paths):
        problems.extend(lint_cassette(path, schemas))
    return problems


def lint_cassette(path: Path, schemas: SchemaSet) -> list[Problem]:
    """Lint one cassette file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(name, "format", f"cannot read the file: {exc}")]
    problems = list(_text_secrets(name, text))
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return [*problems, Problem(name, "yaml", f"invalid YAML: {getattr(exc, 'problem', exc)}", line=line)]
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        return [*problems, Problem(name, "format", "not a vcrpy cassette (no 'interactions' list)")]
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict):
        return [
            *problems,
            Problem(name, "format", f"metadata must be a mapping, got {type(metadata).__name__}"),
        ]
    problems.extend(_scenario_problems(path, metadata))
    problems.extend(_clock_problems(path, metadata))
    for index, interaction in enumerate(data["interactions"]):
        problems.extend(_interaction_problems(name, index, interaction, schemas))
    return problems


def _text_secrets(name: str, text: str) -> Iterator[Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        for match in BEARER_RE.finditer(line):
            yield Problem(
                name,
                "secret",
                f"Bearer token that is not a placeholder ({_hint(match.group(1))})",
                line=number,
            )
        for match in HEX_TOKEN_RE.finditer(line):
            yield Problem(name, "secret", f"long hex token ({_hint(match.group(0))})", line=number)


def _hint(secret: str) -> str:
    """Enough of a secret to find it, not enough to use it."""
    return f"{secret[:4]}…, {len(secret)} chars"


def _scenario_problems(path: Path, metadata: dict) -> list[Problem]:
    scenario = metadata.get("scenario") if isinstance(metadata, dict) else None
    if not scenario:
        return [Problem(str(path), "scenario", "no scenario: metadata.scenario must name the scenario file")]
    scenario_path = path.parent / str(scenario)
    if not scenario_path.is_file():
        return [Problem(str(path), "scenario", f"scenario file not found: {scenario_path}")]
    try:
        from trakt_cassettes.sim import load_scenario
    except ImportError:  # the simulator is optional for linting; existence was checked above
        return []
    try:
        load_scenario(scenario_path)
    except ValueError as exc:
        return [Problem(str(path), "scenario", f"invalid scenario: {exc}")]
    return []


def _scenario_data(path: Path, metadata: dict) -> dict:
    """The scenario's raw mapping, or {} when it cannot be read (the scenario check reports why)."""
    scenario_path = path.parent / str(metadata.get("scenario") or "")
    try:
        data = yaml.load(scenario_path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _clock_problems(path: Path, metadata: dict) -> list[Problem]:
    """Metadata that ties a replay to the calendar: an absolute deadline a wall-clock replay compares with now."""
    scenario = _scenario_data(path, metadata) if "token_expires_at" in metadata else {}
    problem = absolute_expiry_problem(metadata, scenario)
    problems = [Problem(str(path), "clock", problem)] if problem else []
    if "token_expires_in" in metadata:
        value = metadata["token_expires_in"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(
                Problem(
                    str(path),
                    "clock",
                    f"metadata.token_expires_in must be a number of seconds, got {value!r}",
                )
            )
    for key in sorted(
        k for k in metadata if isinstance(k, str) and k.endswith("_at") and k != "token_expires_at"
    ):
        if key.endswith("expires_at"):
            problems.append(
                Problem(
                    str(path),
                    "clock",
                    f"metadata.{key} is an absolute deadline: a replay on the wall clock passes it some day; "
                    f"fix: store the seconds from the recording's start instead ({key[:-3]}_in)",
                )
            )
    return problems


def _interaction_problems(name: str, index: int, interaction: object, schemas: SchemaSet) -> list[Problem]:
    shape = interaction_problem(interaction)
    if shape is not None:
        return [Problem(name, "format", f"interaction {shape}", index)]
    request, response = interaction["request"], interaction["response"]
    problems: list[Problem] = []
    for header, values in (request.get("headers") or {}).items():
        for value in values if isinstance(values, list) else [values]:
            problems.extend(_header_secret(name, index, header, str(value)))
    request_json = _json_body(request.get("body"), request.get("headers") or {})
    if request_json is _BROKEN:
        problems.append(Problem(name, "json", "request body is not valid JSON", index))
    else:
        problems.extend(_field_secrets(name, index, "request", request_json, REQUEST_BODY_SECRET_KINDS))
    body = (response.get("body") or {}).get("string")
    response_json = _json_body(body, response.get("headers") or {})
    if response_json is _BROKEN:
        if response.get("fault") not in BROKEN_BODY_FAULTS:
            problems.append(
                Problem(
                    name,
                    "json",
                    "response body is not valid JSON (mark deliberate faults: fault: malformed_json)",
                    index,
                )
            )
        return problems
    problems.extend(_field_secrets(name, index, "response", response_json, RESPONSE_BODY_SECRET_KINDS))
    status = (response.get("status") or {}).get("code")
    if response_json is not None and isinstance(status, int) and 200 <= status < 300:
        method = str(request.get("method", "GET")).upper()
        uri = urlsplit(str(request.get("uri", "")))
        problems.extend(
            Problem(name, "schema", message, index)
            for message in schemas.check(method, uri.path, response_json, uri.query)
        )
    return problems


def _header_secret(name: str, index: int, header: str, value: str) -> list[Problem]:
    lowered = header.lower()
    if lowered == "authorization":
        credential = value.partition(" ")[2] or value
        if not is_placeholder(credential):
            return [
                Problem(name, "secret", f"Authorization header is not scrubbed ({_hint(credential)})", index)
            ]
    if lowered == "trakt-api-key" and not is_placeholder(value):
        return [Problem(name, "secret", f"trakt-api-key header is not scrubbed ({_hint(value)})", index)]
    return []


def _field_secrets(name: str, index: int, side: str, document: object, fields: dict) -> list[Problem]:
    problems = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in fields and isinstance(value, str) and value and not is_placeholder(value):
                    problems.append(
                        Problem(
                            name, "secret", f"{side} body field {key} is not scrubbed ({_hint(value)})", index
                        )
                    )
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return problems


_BROKEN = object()


def _json_body(body: object, headers: dict) -> object:
    """The parsed body when the headers say JSON; None when not JSON or empty; _BROKEN when unparsable."""
    content_type = " ".join(
        str(value)
        for header, values in headers.items()
        if header.lower() == "content-type"
        for value in (values if isinstance(values, list) else [values])
    )
    if "json" not in content_type.lower() or body in (None, "", b""):
        return None
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
    try:
        return json.loads(text)
    except ValueError:
        return _BROKEN


class SchemaSet:
    """JSON Schemas from contracts/schemas (None: from schema_defs), looked up by request path; missing ones skipped."""

    def __init__(self, schema_dir: Path | None):
        self.schema_dir = schema_dir
        self._validators: dict[str, jsonschema.protocols.Validator | None] = {}

    def check(self, method: str, path: str, document: object, query: str = "") -> list[str]:
        """Messages for each way document breaks the schema of path (none when no schema applies)."""
        stem = self._stem_for(method, path, query)
        validator = self._validator_for(stem)
        if validator is None:
            return []
        return [
            f"{path} breaks schema {stem}: {error.message} at /{'/'.join(map(str, error.absolute_path))}"
            for error in sorted(
                validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
            )[:5]
        ]

    def _stem_for(self, method: str, path: str, query: str = "") -> str | None:
        by_query = (
            stem
            for verb, pattern, wanted, stem in SCHEMA_BY_QUERY
            if verb == method and re.match(pattern, path) and re.search(wanted, query)
        )
        by_path = (
            stem for verb, pattern, stem in SCHEMA_BY_PATH if verb == method and re.match(pattern, path)
        )
        return next(by_query, None) or next(by_path, None)

    def _validator_for(self, stem: str | None) -> jsonschema.protocols.Validator | None:
        if stem is None:
            return None
        if stem not in self._validators:
            schema = self._schema(stem)
            if schema is None:
                self._validators[stem] = None
            else:
                validator_class = jsonschema.validators.validator_for(schema)
                self._validators[stem] = validator_class(schema)
        return self._validators[stem]

    def _schema(self, stem: str) -> dict | None:
        if self.schema_dir is None:
            from trakt_cassettes.sim.schema_defs import schemas

            return schemas().get(stem)
        schema_path = self.schema_dir / f"{stem}.json"
        return json.loads(schema_path.read_text(encoding="utf-8")) if schema_path.is_file() else None
