"""Against the Trakt simulator: after a sync the mirror's answers equal Trakt's, value for value."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import trakt
from aiostreams.sync import SyncEngine
from aiostreams.tokens import MemoryTokenStore, Tokens
from aiostreams.trakt_client import TraktClient

sim_module = pytest.importorskip("trakt_cassettes.sim")

SCENARIOS = Path(__file__).resolve().parents[3] / "trakt_cassettes" / "scenarios"
BASE = "https://api.trakt.tv"


class SimWorld:
    """A simulator, a client on its virtual clock, and a mirror synced from it."""

    def __init__(self, scenario, db, client_id="sim-client-id"):
        self.sim = (
            sim_module.Simulator(scenario)
            if isinstance(scenario, dict)
            else sim_module.Simulator.from_file(scenario)
        )
        self.db = db
        user = self.sim.scenario.user
        self.store = MemoryTokenStore(
            Tokens(user["access_token"], user.get("refresh_token") or "r", self.sim.clock.now() + 86400)
        )
        self.client_id = client_id

    def client(self) -> TraktClient:
        clock = self.sim.clock
        return TraktClient(BASE, self.client_id, "sim-client-secret", self.store, clock.now, clock.advance,
                           lambda: False, rng=random.Random(1))  # fmt: skip

    def sync(self, **kwargs):
        return SyncEngine(self.db, self.client(), self.sim.clock.now, **kwargs).run()

    def configure(self, db_path):
        trakt.configure(db_path=db_path, client_factory=self.client, clock=self.sim.clock.now)


@pytest.fixture
def world(db):
    world = SimWorld(SCENARIOS / "small_library.yaml", db)
    with world.sim.intercept(base_url=BASE):
        yield world
    trakt.reset()


def everything(world):
    catalog = world.sim.scenario.catalog
    movies = [("movie", m.ids["imdb"]) for m in catalog.movies if m.ids.get("imdb")]
    shows = [("show", s.ids["imdb"]) for s in catalog.shows if s.ids.get("imdb")]
    items = movies + shows
    progress = {imdb: trakt.get_show_progress(imdb) for _, imdb in shows}
    return trakt.watched_many(items), trakt.watchlist_many(items), progress


def test_first_sync_of_the_small_library_succeeds(world):
    report = world.sync()
    assert report.ok, report.failed
    assert len(report.synced) == 6 and report.metadata_pending == 0


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda path: path.stem)
def test_mirror_equals_the_simulators_api_for_every_item(scenario, db, db_path, tmp_path):
    world = SimWorld(scenario, db)
    try:
        with world.sim.intercept(base_url=BASE):
            _check_equivalence(world, db_path, tmp_path)
    finally:
        trakt.reset()


def _check_equivalence(world, db_path, tmp_path):
    assert world.sync().ok
    world.configure(db_path)
    before = len(world.sim.request_log)
    mirror = everything(world)
    assert len(world.sim.request_log) == before  # answered without Trakt
    world.configure(str(tmp_path / "no-mirror.db"))
    api = everything(world)
    assert len(world.sim.request_log) > before  # the API path really ran
    assert mirror[0] == api[0]
    assert mirror[1] == api[1]
    for imdb, progress in mirror[2].items():
        assert progress == api[2][imdb], imdb


def test_no_change_sync_against_the_simulator_makes_one_request(world):
    world.sync()
    report = world.sync()
    assert report.requests == 1 and report.synced == []


def test_new_play_costs_at_most_three_requests(world):
    world.sync()
    world.sim.clock.advance(60)
    client = world.client()
    client.post(
        "/sync/history", {"episodes": [{"ids": {"trakt": 73484}, "watched_at": "2026-11-01T11:00:00.000Z"}]}
    )
    world.sim.clock.advance(60)
    report = world.sync()
    assert report.ok and report.requests <= 3, (report.requests, report.synced)


def test_a_play_removed_on_trakt_disappears_after_the_next_sync(world, db_path):
    world.sync()
    world.configure(db_path)
    assert trakt.is_watched("movie", "tt0372784") is True
    world.sim.clock.advance(60)
    world.client().post("/sync/history/remove", {"movies": [{"ids": {"imdb": "tt0372784"}}]})
    world.sim.clock.advance(60)
    report = world.sync()
    assert report.rows["watched_movies"].deleted == 1
    assert trakt.is_watched("movie", "tt0372784") is False


def test_failed_area_against_the_simulator_keeps_rows_and_timestamp(world, db):
    world.sync()
    stamp = db.query("SELECT remote_at FROM sync_state WHERE area = 'watched_shows'")
    world.sim.clock.advance(60)
    world.client().post("/sync/history", {"episodes": [{"ids": {"trakt": 73491}}]})
    world.sim.add_fault(method="GET", path="/sync/watched/shows", status=502, times=10)
    report = world.sync()
    assert "watched_shows" in report.failed
    assert db.query("SELECT remote_at FROM sync_state WHERE area = 'watched_shows'") == stamp
    world.sim.clear_faults()
    assert "watched_shows" in world.sync().synced
