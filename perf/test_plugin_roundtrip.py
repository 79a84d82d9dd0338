"""Benchmark: one plugin:// call round trip in a fresh interpreter (reported, not asserted).

Real Kodi 20 answers Files.GetDirectory on a plugin in about 250 ms; the aim for the fake is
a median under 150 ms on these machines. Run with `pytest perf/test_plugin_roundtrip.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from fake_kodi.pytest_plugin import build_addon_zip

EXAMPLE = Path(__file__).resolve().parents[1] / "tests" / "fake_kodi" / "addons" / "plugin.video.example"
ROOT = "plugin://plugin.video.example/"


@pytest.fixture
def example_kodi(tmp_path: Path) -> Kodi:
    kodi = Kodi(tmp_path / "kodi")
    zip_path = build_addon_zip(EXAMPLE, tmp_path / "dist")
    kodi.install(zip_path, dependencies=dependency_zips(zip_path))
    return kodi


def test_plugin_listing_round_trip(benchmark, example_kodi):
    result = benchmark.pedantic(example_kodi.run, args=(ROOT,), rounds=30, iterations=1, warmup_rounds=2)
    assert result.status == "directory"  # the measured call did the real work


def test_plugin_resolve_round_trip(benchmark, example_kodi):
    result = benchmark.pedantic(
        example_kodi.run, args=(ROOT + "?action=play&id=1",), rounds=30, iterations=1, warmup_rounds=2
    )
    assert result.status == "resolved"
