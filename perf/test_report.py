"""perf.report: the README's tables come from one run's JSON files."""

from __future__ import annotations

import json

import pytest

from perf.report import END, START, main, replace_between_markers

RUN = {
    "datetime": "2026-11-25T14:00:00",
    "machine_info": {"python_version": "3.11.7", "cpu": {"brand_raw": "Test CPU"}},
    "benchmarks": [
        {"name": "test_is_watched_warm_mirror", "group": "is_watched",
         "extra_info": {"target_s": 2e-5, "limit_s": 5e-6, "paired_project_s": 9e-6, "ratio": 1.8, "ratio_target": 2.0},
         "stats": {"min": 1e-5, "median": 1.5e-5, "max": 3e-5, "rounds": 100}},
        {"name": "test_is_in_watchlist_warm_mirror", "group": "is_in_watchlist",
         "extra_info": {"target_s": 2e-5, "limit_s": 5e-6, "paired_project_s": 1.25e-5, "ratio": 2.5, "ratio_target": 2.0},
         "stats": {"min": 1e-5, "median": 2.5e-5, "max": 3e-5, "rounds": 100}},
        {"name": "test_is_watched_api", "group": "is_watched", "extra_info": {},
         "stats": {"min": 0.02, "median": 0.03, "max": 0.04, "rounds": 3}},
    ],
}  # fmt: skip


def test_readme_section_is_replaced_with_the_runs_tables(tmp_path):
    (tmp_path / "benchmarks.json").write_text(json.dumps(RUN), encoding="utf-8")
    (tmp_path / "figures.json").write_text(
        json.dumps({"scale": 1.0, "no_change_sync_requests": 1}), encoding="utf-8"
    )
    readme = tmp_path / "README.md"
    readme.write_text(f"# perf\n{START}\nold\n{END}\ntail\n", encoding="utf-8")
    assert main([str(tmp_path / "benchmarks.json"), "--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith(f"{END}\ntail\n")
    assert (
        "| is_watched_warm_mirror | is_watched | 10.0 µs | 15.0 µs | 30.0 µs | 100 | 20.0 µs | yes "
        "| 5.0 µs | 1.80x (add-on 9.0 µs) | ≤ 2x |" in text
    )
    assert (
        "| is_in_watchlist_warm_mirror | is_in_watchlist | 10.0 µs | 25.0 µs | 30.0 µs | 100 | 20.0 µs | **no** "
        "| 5.0 µs | 2.50x (add-on 12.5 µs) | ≤ 2x **not met** |" in text
    )
    assert "| is_watched_api | is_watched | 20.00 ms | 30.00 ms | 40.00 ms | 3 |  |  |  | |" in text
    assert "| is_watched | 15.0 µs | 9.0 µs | 5.0 µs | 1.80x | 30.00 ms | 2,000x |  |  |" in text
    assert "| requests, no-change sync | 1 | 1 |" in text


def test_readme_without_markers_is_rejected():
    with pytest.raises(
        ValueError, match="the file has no <!-- figures:start --> ... <!-- figures:end --> section"
    ):
        replace_between_markers("# perf\nno markers\n", "block\n")
