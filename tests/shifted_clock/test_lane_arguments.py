"""The lane's command line: its own options and paths, and what it hands to pytest untouched."""

from __future__ import annotations

import pytest

from tests.shifted_clock.lane import ROOT, SELECTION, parse_arguments


@pytest.mark.parametrize(
    "argv",
    [
        ["--part", "fake", "--shift", "+1d", "--", "-n", "2"],
        ["--part", "fake", "--shift", "+1d", "-n2"],
    ],
    ids=["after-double-dash", "unknown-option"],
)
def test_worker_options_reach_pytest_and_keep_the_selection(argv):
    args, extra = parse_arguments(argv)
    assert (args.part, args.shift, args.paths) == ("fake", ["+1d"], [])
    assert "".join(extra) == "-n2"


def test_paths_before_the_double_dash_stay_the_lane_s():
    args, extra = parse_arguments(["tests/trakt_cassettes", "--", "-x", "tests/not_a_path_here"])
    assert args.paths == ["tests/trakt_cassettes"]
    assert extra == ["-x", "tests/not_a_path_here"]


@pytest.mark.parametrize("entry", [entry for part in SELECTION.values() for entry in part])
def test_every_selected_path_and_test_exists(entry):
    # A renamed file or test would otherwise leave the lane running less than the README says.
    path, _, test = entry.partition("::")
    assert (ROOT / path).exists(), entry
    if test:
        assert f"def {test}(" in (ROOT / path).read_text(encoding="utf-8"), entry
