"""The background service in a fake Kodi subprocess on a virtual clock, syncing from the simulator over HTTP.

Syncs are counted in the simulator's request log: every sync starts with GET /sync/last_activities.
"""

from __future__ import annotations

import json

from .conftest import ADDON_ID, make_world

MINUTE = 60.0


def test_first_sync_runs_at_start(world):
    result = world.kodi.service(ADDON_ID, virtual_seconds=30)
    assert result.ok, result.log
    assert world.syncs() == 1
    assert world.prop("sync.last_result") == "ok"


def test_first_sync_fills_the_mirror(world):
    world.kodi.service(ADDON_ID, virtual_seconds=30)
    state = dict(
        __import__("sqlite3").connect(world.db_path).execute("SELECT area, status FROM sync_state").fetchall()
    )
    assert state == {
        name: "ok"
        for name in (
            "watched_movies",
            "watched_shows",
            "watchlist_movies",
            "watchlist_shows",
            "playback",
            "hidden",
        )
    }


def test_a_sync_runs_every_interval(world):
    world.kodi.service(ADDON_ID, virtual_seconds=16 * MINUTE)
    assert world.syncs() == 4  # at start, +5, +10, +15 minutes


def test_unchanged_trakt_costs_one_request_per_interval_sync(world):
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(30)
        first = len(world.requests())
        service.advance(5 * MINUTE)
        assert len(world.requests()) == first + 1
        assert world.requests()[-1]["path"] == "/sync/last_activities"


def test_interval_comes_from_the_setting(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=10)
    result = world.kodi.service(ADDON_ID, virtual_seconds=31 * MINUTE)
    # at start, +10, +20, +30 minutes (once, under -n 2 on a loaded machine, only the first: the log says why)
    assert world.syncs() == 4, (result.ok, result.exception, result.log[-15:])


def test_changing_the_interval_applies_from_the_last_sync(world):
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        service.set_setting("sync_interval", "2")
        service.advance(1.5 * MINUTE)  # now 2.5 minutes after the first sync
        assert world.syncs() == 2


def test_wake_triggers_a_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=60)
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(10 * MINUTE)
        assert world.syncs() == 1
        service.wake()
        service.advance(MINUTE)
        assert world.syncs() == 2
        assert (
            world.prop("sync.last_summary")
            and json.loads(world.prop("sync.last_summary"))["reason"] == "wake"
        )


def test_sleep_does_not_trigger_a_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=60)
    result = world.kodi.service(ADDON_ID, virtual_seconds=20 * MINUTE, events=["600:sleep"])
    assert result.ok
    assert world.syncs() == 1


def test_screensaver_ending_after_a_long_idle_triggers_a_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=60)
    events = ["600:screensaver_on", "1800:screensaver_off"]
    world.kodi.service(ADDON_ID, virtual_seconds=1860, events=events)
    assert world.syncs() == 2
    assert json.loads(world.prop("sync.last_summary"))["reason"] == "screensaver"


def test_short_screensaver_does_not_trigger_a_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=60)
    world.kodi.service(ADDON_ID, virtual_seconds=1860, events=["600:screensaver_on", "780:screensaver_off"])
    assert world.syncs() == 1


def test_screensaver_sync_is_debounced_after_a_recent_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=10)
    # The interval sync at 600 s ran during the idle; the screensaver ending at 720 s adds none.
    world.kodi.service(ADDON_ID, virtual_seconds=780, events=["10:screensaver_on", "720:screensaver_off"])
    assert world.syncs() == 2


def test_auto_sync_off_makes_no_requests(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, auto_sync=False)
    result = world.kodi.service(ADDON_ID, virtual_seconds=3600, events=["600:wake", "700:screensaver_on"])
    assert result.ok
    assert world.requests() == []


def test_switching_auto_sync_on_starts_a_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, auto_sync=False)
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(10 * MINUTE)
        assert world.syncs() == 0
        service.set_setting("auto_sync", "true")
        service.advance(2)
        assert world.syncs() == 1
        assert json.loads(world.prop("sync.last_summary"))["reason"] == "auto_sync_on"


def test_switching_auto_sync_off_stops_the_interval_syncs(world):
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        service.set_setting("auto_sync", "false")
        service.advance(30 * MINUTE)
        assert world.syncs() == 1
        assert world.prop("sync.next_run") == ""


def test_settings_saved_by_another_process_reach_the_service(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, auto_sync=False)
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        world.settings(auto_sync=True)  # e.g. the settings dialog, another interpreter
        service.advance(2)
        assert world.syncs() == 1


def test_force_sync_notification_from_the_addon_triggers_a_sync(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=60)
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        world.kodi.notify_all(ADDON_ID, "force_sync")
        service.advance(2)
        assert world.syncs() == 2


def test_force_sync_notification_from_another_sender_is_ignored(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, sync_interval=60)
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(MINUTE)
        world.kodi.notify_all("script.other", "force_sync")
        service.advance(2)
        assert world.syncs() == 1
