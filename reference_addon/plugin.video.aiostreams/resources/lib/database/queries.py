"""Reads from the mirror: point lookups, one-query batch overlays and the inputs of show progress."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from database.connection import Database

BATCH_SIZE = 100


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


def _chunks(items: Sequence[str], size: int = BATCH_SIZE) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def watched_imdb_ids(db: Database, movie_ids: Sequence[str], show_ids: Sequence[str]) -> set[tuple[str, str]]:
    """Which of the given movies/shows have at least one play: one query per page of 100 ids."""
    found: set[tuple[str, str]] = set()
    pairs = [("movie", imdb) for imdb in movie_ids] + [("show", imdb) for imdb in show_ids]
    for page in _chunks(pairs):
        movies = [imdb for kind, imdb in page if kind == "movie"] or [""]
        shows = [imdb for kind, imdb in page if kind == "show"] or [""]
        sql = (
            "SELECT 'movie', m.imdb_id FROM movies m JOIN watched_movies w ON w.movie_trakt_id = m.trakt_id "
            f"WHERE m.imdb_id IN ({', '.join('?' for _ in movies)}) AND w.plays > 0 "
            "UNION ALL "
            "SELECT 'show', s.imdb_id FROM shows s JOIN watched_shows w ON w.show_trakt_id = s.trakt_id "
            f"WHERE s.imdb_id IN ({', '.join('?' for _ in shows)}) AND w.plays > 0"
        )
        found.update((kind, imdb) for kind, imdb in db.query(sql, [*movies, *shows]))
    return found


def watchlisted_imdb_ids(
    db: Database, movie_ids: Sequence[str], show_ids: Sequence[str]
) -> set[tuple[str, str]]:
    """Which of the given movies/shows are on the watchlist: one query per page of 100 ids."""
    found: set[tuple[str, str]] = set()
    pairs = [("movie", imdb) for imdb in movie_ids] + [("show", imdb) for imdb in show_ids]
    for page in _chunks(pairs):
        movies = [imdb for kind, imdb in page if kind == "movie"] or [""]
        shows = [imdb for kind, imdb in page if kind == "show"] or [""]
        sql = (
            "SELECT 'movie', m.imdb_id FROM movies m JOIN watchlist w "
            "ON w.media_type = 'movie' AND w.trakt_id = m.trakt_id "
            f"WHERE m.imdb_id IN ({', '.join('?' for _ in movies)}) "
            "UNION ALL "
            "SELECT 'show', s.imdb_id FROM shows s JOIN watchlist w "
            "ON w.media_type = 'show' AND w.trakt_id = s.trakt_id "
            f"WHERE s.imdb_id IN ({', '.join('?' for _ in shows)})"
        )
        found.update((kind, imdb) for kind, imdb in db.query(sql, [*movies, *shows]))
    return found


def show_trakt_id(db: Database, imdb_id: str) -> int | None:
    """The trakt id of a show known to the mirror by imdb id."""
    rows = db.query("SELECT trakt_id FROM shows WHERE imdb_id = ? ORDER BY trakt_id LIMIT 1", (imdb_id,))
    return rows[0][0] if rows else None


def has_metadata(db: Database, show_id: int) -> bool:
    """True when the show's seasons and episodes have been fetched."""
    return bool(db.query("SELECT 1 FROM show_metadata WHERE show_trakt_id = ?", (show_id,)))


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
    for number, trakt, tvdb, tmdb, title in db.query(
        "SELECT number, trakt_id, tvdb_id, tmdb_id, title FROM seasons WHERE show_trakt_id = ?", (show_id,)
    ):
        inputs.seasons[number] = (trakt, tvdb, tmdb, title)
    inputs.episodes = db.query(
        "SELECT season, number, title, trakt_id, tvdb_id, imdb_id, tmdb_id, first_aired FROM episodes "
        "WHERE show_trakt_id = ? ORDER BY season, number",
        (show_id,),
    )
    for season, number, plays, watched_at in db.query(
        "SELECT season, number, plays, last_watched_at FROM watched_episodes WHERE show_trakt_id = ?",
        (show_id,),
    ):
        inputs.plays[(season, number)] = (plays, watched_at)
    for number, trakt, tvdb, tmdb in db.query(
        "SELECT number, trakt_id, tvdb_id, tmdb_id FROM hidden_seasons WHERE show_trakt_id = ?", (show_id,)
    ):
        inputs.hidden_seasons[number] = (trakt, tvdb, tmdb)
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
