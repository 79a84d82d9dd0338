"""Trakt views read from the mirror: Next Up (rewatches honoured) and the watchlist (movies, shows)."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from aiostreams import kodi, listing
from aiostreams.catalogs import Meta
from aiostreams.models import epoch_to_ts
from aiostreams.plugin import Call, run_plugin, url_for

WATCHLIST_AREAS = {"movie": "watchlist_movies", "show": "watchlist_shows"}
_WATCHLIST_SQL = {
    "movie": "SELECT m.imdb_id, m.trakt_id, m.title, m.year FROM watchlist w "
    "JOIN movies m ON m.trakt_id = w.trakt_id WHERE w.media_type = 'movie' "
    "ORDER BY w.rank IS NULL, w.rank, w.listed_at",
    "show": "SELECT s.imdb_id, s.trakt_id, s.title, s.year FROM watchlist w "
    "JOIN shows s ON s.trakt_id = w.trakt_id WHERE w.media_type = 'show' "
    "ORDER BY w.rank IS NULL, w.rank, w.listed_at",
}


def next_up(call: Call) -> None:
    """The next episode of every watched show, most recently watched first (plays before reset_at ignored)."""
    from aiostreams.progress import next_up as compute_next_up

    db = listing.open_mirror()
    try:
        items = compute_next_up(db, time.time()) if db is not None else []
    except sqlite3.DatabaseError as exc:
        from database.connection import is_damaged_error

        if not is_damaged_error(exc):
            raise  # busy or I/O trouble: the plugin's error notice says what happened
        kodi.log(f"Next Up: the mirror is damaged ({exc})", "warning")
        listing.note_if_damaged(exc)
        items = []
    finally:
        if db is not None:
            db.close()
    entries = [_next_up_entry(item) for item in items]
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, content="episodes", category=kodi.localize(30002))


def _next_up_entry(item: dict) -> tuple[str, Any, bool]:
    show, episode = item["show"] or {}, item["episode"]
    ids = show.get("ids") or {}
    show_ref = ids.get("imdb") or f"trakt:{ids.get('trakt')}"
    season, number = episode["season"], episode["number"]
    title = episode.get("title") or kodi.localize(30011).format(number=number)
    label = kodi.localize(30010).format(
        show=show.get("title") or "", season=season, episode=number, title=title
    )
    entry = kodi.list_item(label)
    tag = entry.getVideoInfoTag()
    tag.setTitle(title)
    tag.setTvShowTitle(show.get("title") or "")
    tag.setSeason(season)
    tag.setEpisode(number)
    tag.setMediaType("episode")
    tag.setPlaycount(0)
    episode_ids = {key: str(value) for key, value in (episode.get("ids") or {}).items() if value}
    if episode_ids:
        tag.setUniqueIDs(episode_ids, "imdb" if "imdb" in episode_ids else "trakt")
    video_id = f"{show_ref}:{season}:{number}"
    entry.setProperty("IsPlayable", "true")
    entry.addContextMenuItems(
        [(kodi.localize(30200), run_plugin("mark_watched", type="episode", id=video_id))]
    )
    return url_for("play", type="series", id=video_id), entry, False


def watchlist(call: Call) -> None:
    """The user's Trakt watchlist of movies or shows, from the mirror (from Trakt before the first sync)."""
    media_type = call.choice("type", ("movie", "show"))
    db = listing.open_mirror()
    try:
        metas, from_mirror = _watchlist_metas(db, media_type)
        marks = listing.overlays(db, metas, epoch_to_ts(time.time()))
    finally:
        if db is not None:
            db.close()
    if not from_mirror:
        for meta in metas:  # read from Trakt: every item listed is on the watchlist
            marks.setdefault(meta.id, listing.Overlay(media_type)).watchlisted = True
    entries = [listing.meta_entry(meta, marks.get(meta.id)) for meta in metas]
    kodi.add_items(call.handle, entries)
    kodi.end_directory(call.handle, content="movies" if media_type == "movie" else "tvshows")


def _meta(media_type: str, imdb: str | None, trakt: int, title: str | None, year: int | None) -> Meta:
    return Meta(
        id=imdb or f"trakt:{trakt}",
        type="movie" if media_type == "movie" else "series",
        name=title or imdb or str(trakt),
        year=int(year or 0),
    )


def _watchlist_metas(db: Any, media_type: str) -> tuple[list[Meta], bool]:
    from database import queries

    if db is not None and queries.area_synced(db, WATCHLIST_AREAS[media_type]):
        return [_meta(media_type, *row) for row in db.query(_WATCHLIST_SQL[media_type])], True
    # The mirror cannot answer yet: the same list from Trakt (one paged read).
    kodi.log(f"watchlist of {media_type}s read from Trakt (mirror not synced yet)")
    plural = "movies" if media_type == "movie" else "shows"
    rows = kodi.build_client().get_all(f"/sync/watchlist/{plural}/rank/asc")
    metas = []
    for row in rows:
        item = row.get(media_type) if isinstance(row, dict) else None
        ids = item.get("ids") if isinstance(item, dict) else None
        if isinstance(ids, dict) and isinstance(ids.get("trakt"), int):
            metas.append(
                _meta(media_type, ids.get("imdb"), ids["trakt"], item.get("title"), item.get("year"))
            )
    return metas, False
