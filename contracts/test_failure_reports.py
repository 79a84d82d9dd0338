"""How a broken contract reads: scenario, item, function and a unified diff; a scenario file to replay."""

from __future__ import annotations

import yaml

from contracts.strategies import Churn, failure_report
from contracts.support import equivalence_failures, make_scenario, make_show

ITEM = ("show", "tt02")


def test_an_unequal_answer_names_scenario_item_function_and_shows_a_diff():
    failures = equivalence_failures(
        "rewatch", {ITEM: {"get_show_progress": {"reset_at": "2025-01-01T00:00:00.000Z"}}},
        {ITEM: {"get_show_progress": {"reset_at": None}}}, "simulator", "mirror",
    )  # fmt: skip
    assert failures == [
        "scenario rewatch, show tt02, get_show_progress():\n--- simulator\n+++ mirror\n@@ -1,3 +1,3 @@\n {\n"
        '-  "reset_at": "2025-01-01T00:00:00.000Z"\n+  "reset_at": null\n }'
    ]


def test_equal_answers_report_nothing():
    answers = {ITEM: {"is_watched": True, "is_in_watchlist": False}}
    assert equivalence_failures("same", answers, dict(answers), "api path", "mirror") == []


def test_a_generated_failure_carries_a_loadable_scenario_file():
    scenario = make_scenario([make_show(1, "tt9000001", {1: ["2026-10-01T12:00:00Z"]})])
    report = failure_report(scenario, Churn(watchlist_add=[("show", 1)]), ["boom"])
    scenario_part = report.split("# --- minimal scenario (save as a scenario .yaml) ---\n")[1]
    assert yaml.safe_load(scenario_part.split("# --- then")[0]) == scenario
    assert "churn:\n  watchlist_add:\n  - [show, 1]" in report
