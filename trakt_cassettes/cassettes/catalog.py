"""The committed cassettes: how each scenario is built and recorded, and the INDEX.md generator."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trakt_cassettes.config import CASSETTE_DIR, CASSETTE_SUFFIX
from trakt_cassettes.drivers import load_driver
from trakt_cassettes.project_config import find_project_config
from trakt_cassettes.record import RecordResult, record
from trakt_cassettes.yaml_loader import safe_load

INDEX_PATH = CASSETTE_DIR / "INDEX.md"
NOW = "2026-11-01T12:00:00Z"
BREAKING_BAD = "tt0903747"


def small_library() -> dict:
    """The base account: two shows (specials, an unaired episode), two movies, a watchlist and a resume point."""
    return {
        "now": NOW,
        "user": {"username": "alice", "access_token": "fake-token", "refresh_token": "fake-refresh"},
        "app": {"client_id": "standin-client-id", "client_secret": "standin-client-secret"},
        "shows": [
            {"title": "Breaking Bad", "year": 2008, "ids": {"trakt": 1, "slug": "breaking-bad", "imdb": BREAKING_BAD, "tmdb": 1396, "tvdb": 81189},
             "seasons": [{"number": 0, "episodes": 2, "first_aired": "2009-02-17T02:00:00Z", "every_days": 30},
                         {"number": 1, "episodes": 7, "first_aired": "2008-01-20T02:00:00Z"},
                         {"number": 2, "episodes": 3, "first_aired": "2009-03-08T02:00:00Z"}]},
            {"title": "Severance", "year": 2022, "ids": {"trakt": 2, "slug": "severance", "imdb": "tt11280740", "tmdb": 95396, "tvdb": 371980},
             "seasons": [{"number": 1, "episodes": 4, "first_aired": "2026-10-10T01:00:00Z", "every_days": 14}]},
        ],
        "movies": [
            {"title": "Batman Begins", "year": 2005, "ids": {"trakt": 6, "slug": "batman-begins-2005", "imdb": "tt0372784", "tmdb": 272}},
            {"title": "Inception", "year": 2010, "ids": {"trakt": 16, "slug": "inception-2010", "imdb": "tt1375666", "tmdb": 27205}},
        ],
        "history": [
            {"show": BREAKING_BAD, "season": 1, "episode": 1, "watched_at": "2026-09-01T20:00:00Z"},
            {"show": BREAKING_BAD, "season": 1, "episode": 1, "watched_at": "2026-10-01T20:00:00Z"},
            {"show": BREAKING_BAD, "season": 1, "episode": 2, "watched_at": "2026-10-02T20:00:00Z"},
            {"show": BREAKING_BAD, "season": 1, "episode": 3, "watched_at": "2026-10-03T20:00:00Z"},
            {"show": "tt11280740", "season": 1, "episode": 1, "watched_at": "2026-10-11T21:00:00Z"},
            {"movie": "tt0372784", "watched_at": "2026-09-15T20:00:00Z"},
        ],
        "watchlist": [{"movie": "tt1375666", "listed_at": "2026-08-01T00:00:00Z"}],
        "playback": [{"movie": "tt1375666", "progress": 35.5, "paused_at": "2026-10-20T22:00:00Z"}],
    }  # fmt: skip


def _with(description: str, **changes: object) -> Callable[[], dict]:
    def build() -> dict:
        scenario = small_library()
        for key, value in changes.items():
            scenario[key] = copy.deepcopy(value)
        return {"description": description, **scenario}

    return build


def watchlist_pages_library(items: int = 501, seed: int = 3) -> dict:
    """The base account with `items` extra movies on the watchlist (250 per page: 3 pages for 501..750)."""
    rng = random.Random(seed)
    scenario = small_library()
    for n in range(items):
        trakt = 1000 + n
        scenario["movies"].append({"title": f"Watchlist Movie {n + 1:03d}", "year": 1950 + rng.randrange(75),
                                   "ids": {"trakt": trakt, "imdb": f"tt9{trakt:06d}", "tmdb": 50000 + n}})  # fmt: skip
        scenario["watchlist"].append(
            {"movie": f"tt9{trakt:06d}", "listed_at": f"2026-07-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"}
        )
    scenario["description"] = (
        f"watchlist of {items + 1} items read in pages of 250 (X-Pagination-Page-Count 3)"
    )
    return scenario


def large_library_scenario(seed: int = 42, shows: int = 5000, episodes_per_season: int = 10, seasons_per_show: int = 4,
                           movies: int = 20000, watchlist: int = 1000) -> dict:  # fmt: skip
    """A seeded large account (default 5,000 shows x 40 episodes = 200,000, 20,000 movies); never committed."""
    rng = random.Random(seed)
    scenario: dict = {"description": f"generated large library (seed {seed})", "now": NOW,
                      "user": {"username": "bulk", "access_token": "bulk-token"},
                      "shows": [], "movies": [], "history": [], "watchlist": []}  # fmt: skip
    for n in range(1, shows + 1):
        seasons = [{"number": s, "episodes": episodes_per_season, "first_aired": f"{1990 + rng.randrange(35)}-01-0{s}T20:00:00Z"}
                   for s in range(1, seasons_per_show + 1)]  # fmt: skip
        scenario["shows"].append(
            {
                "title": f"Show {n}",
                "year": 1990 + n % 35,
                "ids": {"trakt": n, "imdb": f"tt1{n:07d}"},
                "seasons": seasons,
            }
        )
        for _ in range(rng.randrange(4)):
            scenario["history"].append({"show": f"tt1{n:07d}", "season": 1 + rng.randrange(seasons_per_show),
                                        "episode": 1 + rng.randrange(episodes_per_season), "watched_at": "2026-06-01T20:00:00Z"})  # fmt: skip
    for n in range(1, movies + 1):
        scenario["movies"].append(
            {"title": f"Movie {n}", "year": 1950 + n % 75, "ids": {"trakt": n, "imdb": f"tt2{n:07d}"}}
        )
    for n in rng.sample(range(1, movies + 1), watchlist):
        scenario["watchlist"].append({"movie": f"tt2{n:07d}", "listed_at": "2026-05-01T00:00:00Z"})
    return scenario


@dataclass(frozen=True)
class CassetteSpec:
    """One committed cassette: its name, how its scenario is built, and the driver that records it.

    The driver is named (drivers.py: the project's drivers module, a checkout's reference add-on tooling),
    with `driver_args` for one built by a factory (the scripted ones).
    """

    name: str
    build_scenario: Callable[[], dict]
    driver: str = "addon-sync"
    driver_args: tuple = ()
    timeout: float = 5.0
    tags: tuple[str, ...] = field(default=())

    @property
    def scenario_path(self) -> Path:
        """The scenario file, next to the cassette."""
        return CASSETTE_DIR / f"{self.name}.yaml"

    @property
    def cassette_path(self) -> Path:
        """The cassette file."""
        return CASSETTE_DIR / f"{self.name}{CASSETTE_SUFFIX}"


EPISODE_4 = {
    "shows": [
        {
            "ids": {"trakt": 1},
            "seasons": [{"number": 1, "episodes": [{"number": 4, "watched_at": "2026-11-01T12:05:00Z"}]}],
        }
    ]
}
EPISODE_3 = {"shows": [{"ids": {"trakt": 1}, "seasons": [{"number": 1, "episodes": [{"number": 3}]}]}]}
CATALOG: tuple[CassetteSpec, ...] = (
    CassetteSpec("first_sync_small", _with("first full sync of a small library")),
    CassetteSpec("no_change_incremental", _with("full sync, then 10 minutes later last_activities unchanged"), "addon-incremental"),
    CassetteSpec("new_episode_watched", _with("sync, Breaking Bad 1x04 marked watched, sync again: episodes.watched_at moves"),
                 "addon-scripted", ("new_episode_watched", ("sync",), ("post", "/sync/history", EPISODE_4), ("wait", 600), ("sync",))),
    CassetteSpec("play_removed", _with("sync, plays of 1x03 removed, sync again: only the whole watched set shows the deletion"),
                 "addon-scripted", ("play_removed", ("sync",), ("post", "/sync/history/remove", EPISODE_3), ("wait", 600), ("sync",))),
    CassetteSpec("rewatch_reset_at", _with("rewatch started: watched shows and progress report reset_at, stats unadjusted",
                                           resets=[{"show": BREAKING_BAD, "reset_at": "2026-09-20T00:00:00Z"}])),
    CassetteSpec("specials_unaired", _with("specials (season 0) and unaired Severance episodes excluded from progress")),
    CassetteSpec("hidden_show_season", _with("Severance hidden, Breaking Bad season 2 hidden in progress_watched",
                                             hidden={"progress_watched": [{"show": "tt11280740"}, {"show": BREAKING_BAD, "season": 2}]})),
    CassetteSpec("watchlist_three_pages", watchlist_pages_library),
    CassetteSpec("no_imdb_titles", _with("titles without imdb ids, referred to by trakt id",
                                         movies=[{"title": "Obscure Film", "year": 1999, "ids": {"trakt": 77, "imdb": None}}],
                                         history=[{"movie": 77, "watched_at": "2026-10-01T20:00:00Z"}],
                                         watchlist=[], playback=[])),
    CassetteSpec("unicode_titles", _with("unicode titles survive record and replay",
                                         movies=[{"title": "Amélie – Le Fabuleux Destin", "year": 2001, "ids": {"trakt": 194, "imdb": "tt0211915"}},
                                                 {"title": "東京物語", "year": 1953, "ids": {"trakt": 195, "imdb": "tt0046438"}}],
                                         history=[{"movie": "tt0211915", "watched_at": "2026-10-01T20:00:00Z"},
                                                  {"movie": "tt0046438", "watched_at": "2026-10-02T20:00:00Z"}],
                                         watchlist=[], playback=[])),
    CassetteSpec("device_auth_pending_twice", _with("device login: pending twice (400), then approved (200), then a sync",
                                                    user={"username": "alice"}, device_auth={"pending": 2, "then": "approve", "interval": 5}),
                 "addon-device-auth"),
    CassetteSpec("expired_token_refreshed", _with("access token expired: 401, refresh rotates the pair, sync goes on",
                                                  tokens={"created_at": "2026-10-01T00:00:00Z"})),  # the default 7-day lifetime
    CassetteSpec("refresh_token_rejected", _with("login ended elsewhere: 401, the refresh answers 400 invalid_grant, the sync stops (the add-on clears the dead pair)",
                                                 tokens={"revoked": True})),
    CassetteSpec("rate_limited_429_then_success", _with("429 with Retry-After on watched shows, waited, then 200",
                                                        faults=[{"path": "^/sync/watched/shows", "status": 429, "headers": {"Retry-After": "2"}}])),
    CassetteSpec("cloudflare_429_block", _with("Cloudflare's 429 on watched shows (HTML, Retry-After 300, no X-Ratelimit): waited out, then 200",
                                               faults=[{"path": "^/sync/watched/shows", "kind": "cloudflare"}])),
    CassetteSpec("outage_5xx_520", _with("503 on the watchlist recovers after a retry; 520 on playback 5 times: the area gives up after 4 retries",
                                         faults=[{"path": "^/sync/watchlist", "status": 503},
                                                 {"path": "^/sync/playback", "status": 520, "times": 5}])),
    CassetteSpec("account_limit_420", _with("420 account limit: the sync stops, no retry",
                                            faults=[{"path": "^/sync/watched/movies", "status": 420, "headers": {
                                                "X-Upgrade-URL": "https://trakt.tv/vip", "X-VIP-User": "false", "X-Account-Limit": "100"}}])),
    CassetteSpec("locked_account_423", _with("423 locked account: the sync stops at the first call",
                                             faults=[{"path": "^/sync/last_activities", "status": 423, "headers": {"X-Account-Locked": "true"}}])),
    CassetteSpec("malformed_json", _with("malformed JSON from playback (marked fault): that area fails, others sync",
                                         faults=[{"path": "^/sync/playback", "kind": "malformed_json"}])),
    CassetteSpec("timeout", _with("playback does not answer in time once: the timed-out request is absent, the retry syncs the area",
                                  faults=[{"path": "^/sync/playback", "kind": "timeout", "real_delay": 1.0}]), timeout=0.3),
)  # fmt: skip


def spec_named(name: str) -> CassetteSpec:
    """The catalog entry called name."""
    for spec in CATALOG:
        if spec.name == name:
            return spec
    raise KeyError(f"no cassette {name!r} in the catalog (known: {', '.join(s.name for s in CATALOG)})")


def write_scenario(spec: CassetteSpec) -> Path:
    """Write spec's scenario YAML next to its cassette."""
    header = f"# Written by trakt_cassettes/cassettes/catalog.py ({spec.name}); edit there and re-record.\n"
    text = yaml.safe_dump(spec.build_scenario(), allow_unicode=True, sort_keys=False, width=110)
    spec.scenario_path.write_text(header + text, encoding="utf-8")
    return spec.scenario_path


def record_catalog(names: list[str] | None = None) -> list[RecordResult]:
    """Write the scenarios and record the cassettes of the catalog (all, or the named ones)."""
    specs = [spec_named(name) for name in names] if names else list(CATALOG)
    config = find_project_config(CASSETTE_DIR)
    results = []
    for spec in specs:
        write_scenario(spec)
        driver = load_driver(spec.driver, *spec.driver_args, config=config)
        results.append(record(spec.scenario_path, spec.cassette_path, driver, timeout=spec.timeout))
    return results


def render_index(cassette_dir: Path = CASSETTE_DIR) -> str:
    """INDEX.md: one row per cassette in cassette_dir (scenario, what it shows, requests, size)."""
    rows = ["# Cassette index", "", "Generated by `trakt-cassettes index`; `tests/trakt_cassettes/cassettes` checks it is current.", "",
            "| cassette | scenario | what it shows | recorded by | requests | size |", "|---|---|---|---|---:|---:|"]  # fmt: skip
    for path in sorted(cassette_dir.glob(f"*{CASSETTE_SUFFIX}")):
        data = safe_load(path.read_text(encoding="utf-8")) or {}
        scenario_name = (data.get("metadata") or {}).get("scenario", "")
        driver = (data.get("metadata") or {}).get("driver", "")
        scenario_path = path.parent / scenario_name if scenario_name else None
        description = ""
        if scenario_path and scenario_path.is_file():
            description = (safe_load(scenario_path.read_text(encoding="utf-8")) or {}).get("description", "")
        size = path.stat().st_size
        rows.append(
            f"| {path.name} | {scenario_name} | {description} | {driver} | {len(data.get('interactions') or [])} | {size / 1024:.1f} KB |"
        )
    return "\n".join(rows) + "\n"
