"""Contracts: hypothesis profiles for the generated libraries and a fresh world per test."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from contracts.support import World

# Registered only: test_generated applies the one CONTRACTS_HYPOTHESIS_PROFILE names (default ci), so
# other suites collected in the same session keep their own hypothesis settings.
settings.register_profile(
    "contracts-ci",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "contracts-quick", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "contracts-deep", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture
def make_world(tmp_path, request):
    """Build a World for a scenario dict inside this test's temporary folder (named after the test)."""

    def build(scenario: dict, name: str = "") -> World:
        name = name or request.node.name
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        return World(scenario, folder, name)

    return build
