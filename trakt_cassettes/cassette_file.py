"""Read a cassette file for replaying: one clear `CassetteError` naming the file and what is wrong.

vcrpy trusts its files; a hand-edited or truncated cassette would otherwise surface as a KeyError
deep in a replay, or be served as an empty cassette. The replay debugger, the replay server and
`trakt-cassettes serve` read cassettes through `read_cassette` first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from trakt_cassettes.yaml_loader import safe_load

SUPPORTED_VERSION = 1


class CassetteError(ValueError):
    """A cassette that cannot be replayed; the message names the file and the problem."""


def read_cassette(path: str | Path) -> dict[str, Any]:
    """The cassette's document (metadata, version, interactions), checked enough to replay."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CassetteError(f"no such cassette: {path}") from None
    except IsADirectoryError:
        raise CassetteError(f"{path} is a directory, not a cassette file") from None
    except OSError as exc:
        raise CassetteError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CassetteError(f"{path} is not UTF-8 text (byte {exc.start}: {raw[exc.start]:#04x})") from None
    try:
        document = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise CassetteError(f"{path}{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    check_document(document, path)
    return document


def check_document(document: object, path: str | Path) -> None:
    """Raise CassetteError unless `document` has the shape vcrpy replays."""
    if not isinstance(document, dict):
        raise CassetteError(f"{path}: a cassette is a mapping with 'interactions', got {_kind(document)}")
    metadata = document.get("metadata", {})
    if metadata is not None and not isinstance(metadata, dict):
        raise CassetteError(f"{path}: metadata must be a mapping, got {_kind(metadata)}")
    version = document.get("version", SUPPORTED_VERSION)
    if version != SUPPORTED_VERSION:
        raise CassetteError(
            f"{path}: cassette format version {version!r} (this tool reads {SUPPORTED_VERSION})"
        )
    interactions = document.get("interactions")
    if not isinstance(interactions, list):
        raise CassetteError(f"{path}: 'interactions' must be a list, got {_kind(interactions)}")
    for index, interaction in enumerate(interactions):
        problem = interaction_problem(interaction)
        if problem:
            raise CassetteError(f"{path}: interaction #{index}: {problem}")


def interaction_problem(interaction: object) -> str | None:
    """What keeps one interaction from being replayed, or None."""
    if not isinstance(interaction, dict):
        return f"must be a mapping, got {_kind(interaction)}"
    request, response = interaction.get("request"), interaction.get("response")
    if not isinstance(request, dict):
        return "has no request mapping"
    if not isinstance(response, dict):
        return "has no response mapping"
    for key in ("method", "uri"):
        if not isinstance(request.get(key), str) or not request[key]:
            return f"request.{key} must be a non-empty string"
    if request.get("headers") is not None and not isinstance(request["headers"], dict):
        return "request.headers must be a mapping"
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else None
    if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
        return f"response.status must be a mapping with an HTTP code (100-599), got {status!r}"
    if response.get("headers") is not None and not isinstance(response["headers"], dict):
        return "response.headers must be a mapping"
    body = response.get("body", {})
    if body is not None and not isinstance(body, dict):
        return "response.body must be a mapping with 'string'"
    if isinstance(body, dict) and not isinstance(body.get("string", ""), (str, bytes, type(None))):
        return "response.body.string must be text"
    return None


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
