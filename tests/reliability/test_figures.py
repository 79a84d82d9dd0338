"""The figures file under pytest-xdist: every worker's counts reach it, summed, whichever worker ran what."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import Figures

ROOT = Path(__file__).resolve().parents[2]


def test_merge_sums_counts_pools_samples_and_keeps_set_values():
    first, second = Figures(), Figures()
    first.add("cases", 2)
    first.sample("latency_ms", 10.0)
    first.set("limit", "500/300s")
    second.add("cases", 3)
    second.sample("latency_ms", 30.0)
    second.sample("latency_ms", 20.0)
    first.merge(json.loads(json.dumps(second.dump())))  # as execnet carries it: plain JSON types
    assert first.summary() == {
        "cases": 5,
        "latency_ms_max": 30.0,
        "latency_ms_median": 20.0,
        "limit": "500/300s",
    }


def test_a_figure_keeps_one_way_of_combining():
    figures = Figures()
    figures.add("cases")
    with pytest.raises(ValueError, match="'cases' is a add figure, not a set one"):
        figures.set("cases", 3)


INNER_CONFTEST = "from tests.reliability.conftest import *  # noqa: F403\n"
INNER_TESTS = """
import pytest

@pytest.mark.parametrize("n", range(6))
def test_measures(figures, n):
    figures.add("cases")
    figures.sample("latency_ms", float(n))
    figures.set("limit", "500/300s")
"""


@pytest.mark.parametrize("mode", [["-p", "no:xdist"], ["-n", "2"]], ids=["serial", "two-workers"])
def test_the_whole_run_reaches_the_figures_file(pytester: pytest.Pytester, monkeypatch, mode):
    out = pytester.path / "figures.json"
    out.write_text(json.dumps({"kept_from_an_earlier_run": 1}), encoding="utf-8")
    monkeypatch.setenv("RELIABILITY_FIGURES", str(out))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makepyfile(test_inner=INNER_TESTS)
    # Only the plugins the figures need: hypothesis and benchmark add seconds to each of three interpreters.
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark", *mode
    )  # fmt: skip
    result.assert_outcomes(passed=6)
    assert json.loads(out.read_text(encoding="utf-8")) == {
        "cases": 6,
        "kept_from_an_earlier_run": 1,
        "latency_ms_max": 5.0,
        "latency_ms_median": 2.5,
        "limit": "500/300s",
    }


def test_workers_save_their_own_share_when_the_controller_never_loaded_the_conftest(
    pytester: pytest.Pytester, monkeypatch
):
    # pytest started on a folder above the suite's: the controller loads no conftest below it, so it
    # cannot sum; each worker writes its own figures (under a lock) and says so.
    out = pytester.path / "figures.json"
    monkeypatch.setenv("RELIABILITY_FIGURES", str(out))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    suite = pytester.mkpydir("suite")
    (suite / "conftest.py").write_text(INNER_CONFTEST, encoding="utf-8")
    (suite / "test_inner.py").write_text(INNER_TESTS, encoding="utf-8")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark", "-n", "2", "-v"
    )  # fmt: skip
    result.assert_outcomes(passed=6)
    shares = {
        worker: sum(1 for line in result.outlines if line.startswith(f"[{worker}]") and "PASSED" in line)
        for worker in ("gw0", "gw1")
    }
    result.stdout.fnmatch_lines(["*reliability figures of gw* only: run pytest on tests/reliability*"])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["cases"] in [count for count in shares.values() if count], (written, shares)
    assert written["limit"] == "500/300s"
