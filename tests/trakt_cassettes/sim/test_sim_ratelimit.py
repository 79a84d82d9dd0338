"""Rate limits on the virtual clock: 500 authed GETs per 5 min (2026-09), 1 write per second, Cloudflare's 429."""

from __future__ import annotations

import json

from trakt_cassettes.sim import Simulator

from .sim_helpers import call, mini_scenario


def test_500_gets_pass_and_the_501st_answers_429_with_retry_after():
    sim = Simulator(mini_scenario())
    statuses = set()
    for _ in range(500):
        statuses.add(call(sim, "GET", "/sync/last_activities").status)
        sim.clock.advance(0.5)
    answer = call(sim, "GET", "/sync/last_activities")
    assert (statuses, answer.status, answer.headers["Retry-After"]) == ({200}, 429, "50")


def test_the_get_limit_is_the_accounts_whatever_token_asks():
    sim = Simulator(mini_scenario(rate_limits={"get_limit": 2}))
    body = {"refresh_token": "test-refresh", "client_id": "sim-client-id", "client_secret": "sim-secret",
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "grant_type": "refresh_token"}  # fmt: skip
    call(sim, "GET", "/sync/last_activities")
    other = call(sim, "POST", "/oauth/token", body, headers={"Content-Type": "application/json"}).json()
    call(sim, "GET", "/sync/last_activities", token=other["access_token"])  # a second process, its own token
    assert call(sim, "GET", "/sync/last_activities", token=other["access_token"]).status == 429


def test_over_the_limit_cloudflare_answers_html_with_retry_after_300_and_blocks_everything():
    sim = Simulator(mini_scenario(rate_limits={"get_limit": 1, "cloudflare": True}))
    call(sim, "GET", "/sync/last_activities")
    limited = call(sim, "GET", "/sync/last_activities")
    assert (limited.status, limited.headers["Retry-After"], "X-Ratelimit" in limited.headers) == (
        429,
        "300",
        False,
    )
    assert limited.headers["Content-Type"].startswith("text/html") and limited.body.startswith(
        b"<!DOCTYPE html>"
    )
    sim.clock.advance(299)  # the GET window has long room again, the block has not ended
    write = call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}]})
    assert (write.status, write.headers["Retry-After"]) == (429, "1")
    sim.clock.advance(1)
    assert call(sim, "GET", "/sync/last_activities").status == 200


def test_a_cloudflare_fault_answers_its_429_page_without_x_ratelimit():
    sim = Simulator(mini_scenario(faults=[{"path": "^/sync/last_activities", "kind": "cloudflare"}]))
    answer = call(sim, "GET", "/sync/last_activities")
    assert (answer.status, answer.headers["Retry-After"], "X-Ratelimit" in answer.headers) == (
        429,
        "300",
        False,
    )
    assert call(sim, "GET", "/sync/last_activities").status == 200


def test_429_carries_the_x_ratelimit_json():
    sim = Simulator(mini_scenario(rate_limits={"get_limit": 2}))
    call(sim, "GET", "/sync/last_activities")
    call(sim, "GET", "/sync/last_activities")
    limit = json.loads(call(sim, "GET", "/sync/last_activities").headers["X-Ratelimit"])
    assert limit == {
        "name": "AUTHED_API_GET_LIMIT",
        "period": 300,
        "limit": 2,
        "remaining": 0,
        "until": "2026-11-01T12:05:00Z",
    }


def test_gets_pass_again_after_the_window():
    sim = Simulator(mini_scenario(rate_limits={"get_limit": 1}))
    call(sim, "GET", "/sync/last_activities")
    sim.clock.advance(300)
    assert call(sim, "GET", "/sync/last_activities").status == 200


def test_two_writes_in_the_same_second_answer_429():
    sim = Simulator(mini_scenario())
    first = call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}]})
    second = call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]})
    name = json.loads(second.headers["X-Ratelimit"])["name"]
    assert (first.status, second.status, second.headers["Retry-After"], name) == (
        201,
        429,
        "1",
        "AUTHED_API_POST_LIMIT",
    )


def test_a_rate_limited_write_changes_nothing():
    sim = Simulator(mini_scenario())
    call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}]})
    call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]})
    assert [w.trakt for w in sim.state.watchlist] == [20]


def test_writes_one_second_apart_pass():
    sim = Simulator(mini_scenario())
    call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}]})
    sim.clock.advance(1)
    assert call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]}).status == 201


def test_unauthed_gets_count_against_their_own_limit():
    sim = Simulator(mini_scenario(rate_limits={"get_limit": 1}))
    call(sim, "GET", "/sync/last_activities")
    assert call(sim, "GET", "/movies/20", token=None).status == 200


def test_request_log_records_the_budget_left():
    sim = Simulator(mini_scenario())
    call(sim, "GET", "/sync/last_activities")
    entry = sim.request_log[-1]
    assert (entry["ratelimit"], entry["status"], entry["time"]) == (
        {"name": "AUTHED_API_GET_LIMIT", "limit": 500, "remaining": 499}, 200, "2026-11-01T12:00:00.000Z")  # fmt: skip


def test_rate_limits_can_be_disabled():
    sim = Simulator(mini_scenario(rate_limits={"enabled": False}))
    call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 20}}]})
    assert call(sim, "POST", "/sync/watchlist", {"movies": [{"ids": {"trakt": 21}}]}).status == 201
