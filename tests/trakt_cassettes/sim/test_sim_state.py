"""Account rules: watchlist auto-removal, last_activities bumps, last_updated_at on removal."""

from __future__ import annotations

from trakt_cassettes.sim import Simulator

from .sim_helpers import assert_schema, call, mini_scenario


def sim_with(**extra) -> Simulator:
    return Simulator(mini_scenario(**extra))


def activities(sim) -> dict:
    answer = call(sim, "GET", "/sync/last_activities")
    assert_schema("last_activities", answer.json())
    return answer.json()


def test_watching_a_movie_removes_it_from_the_watchlist():
    sim = sim_with(watchlist=[{"movie": "tt0000020"}, {"movie": "tt0000021"}])
    sim.clock.advance(1)
    call(sim, "POST", "/sync/history", {"movies": [{"ids": {"trakt": 20}}]})
    assert [w.trakt for w in sim.state.watchlist] == [21]


def test_watching_one_episode_removes_its_show_season_and_episode_from_the_watchlist():
    sim = sim_with(watchlist=[{"show": "tt0000010"}, {"show": "tt0000010", "season": 1}, {"show": "tt0000010", "season": 1, "episode": 2},
                              {"movie": "tt0000020"}])  # fmt: skip
    sim.clock.advance(1)
    call(sim, "POST", "/sync/history", {"episodes": [{"ids": {"trakt": 1012}}]})
    assert [(w.kind, w.trakt) for w in sim.state.watchlist] == [("movie", 20)]


def test_auto_removal_bumps_watchlist_activity():
    sim = sim_with(watchlist=[{"show": "tt0000010", "listed_at": "2026-01-01T00:00:00Z"}])
    sim.clock.advance(60)
    call(sim, "POST", "/sync/history", {"episodes": [{"ids": {"trakt": 1011}}]})
    acts = activities(sim)
    assert (acts["shows"]["watchlisted_at"], acts["watchlist"]["updated_at"]) == (
        "2026-11-01T12:01:00.000Z",
    ) * 2


def test_adding_a_play_bumps_episodes_watched_at_and_the_show_last_updated_at():
    sim = sim_with()
    sim.clock.advance(30)
    call(
        sim,
        "POST",
        "/sync/history",
        {"episodes": [{"ids": {"trakt": 1011}, "watched_at": "2026-10-01T00:00:00.000Z"}]},
    )
    row = call(sim, "GET", "/sync/watched/shows").json()[0]
    assert (activities(sim)["episodes"]["watched_at"], row["last_updated_at"]) == (
        "2026-11-01T12:00:30.000Z",
    ) * 2


def test_removing_a_play_bumps_episodes_watched_at_but_not_last_updated_at():
    sim = sim_with(
        history=[
            {"show": "tt0000010", "season": 1, "episode": e, "watched_at": f"2026-10-0{e}T00:00:00Z"}
            for e in (1, 2)
        ]
    )
    sim.clock.advance(10)
    call(sim, "POST", "/sync/history/remove", {"episodes": [{"ids": {"trakt": 1012}}]})
    row = call(sim, "GET", "/sync/watched/shows").json()[0]
    assert (activities(sim)["episodes"]["watched_at"], row["last_updated_at"]) == (
        "2026-11-01T12:00:10.000Z",
        "2026-10-02T00:00:00.000Z",
    )


def test_removing_a_single_play_by_history_id():
    sim = sim_with(history=[{"movie": "tt0000020", "watched_at": "2026-01-01T00:00:00Z", "id": 9100000000},
                            {"movie": "tt0000020", "watched_at": "2026-02-01T00:00:00Z", "id": 9100000001}])  # fmt: skip
    answer = call(sim, "POST", "/sync/history/remove", {"ids": [9100000000, 77]})
    assert_schema("history_remove", answer.json())
    assert (
        answer.json()["deleted"]["movies"],
        answer.json()["not_found"]["ids"],
        [p.id for p in sim.state.plays],
    ) == (1, [77], [9100000001])


def test_history_ids_are_64_bit():
    sim = sim_with(history=[{"movie": "tt0000020", "watched_at": "2026-01-01T00:00:00Z"}])
    assert call(sim, "GET", "/sync/history").json()[0]["id"] > 2**32


def test_posting_the_same_play_twice_creates_two_plays():
    sim = sim_with()
    body = {"movies": [{"ids": {"imdb": "tt0000020"}, "watched_at": "2026-10-01T00:00:00.000Z"}]}
    call(sim, "POST", "/sync/history", body)
    sim.clock.advance(1)
    call(sim, "POST", "/sync/history", body)
    assert call(sim, "GET", "/sync/watched/movies").json()[0]["plays"] == 2


def test_a_show_alone_adds_only_its_aired_episodes():
    answer = call(sim_with(), "POST", "/sync/history", {"shows": [{"ids": {"trakt": 10}}]})
    assert_schema("history_add", answer.json())
    assert (answer.status, answer.json()["added"]) == (201, {"movies": 0, "episodes": 4})


def test_unknown_items_are_listed_in_not_found():
    answer = call(sim_with(), "POST", "/sync/history", {"movies": [{"ids": {"imdb": "tt9999999"}}]})
    assert answer.json()["not_found"]["movies"] == [{"ids": {"imdb": "tt9999999"}}]


def test_watchlist_add_bumps_the_area_and_watchlist_updated_at():
    sim = sim_with()
    sim.clock.advance(5)
    answer = call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]})
    assert_schema("watchlist_add", answer.json())
    acts = activities(sim)
    assert (acts["movies"]["watchlisted_at"], acts["watchlist"]["updated_at"]) == (
        "2026-11-01T12:00:05.000Z",
    ) * 2


def test_watchlist_add_counts_existing_items():
    sim = sim_with(watchlist=[{"movie": "tt0000020"}])
    answer = call(
        sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}, {"ids": {"trakt": 21}}]}
    )
    assert (
        answer.json()["added"]["movies"],
        answer.json()["existing"]["movies"],
        answer.json()["list"]["item_count"],
    ) == (1, 1, 2)


def test_watchlist_over_the_account_limit_answers_420_with_upgrade_headers():
    sim = sim_with(limits={"watchlist": 1}, watchlist=[{"movie": "tt0000020"}])
    answer = call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]})
    assert (answer.status, answer.headers["X-Upgrade-URL"], answer.headers["X-VIP-User"], answer.headers["X-Account-Limit"]) == (
        420, "https://trakt.tv/vip", "false", "1")  # fmt: skip


def test_hiding_a_season_bumps_seasons_hidden_at_only():
    sim = sim_with()
    before = activities(sim)
    sim.clock.advance(7)
    answer = call(
        sim,
        "POST",
        "/users/hidden/progress_watched",
        {"shows": [{"ids": {"trakt": 10}, "seasons": [{"number": 1}]}]},
    )
    assert_schema("hidden_add", answer.json())
    after = activities(sim)
    assert (after["seasons"]["hidden_at"], after["shows"]["hidden_at"]) == (
        "2026-11-01T12:00:07.000Z",
        before["shows"]["hidden_at"],
    )


def test_dropping_a_show_bumps_shows_dropped_at():
    sim = sim_with()
    sim.clock.advance(3)
    call(sim, "POST", "/users/hidden/dropped", {"shows": [{"ids": {"trakt": 10}}]})
    assert activities(sim)["shows"]["dropped_at"] == "2026-11-01T12:00:03.000Z"


def test_deleting_playback_bumps_paused_at_and_answers_204():
    sim = sim_with(playback=[{"movie": "tt0000020", "progress": 10, "id": 55}])
    sim.clock.advance(2)
    answer = call(sim, "DELETE", "/sync/playback/55")
    assert (answer.status, answer.body, activities(sim)["movies"]["paused_at"]) == (
        204,
        b"",
        "2026-11-01T12:00:02.000Z",
    )


def test_deleting_unknown_playback_answers_404():
    answer = call(sim_with(), "DELETE", "/sync/playback/12345")
    assert (answer.status, answer.json()["error"]) == (404, "not_found")


def test_all_is_the_newest_activity():
    sim = sim_with()
    sim.clock.advance(9)
    call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]})
    assert activities(sim)["all"] == "2026-11-01T12:00:09.000Z"


def test_scenario_can_pin_activity_timestamps():
    sim = sim_with(last_activities={"account": {"settings_at": "2026-05-05T05:05:05Z"}})
    assert activities(sim)["account"]["settings_at"] == "2026-05-05T05:05:05.000Z"
