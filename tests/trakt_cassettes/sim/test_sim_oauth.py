"""OAuth: device flow states, refresh rotation, expiry from created_at + expires_in, revoke."""

from __future__ import annotations

from trakt_cassettes.sim import Simulator

from .sim_helpers import assert_schema, call, mini_scenario

OAUTH = {"Content-Type": "application/json"}


def start(sim) -> dict:
    answer = call(sim, "POST", "/oauth/device/code", {"client_id": "sim-client-id"}, headers=OAUTH)
    assert_schema("device_code", answer.json())
    return answer.json()


def poll(sim, code: str, secret: str = "sim-secret"):
    return call(
        sim,
        "POST",
        "/oauth/device/token",
        {"code": code, "client_id": "sim-client-id", "client_secret": secret},
        headers=OAUTH,
    )


def device_sim(**script) -> Simulator:
    return Simulator(mini_scenario(device_auth=script))


def test_pending_twice_then_approved():
    sim = device_sim(pending=2, then="approve", interval=5)
    code = start(sim)["device_code"]
    statuses = []
    for _ in range(3):
        statuses.append(poll(sim, code).status)
        sim.clock.advance(5)
    assert statuses == [400, 400, 200]


def test_approved_poll_returns_a_token_that_authorizes():
    sim = device_sim()
    answer = poll(sim, start(sim)["device_code"])
    assert_schema("token", answer.json())
    assert call(sim, "GET", "/sync/last_activities", token=answer.json()["access_token"]).status == 200


def test_polling_a_used_code_answers_409():
    sim = device_sim()
    code = start(sim)["device_code"]
    poll(sim, code)
    sim.clock.advance(5)
    assert poll(sim, code).status == 409


def test_polling_faster_than_interval_answers_429():
    sim = device_sim(pending=3, interval=5)
    code = start(sim)["device_code"]
    poll(sim, code)
    sim.clock.advance(2)
    assert poll(sim, code).status == 429


def test_denied_code_answers_418():
    sim = device_sim(pending=1, then="deny")
    code = start(sim)["device_code"]
    poll(sim, code)
    sim.clock.advance(5)
    assert poll(sim, code).status == 418


def test_code_expires_after_expires_in():
    sim = device_sim(then="never", expires_in=600)
    code = start(sim)["device_code"]
    sim.clock.advance(600)
    assert poll(sim, code).status == 410


def test_unknown_code_answers_404():
    assert poll(device_sim(), "nope").status == 404


def test_wrong_client_secret_answers_401_invalid_client():
    sim = device_sim()
    answer = poll(sim, start(sim)["device_code"], secret="wrong")
    assert (answer.status, answer.json()["error"]) == (401, "invalid_client")


def test_control_plane_can_approve_a_never_ending_code():
    sim = device_sim(then="never")
    code = start(sim)
    call(sim, "POST", f"/_sim/device/{code['user_code']}", {"outcome": "approve"}, headers=OAUTH)
    assert poll(sim, code["device_code"]).status == 200


def refresh(sim, token: str):
    body = {"refresh_token": token, "client_id": "sim-client-id", "client_secret": "sim-secret",
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "grant_type": "refresh_token"}  # fmt: skip
    return call(sim, "POST", "/oauth/token", body, headers=OAUTH)


def test_refresh_returns_a_new_pair():
    answer = refresh(Simulator(mini_scenario()), "test-refresh")
    assert_schema("token", answer.json())
    assert (answer.status, answer.json()["refresh_token"] != "test-refresh") == (200, True)


def test_a_used_refresh_token_answers_400_invalid_grant():
    sim = Simulator(mini_scenario())
    refresh(sim, "test-refresh")
    answer = refresh(sim, "test-refresh")
    assert_schema("token_error", answer.json())
    assert (answer.status, answer.json()["error"]) == (400, "invalid_grant")


def test_an_unknown_refresh_token_answers_400_invalid_grant():
    answer = refresh(Simulator(mini_scenario()), "never-issued")
    assert (answer.status, answer.json()["error"]) == (400, "invalid_grant")


def test_refresh_kills_the_old_access_token():
    sim = Simulator(mini_scenario())
    new = refresh(sim, "test-refresh").json()["access_token"]
    assert (
        call(sim, "GET", "/sync/last_activities").status,
        call(sim, "GET", "/sync/last_activities", token=new).status,
    ) == (401, 200)


def test_access_token_expires_at_created_at_plus_expires_in():
    sim = Simulator(mini_scenario(tokens={"created_at": "2026-11-01T00:00:00Z", "expires_in": 86400}))
    first = call(sim, "GET", "/sync/last_activities").status
    sim.clock.set("2026-11-02T00:00:00Z")
    assert (first, call(sim, "GET", "/sync/last_activities").status) == (200, 401)


def test_issued_tokens_carry_created_at_and_the_scenario_lifetime():
    sim = Simulator(mini_scenario(tokens={"expires_in": 3600}))
    token = refresh(sim, "test-refresh").json()
    assert (token["created_at"], token["expires_in"]) == (int(sim.clock.now()), 3600)


def test_tokens_are_deterministic_across_runs():
    first = refresh(Simulator(mini_scenario()), "test-refresh").json()
    second = refresh(Simulator(mini_scenario()), "test-refresh").json()
    assert first == second


def test_revoked_token_no_longer_authorizes():
    sim = Simulator(mini_scenario())
    answer = call(
        sim, "POST", "/oauth/revoke", {"token": "test-token", "client_id": "sim-client-id"}, headers=OAUTH
    )
    # oauth/index.ts types the revoke's 200 as z.undefined(): no body.
    assert (answer.status, answer.body, call(sim, "GET", "/sync/last_activities").status) == (200, b"", 401)
