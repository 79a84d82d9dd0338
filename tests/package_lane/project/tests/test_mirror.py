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
    assert kodi.call(MIRROR, "resources.lib.historymirror.mirror:counts") == {"movies": 1, "episodes": 4, "activity": 2}
    assert kodi.window_property("historymirror.synced") == "-"  # the last poll found nothing new


@pytest.mark.trakt_cassette(CASSETTE, scenario="scenarios/account.yaml", allow_playback_repeats=True)
def test_a_day_of_polling_replays_from_the_same_cassette(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip(MIRROR))
    trakt_vcr.point(MIRROR, **CREDENTIALS)
    service = kodi.service(MIRROR, virtual_seconds=86400)  # 289 polls; the last recorded answer repeats
    assert service.ok, service.log
    assert kodi.window_property("historymirror.synced") == "-"
