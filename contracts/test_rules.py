"""Rule contracts: one Trakt progress rule per test, each on a small scenario written for it."""

from __future__ import annotations

from contracts.support import World, check_world, make_scenario, make_show, plays, schema_errors

PAST = "2026-01-0{}T20:00:00Z"  # PAST.format(n): the nth week-ish of January 2026, long aired
FUTURE = "2026-12-01T20:00:00Z"
SHOW = "tt7000001"


def aired(count: int) -> list[str | None]:
    return [PAST.format(n) for n in range(1, count + 1)]


def synced_progress(world: World, imdb: str = SHOW) -> dict:
    """Run the full equivalence on the world, then return the mirror's progress of `imdb`."""
    compared, failures = check_world(world)
    assert compared and not failures, "\n\n".join(failures)
    world.use_mirror()
    return world.answers([("show", imdb)])[("show", imdb)]["get_show_progress"]


def episode_numbers(progress: dict) -> dict[int, list[int]]:
    return {season["number"]: [e["number"] for e in season["episodes"]] for season in progress["seasons"]}


def test_unaired_and_undated_episodes_are_not_counted(make_world):
    show = make_show(70, SHOW, {1: [*aired(2), FUTURE, None]})
    world = make_world(make_scenario([show], history=plays(SHOW, 1, (1, "2026-02-01T20:00:00Z"))))
    with world.running():
        progress = synced_progress(world)
    assert (progress["aired"], progress["completed"]) == (2, 1)
    assert episode_numbers(progress) == {1: [1, 2]}
    assert progress["next_episode"]["number"] == 2


def test_specials_are_not_counted(make_world):
    show = make_show(71, SHOW, {0: aired(3), 1: aired(2)})
    history = plays(SHOW, 0, (1, "2026-02-01T20:00:00Z"), (2, "2026-02-02T20:00:00Z"))
    history += plays(SHOW, 1, (1, "2026-02-03T20:00:00Z"))
    world = make_world(make_scenario([show], history=history))
    with world.running():
        progress = synced_progress(world)
    assert episode_numbers(progress) == {1: [1, 2]}
    assert (progress["aired"], progress["completed"]) == (2, 1)


def test_hidden_season_is_excluded_and_listed_in_hidden_seasons(make_world):
    show = make_show(72, SHOW, {1: aired(2), 2: aired(3)})
    hidden = {"progress_watched": [{"show": SHOW, "season": 2, "hidden_at": "2026-03-01T00:00:00Z"}]}
    history = plays(SHOW, 2, (1, "2026-02-01T20:00:00Z"))
    world = make_world(make_scenario([show], history=history, hidden=hidden))
    with world.running():
        progress = synced_progress(world)
    assert episode_numbers(progress) == {1: [1, 2]}
    assert (progress["aired"], progress["completed"]) == (2, 0)
    assert progress["hidden_seasons"] == [{"number": 2, "ids": {"trakt": 7202, "tvdb": None, "tmdb": None}}]


def test_next_episode_follows_the_highest_aired_watched_episode_despite_an_earlier_gap(make_world):
    show = make_show(73, SHOW, {1: aired(5)})
    history = plays(SHOW, 1, (1, "2026-02-01T20:00:00Z"), (3, "2026-02-02T20:00:00Z"))
    world = make_world(make_scenario([show], history=history))
    with world.running():
        progress = synced_progress(world)
    assert (progress["last_episode"]["season"], progress["last_episode"]["number"]) == (1, 3)
    assert (progress["next_episode"]["season"], progress["next_episode"]["number"]) == (1, 4)


def test_next_episode_is_null_when_everything_aired_is_watched(make_world):
    show = make_show(74, SHOW, {1: [*aired(2), FUTURE]})
    history = plays(SHOW, 1, (1, "2026-02-01T20:00:00Z"), (2, "2026-02-02T20:00:00Z"))
    world = make_world(make_scenario([show], history=history))
    with world.running():
        progress = synced_progress(world)
    assert (progress["aired"], progress["completed"]) == (2, 2)
    assert progress["next_episode"] is None
    assert progress["last_episode"]["number"] == 2


def test_next_episode_is_null_after_the_last_aired_episode_even_with_gaps(make_world):
    show = make_show(75, SHOW, {1: aired(3)})
    world = make_world(make_scenario([show], history=plays(SHOW, 1, (3, "2026-02-01T20:00:00Z"))))
    with world.running():
        progress = synced_progress(world)
    assert (progress["completed"], progress["next_episode"]) == (1, None)


def test_reset_at_is_reported_as_trakt_reports_it_with_stats_unadjusted(make_world):
    show = make_show(76, SHOW, {1: aired(4)})
    history = plays(SHOW, 1, *[(n, f"2026-02-0{n}T20:00:00Z") for n in (1, 2, 3)])
    history += plays(SHOW, 1, (1, "2026-06-01T20:00:00Z"))
    resets = [{"show": SHOW, "reset_at": "2026-05-01T00:00:00Z"}]
    world = make_world(make_scenario([show], history=history, resets=resets))
    with world.running():
        progress = synced_progress(world)
    assert progress["reset_at"] == "2026-05-01T00:00:00.000Z"
    assert (progress["completed"], progress["next_episode"]["number"]) == (3, 4)


def test_next_up_ignores_plays_before_reset_at(make_world):
    show = make_show(77, SHOW, {1: aired(4)})
    history = plays(SHOW, 1, *[(n, f"2026-02-0{n}T20:00:00Z") for n in (1, 2, 3)])
    history += plays(SHOW, 1, (1, "2026-06-01T20:00:00Z"))
    resets = [{"show": SHOW, "reset_at": "2026-05-01T00:00:00Z"}]
    world = make_world(make_scenario([show], history=history, resets=resets))
    with world.running():
        synced_progress(world)
        up = world.next_up()
    assert [(item["show"]["ids"]["trakt"], item["episode"]["number"]) for item in up] == [(77, 2)]
    assert up[0]["reset_at"] == "2026-05-01T00:00:00.000Z"


def test_a_play_removed_on_trakt_disappears_after_the_next_sync(make_world):
    show = make_show(78, SHOW, {1: aired(3)})
    history = plays(SHOW, 1, (1, "2026-02-01T20:00:00Z"), (2, "2026-02-02T20:00:00Z"))
    world = make_world(make_scenario([show], history=history))
    with world.running():
        assert synced_progress(world)["completed"] == 2
        world.sim.clock.advance(60)
        world.client().post("/sync/history/remove", {"episodes": [{"ids": {"trakt": 780102}}]})
        world.sim.clock.advance(60)
        progress = synced_progress(world)
    assert (progress["completed"], progress["last_episode"]["number"]) == (1, 1)
    assert progress["seasons"][0]["episodes"][1] == {"number": 2, "completed": False, "last_watched_at": None}


def test_a_title_without_imdb_id_is_mirrored_by_trakt_id_and_equals_trakt(make_world):
    show = make_show(79, None, {1: aired(3)})
    movie = {"title": "No Imdb Film", "year": 2024, "ids": {"trakt": 790, "tmdb": 79000}}
    history = plays(79, 1, (1, "2026-02-01T20:00:00Z")) + [
        {"movie": 790, "watched_at": "2026-02-01T20:00:00Z"}
    ]
    world = make_world(
        make_scenario([show, make_show(80, SHOW, {1: aired(1)})], movies=[movie], history=history)
    )
    with world.running():
        synced_progress(world)
        mirror, trakt_answer = (
            world.mirror_progress_by_trakt_id(79),
            world.sim_get("/shows/79/progress/watched"),
        )
    assert schema_errors("get_show_progress", mirror) == []
    assert mirror == trakt_answer[1]
    assert mirror["next_episode"]["ids"]["imdb"] is None and mirror["completed"] == 1


def test_a_show_watched_only_in_specials_is_watched_with_nothing_completed(make_world):
    show = make_show(81, SHOW, {0: aired(2), 1: aired(2)})
    world = make_world(make_scenario([show], history=plays(SHOW, 0, (1, "2026-02-01T20:00:00Z"))))
    with world.running():
        progress = synced_progress(world)
        watched = world.answers([("show", SHOW)])[("show", SHOW)]["is_watched"]
    assert watched is True
    assert (progress["completed"], progress["last_episode"], progress["last_watched_at"]) == (0, None, None)
    assert (progress["next_episode"]["season"], progress["next_episode"]["number"]) == (1, 1)


def test_reset_at_of_a_show_without_plays_is_reported(make_world):
    show = make_show(82, SHOW, {1: aired(2)})
    hidden = {"progress_watched": [{"show": SHOW, "season": 1, "hidden_at": "2026-03-01T00:00:00Z"}]}
    resets = [{"show": SHOW, "reset_at": "2026-05-01T00:00:00Z"}]
    world = make_world(make_scenario([show], hidden=hidden, resets=resets))
    with world.running():
        progress = synced_progress(world)
    assert progress["reset_at"] == "2026-05-01T00:00:00.000Z"
