"""ListItems with the overlays Kodi shows, read from the mirror in ONE query per page.

Overlay rules: a movie is watched with at least one play; a show when every aired episode
(specials and hidden seasons left out) is completed, plays before the show's `reset_at` not
counting (a rewatch in progress is unwatched). Resume points come from Trakt playback progress.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aiostreams import kodi
from aiostreams.catalogs import Meta
from aiostreams.plugin import run_plugin, url_for

# Window(10000) property set once the user was told the mirror is damaged; a rebuild clears it.
DAMAGED_PROPERTY = "mirror.damaged"
NOMINAL_RUNTIME = 100.0  # seconds used as the total when a title's runtime is unknown (resume = percent)

_MOVIES_SQL = """
SELECT 'movie', m.imdb_id, m.trakt_id, COALESCE(wm.plays, 0),
       EXISTS (SELECT 1 FROM watchlist w WHERE w.media_type = 'movie' AND w.trakt_id = m.trakt_id),
       (SELECT p.progress FROM playback p WHERE p.media_type = 'movie' AND p.movie_trakt_id = m.trakt_id
        ORDER BY p.paused_at DESC LIMIT 1),
       0, 0, 0
FROM movies m LEFT JOIN watched_movies wm ON wm.movie_trakt_id = m.trakt_id
WHERE m.imdb_id IN ({imdb}) OR m.trakt_id IN ({trakt})
"""
# Aired = has an air date not after now; season 0 and hidden seasons do not count (Trakt's rules).
_COUNTED = """e.show_trakt_id = s.trakt_id AND e.season > 0 AND e.first_aired IS NOT NULL
       AND e.first_aired <= ? AND NOT EXISTS (SELECT 1 FROM hidden_seasons h
           WHERE h.show_trakt_id = e.show_trakt_id AND h.number = e.season)"""
_SHOWS_SQL = f"""
SELECT 'show', s.imdb_id, s.trakt_id, COALESCE(ws.plays, 0),
       EXISTS (SELECT 1 FROM watchlist w WHERE w.media_type = 'show' AND w.trakt_id = s.trakt_id),
       NULL,
       (SELECT COUNT(*) FROM episodes e WHERE {_COUNTED}),
       (SELECT COUNT(*) FROM episodes e JOIN watched_episodes we ON we.show_trakt_id = e.show_trakt_id
          AND we.season = e.season AND we.number = e.number
        WHERE {_COUNTED} AND we.plays > 0
          AND (ws.reset_at IS NULL OR we.last_watched_at >= ws.reset_at)),
       EXISTS (SELECT 1 FROM show_metadata sm WHERE sm.show_trakt_id = s.trakt_id)
FROM shows s LEFT JOIN watched_shows ws ON ws.show_trakt_id = s.trakt_id
WHERE s.imdb_id IN ({{imdb}}) OR s.trakt_id IN ({{trakt}})
"""


@dataclass
class Overlay:
    """What the mirror knows about one title."""

    media_type: str
    imdb_id: str | None = None
    trakt_id: int | None = None
    plays: int = 0
    watchlisted: bool = False
    resume_percent: float | None = None
    aired: int = 0
    completed: int = 0
    has_metadata: bool = False

    @property
    def watched(self) -> bool:
        """Movie: played. Show: every aired episode completed since the last reset."""
        if self.media_type == "movie":
            return self.plays > 0
        return self.has_metadata and self.aired > 0 and self.completed >= self.aired


def open_mirror() -> Any:
    """The mirror database, or None before the first sync created it (browsing never creates it)."""
    from database.connection import Database

    path = kodi.db_path()
    if not os.path.exists(path):
        return None
    try:
        return Database(path, busy_timeout_ms=2000, create=False)
    except (OSError, sqlite3.Error) as exc:
        kodi.log(f"mirror unavailable for overlays: {exc.__class__.__name__}: {exc}", "warning")
        note_if_damaged(exc)
        return None


def note_if_damaged(exc: BaseException) -> None:
    """Tell the user once per Kodi session (not on every page) that the mirror is damaged and how to fix it."""
    from database.connection import is_damaged_error

    # A browse call answers from Trakt anyway: a toast is enough, a modal dialog per page would nag.
    if not is_damaged_error(exc) or kodi.home_property(DAMAGED_PROPERTY):
        return
    kodi.set_home_property(DAMAGED_PROPERTY, "notified")
    kodi.notify(kodi.localize(30346), error=True, time_ms=8000)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values) if values else "NULL"


def overlays(db: Any, metas: Iterable[Meta], now_ts: str) -> dict[str, Overlay]:
    """Overlay per meta id for a catalog page: ONE query for every movie and show on it."""
    metas = list(metas)
    found: dict[str, Overlay] = {}
    if db is None or not metas:
        return found
    parts: list[str] = []
    params: list[Any] = []
    for kind, template in (("movie", _MOVIES_SQL), ("show", _SHOWS_SQL)):
        imdb = [m.imdb_id for m in metas if m.media_type == kind and m.imdb_id]
        trakt = [m.trakt_id for m in metas if m.media_type == kind and m.trakt_id is not None]
        if not imdb and not trakt:
            continue
        parts.append(template.format(imdb=_marks(imdb), trakt=_marks(trakt)))
        params.extend(([now_ts, now_ts] if kind == "show" else []) + imdb + trakt)
    if not parts:
        return found
    try:
        rows = db.query(" UNION ALL ".join(parts) + " ORDER BY 3", params)
    except sqlite3.Error as exc:
        kodi.log(f"overlay query failed: {exc}", "warning")
        note_if_damaged(exc)
        return found
    by_key: dict[tuple[str, str], Overlay] = {}
    for kind, imdb, trakt, plays, listed, resume, aired, completed, has_meta in rows:
        overlay = Overlay(kind, imdb, trakt, plays, bool(listed), resume, aired, completed, bool(has_meta))
        if imdb:
            by_key.setdefault((kind, imdb), overlay)
        by_key.setdefault((kind, f"trakt:{trakt}"), overlay)
    for meta in metas:
        overlay = by_key.get((meta.media_type, meta.id))
        if overlay is not None:
            found[meta.id] = overlay
    return found


# --- building ListItems ---------------------------------------------------------------------------


def _context_menu(media_type: str, item_id: str, watched: bool, watchlisted: bool | None) -> list:
    menu = []
    if watched:
        menu.append((kodi.localize(30201), run_plugin("mark_unwatched", type=media_type, id=item_id)))
    else:
        menu.append((kodi.localize(30200), run_plugin("mark_watched", type=media_type, id=item_id)))
    if watchlisted is not None:
        if watchlisted:
            menu.append((kodi.localize(30203), run_plugin("watchlist_remove", type=media_type, id=item_id)))
        else:
            menu.append((kodi.localize(30202), run_plugin("watchlist_add", type=media_type, id=item_id)))
    return menu


def _unique_ids(imdb: str | None, trakt: int | None) -> dict[str, str]:
    ids = {}
    if imdb:
        ids["imdb"] = imdb
    if trakt is not None:
        ids["trakt"] = str(trakt)
    return ids


def _set_resume(tag: Any, percent: float | None, runtime_minutes: int) -> None:
    if not percent or percent <= 0:
        return
    total = runtime_minutes * 60.0 if runtime_minutes else NOMINAL_RUNTIME
    tag.setResumePoint(round(total * min(percent, 100.0) / 100.0, 1), total)


def meta_entry(meta: Meta, overlay: Overlay | None) -> tuple[str, Any, bool]:
    """(url, ListItem, is_folder) for one catalog title: a playable movie or a show folder."""
    overlay = overlay or Overlay(meta.media_type)
    item = kodi.list_item(meta.name)
    tag = item.getVideoInfoTag()
    tag.setTitle(meta.name)
    if meta.year:
        tag.setYear(meta.year)
    if meta.description:
        tag.setPlot(meta.description)
    if meta.genres:
        tag.setGenres(meta.genres)
    tag.setMediaType("movie" if meta.media_type == "movie" else "tvshow")
    tag.setPlaycount(1 if overlay.watched else 0)
    ids = _unique_ids(meta.imdb_id or overlay.imdb_id, meta.trakt_id or overlay.trakt_id)
    if ids:
        tag.setUniqueIDs(ids, "imdb" if "imdb" in ids else "trakt")
    if meta.poster:
        item.setArt({"poster": meta.poster, "thumb": meta.poster})
    item.addContextMenuItems(_context_menu(meta.media_type, meta.id, overlay.watched, overlay.watchlisted))
    if meta.media_type == "movie":
        _set_resume(tag, overlay.resume_percent, meta.runtime_minutes)
        item.setProperty("IsPlayable", "true")
        return url_for("play", type="movie", id=meta.id), item, False
    if overlay.has_metadata:
        item.setProperty("TotalEpisodes", str(overlay.aired))
        item.setProperty("WatchedEpisodes", str(overlay.completed))
        item.setProperty("UnWatchedEpisodes", str(max(0, overlay.aired - overlay.completed)))
    return url_for("seasons", id=meta.id), item, True


def folder_entry(label: str, url: str, icon: str = "DefaultFolder.png") -> tuple[str, Any, bool]:
    """(url, ListItem, True) for a plain folder."""
    item = kodi.list_item(label)
    item.setArt({"icon": icon, "thumb": icon})
    return url, item, True


# --- episodes ---------------------------------------------------------------------------------


@dataclass
class EpisodeMarks:
    """Watched plays and resume points of one show's episodes (reset_at already applied)."""

    plays: dict[tuple[int, int], int]
    resume: dict[tuple[int, int], float]

    def watched(self, season: int, episode: int) -> bool:
        """True when the episode counts as played."""
        return self.plays.get((season, episode), 0) > 0


_EPISODES_SQL = """
SELECT 'w', we.season, we.number, we.plays, we.last_watched_at, ws.reset_at
FROM shows s JOIN watched_episodes we ON we.show_trakt_id = s.trakt_id
LEFT JOIN watched_shows ws ON ws.show_trakt_id = s.trakt_id
WHERE s.imdb_id = ? OR s.trakt_id = ?
UNION ALL
SELECT 'p', p.season, p.number, NULL, p.progress, p.paused_at
FROM shows s JOIN playback p ON p.media_type = 'episode' AND p.show_trakt_id = s.trakt_id
WHERE s.imdb_id = ? OR s.trakt_id = ?
"""


def episode_marks(db: Any, show_id: str) -> EpisodeMarks:
    """Plays and resume points of a show's episodes (ONE query); plays before reset_at do not count."""
    marks = EpisodeMarks({}, {})
    if db is None:
        return marks
    imdb = show_id if show_id.startswith("tt") else ""
    trakt = int(show_id[6:]) if show_id.startswith("trakt:") and show_id[6:].isdigit() else -1
    try:
        rows = db.query(_EPISODES_SQL, (imdb, trakt, imdb, trakt))
    except sqlite3.Error as exc:
        kodi.log(f"episode marks query failed: {exc}", "warning")
        note_if_damaged(exc)
        return marks
    for kind, season, number, plays, value, extra in rows:
        key = (int(season), int(number))
        if kind == "w":
            reset_at = extra
            if reset_at and (value is None or value < reset_at):
                continue  # watched before the rewatch began
            marks.plays[key] = max(marks.plays.get(key, 0), int(plays or 0))
        else:
            marks.resume[key] = float(value)
    return marks


def episode_entry(show: dict, video: dict, marks: EpisodeMarks) -> tuple[str, Any, bool]:
    """(url, ListItem, False) for one playable episode with its watched mark and resume point."""
    season, number = video["season"], video["episode"]
    title = str(video.get("title") or video.get("name") or kodi.localize(30011).format(number=number))
    item = kodi.list_item(f"{number}. {title}")
    tag = item.getVideoInfoTag()
    tag.setTitle(title)
    tag.setTvShowTitle(str(show.get("name") or ""))
    tag.setSeason(season)
    tag.setEpisode(number)
    tag.setMediaType("episode")
    if video.get("released"):
        tag.setFirstAired(str(video["released"])[:10])
    watched = marks.watched(season, number)
    tag.setPlaycount(1 if watched else 0)
    _set_resume(tag, marks.resume.get((season, number)), 0)
    video_id = str(video.get("id") or f"{show.get('id')}:{season}:{number}")
    if video.get("id"):
        tag.setUniqueIDs({"stremio": video_id}, "stremio")
    item.setProperty("IsPlayable", "true")
    item.addContextMenuItems(_context_menu("episode", video_id, watched, None))
    return url_for("play", type="series", id=video_id), item, False
