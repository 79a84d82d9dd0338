"""Item 5: a corrupt or truncated mirror, and catalog/Trakt answers with missing fields or wrong types."""

from __future__ import annotations

import json

import pytest

from .kodi_world import ADDON_ID, KodiWorld, build_zip
from .support import state_b

WATCHLIST = f"plugin://{ADDON_ID}/?action=watchlist&type=movie"
CATALOG = f"plugin://{ADDON_ID}/?action=catalog&id=top&type=movie"
FORCE_SYNC = f"plugin://{ADDON_ID}/?action=force_trakt_sync"
GOOD_META = {"id": "tt0372784", "type": "movie", "name": "Batman Begins", "releaseInfo": "2005"}
BROKEN_METAS = [
    {"type": "movie", "name": "no id"},
    "just a string",
    None,
    {"id": "tt0468569", "type": "movie", "name": ["a", "list"], "releaseInfo": {"a": 1}, "runtime": 12,
     "genres": "drama", "poster": 5},
    {"id": 42, "type": 7},
]  # fmt: skip


@pytest.fixture(scope="module")
def zip_path(tmp_path_factory):
    return build_zip(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def world(kodi, zip_path, served_sim) -> KodiWorld:
    sim, server = served_sim(state_b())
    made = KodiWorld(kodi, zip_path, sim, server.url, auto_sync=False)
    result = made.kodi.run(FORCE_SYNC)
    assert any(n["message"].startswith("Trakt sync finished") for n in result.notifications), result.log
    return made


def damage(world: KodiWorld, how: str) -> None:
    data = world.db_path.read_bytes()
    for path in world.profile.glob("trakt_sync.db-*"):
        path.unlink()
    world.db_path.write_bytes(b"not a database " * 400 if how == "garbage" else data[: len(data) // 3])


@pytest.mark.parametrize("how", ["garbage", "truncated"])
def test_a_damaged_mirror_falls_back_to_the_api_and_the_page_renders(world, how, figures):
    damage(world, how)
    figures.add("corrupt_db_cases")
    watchlist = world.kodi.run(WATCHLIST, strict=False)
    catalog = world.kodi.run(CATALOG, strict=False)
    assert watchlist.error is None and catalog.error is None
    assert sorted(item["label"] for item in watchlist.items) == ["Inception", "The Dark Knight"]
    assert len(catalog.items) == 4


def test_a_damaged_mirror_offers_a_rebuild_once_per_session_without_a_modal_dialog(world):
    damage(world, "garbage")
    first = world.kodi.run(WATCHLIST, strict=False)
    second = world.kodi.run(CATALOG, strict=False)
    assert first.error is None and second.error is None
    assert [n["message"] for n in first.notifications] == [
        "The Trakt database is damaged: use Tools > Rebuild Trakt database"
    ]
    assert second.notifications == [] and first.dialogs == [] and second.dialogs == []


def test_the_offered_rebuild_replaces_a_damaged_mirror(world):
    damage(world, "garbage")
    world.kodi.run(WATCHLIST, strict=False)
    result = world.kodi.run(f"plugin://{ADDON_ID}/?action=rebuild_trakt_database", strict=False)
    assert result.error is None, result.log
    assert any(n["message"].startswith("Trakt database rebuilt") for n in result.notifications), (
        result.notifications
    )
    assert (world.profile / "trakt_sync.db.damaged").exists()
    assert world.prop("mirror.damaged") == ""


def test_catalog_rows_with_missing_fields_or_wrong_types_are_skipped_and_the_page_renders(world, figures):
    world.sim.add_fault(
        path="^/stremio/.*/catalog/movie/top", status=200, times=1000,
        headers={"Content-Type": "application/json"}, body=json.dumps({"metas": [GOOD_META, *BROKEN_METAS]}),
    )  # fmt: skip
    figures.add("broken_item_cases", len(BROKEN_METAS))
    result = world.kodi.run(CATALOG, strict=False)
    assert result.error is None, result.log
    labels = [item["label"] for item in result.items]
    assert "Batman Begins" in labels
    assert not any(item["label"] in ("no id", "just a string") for item in result.items)
    assert "catalog movie/top: skipped 3 item(s) without an id" in world.kodi.log_text()


def test_trakt_watchlist_items_without_ids_are_skipped_when_read_from_the_api(world, figures):
    damage(world, "garbage")  # so the route reads Trakt itself
    broken = [
        {
            "rank": 1,
            "type": "movie",
            "movie": {"title": "Inception", "ids": {"trakt": 8, "imdb": "tt1375666"}},
        },
        {"rank": 2, "type": "movie", "movie": {"title": "No ids"}},
        {"rank": 3, "type": "movie", "movie": "not an object"},
        {"rank": 4, "type": "movie", "movie": {"title": "Bad id", "ids": {"trakt": "8"}}},
        "garbage",
    ]
    world.sim.add_fault(path="^/sync/watchlist/movies", status=200, times=1000, body=json.dumps(broken))
    figures.add("broken_item_cases", len(broken) - 1)
    result = world.kodi.run(WATCHLIST, strict=False)
    assert result.error is None, result.log
    assert [item["label"] for item in result.items] == ["Inception"]


def test_a_trakt_item_without_ids_is_skipped_and_the_rest_of_its_area_syncs(tmp_path, served_sim):
    from .sync_world import SyncWorld

    sim, server = served_sim(state_b())
    items = [
        {"rank": 1, "id": 1, "type": "movie", "listed_at": "2026-08-01T00:00:00.000Z",
         "movie": {"title": "Inception", "ids": {"trakt": 8, "imdb": "tt1375666"}}},
        {"rank": 2, "id": 2, "type": "movie", "listed_at": "2026-08-01T00:00:00.000Z", "movie": {"title": "No ids"}},
    ]  # fmt: skip
    sim.add_fault(path="^/sync/watchlist/movies", status=200, times=1000, body=json.dumps(items))
    world = SyncWorld(sim, server.url, tmp_path / "mirror.db")
    report = world.engine.run(force=True)
    rows = world.db.query("SELECT trakt_id FROM watchlist WHERE media_type = 'movie'")
    world.close()
    assert "watchlist_movies" not in report.failed, report.failed
    assert rows == [(8,)]
    assert any("No ids" in line for line in world.log), world.log
