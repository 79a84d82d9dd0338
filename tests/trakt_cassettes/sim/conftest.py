"""Fixtures for the simulator tests: fresh simulators of the example scenarios."""

from __future__ import annotations

import pytest

from trakt_cassettes.sim import Simulator

from .sim_helpers import SCENARIOS


@pytest.fixture
def small_sim() -> Simulator:
    """A fresh simulator of the demo scenario (small_library.yaml)."""
    return Simulator.from_file(SCENARIOS / "small_library.yaml")


@pytest.fixture
def progress_sim() -> Simulator:
    """A fresh simulator of the TRAKT_API.md §5 progress example."""
    return Simulator.from_file(SCENARIOS / "progress_example.yaml")
