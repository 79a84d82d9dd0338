"""Checks (issue 18): each lookup within its target of the bare sqlite3 read on the same mirror file.

The numbers come from `perf/limits.py` (the add-on's call and the bare read timed alternately in
this process, the median of the per-round ratios); the benchmarks in `test_lookups.py` report
the same measurement in their extra_info. These are the only places the ratio targets are asserted.
"""

from __future__ import annotations

import pytest

from perf.limits import TARGETS


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("is_watched", id="warm_is_watched_within_2x_of_a_bare_indexed_read"),
        pytest.param("is_in_watchlist", id="warm_is_in_watchlist_within_2x_of_a_bare_indexed_read"),
        pytest.param("catalog_page", id="cold_catalog_page_within_1_5x_of_the_bare_in_queries"),
        pytest.param("progress_60", id="progress_60_episodes_within_2x_of_reading_its_rows_bare"),
        pytest.param("progress_1000", id="progress_1000_episodes_within_2x_of_reading_its_rows_bare"),
    ],
)
def test_lookup_is_within_its_ratio_of_bare_sqlite(limits, question):
    measured = limits.get(question)
    assert measured.target == TARGETS[question]
    first = measured.describe()
    if measured.ratio > measured.target:
        # CI runs two tox envs at once: a neighbour can slow one side for a stretch (seen once:
        # progress_1000 at 2.16x). Over the target twice in a row, on two measurements, fails.
        measured = limits.remeasure(question)
    assert measured.ratio <= measured.target, f"{first}; measured again: {measured.describe()}"
