"""Helpers for the simulator tests: a JSON call helper, schema validation, a tiny scenario."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from trakt_cassettes.sim import Simulator

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "trakt_cassettes" / "scenarios"
SCHEMAS = ROOT / "contracts" / "schemas"
CLIENT_ID = "sim-client-id"


def trakt_headers(token: str | None = "test-token", client_id: str = CLIENT_ID) -> dict:
    """The headers a well-behaved Trakt client sends."""
    headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": client_id,
               "User-Agent": "sim-tests/1.0"}  # fmt: skip
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


class Answer:
    """A simulator answer with its JSON decoded."""

    def __init__(self, status: int, headers: dict, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def call(
    sim: Simulator,
    method: str,
    path: str,
    payload=None,
    headers: dict | None = None,
    token: str | None = "test-token",
) -> Answer:
    """One request through `sim.handle` with Trakt's headers (JSON payload encoded)."""
    body = json.dumps(payload).encode() if payload is not None else None
    return Answer(*sim.handle(method, path, trakt_headers(token) if headers is None else headers, body))


def assert_schema(name: str, data) -> None:
    """Validate data against contracts/schemas/<name>.json."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def mini_scenario(**overrides) -> dict:
    """A tiny scenario dict: one show (specials, 3 aired + 1 unaired episode), two movies."""
    data = {
        "now": "2026-11-01T12:00:00Z",
        "app": {"client_id": CLIENT_ID, "client_secret": "sim-secret"},
        "user": {"username": "bob", "access_token": "test-token", "refresh_token": "test-refresh"},
        "shows": [{
            "title": "Show", "year": 2020, "ids": {"trakt": 10, "imdb": "tt0000010"},
            "seasons": [
                {"number": 0, "ids": {"trakt": 100}, "episodes": [{"number": 1, "first_aired": "2020-01-01T00:00:00Z", "ids": {"trakt": 1000}}]},
                {"number": 1, "ids": {"trakt": 101}, "episodes": [
                    {"number": 1, "first_aired": "2020-01-05T00:00:00Z", "ids": {"trakt": 1011}},
                    {"number": 2, "first_aired": "2020-01-12T00:00:00Z", "ids": {"trakt": 1012}},
                    {"number": 3, "first_aired": "2020-01-19T00:00:00Z", "ids": {"trakt": 1013}},
                    {"number": 4, "first_aired": "2027-01-01T00:00:00Z", "ids": {"trakt": 1014}}]},
            ],
        }],
        "movies": [{"title": "Film", "year": 2001, "ids": {"trakt": 20, "imdb": "tt0000020"}},
                   {"title": "Other", "year": 2002, "ids": {"trakt": 21, "imdb": "tt0000021"}}],
    }  # fmt: skip
    data.update(overrides)
    return data
