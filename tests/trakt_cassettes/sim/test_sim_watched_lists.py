"""Issue 14 point 6 against Trakt's contract (trakt/trakt-api@586224b): `last_activities.collaborations`,
`/sync/watched/episodes`, `/users/{id}/watched/*` and the 7-day token lifetime; answers are validated
against contracts/schemas."""

from __future__ import annotations

import pytest

from trakt_cassettes.sim import Simulator
from trakt_cassettes.sim.clock import parse_time

from .sim_helpers import assert_schema, call, mini_scenario

JOINED = "2025-01-01T00:00:00.000Z"
PLAYS = [
    {"show": "tt0000010", "season": 1, "episode": 1, "watched_at": "2026-01-01T20:00:00Z"},
    {"show": "tt0000010", "season": 1, "episode": 1, "watched_at": "2026-02-01T20:00:00Z"},
    {"show": "tt0000010", "season": 1, "episode": 2, "watched_at": "2026-03-01T20:00:00Z"},
    {"show": "tt0000010", "season": 0, "episode": 1, "watched_at": "2026-01-15T20:00:00Z"},
    {"movie": "tt0000020", "watched_at": "2026-01-10T20:00:00Z"},
    {"movie": "tt0000020", "watched_at": "2026-01-11T20:00:00Z"},
    {"movie": "tt0000021", "watched_at": "2026-04-01T20:00:00Z"},
]


def make_sim(private: bool = False, **overrides) -> Simulator:
    user = {"username": "Bob", "access_token": "test-token", "refresh_token": "test-refresh", "private": private,
            "joined_at": JOINED}  # fmt: skip
    return Simulator(mini_scenario(user=user, history=PLAYS, **overrides))


def test_last_activities_has_collaborations_at_the_accounts_start_and_matches_the_schema():
    sim = make_sim()
    before = call(sim, "GET", "/sync/last_activities").json()
    assert before["collaborations"] == {"updated_at": JOINED}
    assert_schema("last_activities", before)
    call(sim, "POST", "/sync/history", {"movies": [{"ids": {"trakt": 21}}]})
    after = call(sim, "GET", "/sync/last_activities").json()
    assert after["collaborations"] == {"updated_at": JOINED}  # nothing the simulator models moves it
    assert after["all"] != before["all"]


def test_sync_watched_episodes_lists_each_watched_episode_most_recent_first():
    answer = call(make_sim(), "GET", "/sync/watched/episodes")
    assert answer.status == 200
    rows = answer.json()
    assert_schema("watched_episodes", rows)
    assert [(r["episode"]["season"], r["episode"]["number"], r["plays"]) for r in rows] == [
        (1, 2, 1),
        (1, 1, 2),
        (0, 1, 1),
    ]
    assert rows[1]["last_watched_at"] == "2026-02-01T20:00:00.000Z"
    assert {r["type"] for r in rows} == {"episode"} and rows[0]["show"]["ids"]["trakt"] == 10


def test_sync_watched_episodes_is_paged_and_takes_extended_full():
    answer = call(make_sim(), "GET", "/sync/watched/episodes?extended=full&limit=2")
    assert (
        answer.headers["X-Pagination-Item-Count"] == "3" and answer.headers["X-Pagination-Page-Count"] == "2"
    )
    rows = answer.json()
    assert len(rows) == 2 and "overview" in rows[0]["episode"] and "aired_episodes" in rows[0]["show"]
    assert_schema("watched_episodes", rows)


@pytest.mark.parametrize("user_id", ["bob", "Bob", "me"])
@pytest.mark.parametrize("kind", ["movies", "shows", "episodes"])
def test_users_watched_answers_for_the_users_slug_and_me(user_id, kind):
    answer = call(make_sim(), "GET", f"/users/{user_id}/watched/{kind}")
    assert answer.status == 200
    assert_schema({"movies": "users_watched_movies", "shows": "users_watched_shows"}.get(kind, "watched_episodes"),
                  answer.json())  # fmt: skip


def test_users_watched_movies_are_sorted_by_most_recently_watched():
    rows = call(make_sim(), "GET", "/users/bob/watched/movies").json()
    # /sync/watched/movies puts the movie played twice first; the contract's users route sorts by recency
    assert [r["movie"]["ids"]["trakt"] for r in rows] == [21, 20]
    times = [parse_time(r["last_watched_at"]) for r in rows]
    assert times == sorted(times, reverse=True)


def test_users_watched_shows_carry_seasons_unless_noseasons_and_aired_episodes():
    sim = make_sim()
    [row] = call(sim, "GET", "/users/bob/watched/shows").json()
    assert row["show"]["aired_episodes"] == 3  # season 1's aired episodes; specials and unaired do not count
    assert [s["number"] for s in row["seasons"]] == [1]
    [with_specials] = call(sim, "GET", "/users/bob/watched/shows?specials=true").json()
    assert [s["number"] for s in with_specials["seasons"]] == [0, 1]
    [bare] = call(sim, "GET", "/users/bob/watched/shows?extended=noseasons").json()
    assert "seasons" not in bare
    assert_schema("users_watched_shows", [bare])


def test_users_watched_min_maps_are_the_min_maps():
    sim = make_sim()
    movies = call(sim, "GET", "/users/me/watched/movies?extended=min")
    assert movies.json() == call(sim, "GET", "/sync/watched/movies?extended=min").json()
    assert_schema("watched_movies_min", movies.json())
    shows = call(sim, "GET", "/users/bob/watched/shows?extended=min&specials=true")
    assert shows.headers["X-Pagination-Page"] == "1"
    assert_schema("watched_shows_min", shows.json())


def test_users_watched_without_oauth_public_user_ok_me_401_other_user_404():
    sim = make_sim()
    assert call(sim, "GET", "/users/bob/watched/movies", token=None).status == 200
    assert call(sim, "GET", "/users/me/watched/movies", token=None).status == 401
    assert call(sim, "GET", "/users/alice/watched/movies").status == 404


def test_a_private_users_watched_lists_need_oauth():
    sim = make_sim(private=True)
    refused = call(sim, "GET", "/users/bob/watched/shows", token=None)
    assert refused.status == 401 and refused.headers["X-Private-User"] == "true"
    assert call(sim, "GET", "/users/bob/watched/shows").status == 200


def test_issued_tokens_last_seven_days_unless_the_scenario_says_otherwise():
    body = {"refresh_token": "test-refresh", "client_id": "sim-client-id", "client_secret": "sim-secret",
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "grant_type": "refresh_token"}  # fmt: skip
    issued = call(make_sim(), "POST", "/oauth/token", body, token=None).json()
    assert issued["expires_in"] == 604800
    assert_schema("token", issued)
    short = call(make_sim(tokens={"expires_in": 86400}), "POST", "/oauth/token", body, token=None).json()
    assert short["expires_in"] == 86400
