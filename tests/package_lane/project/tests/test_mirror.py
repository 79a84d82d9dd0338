"""service.trakt.historymirror: syncs Trakt into SQLite in its service (record once, replay in CI)."""

import pytest

MIRROR = "service.trakt.historymirror"
CREDENTIALS = {"trakt_client_id": "{client_id}", "trakt_access_token": "{access_token}"}
CASSETTE = "cassettes/mirror_service.cassette.yaml"


@pytest.mark.trakt_cassette(CASSETTE, scenario="scenarios/account.yaml")
def test_the_service_mirrors_the_history_then_polls_without_reading_again(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip(MIRROR))
    trakt_vcr.point(MIRROR, **CREDENTIALS)
    service = kodi.service(MIRROR, virtual_seconds=900)  # polls at 0, 5, 10 and 15 virtual minutes
    assert service.ok, service.log
    assert kodi.call(MIRROR, "resources.lib.historymirror.mirror:counts") == {
        "movies": 1,
        "episodes": 4,
        "activity": 2,
    }
    assert kodi.window_property("historymirror.synced") == "-"  # the last poll found nothing new


@pytest.mark.trakt_cassette(CASSETTE, scenario="scenarios/account.yaml", allow_playback_repeats=True)
def test_a_day_of_polling_replays_from_the_same_cassette(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip(MIRROR))
    trakt_vcr.point(MIRROR, **CREDENTIALS)
    service = kodi.service(MIRROR, virtual_seconds=86400)  # 289 polls; the last recorded answer repeats
    assert service.ok, service.log
    assert kodi.window_property("historymirror.synced") == "-"


@pytest.mark.trakt_scenario("scenarios/account.yaml")
def test_a_day_against_the_simulator_on_the_homes_clock(kodi, addon_zip, trakt_sim):
    kodi.install(addon_zip(MIRROR))
    kodi.set_settings(MIRROR, trakt_api_url=trakt_sim.url, trakt_client_id="standin-client-id",
                      trakt_access_token="fake-token")  # fmt: skip
    assert kodi.service(MIRROR, virtual_seconds=86400).ok
    assert trakt_sim.clock.now() == 1793534400.0 + 86400  # the scenario's now, one virtual day on
    paths = [entry["path"] for entry in trakt_sim.request_log]
    assert paths[:3] == ["/sync/last_activities", "/sync/watched/movies", "/sync/watched/shows"]
    assert paths[3:] == ["/sync/last_activities"] * 288  # every 5 virtual minutes, nothing new to read
