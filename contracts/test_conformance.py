"""Conformance to Trakt's published contract: every endpoint the simulator serves, in every scenario, with
the query variants add-ons use, and every exchange of the reference add-on's syncs, against
contracts/schemas (written from trakt/trakt-api, see trakt_cassettes/contract)."""

from __future__ import annotations

import json

import pytest

from contracts.conformance import (
    ALL_ENDPOINTS,
    Recorder,
    Sweep,
    addon_exchanges,
    check_all,
    make_sim,
    uncovered_routes,
)
from contracts.support import SIM_SCENARIOS, World, load_scenario_dict, scenario_files
from trakt_cassettes.contract.endpoints import Checker, Exchange, endpoint_for

SCENARIOS = scenario_files()
IDS = [path.stem for path in SCENARIOS]
TS = "2026-11-01T12:00:00.000Z"


def test_every_trakt_route_of_the_simulator_has_a_contract_endpoint():
    assert uncovered_routes() == []


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_every_endpoint_answers_as_the_contract_says(path):
    data = load_scenario_dict(path)
    sweep = Sweep(make_sim(data, keep_faults=False), data["user"]["access_token"])
    exchanges = sweep.run()
    assert check_all(exchanges) == []
    assert sorted(set(ALL_ENDPOINTS) - sweep.paths_called) == []
    assert {e.status for e in exchanges} >= {200, 201, 400, 404}


def test_every_endpoint_answers_with_success_in_the_small_library():
    """Each contract endpoint is served for real (a 2xx), not only reached with a 404."""
    data = load_scenario_dict(SIM_SCENARIOS / "small_library.yaml")
    exchanges = Sweep(make_sim(data, keep_faults=False), data["user"]["access_token"]).run()
    succeeded = set()
    for exchange in exchanges:
        endpoint = endpoint_for(exchange.method, exchange.path)
        if endpoint is not None and 200 <= exchange.status < 300:
            succeeded.add(f"{endpoint.method} {endpoint.path}")
    assert sorted(set(ALL_ENDPOINTS) - succeeded) == []


@pytest.mark.parametrize("path", [p for p in SCENARIOS if "faults" in p.read_text(encoding="utf-8")
                                  or "rate_limits" in p.read_text(encoding="utf-8")
                                  or "locked" in p.read_text(encoding="utf-8")
                                  or "created_at" in p.read_text(encoding="utf-8")],
                         ids=lambda p: p.stem)  # fmt: skip
def test_faulted_answers_keep_the_contract(path):
    """With the scenario's faults, limits and locks: error bodies and their headers as Trakt documents them."""
    data = load_scenario_dict(path)
    exchanges = Sweep(make_sim(data, keep_faults=True), data["user"]["access_token"]).run()
    assert check_all(exchanges) == []
    assert any(e.status >= 400 for e in exchanges)


@pytest.mark.parametrize("path", SCENARIOS, ids=IDS)
def test_the_addon_sync_sends_and_reads_contract_shapes(path, make_world):
    world: World = make_world(load_scenario_dict(path), path.stem)
    exchanges = addon_exchanges(world)
    assert check_all(exchanges) == []
    assert any(e.path == "/sync/last_activities" and e.status == 200 for e in exchanges)


# Planted shape errors: a 200 fault answers in place of the handler, with a body the contract forbids.
PLANTED = [
    ("GET", "/sync/last_activities", {"all": TS}, "'movies' is a required property"),
    ("GET", "/search/imdb/tt0903747", [{"type": "show", "score": None, "show": {"title": "x", "ids": {"trakt": 1, "slug": "x"}}}],
     "None is not of type 'integer'"),
    ("GET", "/sync/watched/movies", [{"plays": "3", "last_watched_at": TS, "last_updated_at": TS,
                                      "movie": {"title": "x", "ids": {"trakt": 1, "slug": "x"}}}], "'3' is not of type 'integer'"),
    ("GET", "/shows/1/seasons", [{"number": 1, "ids": {"trakt": 1}, "first_aired": None}], "None is not of type 'string'"),
    ("GET", "/sync/history", [], "lacks X-Pagination-Page"),
    ("POST", "/sync/history", {"added": {"movies": 1, "episodes": 0}, "not_found": {}}, "'updated' is a required property"),
    ("POST", "/oauth/revoke", {}, "must answer with no body"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), PLANTED, ids=[p[1] + p[3][:12] for p in PLANTED]
)
def test_a_planted_shape_error_is_caught(method, path, body, expected):
    data = load_scenario_dict(SCENARIOS[0])
    sim = make_sim(data, keep_faults=False)
    status = 201 if path == "/sync/history" and method == "POST" else 200
    sim.add_fault(method=method, path=f"^{path}$", status=status, body=body, times=None)
    recorder = Recorder(sim)
    headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": "x",
               "Authorization": f"Bearer {data['user']['access_token']}"}  # fmt: skip
    payload = json.dumps({"movies": [{"ids": {"trakt": 1}}]}).encode() if method == "POST" else None
    sim.handle(method, path, headers, payload)
    failures = check_all(recorder.exchanges)
    assert failures and expected in "\n".join(failures), failures


def _exchange(status: int, headers: dict, body: str, path: str = "/sync/last_activities") -> Exchange:
    return Exchange("GET", path, {}, None, status, headers, body)


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (429, {"Content-Type": "application/json", "X-Ratelimit": "{}"}, '{"error": "x", "error_description": "y"}',
         "429 lacks the Retry-After header"),
        (429, {"Content-Type": "application/json", "Retry-After": "1"}, "", "429 lacks X-Ratelimit"),
        (420, {"Content-Type": "application/json"}, "", "420 lacks the X-Upgrade-URL header"),
        (423, {"Content-Type": "application/json", "X-Account-Locked": "true"}, "", "lacks the X-Account-Deactivated"),
        (401, {"Content-Type": "application/json"}, '{"error": 401}', "breaks schema error"),
        (404, {"Content-Type": "text/html"}, "<html></html>", "404 is an HTML page"),
        (200, {"Content-Type": "application/json"}, "[]", "breaks schema last_activities"),
        (201, {"Content-Type": "application/json"}, "{}", "answered 201"),
    ],
)  # fmt: skip
def test_error_answers_are_held_to_trakts_documented_status_rules(status, headers, body, expected):
    assert expected in "\n".join(Checker().check(_exchange(status, headers, body)))


def test_cloudflare_html_429_and_an_empty_error_body_are_allowed():
    cloudflare = _exchange(429, {"Content-Type": "text/html", "Retry-After": "300"}, "<html>1015</html>")
    empty = _exchange(404, {"Content-Type": "application/json"}, "", "/shows/nope")
    assert Checker().check(cloudflare) == [] and Checker().check(empty) == []


def test_an_uncovered_trakt_path_is_a_problem():
    assert Checker().check(_exchange(200, {}, "[]", "/sync/collection/movies")) == [
        "no schema for GET /sync/collection/movies: the contract table does not cover this Trakt path"
    ]


def test_request_bodies_and_queries_are_checked():
    bad_body = Exchange("POST", "/sync/history", {}, {"movies": [{"ids": {"tvdb": 1}}]}, 201, {}, "")
    bad_query = Exchange("GET", "/sync/history", {"limit": "ten"}, None, 200, {}, "[]")
    assert "request body breaks schema history_add.request" in "\n".join(Checker().check(bad_body))
    assert "query breaks schema history.query" in "\n".join(Checker().check(bad_query))


def _test_scenarios() -> dict[str, dict]:
    """Scenarios the other suites build in code, and the blueprint mode (`api.drift: false`) of two of them."""
    from tests.trakt_cassettes.sim.sim_helpers import mini_scenario

    small = load_scenario_dict(SIM_SCENARIOS / "small_library.yaml")
    return {
        "sim_tests_mini": mini_scenario(),
        "sim_tests_mini_blueprint": mini_scenario(api={"drift": False}),
        "small_library_blueprint": {**small, "api": {"drift": False}},
        "small_library_loose_paging": {**small, "api": {"strict_paging": False}},
    }


@pytest.mark.parametrize("name", sorted(_test_scenarios()))
def test_scenarios_of_the_other_suites_and_the_blueprint_mode_conform(name):
    data = _test_scenarios()[name]
    exchanges = Sweep(make_sim(data, keep_faults=False), data["user"]["access_token"]).run()
    assert check_all(exchanges) == []
    assert sum(200 <= e.status < 300 for e in exchanges) > 100


def test_a_broken_oauth_document_is_reported_without_its_credentials():
    leaky = Exchange("POST", "/oauth/token", {}, {"refresh_token": 12345678, "client_id": "id", "client_secret": 987654},
                     200, {"Content-Type": "application/json"},
                     '{"access_token": 55555555, "token_type": "bearer", "expires_in": 1, "refresh_token": "r",'
                     ' "scope": "public", "created_at": 1}')  # fmt: skip
    report = "\n".join(Checker().check(leaky))
    assert "breaks schema token.request" in report and "breaks schema token:" in report
    assert not any(secret in report for secret in ("12345678", "987654", "55555555"))
