"""Browsing routes: main menu, AIOStreams catalogs and pages, a show's seasons and episodes, play.

Overlays come from the mirror only: browsing never calls Trakt.
"""

from __future__ import annotations

import time
from typing import Any

from aiostreams import kodi, listing
from aiostreams.catalogs import PAGE_SIZE, AIOStreams, AIOStreamsError, episodes_by_season
from aiostreams.models import epoch_to_ts
from aiostreams.plugin import BadParameter, Call, UserError, url_for

STREMIO_TYPES = ("movie", "series")


def _aiostreams() -> AIOStreams:
    url = kodi.setting("aiostreams_manifest_url").strip()
    if not url:
        raise UserError(kodi.localize(30302))
    return AIOStreams(url)


def _fetch(what: Any, *args: Any) -> Any:
    """Call AIOStreams; its failures become a user-facing message."""
    try:
        return what(*args)
    except AIOStreamsError as exc:
        raise AIOStreamsUnavailable(kodi.localize(30303).format(error=exc)) from None


class AIOStreamsUnavailable(UserError):
    """AIOStreams did not answer (the message is the notification text)."""


def main_menu(call: Call) -> None:
    """Catalogs, Next Up, the Trakt watchlists and the tools."""
    entries = [
        listing.folder_entry(kodi.localize(30001), url_for("catalogs"), "DefaultVideoPlaylists.png"),
        listing.folder_entry(kodi.localize(30002), url_for("next_up"), "DefaultInProgressShows.png"),
        listing.folder_entry(kodi.localize(30003), url_for("watchlist", type="movie"), "DefaultMovies.png"),
        listing.folder_entry(kodi.localize(30004), url_for("watchlist", type="show"), "DefaultTVShows.png"),
        listing.folder_entry(kodi.localize(30005), url_for("tools"), "DefaultAddonProgram.png"),
    ]
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, category=kodi.localize(30001))


def catalogs(call: Call) -> None:
    """Every movie/series catalog of the manifest (plus a genre folder where the catalog has genres)."""
    client = _aiostreams()
    entries = []
    for catalog in _fetch(client.catalogs):
        if not catalog.genre_required:
            entries.append(
                listing.folder_entry(catalog.name, url_for("catalog", type=catalog.type, id=catalog.id))
            )
        if catalog.genres:
            label = f"{catalog.name}: {kodi.localize(30009)}"
            entries.append(listing.folder_entry(label, url_for("genres", type=catalog.type, id=catalog.id)))
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, category=kodi.localize(30001))


def genres(call: Call) -> None:
    """The genres of one catalog."""
    catalog_type = call.choice("type", STREMIO_TYPES)
    catalog = _fetch(_aiostreams().catalog, catalog_type, call.param("id"))
    entries = [
        listing.folder_entry(genre, url_for("catalog", type=catalog.type, id=catalog.id, genre=genre))
        for genre in catalog.genres
    ]
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, category=catalog.name)


def catalog(call: Call) -> None:
    """One page of a catalog with overlays from ONE mirror query, and a next-page folder."""
    catalog_type = call.choice("type", STREMIO_TYPES)
    catalog_id = call.param("id")
    skip = call.int_param("skip", default=0)
    genre = call.params.get("genre", "")
    metas = _fetch(_aiostreams().catalog_page, catalog_type, catalog_id, skip, genre)
    db = listing.open_mirror()
    try:
        marks = listing.overlays(db, metas, epoch_to_ts(time.time()))
    finally:
        if db is not None:
            db.close()
    entries = [listing.meta_entry(meta, marks.get(meta.id)) for meta in metas]
    if len(metas) >= PAGE_SIZE:
        next_url = url_for(
            "catalog", type=catalog_type, id=catalog_id, skip=skip + len(metas), genre=genre or None
        )
        entries.append(listing.folder_entry(kodi.localize(30006), next_url, "DefaultFolderBack.png"))
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, content="movies" if catalog_type == "movie" else "tvshows")


def _series(call: Call) -> tuple[dict, dict[int, list[dict]]]:
    meta = _fetch(_aiostreams().meta, "series", call.param("id"))
    return meta, episodes_by_season(meta)


def _aired(video: dict, now_ts: str) -> bool:
    # Like Trakt: an episode without an air date has not aired.
    released = video.get("released")
    return bool(released) and str(released) <= now_ts


def seasons(call: Call) -> None:
    """A show's seasons, each marked watched when all its aired episodes are."""
    show_id = call.param("id")
    meta, by_season = _series(call)
    db = listing.open_mirror()
    try:
        marks = listing.episode_marks(db, show_id)
    finally:
        if db is not None:
            db.close()
    now_ts = epoch_to_ts(time.time())
    entries = []
    for number, videos in by_season.items():
        label = kodi.localize(30008) if number == 0 else kodi.localize(30007).format(number=number)
        url, item, _ = listing.folder_entry(label, url_for("episodes", id=show_id, season=number))
        aired = [v for v in videos if _aired(v, now_ts)]
        watched = sum(1 for v in aired if marks.watched(number, v["episode"]))
        tag = item.getVideoInfoTag()
        tag.setTitle(label)
        tag.setTvShowTitle(str(meta.get("name") or ""))
        tag.setSeason(number)
        tag.setMediaType("season")
        tag.setPlaycount(1 if aired and watched >= len(aired) else 0)
        item.setProperty("TotalEpisodes", str(len(aired)))
        item.setProperty("WatchedEpisodes", str(watched))
        item.setProperty("UnWatchedEpisodes", str(len(aired) - watched))
        entries.append((url, item, True))
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, content="seasons", category=str(meta.get("name") or ""))


def episodes(call: Call) -> None:
    """The episodes of one season with watched marks and resume points."""
    show_id = call.param("id")
    season = call.int_param("season")
    meta, by_season = _series(call)
    if season not in by_season:
        raise BadParameter(f"show {show_id} has no season {season}")
    db = listing.open_mirror()
    try:
        marks = listing.episode_marks(db, show_id)
    finally:
        if db is not None:
            db.close()
    entries = [listing.episode_entry(meta, video, marks) for video in by_season[season]]
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, content="episodes", category=str(meta.get("name") or ""))


def tools(call: Call) -> None:
    """Sync and database maintenance actions (each runs as RunPlugin: not playable, not a folder)."""
    entries = []
    for label, action in (
        (30121, "force_trakt_sync"),
        (30131, "show_database_info"),
        (30132, "clear_trakt_database"),
        (30133, "rebuild_trakt_database"),
        (30134, "vacuum_database"),
    ):
        item = kodi.list_item(kodi.localize(label))
        item.setArt({"icon": "DefaultAddonService.png"})
        entries.append((url_for(action), item, False))
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, category=kodi.localize(30005))


def play(call: Call) -> None:
    """Resolve a movie or an episode to one of AIOStreams' streams (a choice when there are several)."""
    media_type = call.choice("type", STREMIO_TYPES)
    video_id = call.param("id")
    streams = _fetch(_aiostreams().streams, media_type, video_id)
    if not streams:
        kodi.notify(kodi.localize(30323))
        kodi.resolve(call.handle, False)
        return
    index = 0
    if len(streams) > 1:
        names = [
            str(s.get("name") or "") + " " + str(s.get("title") or s.get("description") or "")
            for s in streams
        ]
        index = kodi.select(kodi.localize(30345), [name.strip() for name in names])
        if index < 0:
            kodi.resolve(call.handle, False)
            return
    kodi.resolve(call.handle, True, streams[index]["url"])
