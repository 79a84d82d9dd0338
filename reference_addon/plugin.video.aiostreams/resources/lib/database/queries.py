"""Reads from the mirror: point lookups, one-query batch overlays and the inputs of show progress."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from database.connection import Database

BATCH_SIZE = 100


# One title's status and whether its area was ever synced, in one statement (the warm lookups'
# whole cost is then one step of one cached statement). Column 1: synced; column 2: found.
_SYNCED = "SELECT EXISTS (SELECT 1 FROM sync_state WHERE area = '{area}' AND remote_at IS NOT NULL), "
WATCHED_ONE = {
    "movie": _SYNCED.format(area="watched_movies")
    + "EXISTS (SELECT 1 FROM movies m JOIN watched_movies w ON w.movie_trakt_id = m.trakt_id "
    "WHERE m.imdb_id = ? AND w.plays > 0)",
    "show": _SYNCED.format(area="watched_shows")
    + "EXISTS (SELECT 1 FROM shows s JOIN watched_shows w ON w.show_trakt_id = s.trakt_id "
    "WHERE s.imdb_id = ? AND w.plays > 0)",
}
WATCHLISTED_ONE = {
    "movie": _SYNCED.format(area="watchlist_movies")
    + "EXISTS (SELECT 1 FROM movies m CROSS JOIN watchlist w ON w.media_type = 'movie' AND w.trakt_id = m.trakt_id "
    "WHERE m.imdb_id = ?)",
    "show": _SYNCED.format(area="watchlist_shows")
    + "EXISTS (SELECT 1 FROM shows s CROSS JOIN watchlist w ON w.media_type = 'show' AND w.trakt_id = s.trakt_id "
    "WHERE s.imdb_id = ?)",
}


def area_synced(db: Database, area: str) -> bool:
    """True once an area has been synced successfully at least once (its rows can answer)."""
    rows = db.query("SELECT 1 FROM sync_state WHERE area = ? AND remote_at IS NOT NULL", (area,))
    return bool(rows)


def areas_synced(db: Database, areas: Sequence[str]) -> bool:
    """True when every named area has been synced at least once."""
    marks = ", ".join("?" for _ in areas)
    rows = db.query(
        f"SELECT COUNT(*) FROM sync_state WHERE area IN ({marks}) AND remote_at IS NOT NULL", areas
    )
    return rows[0][0] == len(set(areas))


# Batch overlays: one UNION ALL statement per page of up to BATCH_SIZE titles, movies then shows.
# A side with no ids gets '' (no imdb id is empty), so each page is one statement of one shape.
_WATCHED_PAGE = (
    "SELECT 'movie', m.imdb_id FROM movies m JOIN watched_movies w ON w.movie_trakt_id = m.trakt_id "
    "WHERE m.imdb_id IN ({movies}) AND w.plays > 0 "
    "UNION ALL "
    "SELECT 'show', s.imdb_id FROM shows s JOIN watched_shows w ON w.show_trakt_id = s.trakt_id "
    "WHERE s.imdb_id IN ({shows}) AND w.plays > 0"
)
# CROSS JOIN keeps SQLite's join order (titles by the imdb index, then the watchlist's key): left
# to itself the planner walks the whole watchlist instead, ~7x slower for 70 movies.
_WATCHLIST_PAGE = (
    "SELECT 'movie', m.imdb_id FROM movies m CROSS JOIN watchlist w "
    "ON w.media_type = 'movie' AND w.trakt_id = m.trakt_id "
    "WHERE m.imdb_id IN ({movies}) "
    "UNION ALL "
    "SELECT 'show', s.imdb_id FROM shows s CROSS JOIN watchlist w "
    "ON w.media_type = 'show' AND w.trakt_id = s.trakt_id "
    "WHERE s.imdb_id IN ({shows})"
)


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _pages(
    movie_ids: Sequence[str], show_ids: Sequence[str]
) -> Iterable[tuple[Sequence[str], Sequence[str]]]:
    """(movies, shows) per page of BATCH_SIZE titles, movies first, as the titles were given."""
    if len(movie_ids) + len(show_ids) <= BATCH_SIZE:  # a catalog page: no re-pairing needed
        yield movie_ids, show_ids
        return
    pairs = [("movie", imdb) for imdb in movie_ids] + [("show", imdb) for imdb in show_ids]
    for start in range(0, len(pairs), BATCH_SIZE):
        page = pairs[start : start + BATCH_SIZE]
        yield (
            [imdb for kind, imdb in page if kind == "movie"],
            [imdb for kind, imdb in page if kind == "show"],
        )


def _batched(
    db: Database, template: str, movie_ids: Sequence[str], show_ids: Sequence[str]
) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for movies, shows in _pages(movie_ids, show_ids):
        movies, shows = movies or [""], shows or [""]
        sql = template.format(movies=_marks(len(movies)), shows=_marks(len(shows)))
        found.update(db.query(sql, [*movies, *shows]))  # rows are (kind, imdb_id) tuples already
    return found


def watched_imdb_ids(db: Database, movie_ids: Sequence[str], show_ids: Sequence[str]) -> set[tuple[str, str]]:
    """Which of the given movies/shows have at least one play: one query per page of 100 ids."""
    return _batched(db, _WATCHED_PAGE, movie_ids, show_ids)


def watchlisted_imdb_ids(
    db: Database, movie_ids: Sequence[str], show_ids: Sequence[str]
) -> set[tuple[str, str]]:
    """Which of the given movies/shows are on the watchlist: one query per page of 100 ids."""
    return _batched(db, _WATCHLIST_PAGE, movie_ids, show_ids)


def show_trakt_id(db: Database, imdb_id: str) -> int | None:
    """The trakt id of a show known to the mirror by imdb id."""
    rows = db.query("SELECT trakt_id FROM shows WHERE imdb_id = ? ORDER BY trakt_id LIMIT 1", (imdb_id,))
    return rows[0][0] if rows else None


def has_metadata(db: Database, show_id: int) -> bool:
    """True when the show's seasons and episodes have been fetched."""
    return bool(db.query("SELECT 1 FROM show_metadata WHERE show_trakt_id = ?", (show_id,)))


def progress_gate(db: Database, areas: Sequence[str], imdb_id: str) -> tuple[bool, int | None, bool]:
    """(every area synced, the show's trakt id or None, its seasons fetched) in one statement.

    The same three answers as areas_synced, show_trakt_id and has_metadata, for one progress read."""
    marks = ", ".join("?" * len(areas))
    synced, show_id, has_meta = db.query_one(
        f"SELECT (SELECT COUNT(*) FROM sync_state WHERE area IN ({marks}) AND remote_at IS NOT NULL), "
        "s.id, EXISTS (SELECT 1 FROM show_metadata WHERE show_trakt_id = s.id) "
        "FROM (SELECT (SELECT trakt_id FROM shows WHERE imdb_id = ? ORDER BY trakt_id LIMIT 1) AS id) s",
        (*areas, imdb_id),
    )
    return synced == len(set(areas)), show_id, bool(has_meta)


@dataclass
class ProgressInputs:
    """Everything `progress.compute_progress` needs about one show, read in one go."""

    show_trakt_id: int
    reset_at: str | None = None
    seasons: dict[int, tuple] = field(default_factory=dict)  # number -> (trakt, tvdb, tmdb, title)
    episodes: list[tuple] = field(
        default_factory=list
    )  # (season, number, title, trakt, tvdb, imdb, tmdb, aired)
    plays: dict[tuple[int, int], tuple[int, str | None]] = field(default_factory=dict)
    hidden_seasons: dict[int, tuple] = field(default_factory=dict)  # number -> (trakt, tvdb, tmdb)


def progress_inputs(db: Database, show_id: int) -> ProgressInputs:
    """Read one show's seasons, episodes, plays, reset_at and hidden seasons."""
    inputs = ProgressInputs(show_trakt_id=show_id)
    # The newest of the two sources: a show whose plays were all removed is gone from watched_shows
    # but keeps its reset on Trakt, and an incremental watched sync keeps the stored reset_at.
    reset = db.query(
        "SELECT MAX(reset_at) FROM (SELECT reset_at FROM watched_shows WHERE show_trakt_id = ?"
        " UNION ALL SELECT reset_at FROM show_resets WHERE show_trakt_id = ?)",
        (show_id, show_id),
    )
    inputs.reset_at = reset[0][0] if reset else None
    inputs.seasons = {
        number: (trakt, tvdb, tmdb, title)
        for number, trakt, tvdb, tmdb, title in db.query(
            "SELECT number, trakt_id, tvdb_id, tmdb_id, title FROM seasons WHERE show_trakt_id = ?",
            (show_id,),
        )
    }
    inputs.episodes = db.query(
        "SELECT season, number, title, trakt_id, tvdb_id, imdb_id, tmdb_id, first_aired FROM episodes "
        "WHERE show_trakt_id = ? ORDER BY season, number",
        (show_id,),
    )
    inputs.plays = {
        (season, number): (plays, watched_at)
        for season, number, plays, watched_at in db.query(
            "SELECT season, number, plays, last_watched_at FROM watched_episodes WHERE show_trakt_id = ?",
            (show_id,),
        )
    }
    inputs.hidden_seasons = {
        number: (trakt, tvdb, tmdb)
        for number, trakt, tvdb, tmdb in db.query(
            "SELECT number, trakt_id, tvdb_id, tmdb_id FROM hidden_seasons WHERE show_trakt_id = ?",
            (show_id,),
        )
    }
    return inputs


def next_up_candidates(db: Database) -> list[tuple[int, str | None]]:
    """Watched shows not hidden from progress, most recently watched first: (trakt id, last_watched_at)."""
    return db.query(
        "SELECT ws.show_trakt_id, ws.last_watched_at FROM watched_shows ws "
        "WHERE ws.show_trakt_id NOT IN (SELECT show_trakt_id FROM hidden_shows) "
        "ORDER BY ws.last_watched_at DESC, ws.show_trakt_id"
    )


def show_summary(db: Database, show_id: int) -> dict | None:
    """A show in Trakt's minimal form ({title, year, ids})."""
    rows = db.query(
        "SELECT title, year, trakt_id, slug, tvdb_id, imdb_id, tmdb_id FROM shows WHERE trakt_id = ?",
        (show_id,),
    )
    if not rows:
        return None
    title, year, trakt, slug, tvdb, imdb, tmdb = rows[0]
    return {
        "title": title,
        "year": year,
        "ids": {"trakt": trakt, "slug": slug, "tvdb": tvdb, "imdb": imdb, "tmdb": tmdb},
    }
