"""contracts/schemas/*.json are valid draft 2020-12 schemas and match schema_defs.py."""

from __future__ import annotations

import json

import jsonschema
import pytest

from trakt_cassettes.sim.schema_defs import schemas

from .sim_helpers import SCHEMAS

NAMES = sorted(schemas())


@pytest.mark.parametrize("name", NAMES)
def test_schema_file_matches_its_definition(name):
    assert json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")) == schemas()[name]


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_draft_2020_12(name):
    jsonschema.Draft202012Validator.check_schema(schemas()[name])


def test_timestamp_pattern_rejects_timestamps_without_milliseconds():
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        jsonschema.validate(
            {"all": "2026-11-01T12:00:00Z"},
            {"properties": {"all": schemas()["last_activities"]["properties"]["all"]}},
        )
