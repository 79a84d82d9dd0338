"""The AIOStreams side: manifest, catalogs in pages of 100 with genre/skip extras, metas."""

from __future__ import annotations

import requests

from trakt_cassettes.sim import Simulator

from .sim_helpers import assert_schema, mini_scenario

AIO = "https://aio.example/stremio/cfg-123"


def big_catalog() -> Simulator:
    movies = [{"title": f"M{i}", "year": 2000, "ids": {"trakt": 1000 + i, "imdb": f"tt{9000000 + i}"},
               "genres": ["drama"] if i % 2 else ["comedy"]} for i in range(250)]  # fmt: skip
    return Simulator(
        mini_scenario(
            movies=movies, catalogs=[{"type": "movie", "id": "all", "items": [1000 + i for i in range(250)]}]
        )
    )


def get(sim: Simulator, path: str):
    with sim.intercept(aiostreams_url=AIO):
        return requests.get(AIO + path)


def test_manifest_lists_the_scenario_catalogs(small_sim):
    data = get(small_sim, "/manifest.json").json()
    assert_schema("stremio_manifest", data)
    assert [(c["type"], c["id"]) for c in data["catalogs"]] == [("movie", "top"), ("series", "trending")]


def test_catalog_pages_hold_100_items():
    answer = get(big_catalog(), "/catalog/movie/all.json")
    assert_schema("stremio_catalog", answer.json())
    assert (answer.status_code, len(answer.json()["metas"])) == (200, 100)


def test_skip_extra_pages_through_the_catalog():
    metas = get(big_catalog(), "/catalog/movie/all/skip=200.json").json()["metas"]
    assert (len(metas), metas[0]["id"]) == (50, "tt9000200")


def test_genre_extra_filters_the_catalog():
    metas = get(big_catalog(), "/catalog/movie/all/genre=drama.json").json()["metas"]
    assert (len(metas), {m["genres"][0] for m in metas}) == (100, {"drama"})


def test_genre_and_skip_combine():
    metas = get(big_catalog(), "/catalog/movie/all/genre=drama&skip=100.json").json()["metas"]
    assert (len(metas), metas[0]["id"]) == (25, "tt9000201")


def test_titles_without_imdb_id_get_a_trakt_prefixed_id(small_sim):
    metas = get(small_sim, "/catalog/series/trending.json").json()["metas"]
    assert [m["id"] for m in metas] == ["tt0903747", "tt11280740", "trakt:3"]


def test_series_meta_lists_videos_with_season_and_episode(small_sim):
    data = get(small_sim, "/meta/series/tt11280740.json").json()
    assert_schema("stremio_meta", data)
    assert data["meta"]["videos"][3] == {"id": "tt11280740:2:1", "season": 2, "episode": 1, "title": "Hello Ms. Cobel",
                                         "released": "2026-10-20T08:00:00.000Z"}  # fmt: skip


def test_meta_by_trakt_prefixed_id(small_sim):
    assert (
        get(small_sim, "/meta/series/trakt:3.json").json()["meta"]["name"] == "Dark Matter Diaries: Ünïcödé"
    )


def test_unknown_catalog_answers_404_with_err(small_sim):
    answer = get(small_sim, "/catalog/movie/nope.json")
    assert (answer.status_code, answer.json()) == (404, {"err": "no catalog movie/nope"})
