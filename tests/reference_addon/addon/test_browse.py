"""Browsing routes through the fake Kodi: menu, catalogs, pages with overlays, seasons, episodes, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reference_addon.addon.conftest import SMALL_LIBRARY, items_by_label, make_world, url


def test_main_menu_lists_catalogs_next_up_watchlists_and_tools(world):
    result = world.run()
    assert result.status == "directory"
    assert result.labels == [
        "Catalogs",
        "Next Up",
        "Trakt watchlist: movies",
        "Trakt watchlist: shows",
        "Tools",
    ]
    assert [item["url"] for item in result.items][:2] == [url("catalogs"), url("next_up")]


def test_catalogs_come_from_the_manifest_with_genre_folders(world):
    result = world.run("catalogs")
    assert result.status == "directory"
    assert result.labels == ["Top Movies", "Top Movies: Genres", "Trending Shows", "Trending Shows: Genres"]
    assert result.items[0]["url"] == url("catalog", type="movie", id="top")


def test_genres_lists_the_catalog_genres(world):
    result = world.run("genres", type="movie", id="top")
    assert result.labels == ["action", "crime", "drama", "science-fiction"]
    assert result.items[0]["url"] == url("catalog", genre="action", id="top", type="movie")


def test_catalog_page_filtered_by_genre(synced):
    result = synced.run("catalog", type="movie", id="top", genre="science-fiction")
    assert result.labels == ["Inception"]


def test_movie_overlays_show_watched_resume_ids_and_mediatype(synced):
    items = items_by_label(synced.run("catalog", type="movie", id="top"))
    batman, knight = items["Batman Begins"], items["The Dark Knight"]
    assert batman["info"]["playcount"] == 1
    assert knight["info"]["playcount"] == 0
    assert knight["info"]["resume"] == {"position": 35.5, "total": 100.0}
    assert batman["info"]["uniqueids"] == {"imdb": "tt0372784", "trakt": "6"}
    assert batman["info"]["mediatype"] == "movie"
    assert batman["is_playable"] and batman["url"] == url("play", id="tt0372784", type="movie")


def test_movie_without_imdb_id_gets_its_overlay_by_trakt_id(synced):
    film = items_by_label(synced.run("catalog", type="movie", id="top"))["Unrecorded Film"]
    assert film["info"]["playcount"] == 1
    assert film["info"]["uniqueids"] == {"trakt": "9"}


def test_context_menu_offers_the_opposite_of_the_current_state(synced):
    items = items_by_label(synced.run("catalog", type="movie", id="top"))
    assert [label for label, _ in items["Batman Begins"]["context_menu"]] == [
        "Mark as unwatched",
        "Add to Trakt watchlist",
    ]
    assert [label for label, _ in items["The Dark Knight"]["context_menu"]] == [
        "Mark as watched",
        "Remove from Trakt watchlist",
    ]
    action = items["The Dark Knight"]["context_menu"][1][1]
    assert action == f"RunPlugin({url('watchlist_remove', id='tt0468569', type='movie')})"


def test_show_overlay_counts_aired_episodes_without_specials_hidden_seasons_or_plays_before_reset(synced):
    items = items_by_label(synced.run("catalog", type="series", id="trending"))
    breaking_bad, severance = items["Breaking Bad"], items["Severance"]
    # Breaking Bad: 5 aired regular episodes; the reset on 2026-10-15 leaves one play (S1E1 on 10-20).
    assert breaking_bad["properties"]["totalepisodes"] == "5"
    assert breaking_bad["properties"]["watchedepisodes"] == "1"
    # Severance: S2E3 airs after "now" and season 3 is hidden: 5 aired, 3 watched.
    assert (severance["properties"]["totalepisodes"], severance["properties"]["watchedepisodes"]) == (
        "5",
        "3",
    )
    assert breaking_bad["info"]["playcount"] == severance["info"]["playcount"] == 0
    assert breaking_bad["info"]["mediatype"] == "tvshow"
    assert breaking_bad["is_folder"] and breaking_bad["url"] == url("seasons", id="tt0903747")


def test_show_with_every_aired_episode_watched_has_playcount_one(kodi, built_zip):
    scenario = _fully_watched_scenario()
    with make_world(kodi, built_zip, scenario) as world:
        world.sync()
        show = items_by_label(world.run("catalog", type="series", id="trending"))["Severance"]
    assert show["info"]["playcount"] == 1
    assert show["properties"]["unwatchedepisodes"] == "0"


def _fully_watched_scenario() -> dict:
    import yaml

    data = yaml.safe_load(Path(SMALL_LIBRARY).read_text(encoding="utf-8"))
    data["history"] = [
        {"show": "tt11280740", "season": season, "episode": episode, "watched_at": "2026-10-30T20:00:00Z"}
        for season, episode in ((1, 1), (1, 2), (1, 3), (2, 1), (2, 2))
    ]
    data["resets"] = []
    return data


def test_browsing_without_a_mirror_lists_items_without_overlays_and_without_trakt_requests(world):
    result = world.run("catalog", type="movie", id="top")
    assert result.status == "directory"
    assert [item["info"]["playcount"] for item in result.items] == [0, 0, 0, 0]
    assert world.trakt_requests() == []
    assert not world.db_path.exists()


def test_browsing_many_pages_with_a_fresh_mirror_makes_zero_trakt_requests(synced):
    for _ in range(3):
        for catalog_type, catalog_id in (("movie", "top"), ("series", "trending")):
            assert synced.run("catalog", type=catalog_type, id=catalog_id).status == "directory"
        assert synced.run("seasons", id="tt11280740").status == "directory"
        assert synced.run("episodes", id="tt11280740", season=2).status == "directory"
    assert synced.run("next_up").status == "directory"
    assert synced.run("watchlist", type="movie").status == "directory"
    assert synced.trakt_requests() == []
    assert len(synced.sim.request_log) > 0  # the AIOStreams side was asked


def _big_catalog_scenario(count: int) -> dict:
    import yaml

    data = yaml.safe_load(Path(SMALL_LIBRARY).read_text(encoding="utf-8"))
    extra = [
        {"title": f"Film {n:03d}", "year": 2000, "ids": {"trakt": 1000 + n, "imdb": f"tt9{n:06d}"}}
        for n in range(count)
    ]
    data["movies"] += extra
    data["catalogs"] = [
        {"type": "movie", "id": "big", "name": "Big", "items": [m["ids"]["imdb"] for m in extra]}
    ]
    data["history"].append({"movie": "tt9000150", "watched_at": "2026-10-01T20:00:00Z"})
    return data


@pytest.fixture
def big(kodi, built_zip):
    with make_world(kodi, built_zip, _big_catalog_scenario(230)) as world:
        yield world


def test_catalog_pages_follow_skip_and_end_without_a_next_page(big):
    first = big.run("catalog", type="movie", id="big")
    assert len(first.items) == 101 and first.labels[-1] == "Next page"
    assert first.items[-1]["url"] == url("catalog", id="big", skip=100, type="movie")
    second = big.run("catalog", type="movie", id="big", skip=100)
    assert second.labels[0] == "Film 100" and second.labels[-1] == "Next page"
    third = big.run("catalog", type="movie", id="big", skip=200)
    assert third.labels == [f"Film {n}" for n in range(200, 230)]


def test_overlays_of_a_100_item_page_come_from_the_mirror_on_later_pages(big):
    big.sync()
    big.sim.request_log.clear()
    page = items_by_label(big.run("catalog", type="movie", id="big", skip=100))
    assert page["Film 150"]["info"]["playcount"] == 1
    assert sum(item["info"]["playcount"] for item in page.values() if item["label"] != "Next page") == 1
    assert big.trakt_requests() == []


def test_seasons_list_watched_counts_per_season(synced):
    result = synced.run("seasons", id="tt11280740")
    assert result.labels == ["Season 1", "Season 2", "Season 3"]
    season1, season2, season3 = result.items
    assert (season1["properties"]["watchedepisodes"], season1["properties"]["totalepisodes"]) == ("2", "3")
    assert (season2["properties"]["watchedepisodes"], season2["properties"]["totalepisodes"]) == ("1", "2")
    assert season3["properties"]["totalepisodes"] == "0"
    assert season1["info"]["mediatype"] == "season" and season1["info"]["season"] == 1


def test_specials_season_is_labelled_specials(synced):
    assert synced.run("seasons", id="tt0903747").labels[0] == "Specials"


def test_episodes_carry_watched_marks_and_resume_points(synced):
    result = synced.run("episodes", id="tt11280740", season=2)
    first, second, third = result.items
    assert first["info"]["playcount"] == 1
    assert second["info"]["playcount"] == 0
    assert second["info"]["resume"] == {"position": 12.0, "total": 100.0}
    assert third["info"]["playcount"] == 0
    assert (first["info"]["season"], first["info"]["episode"], first["info"]["mediatype"]) == (
        2,
        1,
        "episode",
    )
    assert first["context_menu"][0][0] == "Mark as unwatched"
    assert second["context_menu"][0][0] == "Mark as watched"


def test_episode_plays_before_the_reset_are_not_marked_watched(synced):
    season1 = synced.run("episodes", id="tt0903747", season=1)
    # S1E1 replayed after the reset, S1E2 only before it.
    assert [item["info"]["playcount"] for item in season1.items] == [1, 0, 0]


def test_unknown_action_shows_an_error_and_ends_the_call(world):
    result = world.run("no_such_route")
    assert world.notifications(result) == ["Unknown action: no_such_route"]
    assert result.notifications[0]["icon"] == "error"
    assert result.error is None
    assert result.end_of_directory["succeeded"] is False
    assert any("unknown action 'no_such_route'" in line for line in result.log)


def test_bad_parameter_shows_an_error_notification(world):
    result = world.run("catalog", type="movie", id="top", skip="ten")
    assert world.notifications(result) == [
        "Invalid request: parameter 'skip' must be a whole number, not 'ten'"
    ]
    assert result.error is None


def test_invalid_catalog_type_is_a_bad_parameter(world):
    result = world.run("catalog", type="music", id="top")
    assert world.notifications(result) == [
        "Invalid request: parameter 'type' must be one of movie, series, not 'music'"
    ]


def test_missing_manifest_url_asks_to_set_it(world):
    world.kodi.set_settings("plugin.video.aiostreams", aiostreams_manifest_url="")
    result = world.run("catalogs")
    assert world.notifications(result) == ["Set the AIOStreams manifest URL in the add-on settings first"]
    assert result.end_of_directory["succeeded"] is False


def test_unreachable_aiostreams_is_reported_not_raised(world):
    world.kodi.set_settings(
        "plugin.video.aiostreams", aiostreams_manifest_url="http://127.0.0.1:9/manifest.json"
    )
    result = world.run("catalogs")
    assert result.error is None
    assert world.notifications(result)[0].startswith("AIOStreams is unavailable: ConnectionError")


def test_play_without_streams_resolves_false_with_a_notification(synced):
    result = synced.run("play", type="movie", id="tt0372784")
    assert result.status != "exception" and result.error is None
    assert result.resolved is not None and result.resolved["succeeded"] is False
    assert world_messages_start(synced, result, "AIOStreams is unavailable: HTTP 404")


def world_messages_start(world, result, prefix: str) -> bool:
    return any(message.startswith(prefix) for message in world.notifications(result))
