"""Contracts: hypothesis profiles for the generated libraries and a fresh world per test."""

from __future__ import annotations

from pathlib import Path

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The generated (hypothesis) contracts first: they are the long tests (10-15 s a shard).

    With pytest-xdist handing tests out one by one (tox: --maxschedchunk 1), the long ones start at
    once on every worker and the short ones fill the gaps, instead of the last worker free ending
    the run with a shard or two of its own. In one process the order changes nothing else.
    """
    here = Path(__file__).parent

    def generated_contract(item: pytest.Item) -> bool:
        # A session hook sees every collected test: only this suite's are moved.
        return item.path.is_relative_to(here) and getattr(
            getattr(item, "obj", None), "is_hypothesis_test", False
        )

    items.sort(key=lambda item: not generated_contract(item))
