"""aiostreams.kodi through the fake Kodi: the trakt.py config hook, token settings, log redaction."""

from __future__ import annotations

from tests.reference_addon.addon.conftest import ADDON_ID


def test_public_api_answers_from_a_synced_profile_through_the_kodi_hook(synced):
    progress = synced.kodi.call(ADDON_ID, "trakt:get_show_progress", ["tt11280740"])
    assert (progress["aired"], progress["completed"]) == (5, 3)
    assert progress["next_episode"]["number"] == 2 and progress["next_episode"]["season"] == 2
    assert synced.kodi.call(ADDON_ID, "trakt:is_watched", ["movie", "tt0372784"]) is True
    assert synced.kodi.call(ADDON_ID, "trakt:is_in_watchlist", ["series", "tt0903747"]) is False
    assert synced.trakt_requests() == []


def test_secrets_never_reach_kodi_log(world):
    world.kodi.set_settings(ADDON_ID, trakt_client_secret="client-secret-NEVER-LOG")
    result = world.kodi.run("plugin://plugin.video.aiostreams/?action=force_trakt_sync", debug_log=True)
    assert world.notifications(result)[0].startswith("Trakt sync finished")
    log = world.kodi.log_text()
    assert "[plugin.video.aiostreams]" in log
    for secret in ("test-token", "test-refresh", "client-secret-NEVER-LOG"):
        assert secret not in log


def test_redaction_replaces_a_token_that_a_message_carries(world):
    world.kodi.set_settings(ADDON_ID, trakt_access_token="tok-1234567890")
    world.kodi.call(ADDON_ID, "aiostreams.kodi:log", ["refresh used tok-1234567890 today", "error"])
    log = world.kodi.log_text()
    assert "refresh used <redacted> today" in log
    assert "tok-1234567890" not in log


def test_expired_token_is_refreshed_once_and_saved_to_the_settings(world):
    world.kodi.set_settings(ADDON_ID, trakt_token_expires=str(int(world.kodi.clock.now()) - 10))
    world.sync()
    oauth = [entry["path"] for entry in world.sim.request_log if entry.get("api") == "oauth"]
    assert oauth == ["/oauth/token"]
    assert world.kodi.get_setting(ADDON_ID, "trakt_access_token") not in ("", "test-token")
    assert int(world.kodi.get_setting(ADDON_ID, "trakt_token_expires")) > world.kodi.clock.now()


def test_profile_dir_and_db_path_are_in_addon_data(world):
    path = world.kodi.call(ADDON_ID, "aiostreams.kodi:db_path")
    assert path == str(world.db_path)
