"""Next Up, the watchlists and the context actions (Trakt first, then the mirror) through the fake Kodi."""

from __future__ import annotations

from tests.reference_addon.addon.conftest import items_by_label, url


def test_next_up_honours_reset_at_and_orders_by_last_watched(synced):
    result = synced.run("next_up")
    assert result.status == "directory"
    # Breaking Bad was reset on 10-15: only the S1E1 replay counts, so S1E2 is next (not S2E1).
    assert result.labels == [
        "Severance - S02E02 Goodbye Mrs. Selvig",
        "Breaking Bad - S01E02 Cat's in the Bag...",
        "Dark Matter Diaries: Ünïcödé - S01E02 Episode 2",
    ]
    first = result.items[0]
    assert (first["info"]["season"], first["info"]["episode"], first["info"]["mediatype"]) == (
        2,
        2,
        "episode",
    )
    assert first["url"] == url("play", id="tt11280740:2:2", type="series")


def test_next_up_is_empty_before_the_first_sync(world):
    result = world.run("next_up")
    assert result.status == "directory" and result.items == []
    assert world.trakt_requests() == []


def test_watchlist_movies_from_the_mirror_in_rank_order(synced):
    result = synced.run("watchlist", type="movie")
    assert result.labels == ["The Dark Knight", "Inception"]
    assert result.items[0]["context_menu"][1][0] == "Remove from Trakt watchlist"
    assert synced.trakt_requests() == []


def test_watchlist_shows_from_the_mirror(synced):
    result = synced.run("watchlist", type="show")
    assert result.labels == ["Dark Matter Diaries: Ünïcödé"]
    assert result.items[0]["url"] == url("seasons", id="trakt:3")


def test_watchlist_before_the_first_sync_reads_trakt(world):
    result = world.run("watchlist", type="movie")
    assert result.labels == ["The Dark Knight", "Inception"]
    assert [entry["path"] for entry in world.trakt_requests()] == ["/sync/watchlist/movies/rank/asc"]


def test_watchlist_type_must_be_movie_or_show(world):
    result = world.run("watchlist", type="episode")
    assert world.notifications(result) == [
        "Invalid request: parameter 'type' must be one of movie, show, not 'episode'"
    ]


def test_mark_watched_writes_to_trakt_then_the_mirror(synced):
    result = synced.run_plugin("mark_watched", type="movie", id="tt1375666")
    assert synced.notifications(result) == ["Marked as watched on Trakt"]
    writes = [e for e in synced.trakt_requests() if e["method"] == "POST"]
    assert [e["path"] for e in writes] == ["/sync/history"]
    paths = [e["path"] for e in synced.trakt_requests()]
    assert paths.index("/sync/history") < paths.index("/sync/watched/movies")
    assert synced.query("SELECT w.plays FROM watched_movies w JOIN movies m ON m.trakt_id = w.movie_trakt_id "
                        "WHERE m.imdb_id = 'tt1375666'") == [(1,)]  # fmt: skip
    assert any("Container.Refresh" in str(builtin) for builtin in result.builtins)


def test_overlay_follows_a_mark_watched(synced):
    synced.run_plugin("mark_watched", type="movie", id="tt1375666")
    items = items_by_label(synced.run("catalog", type="movie", id="top"))
    assert items["Inception"]["info"]["playcount"] == 1
    assert items["Inception"]["context_menu"][0][0] == "Mark as unwatched"


def test_mark_unwatched_removes_the_plays(synced):
    result = synced.run_plugin("mark_unwatched", type="movie", id="tt0372784")
    assert synced.notifications(result) == ["Marked as unwatched on Trakt"]
    assert synced.query("SELECT COUNT(*) FROM watched_movies WHERE movie_trakt_id = 6") == [(0,)]


def test_mark_watched_episode_sends_season_and_number(synced):
    result = synced.run_plugin("mark_watched", type="episode", id="tt11280740:2:2")
    assert synced.notifications(result) == ["Marked as watched on Trakt"]
    assert synced.query(
        "SELECT plays FROM watched_episodes WHERE show_trakt_id = 2 AND season = 2 AND number = 2"
    ) == [(1,)]


def test_watchlist_add_and_remove_reach_trakt_and_the_mirror(synced):
    added = synced.run_plugin("watchlist_add", type="movie", id="tt0372784")
    assert synced.notifications(added) == ["Added to your Trakt watchlist"]
    assert synced.query("SELECT COUNT(*) FROM watchlist WHERE media_type = 'movie' AND trakt_id = 6") == [
        (1,)
    ]
    # Trakt allows one write per second per user; a person's second click comes later than that.
    synced.kodi.clock.advance(2)
    removed = synced.run_plugin("watchlist_remove", type="show", id="trakt:3")
    assert synced.notifications(removed) == ["Removed from your Trakt watchlist"]
    assert synced.query("SELECT COUNT(*) FROM watchlist WHERE media_type = 'show'") == [(0,)]


def test_a_rejected_write_leaves_the_mirror_untouched(synced):
    synced.sim.add_fault(method="POST", path="^/sync/history$", status=423)
    result = synced.run_plugin("mark_watched", type="movie", id="tt1375666")
    assert synced.notifications(result) == ["Trakt: Your Trakt account is locked; contact Trakt support"]
    assert result.notifications[0]["icon"] == "error" and result.error is None
    assert synced.query("SELECT COUNT(*) FROM watched_movies WHERE movie_trakt_id = 8") == [(0,)]


def test_context_action_with_a_malformed_id_is_a_bad_parameter(synced):
    result = synced.run_plugin("mark_watched", type="movie", id="not-an-id")
    assert synced.notifications(result) == [
        "Invalid request: parameter 'id' must be an imdb id (tt...) or trakt:<number>, not 'not-an-id'"
    ]
    assert synced.trakt_requests() == []


def test_unauthorised_write_asks_to_authorise(synced):
    synced.kodi.set_settings("plugin.video.aiostreams", trakt_access_token="", trakt_refresh_token="")
    result = synced.run_plugin("watchlist_add", type="movie", id="tt0372784")
    assert synced.notifications(result) == ["Authorise Trakt in the add-on settings first"]


def test_a_write_after_trakt_ended_the_login_asks_once_to_authorise_again(synced):
    synced.sim.state.tokens.refresh(synced.sim.scenario.user["refresh_token"])  # another device rotated it
    result = synced.run_plugin("mark_watched", type="movie", id="tt1375666")
    assert synced.notifications(result) == [
        "Trakt ended the login: authorise Trakt again in the add-on settings"
    ]
    answered = [(entry["path"], entry["status"]) for entry in synced.sim.request_log]
    assert answered == [("/sync/history", 401), ("/oauth/token", 400)]
    assert synced.kodi.get_setting("plugin.video.aiostreams", "trakt_access_token") == ""
    # The user was told by this call: the service's next sync, now without tokens, says nothing more.
    synced.kodi.set_settings("plugin.video.aiostreams", auto_sync=True)
    service = synced.kodi.service("plugin.video.aiostreams", virtual_seconds=60)
    assert service.ok, service.log
    assert service.notifications == [] and len(synced.sim.request_log) == 2


def test_a_public_api_answer_that_met_the_ended_login_leaves_the_question_to_the_service(world):
    # Another add-on asks through trakt.py before the first sync: the API path meets the ended login, answers
    # False and stays quiet (it is not the user's own action); the service tells the user at its next sync.
    world.sim.state.tokens.refresh(world.sim.scenario.user["refresh_token"])
    assert world.kodi.call("plugin.video.aiostreams", "trakt:is_watched", ["movie", "tt0372784"]) is False
    assert ("/oauth/token", 400) in [(entry["path"], entry["status"]) for entry in world.sim.request_log]
    assert world.kodi.get_setting("plugin.video.aiostreams", "trakt_access_token") == ""
    world.kodi.set_settings("plugin.video.aiostreams", auto_sync=True)
    service = world.kodi.service("plugin.video.aiostreams", virtual_seconds=11 * 60)
    assert service.ok, service.log
    assert [note["message"] for note in service.notifications] == [
        "Trakt ended the login: authorise Trakt again in the add-on settings"
    ]
