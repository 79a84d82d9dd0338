"""lint_paths catches each problem kind, in cassettes written into tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from trakt_cassettes.lint import DEFAULT_SCHEMA_DIR, lint_paths

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["all"],
    "properties": {"all": {"type": "string"}},
}


def _interaction(method: str = "GET", uri: str = "https://api.trakt.tv/sync/last_activities", body: str = '{"all": "2026-11-01T12:00:00.000Z"}',
                 request_headers: dict | None = None, request_body: str | None = None, fault: str | None = None) -> dict:  # fmt: skip
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": ["application/json"]},
        "body": {"string": body},
    }
    if fault:
        response["fault"] = fault
    headers = request_headers or {
        "Authorization": ["Bearer SCRUBBED_ACCESS_TOKEN"],
        "trakt-api-key": ["SCRUBBED_CLIENT_ID"],
    }
    return {
        "request": {"method": method, "uri": uri, "body": request_body, "headers": headers},
        "response": response,
    }


def _write(tmp_path: Path, *interactions: dict, scenario: str | None = "scenario.yaml") -> Path:
    (tmp_path / "scenario.yaml").write_text("now: '2026-11-01T12:00:00Z'\n", encoding="utf-8")
    document = {"version": 1, "interactions": list(interactions)}
    if scenario:
        document["metadata"] = {"scenario": scenario}
    path = tmp_path / "case.cassette.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def schema_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "schemas"
    directory.mkdir()
    (directory / "last_activities.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    return directory


def _kinds_and_messages(path: Path, schema_dir: Path) -> list[tuple[str, str]]:
    return [(problem.kind, problem.message) for problem in lint_paths([path], schema_dir=schema_dir)]


def test_clean_cassette_has_no_problems(tmp_path: Path, schema_dir: Path) -> None:
    assert lint_paths([_write(tmp_path, _interaction())], schema_dir=schema_dir) == []


def test_live_bearer_token_is_a_secret(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(
        tmp_path,
        _interaction(
            request_headers={
                "Authorization": ["Bearer live-token-1"],
                "trakt-api-key": ["SCRUBBED_CLIENT_ID"],
            }
        ),
    )
    assert _kinds_and_messages(path, schema_dir) == [
        ("secret", "Bearer token that is not a placeholder (live…, 12 chars)"),
        ("secret", "Authorization header is not scrubbed (live…, 12 chars)"),
    ]


def test_long_hex_token_anywhere_is_a_secret(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(uri=f"https://api.trakt.tv/sync/last_activities?x={'ab' * 32}"))
    assert _kinds_and_messages(path, schema_dir) == [("secret", "long hex token (abab…, 64 chars)")]


def test_client_secret_value_is_a_secret(tmp_path: Path, schema_dir: Path) -> None:
    body = json.dumps({"code": "SCRUBBED_DEVICE_CODE", "client_secret": "hunter2hunter2"})
    path = _write(tmp_path, _interaction(method="POST", uri="https://api.trakt.tv/oauth/device/token", request_body=body,
                                         request_headers={"Content-Type": ["application/json"]}))  # fmt: skip
    assert (
        "secret",
        "request body field client_secret is not scrubbed (hunt…, 14 chars)",
    ) in _kinds_and_messages(path, schema_dir)


def test_unscrubbed_trakt_api_key_is_a_secret(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(request_headers={"trakt-api-key": ["my-client-id"]}))
    assert _kinds_and_messages(path, schema_dir) == [
        ("secret", "trakt-api-key header is not scrubbed (my-c…, 12 chars)")
    ]


def test_token_in_oauth_answer_is_a_secret(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(
        tmp_path,
        _interaction(
            method="POST", uri="https://api.trakt.tv/oauth/token", body='{"access_token": "tok-live-1"}'
        ),
    )
    assert _kinds_and_messages(path, schema_dir) == [
        ("secret", "response body field access_token is not scrubbed (tok-…, 10 chars)")
    ]


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path, schema_dir: Path) -> None:
    path = tmp_path / "broken.cassette.yaml"
    path.write_text("version: 1\ninteractions:\n- request: {method: GET\n", encoding="utf-8")
    [problem] = lint_paths([path], schema_dir=schema_dir)
    assert (problem.kind, problem.line) == ("yaml", 4)
    assert problem.message.startswith("invalid YAML: ")


def test_invalid_json_body_is_reported(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(body='{"all": '))
    assert _kinds_and_messages(path, schema_dir) == [
        ("json", "response body is not valid JSON (mark deliberate faults: fault: malformed_json)")
    ]


def test_marked_malformed_json_fault_is_accepted(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(body='{"all": ', fault="malformed_json"))
    assert lint_paths([path], schema_dir=schema_dir) == []


def test_response_breaking_its_schema_is_reported(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(body='{"all": 5}'))
    assert _kinds_and_messages(path, schema_dir) == [
        (
            "schema",
            "GET /sync/last_activities breaks schema last_activities: 5 is not of type 'string' at /all",
        )
    ]


def test_a_schema_missing_from_the_folder_is_skipped(tmp_path: Path, schema_dir: Path) -> None:
    interaction = _interaction(body='{"error": "server"}')
    interaction["response"]["status"] = {"code": 503, "message": "Service Unavailable"}
    assert lint_paths([_write(tmp_path, interaction)], schema_dir=schema_dir) == []


def test_error_bodies_are_checked_against_the_error_schema(tmp_path: Path) -> None:
    interaction = _interaction(body='{"error": 401}')
    interaction["response"]["status"] = {"code": 401, "message": "Unauthorized"}
    assert _kinds_and_messages(_write(tmp_path, interaction), DEFAULT_SCHEMA_DIR) == [
        (
            "schema",
            "GET /sync/last_activities 401 breaks schema error: 'error_description' is a required property at /",
        ),
        (
            "schema",
            "GET /sync/last_activities 401 breaks schema error: 401 is not of type 'string' at /error",
        ),
    ]


def test_request_bodies_are_checked_against_the_request_schema(tmp_path: Path) -> None:
    interaction = _interaction(method="POST", uri="https://api.trakt.tv/sync/history", request_body='{"movies": 3}',
                               body='{"added": {"movies": 0, "episodes": 0}, "updated": {"movies": 0, "episodes": 0}, "not_found": {}}')  # fmt: skip
    interaction["request"]["headers"]["Content-Type"] = ["application/json"]
    interaction["response"]["status"] = {"code": 201, "message": "Created"}
    assert _kinds_and_messages(_write(tmp_path, interaction), DEFAULT_SCHEMA_DIR) == [
        ("schema", "POST /sync/history request body breaks schema history_add.request: 3 is not of type 'array',"
                   " 'null' at /movies")
    ]  # fmt: skip


def test_a_trakt_path_without_a_schema_is_a_problem(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(uri="https://api.trakt.tv/sync/collection/movies", body="[]"))
    assert _kinds_and_messages(path, schema_dir) == [
        (
            "schema",
            "no schema for GET /sync/collection/movies: the contract table does not cover this Trakt path",
        )
    ]


def test_cassette_without_scenario_is_reported(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(), scenario=None)
    assert _kinds_and_messages(path, schema_dir) == [
        ("scenario", "no scenario: metadata.scenario must name the scenario file")
    ]


def test_cassette_naming_a_missing_scenario_is_reported(tmp_path: Path, schema_dir: Path) -> None:
    path = _write(tmp_path, _interaction(), scenario="gone.yaml")
    assert _kinds_and_messages(path, schema_dir) == [
        ("scenario", f"scenario file not found: {tmp_path / 'gone.yaml'}")
    ]


def test_directory_lints_only_cassette_files(tmp_path: Path, schema_dir: Path) -> None:
    _write(tmp_path, _interaction(body="{"))
    (tmp_path / "notes.yaml").write_text("not: [a cassette", encoding="utf-8")
    assert [(p.kind, Path(p.path).name) for p in lint_paths([tmp_path], schema_dir=schema_dir)] == [
        ("json", "case.cassette.yaml")
    ]


def test_project_schemas_catch_a_tampered_recorded_answer(tmp_path: Path) -> None:
    from trakt_cassettes.config import CASSETTE_DIR

    (tmp_path / "first_sync_small.yaml").write_bytes((CASSETTE_DIR / "first_sync_small.yaml").read_bytes())
    text = (CASSETTE_DIR / "first_sync_small.cassette.yaml").read_text(encoding="utf-8")
    tampered = tmp_path / "first_sync_small.cassette.yaml"
    tampered.write_text(
        text.replace('[{"plays":1,"last_watched_at"', '[{"plays":"1","last_watched_at"', 1), encoding="utf-8"
    )
    problems = lint_paths([tampered])
    assert [(p.kind, p.interaction) for p in problems] == [("schema", 3)]  # after the two watchlists
    assert problems[0].message.startswith(
        "GET /sync/watched/movies breaks schema watched_movies: '1' is not of type 'integer'"
    )


def test_an_installed_harness_without_contracts_lints_with_the_same_schemas() -> None:
    # A wheel has no contracts/ folder: lint then builds the schemas the files are written from.
    from trakt_cassettes.lint import DEFAULT_SCHEMA_DIR, SchemaSet

    files, built = SchemaSet(DEFAULT_SCHEMA_DIR), SchemaSet(None, built_in=True)
    assert built.schema_dir is None and files.schema_dir == DEFAULT_SCHEMA_DIR
    stems = sorted(path.stem for path in DEFAULT_SCHEMA_DIR.glob("*.json"))
    assert len(stems) > 10
    assert [built._schema(stem) == files._schema(stem) for stem in stems] == [True] * len(stems)
    assert (
        built.validate("last_activities", {"all": 5}, "GET /sync/last_activities") != []
    )  # applied, not skipped
