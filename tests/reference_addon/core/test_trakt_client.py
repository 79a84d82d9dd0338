"""TraktClient against a `responses`-mocked Trakt: headers, paging, retries, limits, refresh, secrets."""

from __future__ import annotations

import json
import logging

import pytest
import requests
import responses

from aiostreams import errors
from aiostreams.tokens import MemoryTokenStore, Tokens

from .conftest import ACCESS_TOKEN, BASE_URL, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, make_client

URL = BASE_URL + "/sync/watched/movies"
NEW_PAIR = {
    "access_token": "access-token-NEW-2",
    "refresh_token": "refresh-token-NEW-2",
    "expires_in": 86400,
    "created_at": 1_790_000_000,
    "token_type": "bearer",
    "scope": "public",
}


@responses.activate
def test_every_request_carries_the_trakt_headers(client):
    responses.get(URL, json=[])
    client.get("/sync/watched/movies")
    headers = responses.calls[0].request.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["trakt-api-version"] == "2"
    assert headers["trakt-api-key"] == CLIENT_ID
    assert headers["User-Agent"].startswith("plugin.video.aiostreams/")
    assert headers["Authorization"] == "Bearer " + ACCESS_TOKEN


@responses.activate
def test_reading_only_the_first_page_of_a_paginated_endpoint_is_impossible(client):
    """Pitfall: follow X-Pagination-Page-Count with one constant limit."""
    for page in (1, 2, 3):
        responses.get(
            URL,
            json=[{"page": page}],
            headers={
                "X-Pagination-Page": str(page),
                "X-Pagination-Page-Count": "3",
                "X-Pagination-Limit": "250",
            },
            match=[responses.matchers.query_param_matcher({"page": str(page), "limit": "250"})],
        )
    assert client.get_all("/sync/watched/movies") == [{"page": 1}, {"page": 2}, {"page": 3}]


@responses.activate
def test_unpaginated_answer_is_read_once(client):
    responses.get(URL, json=[1, 2])
    assert client.get_all("/sync/watched/movies") == [1, 2]
    assert len(responses.calls) == 1


@responses.activate
def test_a_min_map_asks_its_first_page_with_a_limit_and_ends_there_without_more_pages(client):
    responses.get(
        URL,
        json={"1": ["2026-01-01T00:00:00.000Z"]},
        match=[responses.matchers.query_param_matcher({"extended": "min", "page": "1", "limit": "1000"})],
    )
    answer = client.get_map("/sync/watched/movies", {"extended": "min"}, limit=1000)
    assert answer == {"1": ["2026-01-01T00:00:00.000Z"]}


@responses.activate
def test_a_min_map_is_merged_over_every_page_at_the_limit_trakt_echoes(client):
    pages = {1: {"1": ["a"]}, 2: {"2": ["b"]}, 3: {"3": ["c"]}}
    for page, body in pages.items():
        asked = "1000" if page == 1 else "2"  # Trakt answered a smaller page than asked: keep its limit
        responses.get(
            URL,
            json=body,
            headers={
                "X-Pagination-Page": str(page),
                "X-Pagination-Page-Count": "3",
                "X-Pagination-Limit": "2",
            },
            match=[
                responses.matchers.query_param_matcher({"extended": "min", "page": str(page), "limit": asked})
            ],
        )
    answer = client.get_map("/sync/watched/movies", {"extended": "min"}, limit=1000)
    assert answer == {"1": ["a"], "2": ["b"], "3": ["c"]}


@responses.activate
def test_a_list_where_a_min_map_was_asked_is_returned_as_it_came(client):
    responses.get(URL, json=[{"plays": 1}])
    assert client.get_map("/sync/watched/movies", {"extended": "min"}) == [{"plays": 1}]
    assert len(responses.calls) == 1


@responses.activate
def test_429_waits_retry_after_then_succeeds(client, clock):
    responses.get(URL, status=429, headers={"Retry-After": "7"})
    responses.get(URL, json=[])
    assert client.get("/sync/watched/movies") == []
    assert sum(clock.sleeps) == 7


@responses.activate
def test_429_beyond_the_wait_budget_raises_rate_limited(clock, token_store):
    client = make_client(clock, token_store, max_rate_wait=20)
    responses.get(URL, status=429, headers={"Retry-After": "15"})
    with pytest.raises(errors.RateLimitedError, match="Trakt rate limit on GET /sync/watched/movies"):
        client.get("/sync/watched/movies")
    assert len(responses.calls) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504, 520, 521, 522])
@responses.activate
def test_server_errors_are_retried_with_backoff_then_succeed(client, clock, status):
    responses.get(URL, status=status)
    responses.get(URL, status=status)
    responses.get(URL, json=[])
    assert client.get("/sync/watched/movies") == []
    assert len(clock.sleeps) >= 2 and sum(clock.sleeps) >= 2.0 + 4.0  # base 2 s, doubling, plus jitter


@responses.activate
def test_server_errors_stop_after_the_retry_bound(clock, token_store):
    client = make_client(clock, token_store, max_retries=2)
    responses.get(URL, status=503)
    with pytest.raises(errors.ServerUnavailableError, match=r"Trakt is unavailable \(HTTP 503 on GET /sync/"):
        client.get("/sync/watched/movies")
    assert len(responses.calls) == 3


@responses.activate
def test_backoff_jitter_is_seeded_and_bounded(clock, token_store):
    client = make_client(clock, token_store, max_retries=5, backoff_cap=10)
    delays = [client._backoff(failures) for failures in range(1, 7)]
    twin = make_client(clock, token_store, backoff_cap=10)
    assert delays == [twin._backoff(failures) for failures in range(1, 7)]
    assert all(10 <= d <= 12 for d in delays[3:])


@responses.activate
def test_connection_errors_are_retried_then_raise_network_error(clock, token_store):
    client = make_client(clock, token_store, max_retries=2)
    responses.get(URL, body=requests.ConnectionError("reset by peer"))
    with pytest.raises(
        errors.NetworkError, match=r"Trakt did not answer GET /sync/watched/movies after 3 attempts"
    ):
        client.get("/sync/watched/movies")


@responses.activate
def test_timeout_then_success(client):
    responses.get(URL, body=requests.Timeout("read timed out"))
    responses.get(URL, json=[{"ok": 1}])
    assert client.get("/sync/watched/movies") == [{"ok": 1}]


@responses.activate
def test_malformed_json_raises_a_clear_error(client):
    responses.get(URL, body='[{"plays": 1, "movie": {', content_type="application/json")
    with pytest.raises(
        errors.MalformedResponseError, match=r"malformed JSON for GET /sync/watched/movies \(HTTP 200\)"
    ):
        client.get("/sync/watched/movies")


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (420, errors.AccountLimitError, "free-tier limit"),
        (423, errors.AccountLockedError, "account is locked"),
        (426, errors.VipRequiredError, "needs Trakt VIP"),
    ],
)
@responses.activate
def test_account_statuses_raise_distinct_errors_without_retry(client, status, error, message):
    responses.post(BASE_URL + "/sync/watchlist", status=status)
    with pytest.raises(error, match=message) as caught:
        client.post("/sync/watchlist", {"movies": []})
    assert caught.value.status == status
    assert len(responses.calls) == 1


@responses.activate
def test_401_refreshes_once_and_retries_with_the_new_token(client, token_store):
    responses.get(URL, status=401)
    responses.post(BASE_URL + "/oauth/token", json=NEW_PAIR)
    responses.get(URL, json=[])
    assert client.get("/sync/watched/movies") == []
    refresh_body = json.loads(responses.calls[1].request.body)
    assert refresh_body["refresh_token"] == REFRESH_TOKEN and refresh_body["grant_type"] == "refresh_token"
    assert responses.calls[2].request.headers["Authorization"] == "Bearer access-token-NEW-2"
    assert token_store.load().refresh_token == "refresh-token-NEW-2"


@responses.activate
def test_second_401_after_refresh_asks_to_authorise_again(client):
    responses.get(URL, status=401)
    responses.post(BASE_URL + "/oauth/token", json=NEW_PAIR)
    with pytest.raises(errors.AuthorizationRequired, match="please authorise the add-on again"):
        client.get("/sync/watched/movies")
    assert len(responses.calls) == 3


@responses.activate
def test_401_with_private_user_header_does_not_refresh(client):
    responses.get(URL, status=401, headers={"X-Private-User": "true"})
    with pytest.raises(errors.PrivateDataError, match="data is private"):
        client.get("/sync/watched/movies")
    assert len(responses.calls) == 1


INVALID_GRANT = {"error": "invalid_grant", "error_description": "The provided authorization grant is invalid"}


@responses.activate
@pytest.mark.parametrize("status", [400, 401])  # 400 in the 2026 contract; older text said 401
def test_a_refresh_token_trakt_rejects_ends_the_login_and_clears_the_dead_pair(client, token_store, status):
    responses.get(URL, status=401)
    responses.post(BASE_URL + "/oauth/token", status=status, json=INVALID_GRANT)
    with pytest.raises(errors.LoginExpired, match="please authorise the add-on again") as caught:
        client.get("/sync/watched/movies")
    assert caught.value.status == status
    assert (token_store.load(), token_store.expired) == (None, True)
    assert len(responses.calls) == 2
    with pytest.raises(errors.AuthorizationRequired, match="not authorised yet"):
        client.get("/sync/watched/movies")  # no retry: nothing is left to refresh with
    assert len(responses.calls) == 2


@responses.activate
def test_a_proactive_refresh_trakt_rejects_ends_the_login_too(clock):
    store = MemoryTokenStore(Tokens(ACCESS_TOKEN, REFRESH_TOKEN, clock() + 600))  # inside the 1 h margin
    responses.post(BASE_URL + "/oauth/token", status=400, json=INVALID_GRANT)
    with pytest.raises(errors.LoginExpired):
        make_client(clock, store).get("/sync/watched/movies")
    assert (store.load(), len(responses.calls)) == (None, 1)


@responses.activate
def test_another_refresh_error_keeps_the_tokens(client, token_store):
    responses.get(URL, status=401)
    responses.post(BASE_URL + "/oauth/token", status=401, json={"error": "invalid_client"})
    with pytest.raises(errors.AuthorizationRequired, match="authorise") as caught:
        client.get("/sync/watched/movies")
    assert not isinstance(caught.value, errors.LoginExpired)
    assert token_store.load().access_token == ACCESS_TOKEN  # nothing half-saved, nothing cleared


@responses.activate
def test_token_is_refreshed_ahead_of_expiry_from_created_at_plus_expires_in(clock):
    store = MemoryTokenStore(Tokens(ACCESS_TOKEN, REFRESH_TOKEN, clock() + 600))  # inside the 1 h margin
    client = make_client(clock, store)
    responses.post(BASE_URL + "/oauth/token", json=NEW_PAIR)
    responses.get(URL, json=[])
    client.get("/sync/watched/movies")
    assert [call.request.url.split("?")[0] for call in responses.calls] == [BASE_URL + "/oauth/token", URL]
    assert store.load().expires_at == NEW_PAIR["created_at"] + NEW_PAIR["expires_in"]


@responses.activate
def test_new_token_pair_is_persisted_before_it_is_used(clock):
    saved_before_use = []

    class RecordingStore(MemoryTokenStore):
        def save(self, tokens):
            super().save(tokens)
            saved_before_use.append(len(responses.calls))

    store = RecordingStore(Tokens(ACCESS_TOKEN, REFRESH_TOKEN, clock() - 1))
    responses.post(BASE_URL + "/oauth/token", json=NEW_PAIR)
    responses.get(URL, json=[])
    make_client(clock, store).get("/sync/watched/movies")
    assert saved_before_use == [1]  # saved after the refresh answer, before the GET went out


@responses.activate
def test_no_tokens_raises_authorization_required_without_a_request(clock):
    client = make_client(clock, MemoryTokenStore(None))
    with pytest.raises(errors.AuthorizationRequired, match="not authorised yet"):
        client.get("/sync/watched/movies")
    assert len(responses.calls) == 0


@responses.activate
def test_writes_are_paced_to_one_per_second(client, clock):
    responses.post(BASE_URL + "/sync/history", json={}, status=201)
    client.post("/sync/history", {"movies": []})
    clock.advance(0.25)
    client.post("/sync/history", {"movies": []})
    assert clock.sleeps == [pytest.approx(0.75)]


@responses.activate
def test_reads_are_not_paced(client, clock):
    responses.get(URL, json=[])
    client.get("/sync/watched/movies")
    client.get("/sync/watched/movies")
    assert clock.sleeps == []


@responses.activate
def test_abort_is_checked_before_each_request(clock, token_store):
    calls = []
    client = make_client(clock, token_store, abort_check=lambda: len(calls) >= 1)
    responses.get(URL, json=[1], headers={"X-Pagination-Page-Count": "5"})
    calls.append(1)
    with pytest.raises(errors.AbortRequested, match="Kodi is shutting down"):
        client.get_all("/sync/watched/movies")
    assert len(responses.calls) == 0


@responses.activate
def test_abort_interrupts_a_long_retry_after_wait_within_a_second(clock, token_store):
    client = make_client(clock, token_store, abort_check=lambda: sum(clock.sleeps) >= 3)
    responses.get(URL, status=429, headers={"Retry-After": "300"})
    with pytest.raises(errors.AbortRequested):
        client.get("/sync/watched/movies")
    assert sum(clock.sleeps) == 3 and max(clock.sleeps) <= 1.0


@responses.activate
def test_secrets_never_appear_in_exception_messages_or_logs(clock, token_store, caplog):
    caplog.set_level(logging.DEBUG)
    client = make_client(clock, token_store, max_retries=1, max_rate_wait=1)
    messages = []
    scenarios = [
        (401, {}), (401, {"X-Private-User": "true"}), (420, {}), (423, {}), (426, {}), (429, {"Retry-After": "5"}),
        (503, {}), (404, {}), (418, {}),
    ]  # fmt: skip
    for status, headers in scenarios:
        responses.reset()
        responses.get(URL, status=status, headers=headers)
        responses.post(BASE_URL + "/oauth/token", status=401)
        with pytest.raises(errors.TraktError) as caught:
            client.get("/sync/watched/movies")
        messages.append(str(caught.value))
        messages.append(repr(caught.value))
    messages.append(repr(client))
    messages.append(repr(token_store.load()))
    text = "\n".join(messages) + "\n" + caplog.text
    for secret in (CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN):
        assert secret not in text
    assert "HTTP 418" in text  # the messages do say what happened
