"""plugin.video.traktshelf: reads Trakt in its plugin calls (record once, replay in CI)."""

import pytest

SHELF = "plugin.video.traktshelf"
CREDENTIALS = {"trakt_client_id": "{client_id}", "trakt_access_token": "{access_token}"}


def test_the_root_menu_needs_no_trakt(kodi, addon_zip):
    kodi.install(addon_zip(SHELF))
    assert kodi.run(f"plugin://{SHELF}/").labels == ["Watchlist", "Watched movies"]


@pytest.mark.trakt_cassette("cassettes/shelf_watchlist.cassette.yaml", scenario="scenarios/account.yaml")
def test_the_watchlist_lists_what_is_on_it(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip(SHELF))
    trakt_vcr.point(SHELF, **CREDENTIALS)
    result = kodi.run(f"plugin://{SHELF}/?action=watchlist")
    assert result.labels == ["Inception (2010)"]


@pytest.mark.trakt_cassette("cassettes/shelf_watched.cassette.yaml", scenario="scenarios/account.yaml")
def test_watched_movies_come_with_their_imdb_id(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip(SHELF))
    trakt_vcr.point(SHELF, **CREDENTIALS)
    result = kodi.run(f"plugin://{SHELF}/?action=watched")
    assert [(item["label"], item["info"]["imdbnumber"]) for item in result.items] == [
        ("Batman Begins (2005)", "tt0372784")
    ]
