"""The lane's command line: its own options and paths, and what it hands to pytest untouched."""

from __future__ import annotations

import pytest

from tests.shifted_clock.lane import parse_arguments


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
