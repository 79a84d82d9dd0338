"""Incremental watched sync against the simulator: the mirror it leaves equals a full rebuild, in 2 requests.

Each case changes the account on Trakt after a first sync, syncs again (the `extended=min` diff), then
compares the mirror with a second mirror synced from scratch from the same simulator.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import trakt
from aiostreams import watched_delta
from aiostreams.models import epoch_to_ts
from aiostreams.sync import SyncEngine
from database import queries
from database.connection import Database

from .test_sim_equivalence import BASE, SCENARIOS, SimWorld

# The mirror's watched state and watchlist; last_updated_at / reset_at are Trakt's bookkeeping, which an
# incremental read sets from its own clock (reset_at: see test_a_reset_made_after_the_first_sync_...).
SNAPSHOT = {
    "watched_movies": "SELECT movie_trakt_id, plays, last_watched_at FROM watched_movies ORDER BY 1",
    "watched_shows": "SELECT show_trakt_id, plays, last_watched_at FROM watched_shows ORDER BY 1",
    "watched_episodes": "SELECT * FROM watched_episodes ORDER BY 1, 2, 3",
    "watchlist": "SELECT media_type, trakt_id, rank, listed_at FROM watchlist ORDER BY 1, 2",
    "watched movie ids": "SELECT m.* FROM movies m JOIN watched_movies w ON w.movie_trakt_id = m.trakt_id ORDER BY 1",
    "watched show ids": "SELECT s.* FROM shows s JOIN watched_shows w ON w.show_trakt_id = s.trakt_id ORDER BY 1",
}
EXTRA_MOVIE = {"title": "Never Seen", "year": 2024, "ids": {"trakt": 10, "imdb": "tt0000010", "tmdb": 1010}}


def small_library(**api) -> dict:
    scenario = yaml.safe_load((SCENARIOS / "small_library.yaml").read_text(encoding="utf-8"))
    scenario["movies"].append(EXTRA_MOVIE)
    if api:
        scenario["api"] = api
    return scenario


def snapshot(db: Database) -> dict[str, list[tuple]]:
    return {name: db.query(sql) for name, sql in SNAPSHOT.items()}


@pytest.fixture
def world(db):
    world = SimWorld(small_library(), db)
    with world.sim.intercept(base_url=BASE):
        assert world.sync().ok
        yield world
    trakt.reset()


def rebuilt(world: SimWorld, tmp_path: Path) -> dict[str, list[tuple]]:
    """The mirror a first sync from the simulator's current state gives."""
    fresh = Database(str(tmp_path / "rebuilt.db"))
    try:
        assert SyncEngine(fresh, world.client(), world.sim.clock.now).run().ok
        return snapshot(fresh)
    finally:
        fresh.close()


def resync(world: SimWorld):
    world.sim.clock.advance(300)
    before = len(world.sim.request_log)
    report = world.sync()
    assert report.ok, report.failed
    paths = [entry["path"] for entry in world.sim.request_log[before:]]
    return report, paths


def post(world: SimWorld, path: str, body: dict) -> dict:
    world.sim.clock.advance(60)
    return world.client().post(path, body)


def test_a_new_play_costs_last_activities_and_one_min_map(world, tmp_path):
    post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})  # Breaking Bad 1x03, now
    report, paths = resync(world)
    assert paths == ["/sync/last_activities", "/sync/watched/shows"]
    assert report.synced == ["watched_shows"]
    assert snapshot(world.db) == rebuilt(world, tmp_path)
    assert world.db.query(
        "SELECT plays FROM watched_episodes WHERE show_trakt_id = 1 AND season = 1 AND number = 3"
    ) == [(1,)]


def test_a_back_dated_play_is_found(world, tmp_path):
    post(
        world,
        "/sync/history",
        {"episodes": [{"ids": {"trakt": 80002}, "watched_at": "2019-01-01T00:00:00.000Z"}]},
    )
    resync(world)
    assert world.db.query(
        "SELECT last_watched_at FROM watched_episodes WHERE show_trakt_id = 2 AND season = 1 AND number = 2"
    ) == [("2019-01-01T00:00:00.000Z",)]
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_one_removed_and_one_back_dated_play_in_the_same_show_are_both_found(world, tmp_path):
    history = world.client().get_all("/sync/history/episodes/73482")  # Breaking Bad 1x01: two plays
    post(world, "/sync/history/remove", {"ids": [history[0]["id"]]})
    post(
        world,
        "/sync/history",
        {"episodes": [{"ids": {"trakt": 73484}, "watched_at": "2008-03-01T00:00:00.000Z"}]},
    )
    resync(world)
    episodes = world.db.query(
        "SELECT season, number, plays FROM watched_episodes WHERE show_trakt_id = 1 ORDER BY 1, 2"
    )
    assert episodes == [(1, 1, 1), (1, 2, 1), (1, 3, 1)]  # plays of the show unchanged in total: 4 -> 4
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_removing_every_play_of_a_show_drops_it_and_rereads_the_watchlist_it_is_on(world, tmp_path):
    post(world, "/sync/history/remove", {"shows": [{"ids": {"trakt": 3}}]})  # watched and on the watchlist
    report, paths = resync(world)
    assert world.db.query("SELECT 1 FROM watched_shows WHERE show_trakt_id = 3") == []
    assert "watchlist_shows" in report.synced  # a changed title is on the watchlist: it may have left it
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_a_play_of_a_title_the_mirror_never_saw_fetches_its_identity(world, tmp_path):
    post(world, "/sync/history", {"movies": [{"ids": {"trakt": 10}}]})
    report, paths = resync(world)
    assert paths == ["/sync/last_activities", "/sync/watched/movies", "/movies/10"]
    assert world.db.query("SELECT imdb_id, title FROM movies WHERE trakt_id = 10") == [
        ("tt0000010", "Never Seen")
    ]
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_a_play_of_a_watchlisted_movie_rereads_the_movie_watchlist(world, tmp_path):
    post(world, "/sync/history", {"movies": [{"ids": {"trakt": 7}}]})  # Trakt drops it from the watchlist
    report, _ = resync(world)
    assert {"watched_movies", "watchlist_movies"} <= set(report.synced)
    assert world.db.query("SELECT 1 FROM watchlist WHERE media_type = 'movie' AND trakt_id = 7") == []
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_a_special_counts_in_the_show_plays_but_keeps_no_episode_row(world, tmp_path):
    post(
        world,
        "/sync/history",
        {"shows": [{"ids": {"trakt": 1}, "seasons": [{"number": 0, "episodes": [{"number": 1}]}]}]},
    )
    resync(world)
    assert world.db.query("SELECT COUNT(*) FROM watched_episodes WHERE season = 0") == [(0,)]
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_a_reset_made_after_the_first_sync_is_answered_from_the_newest_source(world, tmp_path):
    # The min map has no reset_at; the hidden area's progress_watched_reset brings it.
    world.sim.state.resets[2] = world.sim.clock.now()
    world.sim.state.bump("shows.hidden_at")
    post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 80003}}]})
    report, _ = resync(world)
    assert {"watched_shows", "hidden"} <= set(report.synced)
    assert queries.progress_inputs(world.db, 2).reset_at == epoch_to_ts(world.sim.state.resets[2])


def test_a_reset_undone_on_trakt_is_cleared_by_the_hidden_list(world, tmp_path):
    assert queries.progress_inputs(world.db, 1).reset_at == "2026-10-15T00:00:00.000Z"  # Breaking Bad
    del world.sim.state.resets[1]
    world.sim.state.bump("shows.hidden_at")
    post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})  # an incremental watched read
    report, _ = resync(world)
    assert {"watched_shows", "hidden"} <= set(report.synced)
    assert queries.progress_inputs(world.db, 1).reset_at is None
    assert world.db.query("SELECT reset_at FROM watched_shows WHERE show_trakt_id = 1") == [(None,)]


def test_a_malformed_min_entry_is_skipped_and_named(world, tmp_path, monkeypatch):
    import aiostreams.trakt_client as client_module

    real = client_module.TraktClient.get_map

    def broken(self, path, params=None, **options):
        answer = real(self, path, params, **options)
        answer["999"] = {"1": {"1": "not a list"}}
        return answer

    monkeypatch.setattr(client_module.TraktClient, "get_map", broken)
    post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})
    warnings: list[str] = []
    world.sim.clock.advance(300)
    report = world.sync(warn=warnings.append)
    assert report.synced == ["watched_shows"]
    assert warnings == [
        "sync: area watched_shows skipped 1 malformed Trakt item(s): watched show 999: play times are not a non-empty list"
    ]
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_without_a_min_map_the_full_read_is_used(db, tmp_path):
    world = SimWorld(small_library(drift=False), db)  # the blueprint API: extended=min is a plain list
    try:
        with world.sim.intercept(base_url=BASE):
            assert world.sync().ok
            post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})
            _, paths = resync(world)
            # The list is not used (it may be one page of many); which shows changed is unknown, so the
            # show watchlist is re-read too.
            assert paths == [
                "/sync/last_activities",
                "/sync/watched/shows",
                "/sync/watched/shows",
                "/sync/watchlist/shows/rank/asc",
            ]
            assert snapshot(world.db) == rebuilt(world, tmp_path)
    finally:
        trakt.reset()


def test_the_map_is_read_by_trakt_ids_and_walked_page_by_page(world, tmp_path):
    world.sim.clock.advance(60)
    post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})
    world.sim.clock.advance(300)
    before = len(world.sim.request_log)
    client = world.client()
    answer = client.get_map("/sync/watched/shows", {"extended": "min"}, limit=1)  # one show per page
    asked = [entry["query"] for entry in world.sim.request_log[before:]]
    assert [(q["page"], q["limit"]) for q in asked] == [("1", "1"), ("2", "1"), ("3", "1")]
    assert answer["1"]["3951"]["73484"]  # Breaking Bad, season 1 (id 3951), episode 3 (id 73484)
    report = world.sync()
    assert report.synced == ["watched_shows"]
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_a_season_key_with_its_number_is_read_as_the_season_id():
    plays = watched_delta._show_plays({"3951|1": {"73482": ["2026-01-01T00:00:00.000Z"]}})
    assert plays == {73482: (1, "2026-01-01T00:00:00.000Z")}


def test_a_map_keyed_by_numbers_is_not_taken_for_ids(world, tmp_path, monkeypatch):
    # Season "1", episode "3": what the simulator served before issue 14. No episode has trakt id 3, and
    # the show's seasons do not name one either: the incremental read gives up and the full read follows.
    import aiostreams.trakt_client as client_module

    monkeypatch.setattr(
        client_module.TraktClient,
        "get_map",
        lambda self, path, params=None, **_: {"1": {"1": {"3": ["2026-01-01T00:00:00.000Z"]}}},
    )
    post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})
    report, paths = resync(world)
    assert paths[-3:] == ["/shows/1/seasons", "/sync/watched/shows", "/sync/watchlist/shows/rank/asc"]
    assert snapshot(world.db) == rebuilt(world, tmp_path)


def test_a_show_whose_seasons_the_mirror_never_read_has_them_read_and_kept(db, tmp_path):
    world = SimWorld(small_library(), db)
    try:
        with world.sim.intercept(base_url=BASE):
            assert world.sync(metadata_budget=0).ok
            engine = SyncEngine(world.db, world.client(), world.sim.clock.now)
            for show in (2, 3):
                engine.sync_show_metadata(show)
            post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})  # Breaking Bad 1x03
            world.sim.clock.advance(300)
            before = len(world.sim.request_log)
            report = world.sync(metadata_budget=0)
            paths = [entry["path"] for entry in world.sim.request_log[before:]]
            assert paths == ["/sync/last_activities", "/sync/watched/shows", "/shows/1/seasons"]
            assert report.synced == ["watched_shows"]
            assert world.db.query("SELECT COUNT(*) FROM episodes WHERE show_trakt_id = 1") == [(6,)]
            assert world.db.query("SELECT episode_count FROM show_metadata WHERE show_trakt_id = 1") == [(6,)]
            assert snapshot(world.db) == rebuilt(world, tmp_path)
    finally:
        trakt.reset()


def test_with_the_seasons_of_many_shows_unread_the_full_read_is_cheaper(db, tmp_path):
    world = SimWorld(small_library(), db)
    try:
        with world.sim.intercept(base_url=BASE):
            assert world.sync(metadata_budget=0).ok
            post(world, "/sync/history", {"episodes": [{"ids": {"trakt": 73484}}]})
            world.sim.clock.advance(300)
            before = len(world.sim.request_log)
            assert world.sync(metadata_budget=0).ok
            paths = [entry["path"] for entry in world.sim.request_log[before:]]
            # 3 shows' seasons would cost more than the one page of the full read
            assert paths[:3] == ["/sync/last_activities", "/sync/watched/shows", "/sync/watched/shows"]
            assert snapshot(world.db) == rebuilt(world, tmp_path)
    finally:
        trakt.reset()


def test_a_mirror_the_number_reading_version_damaged_is_repaired_by_the_next_sync(world, db_path, tmp_path):
    # What add-on versions before schema 4 wrote on real Trakt: the season id and episode id as numbers.
    with world.db.transaction() as conn:
        conn.execute("INSERT INTO watched_episodes VALUES (1, 3951, 73484, 1, '2026-10-01T00:00:00.000Z')")
        conn.execute("PRAGMA user_version = 3")
    world.db.close()
    world.db = Database(db_path)  # opening migrates to 4: the watched shows are stale again
    assert world.db.query("SELECT remote_at FROM sync_state WHERE area = 'watched_shows'") == [(None,)]
    report, _ = resync(world)
    assert report.synced == ["watched_shows"]
    assert world.db.query("SELECT COUNT(*) FROM watched_episodes WHERE season = 3951") == [(0,)]
    assert snapshot(world.db) == rebuilt(world, tmp_path)
    world.db.close()
