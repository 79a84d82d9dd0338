"""Kodi's version rule and dependency walk (fake_kodi/home/dependencies.py), without processes."""

from __future__ import annotations

import pytest

from fake_kodi.home.addon_manifest import Requirement
from fake_kodi.home.dependencies import (
    AddonVersion,
    Available,
    first_unsatisfied,
    install_order,
    meets_version,
)


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.0", "1.1"),
        ("1.0", "1.01"),
        ("1.0", "1.0.1"),
        ("1.0.1", "1.1"),
        ("1.0", "1.0.0"),  # Kodi: a longer version sorts after its prefix
        ("1.0~beta1", "1.0"),
        ("1.0~beta1", "1.0~beta2"),
        ("2.22.0", "2.31.0"),
        ("9.9", "1:0.1"),  # the epoch wins
        ("1.0", "1.0-1"),
        ("", "0.0.1"),  # empty means 0.0.0
    ],
)
def test_versions_order_as_kodi_orders_them(lower, higher):
    assert AddonVersion(lower) < AddonVersion(higher)
    assert not AddonVersion(higher) < AddonVersion(lower)


@pytest.mark.parametrize(
    ("a", "b"), [("1.0", "1.00"), ("1.1", "1.01"), ("2.0.0", "2.0.0"), ("1.0.A", "1.0.a")]
)
def test_versions_kodi_counts_equal(a, b):
    assert AddonVersion(a) == AddonVersion(b)


def test_an_invalid_version_is_0_0_0_as_in_kodi():
    assert AddonVersion("1.0 beta") == AddonVersion("0.0.0")


@pytest.mark.parametrize(
    ("have", "abi", "version", "min_version", "meets"),
    [
        ("2.31.0", None, "2.22.0", "", True),
        ("2.22.0", None, "2.22.0", "", True),
        ("2.21.0", None, "2.22.0", "", False),
        ("3.0.1", "3.0.0", "3.0.1", "", True),  # xbmc.python of Kodi 20 and an add-on for 20
        ("3.0.0", "3.0.0", "3.0.1", "", False),  # ... the same add-on on Kodi 19
        ("3.0.1", "3.0.0", "2.26.0", "", False),  # older than the abi: refused
        ("1.2.0", None, "1.5.0", "1.0.0", True),  # minversion is the minimum when given
        ("0.9.0", None, "1.5.0", "1.0.0", False),
    ],
)
def test_meets_version_is_kodis_rule(have, abi, version, min_version, meets):
    assert meets_version(have, abi, version, min_version) is meets


def test_the_walk_reports_a_dependency_of_a_dependency():
    available = Available(
        {"script.module.a": ("1.0.0", None, [Requirement("script.module.b", "2.0.0")])},
    )
    failed = first_unsatisfied("plugin.x", [Requirement("script.module.a", "1.0.0")], available)
    assert failed is not None
    assert failed.error_line == (
        "CAddonInstallJob[script.module.a]: The dependency on script.module.b version 2.0.0 could not be satisfied."
    )
    assert failed.debug_line == (
        "CAddonInstallJob[script.module.a]: requires script.module.b version 2.0.0 which is not available"
    )


def test_the_walk_skips_kodis_own_addons_and_optional_missing_ones():
    requires = [Requirement("xbmc.python", "3.0.1"), Requirement("script.module.gone", "1.0", optional=True)]
    assert first_unsatisfied("plugin.x", requires, Available({})) is None


def test_a_cycle_does_not_loop():
    available = Available(
        {
            "script.module.a": ("1.0", None, [Requirement("script.module.b", "1.0")]),
            "script.module.b": ("1.0", None, [Requirement("script.module.a", "1.0")]),
        }
    )
    assert first_unsatisfied("plugin.x", [Requirement("script.module.a", "1.0")], available) is None
    assert install_order(
        ["script.module.a", "script.module.b"], lambda i: ["script.module.a", "script.module.b"]
    )


def test_install_order_puts_dependencies_first():
    graph = {"plugin": ["b", "xbmc.python"], "b": ["c"], "c": []}
    assert install_order(["plugin", "c", "b"], lambda i: graph[i]) == ["c", "b", "plugin"]
