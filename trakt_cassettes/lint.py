"""Cassette lint: unscrubbed secrets, broken YAML/JSON, schema breaks, no scenario, replays tied to the calendar."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

from trakt_cassettes.cassette_file import interaction_problem
from trakt_cassettes.config import CASSETTE_SUFFIX
from trakt_cassettes.contract.endpoints import Checker, Exchange, endpoint_for
from trakt_cassettes.filters import REQUEST_BODY_SECRET_KINDS, RESPONSE_BODY_SECRET_KINDS, is_placeholder
from trakt_cassettes.recorded_time import absolute_expiry_problem
from trakt_cassettes.yaml_loader import SAFE_LOADER

# libyaml's loader when PyYAML has it: cassettes are large and linting parses each one.
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parents[1] / "contracts" / "schemas"
# Trakt's endpoints are checked through trakt_cassettes.contract (every status, request bodies, queries,
# paging and error headers); these are AIOStreams' Stremio answers (not Trakt): 2xx only, first match wins.
STREMIO_SCHEMAS = (
    ("GET", r"(^|/)manifest\.json$", "stremio_manifest"),
    ("GET", r"/catalog/.+\.json$", "stremio_catalog"),
    ("GET", r"/meta/.+\.json$", "stremio_meta"),
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
    schemas = SchemaSet(Path(schema_dir) if schema_dir else None)
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
    uri = urlsplit(str(request.get("uri", "")))
    exchange = Exchange(
        str(request.get("method", "GET")).upper(), uri.path, dict(parse_qsl(uri.query)),
        None if request_json is _BROKEN else request_json, (response.get("status") or {}).get("code") or 0,
        _flat_headers(response.get("headers") or {}), body if isinstance(body, (str, bytes)) else None,
        str(response.get("fault") or ""),
    )  # fmt: skip
    problems.extend(
        Problem(name, "schema", message, index)
        for message in schemas.check_exchange(exchange, uri.hostname or "")
    )
    return problems


def _flat_headers(headers: dict) -> dict[str, str]:
    """vcrpy keeps each header as a list of values; one string per header name here."""
    return {str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in headers.items()}


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


def is_trakt_host(host: str) -> bool:
    """api.trakt.tv, auth.trakt.tv, api-staging.trakt.tv ...: a path there must be one the contract table covers."""
    return host == "trakt.tv" or host.endswith(".trakt.tv")


class SchemaSet(Checker):
    """The contract's schemas from a folder (None: contracts/schemas, or schema_defs when installed); missing ones skipped."""

    def __init__(self, schema_dir: Path | None, *, built_in: bool = False):
        super().__init__(schema_dir, built_in=built_in)

    def check_exchange(self, exchange: Exchange, host: str) -> list[str]:
        """Trakt exchanges against the contract (an uncovered path on a Trakt host is a problem); Stremio's 2xx."""
        if is_trakt_host(host) or endpoint_for(exchange.method, exchange.path) is not None:
            return self.check(exchange)
        if not 200 <= exchange.status < 300 or exchange.fault in BROKEN_BODY_FAULTS:
            return []
        stem = next((s for verb, pattern, s in STREMIO_SCHEMAS if verb == exchange.method
                     and re.search(pattern, exchange.path)), None)  # fmt: skip
        text = exchange.body.decode("utf-8", "replace") if isinstance(exchange.body, bytes) else exchange.body
        if stem is None or not text:
            return []
        try:
            document = json.loads(text)
        except ValueError:
            return []  # the json check reports it
        return self.validate(stem, document, f"{exchange.method} {exchange.path}")
