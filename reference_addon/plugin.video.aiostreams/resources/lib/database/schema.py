"""The mirror's schema as ordered steps: step N brings a database from user_version N-1 to N."""

from __future__ import annotations

# Version 1: identities, watched state, watchlist and per-area activity timestamps.
V1 = """
CREATE TABLE shows (
    trakt_id INTEGER PRIMARY KEY,
    imdb_id TEXT,
    tmdb_id INTEGER,
    tvdb_id INTEGER,
    slug TEXT,
    title TEXT,
    year INTEGER
);
CREATE INDEX idx_shows_imdb ON shows(imdb_id);

CREATE TABLE seasons (
    show_trakt_id INTEGER NOT NULL REFERENCES shows(trakt_id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    trakt_id INTEGER,
    tvdb_id INTEGER,
    tmdb_id INTEGER,
    title TEXT,
    PRIMARY KEY (show_trakt_id, number)
) WITHOUT ROWID;

CREATE TABLE episodes (
    show_trakt_id INTEGER NOT NULL REFERENCES shows(trakt_id) ON DELETE CASCADE,
    season INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title TEXT,
    trakt_id INTEGER,
    tvdb_id INTEGER,
    imdb_id TEXT,
    tmdb_id INTEGER,
    first_aired TEXT,
    PRIMARY KEY (show_trakt_id, season, number)
) WITHOUT ROWID;

CREATE TABLE watched_shows (
    show_trakt_id INTEGER PRIMARY KEY REFERENCES shows(trakt_id) ON DELETE CASCADE,
    plays INTEGER NOT NULL,
    last_watched_at TEXT,
    last_updated_at TEXT,
    reset_at TEXT
);

CREATE TABLE watched_episodes (
    show_trakt_id INTEGER NOT NULL REFERENCES shows(trakt_id) ON DELETE CASCADE,
    season INTEGER NOT NULL,
    number INTEGER NOT NULL,
    plays INTEGER NOT NULL,
    last_watched_at TEXT,
    PRIMARY KEY (show_trakt_id, season, number)
) WITHOUT ROWID;

CREATE TABLE movies (
    trakt_id INTEGER PRIMARY KEY,
    imdb_id TEXT,
    tmdb_id INTEGER,
    slug TEXT,
    title TEXT,
    year INTEGER
);
CREATE INDEX idx_movies_imdb ON movies(imdb_id);

CREATE TABLE watched_movies (
    movie_trakt_id INTEGER PRIMARY KEY REFERENCES movies(trakt_id) ON DELETE CASCADE,
    plays INTEGER NOT NULL,
    last_watched_at TEXT,
    last_updated_at TEXT
);

CREATE TABLE watchlist (
    media_type TEXT NOT NULL CHECK (media_type IN ('movie', 'show')),
    trakt_id INTEGER NOT NULL,
    rank INTEGER,
    listed_at TEXT,
    list_item_id INTEGER,
    PRIMARY KEY (media_type, trakt_id)
) WITHOUT ROWID;

CREATE TABLE sync_state (
    area TEXT PRIMARY KEY,
    remote_at TEXT,
    synced_at TEXT,
    status TEXT,
    error TEXT
);
"""

# Version 2: playback, hidden progress items, metadata freshness and the cross-process locks.
V2 = """
CREATE TABLE playback (
    id INTEGER PRIMARY KEY,
    media_type TEXT NOT NULL CHECK (media_type IN ('movie', 'episode')),
    movie_trakt_id INTEGER,
    show_trakt_id INTEGER,
    season INTEGER,
    number INTEGER,
    progress REAL NOT NULL,
    paused_at TEXT
);
CREATE INDEX idx_playback_movie ON playback(movie_trakt_id);
CREATE INDEX idx_playback_episode ON playback(show_trakt_id, season, number);

CREATE TABLE hidden_shows (
    show_trakt_id INTEGER PRIMARY KEY,
    hidden_at TEXT
);

CREATE TABLE hidden_seasons (
    show_trakt_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    trakt_id INTEGER,
    tvdb_id INTEGER,
    tmdb_id INTEGER,
    hidden_at TEXT,
    PRIMARY KEY (show_trakt_id, number)
) WITHOUT ROWID;

CREATE TABLE show_metadata (
    show_trakt_id INTEGER PRIMARY KEY REFERENCES shows(trakt_id) ON DELETE CASCADE,
    fetched_at TEXT NOT NULL,
    episode_count INTEGER NOT NULL
);

CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at REAL NOT NULL
);
"""

# Version 3: progress resets of shows that may have no plays left (Trakt's hidden section
# `progress_watched_reset`); the hidden area is marked stale so the next sync fills the table.
V3 = """
CREATE TABLE show_resets (
    show_trakt_id INTEGER PRIMARY KEY,
    reset_at TEXT NOT NULL
);
UPDATE sync_state SET remote_at = NULL WHERE area = 'hidden'
"""

# Version 4: the incremental watched read maps Trakt's min map through the episode Trakt ids kept in
# `episodes` (from /shows/{id}/seasons). Add-on versions before it read that map's season and episode ids
# as numbers, which on real Trakt wrote rows such as season 95726, episode 1498291: the watched shows
# are marked stale, so the next sync re-reads them and replaces every such row.
V4 = """
UPDATE sync_state SET remote_at = NULL WHERE area = 'watched_shows'
"""

STEPS: tuple[str, ...] = (V1, V2, V3, V4)

# Every table that holds Trakt data (cleared by "clear"); locks are process state, not Trakt data.
TRAKT_DATA_TABLES: tuple[str, ...] = (
    "playback",
    "show_resets",
    "hidden_seasons",
    "hidden_shows",
    "watchlist",
    "watched_movies",
    "watched_episodes",
    "watched_shows",
    "show_metadata",
    "episodes",
    "seasons",
    "movies",
    "shows",
)
