"""The reference add-on in real Kodi 20 against the Trakt + AIOStreams simulator (small_library)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fake_kodi.real.driver import RealKodi
from fake_kodi.real.install import KodiInstall
from tests.real_kodi.reference_world import (
    ADDON_ID,
    BASE,
    DATABASE_INFO,
    SMALL_LIBRARY,
    TOP_MOVIES,
    addon_settings,
    fake_kodi_overlays,
    overlays,
    wait_for,
)
from trakt_cassettes.sim import Simulator

pytestmark = pytest.mark.real_kodi

LAST_RESULT = f"{ADDON_ID}.sync.last_result"
LAST_SUMMARY = f"{ADDON_ID}.sync.last_summary"
SERVICE_STATE = f"{ADDON_ID}.service.state"
SYNC_TIMEOUT = 60.0
TEXT_VIEWER = "Window.IsVisible(textviewer)"
VIEWER_HEADING = "Control.GetLabel(1)"


@dataclass
class RealWorld:
    """Real Kodi with the add-on installed, its service synced once against the served simulator."""

    kodi: RealKodi
    sim: Simulator
    route_seconds: dict[str, list[float]] = field(default_factory=dict)

    def run(self, url: str) -> list[dict]:
        """Files.GetDirectory of a route; its latency is kept for the timings artifact."""
        started = time.monotonic()
        files = self.kodi.run(url)["files"]
        self.route_seconds.setdefault(url, []).append(round(time.monotonic() - started, 3))
        return files

    def trakt_paths(self) -> list[str]:
        """Paths of the Trakt API requests the simulator answered so far."""
        return [entry["path"] for entry in self.sim.request_log if entry.get("api") == "trakt"]

    def service_sync(self, notify: tuple[str, str]) -> str:
        """Mark the last result, send a NotifyAll, wait until the service published a new sync result."""
        self.kodi.builtin(f"SetProperty({LAST_RESULT},pending,home)")
        wait_for(lambda: self.kodi.window_property(LAST_RESULT) == "pending", 10.0, "the marker property")
        self.kodi.notify(*notify)
        return wait_for(
            lambda: (
                self.kodi.window_property(LAST_RESULT) not in ("", "pending")
                and self.kodi.window_property(LAST_RESULT)
            ),
            SYNC_TIMEOUT,
            "the service to sync after the notification",
        )


@pytest.fixture(scope="module")
def real_world(
    kodi_install: KodiInstall,
    reference_zip: Path,
    tmp_path_factory: pytest.TempPathFactory,
    artifacts_dir: Path,
) -> Iterator[RealWorld]:
    """small_library on the simulator's clock; add-on and settings in place before Kodi starts (first sync authorised)."""
    # Real Kodi runs on the wall clock, so the simulator it syncs from does too.
    sim = Simulator.on_wall_clock(SMALL_LIBRARY)
    home = tmp_path_factory.mktemp("kodi-home")
    with sim.serve(port=0) as server:
        # Preinstalled: only add-ons Kodi finds at start get their strings.po loaded.
        kodi = RealKodi(
            home,
            install=kodi_install,
            preinstall=[reference_zip],
            user_settings={ADDON_ID: addon_settings(sim, server.url)},
        )
        world = RealWorld(kodi, sim)
        with kodi:
            wait_for(lambda: kodi.window_property(LAST_RESULT), SYNC_TIMEOUT, "the service's first sync")
            yield world
    (artifacts_dir / "reference_addon_timings.json").write_text(
        json.dumps(
            {
                "kodi_start_seconds": round(kodi.measurements.start_seconds, 3),
                "route_seconds": world.route_seconds,
                "quit_seconds": round(kodi.quit_report.seconds, 3),
                "peak_rss_kib": kodi.measurements.peak_rss_kib,
                "kodi_cpu_seconds": kodi.measurements.cpu_seconds,
            },
            indent=2,
        )
    )
    assert kodi.quit_report.killed_scripts == [], kodi.quit_report
    assert not kodi.quit_report.killed, f"Kodi had to be killed: {kodi.quit_report}"
    tracebacks = kodi.python_tracebacks()
    assert tracebacks == [], "Python tracebacks in kodi.log:\n" + "\n\n".join(tracebacks)
    # Secrets never reach kodi.log, even with Kodi's debug log on (issue 8, item 6, real Kodi half).
    settings = addon_settings(sim, "http://127.0.0.1")
    secrets = {
        key: settings[key] for key in ("trakt_client_secret", "trakt_access_token", "trakt_refresh_token")
    }
    log = kodi.log_text()
    assert "sync" in log.lower(), "kodi.log holds no sync lines: the scan below would prove nothing"
    leaked = [key for key, value in secrets.items() if value and value in log]
    assert leaked == [], f"kodi.log contains the values of {leaked}"


@pytest.fixture(scope="module")
def fake_top_movies(reference_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The Top Movies page's overlays as the fake Kodi answers them after a sync of small_library."""
    return fake_kodi_overlays(tmp_path_factory.mktemp("fake-kodi"), reference_zip, TOP_MOVIES)


def test_service_first_sync_at_start_succeeds(real_world: RealWorld) -> None:
    kodi = real_world.kodi
    assert kodi.window_property(LAST_RESULT) == "ok"
    assert json.loads(kodi.window_property(LAST_SUMMARY))["reason"] == "start"


def test_first_sync_asked_trakt_for_last_activities_and_watched(real_world: RealWorld) -> None:
    paths = real_world.trakt_paths()
    assert paths[0] == "/sync/last_activities"
    assert {"/sync/watched/movies", "/sync/watched/shows"} <= set(paths)


def test_main_menu_lists_items(real_world: RealWorld) -> None:
    files = real_world.run(BASE)
    assert len(files) >= 3
    assert [(item["label"], item["filetype"]) for item in files] == [
        ("Catalogs", "directory"),
        ("Next Up", "directory"),
        ("Trakt watchlist: movies", "directory"),
        ("Trakt watchlist: shows", "directory"),
        ("Tools", "directory"),
    ]


def test_top_movies_overlays_match_fake_kodi(real_world: RealWorld, fake_top_movies: dict) -> None:
    assert overlays(real_world.run(TOP_MOVIES)) == fake_top_movies


def test_top_movies_show_batman_watched_and_dark_knight_resume(real_world: RealWorld) -> None:
    page = overlays(real_world.run(TOP_MOVIES))
    assert page["Batman Begins"][0] == 1
    assert page["The Dark Knight"] == (0, 35.5, 100.0)


def test_browsing_makes_no_trakt_requests(real_world: RealWorld) -> None:
    before = len(real_world.trakt_paths())
    real_world.run(TOP_MOVIES)
    assert real_world.trakt_paths()[before:] == []


def test_force_sync_notification_makes_the_service_sync(real_world: RealWorld) -> None:
    result = real_world.service_sync((ADDON_ID, "force_sync"))
    assert result == "ok"
    assert json.loads(real_world.kodi.window_property(LAST_SUMMARY))["reason"] == "notification"


def test_foreign_notification_leaves_the_service_running(real_world: RealWorld) -> None:
    kodi = real_world.kodi
    mark = kodi.log_mark()
    kodi.notify("tester", "OnWake", {"from": "test"})
    # Notifications arrive in order: once the following force_sync is handled, the foreign one was too.
    assert real_world.service_sync((ADDON_ID, "force_sync")) == "ok"
    assert kodi.window_property(SERVICE_STATE) == "running"
    assert kodi.python_tracebacks(since=mark) == []


def test_catalog_page_screenshot_shows_the_page(
    real_world: RealWorld, fake_top_movies: dict, artifacts_dir: Path
) -> None:
    kodi = real_world.kodi
    assert show_in_videos_window(kodi, TOP_MOVIES) == len(fake_top_movies)
    target = kodi.screenshot(artifacts_dir / "catalog.png")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    kodi.builtin("ActivateWindow(Home)")


def show_in_videos_window(kodi: RealKodi, url: str) -> int:
    """Open `url` in the Videos window and wait until its items are listed; return how many."""
    kodi.builtin(f"ActivateWindow(Videos,{url},return)")
    page = ("Container.FolderPath", "Container.NumItems")

    def page_is_listed() -> bool:
        # FolderPath changes before the items are in: wait for the item count as well.
        labels = kodi.info_labels(*page)
        return labels["Container.FolderPath"] == url and labels["Container.NumItems"] not in ("", "0")

    try:
        wait_for(page_is_listed, 30.0, f"the Videos window to list {url}")
    except AssertionError as error:
        seen = kodi.info_labels(*page, "System.CurrentWindow", "System.CurrentControl")
        raise AssertionError(f"{error}; Kodi shows {seen}") from None
    return int(kodi.info_labels(*page)["Container.NumItems"])


def test_main_menu_screenshot_shows_the_menu(real_world: RealWorld, artifacts_dir: Path) -> None:
    kodi = real_world.kodi
    assert show_in_videos_window(kodi, BASE) == 5
    target = kodi.screenshot(artifacts_dir / "main_menu.png")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    kodi.builtin("ActivateWindow(Home)")


def test_database_info_dialog_screenshot_shows_the_text_viewer(
    real_world: RealWorld, artifacts_dir: Path
) -> None:
    kodi = real_world.kodi
    mark = kodi.log_mark()
    kodi.builtin(f'RunPlugin("{DATABASE_INFO}")')
    wait_for(
        lambda: kodi.info_booleans(TEXT_VIEWER)[TEXT_VIEWER], 30.0, "the database info text viewer to open"
    )
    # The dialog fades in: wait until its heading is drawn before taking the picture.
    wait_for(lambda: kodi.info_labels(VIEWER_HEADING)[VIEWER_HEADING], 10.0, "the text viewer's heading")
    time.sleep(0.5)
    target = kodi.screenshot(artifacts_dir / "database_info.png")
    kodi.answer_dialog("Back")
    wait_for(lambda: not kodi.info_booleans(TEXT_VIEWER)[TEXT_VIEWER], 10.0, "the text viewer to close")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert kodi.python_tracebacks(since=mark) == []


def test_no_python_traceback_in_kodi_log(real_world: RealWorld) -> None:
    assert real_world.kodi.python_tracebacks() == []
