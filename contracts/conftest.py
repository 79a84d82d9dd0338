"""Contracts: hypothesis profiles (`ci` is the default: 300 examples, no deadline) and a fresh world per test."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from contracts.support import World

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "quick", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("CONTRACTS_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def make_world(tmp_path, request):
    """Build a World for a scenario dict inside this test's temporary folder (named after the test)."""

    def build(scenario: dict, name: str = "") -> World:
        name = name or request.node.name
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        return World(scenario, folder, name)

    return build
