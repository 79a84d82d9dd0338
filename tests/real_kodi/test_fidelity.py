"""Fidelity report: small_library's routes in fake_kodi and in real Kodi, against ONE served simulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_kodi.real.driver import RealKodi
from fake_kodi.real.fidelity import AllowRule, FidelityReport, compare_routes
from fake_kodi.real.install import KodiInstall
from tests.real_kodi.reference_world import (
    ADDON_ID,
    FIDELITY_ROUTES,
    FIDELITY_TABLE,
    SMALL_LIBRARY,
    addon_settings,
    fake_kodi_pages,
    wait_for,
)
from trakt_cassettes.sim import Simulator

pytestmark = pytest.mark.real_kodi

LAST_RESULT = f"{ADDON_ID}.sync.last_result"
# Expected differences, each with its reason. Empty means: every compared field must be equal. (A season's media
# type, which Files.GetDirectory reports as 'unknown', is read so by the fake's view too: fidelity.JSONRPC_VIDEO_TYPES.)
ALLOW_RULES: tuple[AllowRule, ...] = ()


@pytest.fixture(scope="module")
def fidelity_report(
    kodi_install: KodiInstall,
    reference_zip: Path,
    tmp_path_factory: pytest.TempPathFactory,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> Iterator[FidelityReport]:
    """Both Kodis synced from the same simulator server (equal URLs), every route listed by both."""
    # Real Kodi runs on the wall clock, so the simulator it syncs from does too.
    sim = Simulator.on_wall_clock(SMALL_LIBRARY)
    fake_seconds: dict[str, float] = {}
    real_seconds: dict[str, float] = {}
    with sim.serve(port=0) as server:
        fake_pages = fake_kodi_pages(
            tmp_path_factory.mktemp("fake-kodi"),
            reference_zip,
            server.url,
            sim,
            FIDELITY_ROUTES,
            fake_seconds,
        )
        kodi = RealKodi(
            tmp_path_factory.mktemp("kodi-fidelity"),
            install=kodi_install,
            preinstall=[reference_zip],
            user_settings={ADDON_ID: addon_settings(sim, server.url)},
        )
        with kodi:
            wait_for(lambda: kodi.window_property(LAST_RESULT), 60.0, "the service's first sync")
            assert kodi.window_property(LAST_RESULT) == "ok"
            real_pages = {}
            for url in FIDELITY_ROUTES:
                started = time.monotonic()
                real_pages[url] = kodi.run(url)["files"]
                real_seconds[url] = round(time.monotonic() - started, 3)
    report = compare_routes([(url, fake_pages[url], real_pages[url]) for url in FIDELITY_ROUTES], ALLOW_RULES)
    report.seconds = {url: {"fake": fake_seconds[url], "real": real_seconds[url]} for url in FIDELITY_ROUTES}
    report.kodi = f"{kodi_install.version} ({kodi_install.package_version})"
    report.write_json(artifacts_dir / "fidelity.json")
    (artifacts_dir / "fidelity.txt").write_text(report.table() + "\n", encoding="utf-8")
    request.config.stash[FIDELITY_TABLE] = report.table()
    yield report
    assert kodi.python_tracebacks() == []


def test_every_route_is_compared_with_items(fidelity_report: FidelityReport) -> None:
    assert [route.route for route in fidelity_report.routes] == list(FIDELITY_ROUTES)
    assert all(route.fake_items > 0 for route in fidelity_report.routes), fidelity_report.table()


def test_fake_and_real_kodi_list_the_same_items(fidelity_report: FidelityReport) -> None:
    assert fidelity_report.failures == [], fidelity_report.table()
