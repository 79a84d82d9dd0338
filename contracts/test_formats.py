"""Format contracts: the result schemas accept Trakt's shape and reject the classic drifts from it."""

from __future__ import annotations

import copy

import pytest

from contracts.support import FUNCTIONS, invariant_failures, schema_errors, validator
from contracts.test_documented_example import DOCUMENTED


@pytest.mark.parametrize("function", FUNCTIONS)
def test_result_schema_is_a_valid_draft_2020_12_schema(function):
    assert validator(function).schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("function", ["is_watched", "is_in_watchlist"])
def test_boolean_answers_reject_null(function):
    assert schema_errors(function, None) == ["<root>: None is not of type 'boolean'"]


def test_progress_may_be_null_for_a_show_trakt_does_not_know():
    assert schema_errors("get_show_progress", None) == []


def test_progress_rejects_a_missing_key_instead_of_null():
    answer = copy.deepcopy(DOCUMENTED)
    del answer["next_episode"]
    assert any(
        "'next_episode' is a required property" in e for e in schema_errors("get_show_progress", answer)
    )


def test_progress_rejects_an_extra_key():
    answer = {**copy.deepcopy(DOCUMENTED), "percent": 50}
    assert any("'percent' was unexpected" in e for e in schema_errors("get_show_progress", answer))


def test_progress_rejects_a_timestamp_without_milliseconds():
    answer = {**copy.deepcopy(DOCUMENTED), "last_watched_at": "2025-02-02T20:00:00Z"}
    assert any("does not match" in e for e in schema_errors("get_show_progress", answer))


def test_progress_rejects_a_timestamp_on_an_episode_not_completed():
    answer = copy.deepcopy(DOCUMENTED)
    answer["seasons"][0]["episodes"][1]["last_watched_at"] = "2025-01-10T20:00:00.000Z"
    errors = schema_errors("get_show_progress", answer)
    assert errors == [
        "seasons/0/episodes/1/last_watched_at: '2025-01-10T20:00:00.000Z' is not of type 'null'"
    ]


def test_progress_rejects_specials_in_seasons():
    answer = copy.deepcopy(DOCUMENTED)
    answer["seasons"][0]["number"] = 0
    assert schema_errors("get_show_progress", answer) == ["seasons/0/number: 0 is less than the minimum of 1"]


def test_progress_rejects_an_episode_ref_without_imdb_key():
    answer = copy.deepcopy(DOCUMENTED)
    del answer["next_episode"]["ids"]["imdb"]
    assert any("'imdb' is a required property" in e for e in schema_errors("get_show_progress", answer))


def test_documented_example_keeps_every_counting_invariant():
    assert invariant_failures({("show", "tt02"): {"get_show_progress": DOCUMENTED}}, "doc") == []


def test_invariants_flag_a_next_episode_that_is_already_completed():
    answer = copy.deepcopy(DOCUMENTED)
    answer["next_episode"]["number"] = 3
    failures = invariant_failures({("show", "tt02"): {"get_show_progress": answer}}, "doc")
    assert failures == ["doc show tt02 get_show_progress(): next_episode is already completed"]


def test_invariants_flag_totals_that_count_an_uncounted_episode():
    answer = {**copy.deepcopy(DOCUMENTED), "aired": 5}
    failures = invariant_failures({("show", "tt02"): {"get_show_progress": answer}}, "doc")
    assert failures == ["doc show tt02 get_show_progress(): aired is not the sum of the seasons' aired"]
