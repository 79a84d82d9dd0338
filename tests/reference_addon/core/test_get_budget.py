"""Trakt's GET limit (500 per 5 minutes per user, 2026-09) kept on the add-on's side, and Cloudflare's 429."""

from __future__ import annotations

import random

import responses

from aiostreams.sync import SyncEngine
from aiostreams.tokens import MemoryTokenStore, Tokens
from aiostreams.trakt_client import GET_BUDGET, GET_PERIOD, GetBudget, TraktClient

from .conftest import BASE_URL, make_client
from .test_sim_equivalence import BASE, sim_module

URL = BASE_URL + "/sync/watched/movies"


def busiest_window(epochs: list[float], period: float = GET_PERIOD) -> int:
    """The most requests inside any window of `period` seconds ending at a request."""
    return max((sum(1 for t in epochs if end - period < t <= end) for end in epochs), default=0)


@responses.activate
def test_a_get_over_the_budget_waits_until_the_oldest_leaves_the_window(clock, token_store):
    client = make_client(clock, token_store, get_budget=GetBudget(limit=3, period=300))
    responses.get(URL, json=[])
    sent = []
    for _ in range(4):
        client.get("/sync/watched/movies")
        sent.append(clock())
        clock.advance(10)
    assert sent[3] - sent[0] == 300  # the 4th waited for the 1st to leave the window
    assert sum(clock.sleeps) == 300 - 30


@responses.activate
def test_one_budget_paces_the_clients_that_share_it(clock, token_store):
    budget = GetBudget(limit=2, period=300)
    responses.get(URL, json=[])
    for _ in range(2):
        make_client(clock, token_store, get_budget=budget).get("/sync/watched/movies")  # one client per sync
    make_client(clock, token_store, get_budget=budget).get("/sync/watched/movies")
    assert sum(clock.sleeps) == 300


@responses.activate
def test_writes_do_not_spend_the_get_budget(clock, token_store):
    client = make_client(clock, token_store, get_budget=GetBudget(limit=1, period=300))
    responses.post(BASE_URL + "/sync/history", json={}, status=201)
    responses.get(URL, json=[])
    client.post("/sync/history", {"movies": []})
    client.get("/sync/watched/movies")
    assert clock.sleeps == []


@responses.activate
def test_a_cloudflare_429_is_waited_out_and_the_request_retried(clock, token_store):
    page = "<!DOCTYPE html><html><body><h1>Error 1015</h1>You are being rate limited</body></html>"
    responses.get(URL, status=429, body=page, headers={"Retry-After": "300", "Content-Type": "text/html"})
    responses.get(URL, json=[{"plays": 1}])
    assert make_client(clock, token_store).get("/sync/watched/movies") == [{"plays": 1}]
    assert sum(clock.sleeps) == 300


def large_scenario(shows: int) -> dict:
    """`shows` watched shows of one episode: a first sync reads the seasons of each (one GET a show)."""
    return {
        "now": "2026-11-01T12:00:00Z",
        "app": {"client_id": "sim-client-id", "client_secret": "sim-client-secret"},
        "user": {"username": "bob", "access_token": "test-token", "refresh_token": "test-refresh"},
        "shows": [
            {
                "title": f"Show {n}",
                "year": 2020,
                "ids": {"trakt": 100 + n, "imdb": f"tt9{n:06d}"},
                "seasons": [
                    {"number": 1, "episodes": [{"number": 1, "first_aired": "2024-01-01T00:00:00Z"}]}
                ],
            }
            for n in range(shows)
        ],  # fmt: skip
        "history": [
            {"show": 100 + n, "season": 1, "episode": 1, "watched_at": "2026-10-01T20:00:00Z"}
            for n in range(shows)
        ],
    }


def sim_client(sim) -> TraktClient:
    clock = sim.clock
    store = MemoryTokenStore(Tokens("test-token", "test-refresh", clock.now() + 86400))
    return TraktClient(BASE, "sim-client-id", "sim-client-secret", store, clock.now, clock.advance,
                       lambda: False, rng=random.Random(1))  # fmt: skip


def test_a_first_sync_of_more_shows_than_the_limit_stays_under_it(db):
    sim = sim_module.Simulator(large_scenario(600))  # ~610 GETs in one run, Trakt allows 500 per 5 min
    with sim.intercept(base_url=BASE):
        report = SyncEngine(db, sim_client(sim), sim.clock.now, metadata_budget=1000).run()
    gets = [entry for entry in sim.request_log if entry["method"] == "GET"]
    assert report.ok and report.metadata_pending == 0, report.failed
    assert [entry for entry in gets if entry["status"] == 429] == []
    assert busiest_window([entry["epoch"] for entry in gets]) == GET_BUDGET
    assert len(gets) > GET_BUDGET and sim.clock.now() - gets[0]["epoch"] >= GET_PERIOD


def test_a_sync_survives_cloudflares_five_minute_block(db):
    scenario = large_scenario(3)
    scenario["rate_limits"] = {"get_limit": 4, "cloudflare": True}  # tripped by this sync on purpose
    sim = sim_module.Simulator(scenario)
    with sim.intercept(base_url=BASE):
        report = SyncEngine(db, sim_client(sim), sim.clock.now).run()
    assert report.ok, report.failed
    log = sim.request_log
    blocked = [index for index, entry in enumerate(log) if entry["status"] == 429]
    assert blocked, "the limit was never reached: the test proves nothing"
    for index in blocked:  # nothing was sent again before Retry-After (300 s) had passed
        assert log[index + 1]["epoch"] - log[index]["epoch"] >= 300
