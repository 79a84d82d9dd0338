"""Maintenance routes with scripted dialogs: force sync, info, clear, rebuild, vacuum."""

from __future__ import annotations

import sys

from tests.reference_addon.addon.conftest import ROOT

sys.path.insert(0, str(ROOT / "reference_addon" / "plugin.video.aiostreams" / "resources" / "lib"))

from database.connection import ProcessLock  # noqa: E402

AREAS = ["watched_movies", "watched_shows", "watchlist_movies", "watchlist_shows", "playback", "hidden"]


def test_force_sync_fills_the_mirror(world):
    result = world.sync()
    assert world.notifications(result) == ["Trakt sync finished: 6 area(s) updated with 11 request(s)"]
    assert world.query("SELECT COUNT(*) FROM watched_movies") == [(2,)]
    assert sorted(row[0] for row in world.query("SELECT area FROM sync_state")) == sorted(AREAS)


def test_force_sync_within_five_minutes_says_when_it_can_run(synced):
    result = synced.run_plugin("force_trakt_sync")
    # small_library's now is 12:00:00 UTC: the next sync may run at 12:05:00.
    assert synced.notifications(result) == [
        "A sync ran less than 5 minutes ago; the next one can run at 12:05:00 UTC"
    ]
    assert synced.trakt_requests() == []


def test_force_sync_runs_again_after_five_minutes_with_one_request_when_nothing_changed(synced):
    synced.kodi.clock.advance(301)
    result = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(result) == ["Trakt sync is up to date"]
    assert [entry["path"] for entry in synced.trakt_requests()] == ["/sync/last_activities"]


def test_force_sync_while_another_process_syncs_says_so(world):
    world.sync()
    world.kodi.clock.advance(600)
    holder = ProcessLock(str(world.db_path), "sync", ttl=900, clock=world.kodi.clock.now)
    assert holder.try_acquire()
    world.sim.request_log.clear()
    result = world.run_plugin("force_trakt_sync")
    assert world.notifications(result) == ["A Trakt sync is already running"]
    assert world.trakt_requests() == []


def test_sync_failure_is_reported_and_keeps_the_area(synced):
    synced.kodi.clock.advance(301)
    synced.sim.add_fault(method="GET", path="^/sync/last_activities", status=423)
    result = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(result)[0].startswith("Trakt sync failed: last_activities: ")
    assert result.notifications[0]["icon"] == "error"
    assert synced.query("SELECT COUNT(*) FROM watched_movies") == [(2,)]


def test_a_failed_sync_can_be_retried_at_once_once_the_cause_is_fixed(synced):
    synced.kodi.clock.advance(301)
    synced.sim.add_fault(method="GET", path="^/sync/last_activities", status=503, times=None)
    failed = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(failed)[0].startswith("Trakt sync failed: last_activities: ")
    synced.sim.clear_faults()  # the user fixed the cause (Trakt is back)
    synced.kodi.clock.advance(5)
    retried = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(retried) == ["Trakt sync is up to date"]
    # A sync that succeeded starts the 5 minutes again.
    refused = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(refused)[0].startswith("A sync ran less than 5 minutes ago")


def test_a_failed_service_sync_can_be_retried_at_once(synced):
    synced.kodi.clock.advance(301)
    now = int(synced.kodi.clock.now())
    synced.kodi.set_window_property("plugin.video.aiostreams.sync.last_run", str(now))
    synced.kodi.set_window_property("plugin.video.aiostreams.sync.last_result", "failed")
    retried = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(retried) == ["Trakt sync is up to date"]


def test_database_info_shows_counts_areas_size_and_schema(synced):
    result = synced.run_plugin("show_database_info", answers=["textviewer"])
    viewer = [d for d in result.dialogs if d.get("kind") == "textviewer"][0]
    text = viewer["text"] if "text" in viewer else str(viewer)
    assert "Shows: 3" in text and "Movies: 4" in text and "Watchlist items: 3" in text
    assert "Playback entries: 2" in text
    assert "watched_movies: 2026-11-01T12:00:00.000Z" in text
    assert "Schema version: 4" in text
    assert "File size: " in text


def test_clear_after_yes_empties_data_and_activities(synced):
    result = synced.run_plugin("clear_trakt_database", answers=["yesno=true"])
    assert synced.notifications(result) == ["Trakt database cleared"]
    assert synced.query("SELECT COUNT(*) FROM shows") == [(0,)]
    assert synced.query("SELECT COUNT(*) FROM sync_state") == [(0,)]


def test_clear_after_no_keeps_everything(synced):
    result = synced.run_plugin("clear_trakt_database", answers=["yesno=false"])
    assert result.notifications == []
    assert synced.query("SELECT COUNT(*) FROM shows") == [(3,)]


def test_next_sync_after_clear_fetches_every_area(synced):
    synced.run_plugin("clear_trakt_database", answers=["yesno=true"])
    synced.kodi.clock.advance(301)
    result = synced.run_plugin("force_trakt_sync")
    assert synced.notifications(result)[0].startswith("Trakt sync finished: 6 area(s)")


def test_rebuild_refills_the_mirror_with_per_area_progress(synced):
    result = synced.run_plugin("rebuild_trakt_database")
    assert synced.notifications(result) == ["Trakt database rebuilt: 11 request(s)"]
    messages = [str(d) for d in result.dialogs]
    for area in AREAS:
        assert any(f"Syncing {area}" in message for message in messages), area
    assert synced.query("SELECT COUNT(*) FROM watched_movies") == [(2,)]


def test_rebuild_cancelled_keeps_what_was_synced_and_leaves_the_rest_stale(synced):
    result = synced.run_plugin("rebuild_trakt_database", answers=["progress_cancel=2"])
    assert synced.notifications(result) == ["Rebuild cancelled: the next sync fetches the rest"]
    synced_areas = [row[0] for row in synced.query("SELECT area FROM sync_state WHERE remote_at IS NOT NULL")]
    assert synced_areas == [
        "watchlist_movies"
    ]  # the first area (cheapest first), committed before the cancel


def test_vacuum_reports_bytes_reclaimed(synced):
    synced.run_plugin("clear_trakt_database", answers=["yesno=true"])
    result = synced.run_plugin("vacuum_database")
    message = synced.notifications(result)[0]
    assert message.startswith("Database optimised: ") and message.endswith(" reclaimed")
    assert message != "Database optimised: 0 B reclaimed"


def test_vacuum_failure_shows_an_error_dialog(synced):
    synced.db_path.write_bytes(b"this is not an sqlite database" * 200)
    for suffix in ("-wal", "-shm"):
        synced.db_path.with_name(synced.db_path.name + suffix).unlink(missing_ok=True)
    result = synced.run_plugin("vacuum_database", answers=["ok"])
    dialog = [d for d in result.dialogs if d.get("kind") == "ok"][0]
    assert "Optimising the database failed: DatabaseError: file is not a database" in str(dialog)
    assert result.error is None


def test_maintenance_action_opened_as_a_folder_still_ends_the_directory(synced):
    result = synced.run("vacuum_database")
    assert result.status == "directory" and result.items == []


def test_a_service_sync_counts_for_the_five_minute_rule(world):
    world.kodi.set_window_property(
        "plugin.video.aiostreams.sync.last_run", str(int(world.kodi.clock.now()) - 60)
    )
    result = world.run_plugin("force_trakt_sync")
    assert world.notifications(result) == [
        "A sync ran less than 5 minutes ago; the next one can run at 12:04:00 UTC"
    ]
    assert world.trakt_requests() == []
