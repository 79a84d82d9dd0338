"""Public API: watched / watchlist / progress status, from the SQLite mirror, else from the Trakt API.

Every answer reads the mirror first. When the mirror cannot answer (no database yet, unreadable or
corrupt file, locked past the busy timeout, area never synced) the same question goes to Trakt
and comes back in the same shape. Configure once per process with `configure(...)`; inside Kodi,
`aiostreams.kodi.configure_trakt_api()` (the KODI_CONFIG_HOOK) does it from the add-on settings.
"""

from __future__ import annotations

import importlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiostreams import errors
from aiostreams.progress import show_progress
from database import queries
from database.connection import ConnectionFactory, Database

# Module and function that configure this API from Kodi settings when nobody called configure().
KODI_CONFIG_HOOK = ("aiostreams.kodi", "configure_trakt_api")
MEDIA_TYPES = {"movie": "movie", "show": "show", "series": "show"}
PROGRESS_KEYS = (
    "aired",
    "completed",
    "last_watched_at",
    "reset_at",
    "seasons",
    "hidden_seasons",
    "next_episode",
    "last_episode",
)

log = logging.getLogger("aiostreams.trakt")


class NotConfigured(RuntimeError):
    """Neither configure() nor the Kodi hook provided a database path and a client."""


class MirrorUnavailable(Exception):
    """The mirror cannot answer this question; the API path must."""


class _Config:
    """What one process needs to answer: where the mirror is and how to reach Trakt."""

    def __init__(
        self,
        db_path: str | None,
        client_factory: Callable[[], Any] | None,
        clock: Callable[[], float],
        busy_timeout_ms: int,
    ):
        self.db_path = db_path
        self.client_factory = client_factory
        self.clock = clock
        self.connections = ConnectionFactory(busy_timeout_ms)
        self.client: Any = None
        # The open mirror, kept here so a warm lookup skips the factory's path normalising and lock.
        # Only for an absolute path: a relative one must keep resolving against the current directory.
        self.db: Database | None = None
        self._keep_db = bool(db_path) and os.path.isabs(db_path)

    def discard_db(self) -> None:
        """Close and forget the mirror connection (after an error, or a file swap)."""
        self.db = None
        self.connections.discard(self.db_path or "")

    def get_client(self) -> Any:
        if self.client_factory is None:
            raise NotConfigured("no Trakt client configured")
        if self.client is None:
            self.client = self.client_factory()
        return self.client


_config: _Config | None = None  # one per process, like Kodi's own add-on state; reset() for tests


def configure(
    db_path: str | None = None,
    client_factory: Callable[[], Any] | None = None,
    clock: Callable[[], float] = time.time,
    busy_timeout_ms: int = 2000,
) -> None:
    """Set the mirror path and the TraktClient factory used by every call in this process."""
    global _config
    reset()
    _config = _Config(db_path, client_factory, clock, busy_timeout_ms)


def reset() -> None:
    """Forget the configuration and close the mirror connection."""
    global _config
    if _config is not None:
        _config.connections.close_all()
    _config = None


def _get_config() -> _Config:
    if _config is None:
        module_name, function_name = KODI_CONFIG_HOOK
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise NotConfigured(
                "trakt.configure(db_path=..., client_factory=...) was not called and Kodi is not available"
            ) from None
        getattr(module, function_name)()
    if _config is None:
        raise NotConfigured(f"{module_name}.{function_name}() did not configure the Trakt API")
    return _config


def _kind(media_type: str) -> str:
    kind = MEDIA_TYPES.get(media_type) if isinstance(media_type, str) else None
    if kind is None:
        raise ValueError(f"media_type must be 'movie', 'show' or 'series', not {media_type!r}")
    return kind


def _check_imdb(imdb_id: str) -> str:
    if isinstance(imdb_id, str):
        stripped = imdb_id.strip()
        if stripped:
            return stripped
    raise ValueError(f"imdb_id must be a non-empty string, not {imdb_id!r}")


def _mirror(config: _Config) -> Database:
    db = config.db
    if db is not None:
        return db
    if not config.db_path:
        raise MirrorUnavailable("no database path configured")
    try:
        db = config.connections.get(config.db_path, create=False)
    except (OSError, sqlite3.Error) as exc:
        config.discard_db()
        raise MirrorUnavailable(f"{exc.__class__.__name__}: {exc}") from None
    if config._keep_db:
        config.db = db
    return db


def _from_mirror(config: _Config, areas: tuple[str, ...], read: Callable[[Database], Any]) -> Any:
    db = _mirror(config)
    try:
        if not queries.areas_synced(db, areas):
            raise MirrorUnavailable(f"area(s) {', '.join(areas)} never synced")
        return read(db)
    except sqlite3.Error as exc:  # corrupt page, locked past busy_timeout, file swapped under us
        config.discard_db()
        raise MirrorUnavailable(f"{exc.__class__.__name__}: {exc}") from None


def _point_from_mirror(config: _Config, sql: str, imdb_id: str, area: str) -> bool:
    """One title's status in one statement that also says whether its area was ever synced."""
    db = _mirror(config)
    try:
        synced, found = db.query_one(sql, (imdb_id,))
    except sqlite3.Error as exc:  # the same failures as _from_mirror, the same way out
        config.discard_db()
        raise MirrorUnavailable(f"{exc.__class__.__name__}: {exc}") from None
    if not synced:
        raise MirrorUnavailable(f"area(s) {area} never synced")
    return bool(found)


# --- booleans ---------------------------------------------------------------------------------


def _split(
    items: Iterable[tuple[str, str]],
) -> tuple[list[tuple[tuple[str, str], tuple[str, str]]], list[str], list[str]]:
    """((pair with a clean id, (kind, id)) per item, movie ids, show ids): every id checked before any type.

    The checks of _check_imdb and _kind, inlined: on a catalog page of 100 titles the two calls
    per title were a tenth of the whole page's cost."""
    pairs = []
    for media_type, imdb in items:
        stripped = imdb.strip() if isinstance(imdb, str) else ""
        if not stripped:
            _check_imdb(imdb)  # raises its ValueError
        pairs.append((media_type, stripped))
    keyed = []
    movies: list[str] = []
    shows: list[str] = []
    for pair in pairs:
        media_type, imdb = pair
        kind = MEDIA_TYPES.get(media_type) if isinstance(media_type, str) else None
        if kind is None:
            _kind(media_type)  # raises its ValueError
        keyed.append((pair, (kind, imdb)))
        (movies if kind == "movie" else shows).append(imdb)
    return keyed, movies, shows


def _areas(prefix: str, movies: list[str], shows: list[str]) -> tuple[str, ...]:
    return tuple(f"{prefix}_{plural}" for plural, ids in (("movies", movies), ("shows", shows)) if ids)


def watched_many(items: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bool]:
    """Watched status of many (media_type, imdb_id) pairs: one mirror query per 100 items."""
    config = _get_config()
    keyed, movies, shows = _split(items)
    try:
        found = _from_mirror(
            config, _areas("watched", movies, shows), lambda db: queries.watched_imdb_ids(db, movies, shows)
        )
    except MirrorUnavailable as why:
        log.info("watched status from the Trakt API (%s)", why)
        found = _api_found(config, "watched", movies, shows)
    return {pair: key in found for pair, key in keyed}


def watchlist_many(items: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bool]:
    """Watchlist status of many (media_type, imdb_id) pairs: one mirror query per 100 items."""
    config = _get_config()
    keyed, movies, shows = _split(items)
    try:
        found = _from_mirror(
            config,
            _areas("watchlist", movies, shows),
            lambda db: queries.watchlisted_imdb_ids(db, movies, shows),
        )
    except MirrorUnavailable as why:
        log.info("watchlist status from the Trakt API (%s)", why)
        found = _api_found(config, "watchlist", movies, shows)
    return {pair: key in found for pair, key in keyed}


# The single-title paths answer exactly as watched_many / watchlist_many would for a list of one,
# but in one statement with no batching around it: a warm lookup is then little more than the bare
# indexed read (perf/README.md, "limit"). Validation order and fallback are those of the batch calls.


def is_watched(media_type: str, imdb_id: str) -> bool:
    """Movie: at least one play. Show: listed in Trakt's watched shows (at least one play)."""
    return _point_lookup("watched", queries.WATCHED_ONE, media_type, imdb_id)


def is_in_watchlist(media_type: str, imdb_id: str) -> bool:
    """Whether the movie or show is on the user's Trakt watchlist."""
    return _point_lookup("watchlist", queries.WATCHLISTED_ONE, media_type, imdb_id)


def _point_lookup(question: str, statements: dict[str, str], media_type: str, imdb_id: str) -> bool:
    """One title from the mirror (one statement: synced area and row), else from the API."""
    config = _get_config()
    imdb_id = _check_imdb(imdb_id)
    kind = _kind(media_type)
    area = f"{question}_{'movies' if kind == 'movie' else 'shows'}"
    try:
        return _point_from_mirror(config, statements[kind], imdb_id, area)
    except MirrorUnavailable as why:
        log.info("%s status from the Trakt API (%s)", question, why)
    return (kind, imdb_id) in _api_found(config, question, *_one(kind, imdb_id))


def _one(kind: str, imdb_id: str) -> tuple[list[str], list[str]]:
    return ([imdb_id], []) if kind == "movie" else ([], [imdb_id])


def _api_found(config: _Config, what: str, movies: list[str], shows: list[str]) -> set[tuple[str, str]]:
    """The same answer from Trakt: read the user's list and look the ids up in it."""
    found: set[tuple[str, str]] = set()
    try:
        client = config.get_client()
        for kind, plural, wanted in (("movie", "movies", movies), ("show", "shows", shows)):
            if not wanted:
                continue
            if what == "watched":
                params = {"extended": "noseasons"} if kind == "show" else None
                rows = client.get_all(f"/sync/watched/{plural}", params)
                listed = {_imdb(row.get(kind)) for row in rows if (row.get("plays") or 0) > 0}
            else:
                rows = client.get_all(f"/sync/watchlist/{plural}/rank/asc")
                listed = {_imdb(row.get(kind)) for row in rows if row.get("type", kind) == kind}
            found.update((kind, imdb) for imdb in wanted if imdb in listed)
    except (errors.TraktError, NotConfigured, AttributeError, TypeError) as exc:
        log.warning("Trakt %s status unavailable: %s", what, exc)
    return found


def _imdb(item: Any) -> str | None:
    ids = item.get("ids") if isinstance(item, dict) else None
    return ids.get("imdb") if isinstance(ids, dict) else None


# --- progress ---------------------------------------------------------------------------------


PROGRESS_AREAS = ("watched_shows", "hidden")


def get_show_progress(imdb_id: str) -> dict | None:
    """Trakt's GET /shows/{id}/progress/watched answer (default parameters); None when unknown."""
    config = _get_config()
    imdb_id = _check_imdb(imdb_id)
    try:
        return _mirror_progress(config, imdb_id)
    except MirrorUnavailable as why:
        log.info("progress of %s from the Trakt API (%s)", imdb_id, why)
    return _api_progress(config, imdb_id)


def _mirror_progress(config: _Config, imdb_id: str) -> dict:
    """The mirror's answer; the synced check, the show's id and whether its seasons are in: one statement."""
    db = _mirror(config)
    try:
        synced, show_id, has_metadata = queries.progress_gate(db, PROGRESS_AREAS, imdb_id)
        if not synced:
            raise MirrorUnavailable(f"area(s) {', '.join(PROGRESS_AREAS)} never synced")
        if show_id is None:
            raise MirrorUnavailable(f"show {imdb_id} is not in the mirror")
        if not has_metadata:
            _fetch_metadata_now(config, db, show_id)
        return show_progress(db, show_id, config.clock())
    except sqlite3.Error as exc:  # as in _from_mirror
        config.discard_db()
        raise MirrorUnavailable(f"{exc.__class__.__name__}: {exc}") from None


def _fetch_metadata_now(config: _Config, db: Database, show_id: int) -> None:
    """First progress request for a show: fetch its seasons now (one request) and keep them."""
    from aiostreams.sync import SyncEngine  # the sync machinery is only needed on this path

    try:
        engine = SyncEngine(db, config.get_client(), config.clock)
        engine.sync_show_metadata(show_id)
    except (errors.TraktError, NotConfigured, KeyError, TypeError, ValueError) as exc:
        raise MirrorUnavailable(f"seasons of show {show_id} unavailable: {exc}") from None


def _api_progress(config: _Config, imdb_id: str) -> dict | None:
    try:
        answer = config.get_client().get(f"/shows/{imdb_id}/progress/watched")
    except errors.NotFoundError:
        return None
    except (errors.TraktError, NotConfigured) as exc:
        log.warning("Trakt progress of %s unavailable: %s", imdb_id, exc)
        return None
    if not isinstance(answer, dict):
        return None
    # Trakt's keys, in Trakt's order, present even when Trakt left one out.
    shaped = {key: answer.get(key) for key in PROGRESS_KEYS}
    shaped["seasons"] = shaped["seasons"] or []
    shaped["hidden_seasons"] = shaped["hidden_seasons"] or []
    return shaped
