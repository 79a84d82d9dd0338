"""TraktState: one simulated account (plays, resets, hidden items, watchlist, playback, tokens,
last_activities). Pure Python on an injected clock; it never sees HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from .clock import VirtualClock
from .media import Episode, Season, Show
from .scenario import Scenario
from .tokens import TokenStore

ACTIVITY_KEYS: dict[str, tuple[str, ...]] = {
    "movies": ("watched_at", "collected_at", "rated_at", "watchlisted_at", "favorited_at", "commented_at", "paused_at", "hidden_at"),
    "episodes": ("watched_at", "collected_at", "rated_at", "watchlisted_at", "commented_at", "paused_at"),
    "shows": ("rated_at", "watchlisted_at", "favorited_at", "commented_at", "hidden_at", "dropped_at"),
    "seasons": ("rated_at", "watchlisted_at", "commented_at", "hidden_at"),
    "comments": ("liked_at", "reacted_at", "blocked_at"),
    "lists": ("liked_at", "reacted_at", "updated_at", "commented_at"),
    "watchlist": ("updated_at",),
    "favorites": ("updated_at",),
    # In the 2026 contract (sync/schema/response/lastActivitiesResponseSchema.ts) with no word on what
    # moves it; the simulator models no collaborative lists, so it stays at the account's start.
    "collaborations": ("updated_at",),
    "account": ("settings_at", "followed_at", "following_at", "pending_at", "requested_at"),
    "saved_filters": ("updated_at",),
    "notes": ("updated_at",),
}  # fmt: skip
FIRST_PLAY_ID = 9_000_000_000  # above 2**32 on purpose: history ids are 64-bit
FIRST_LIST_ITEM_ID = 100_001
FIRST_PLAYBACK_ID = 7_001
FREE_LIMITS = {
    "watchlist": 250,
    "lists": 5,
    "list_items": 250,
    "favorites": 50,
    "collection": 1000,
    "notes": 100,
    "search_recent": 5,
}
VIP_LIMITS = {
    "watchlist": 5000,
    "lists": 100,
    "list_items": 5000,
    "favorites": 500,
    "collection": 100000,
    "notes": 5000,
    "search_recent": 25,
}


@dataclass
class Play:
    """One history event (a play)."""

    id: int
    kind: str  # movie | episode
    trakt: int
    watched_at: float
    action: str = "watch"


@dataclass
class WatchlistEntry:
    """One watchlist row; `id` is the list-item id, the rank is its position."""

    id: int
    kind: str  # movie | show | season | episode
    trakt: int
    listed_at: float
    notes: str | None = None


@dataclass
class HiddenEntry:
    """One hidden item in one section (`progress_watched`, `calendar`, `dropped`, ...)."""

    section: str
    kind: str  # movie | show | season | user
    trakt: int
    hidden_at: float


@dataclass
class PlaybackEntry:
    """One resume point."""

    id: int
    kind: str  # movie | episode
    trakt: int
    progress: float
    paused_at: float


class TraktState:
    """The account behind the simulator; every write bumps the right last_activities keys."""

    def __init__(self, scenario: Scenario, clock: VirtualClock):
        self.scenario, self.clock, self.catalog = scenario, clock, scenario.catalog
        self.user = scenario.user
        self.limits = {**(VIP_LIMITS if self.user["vip"] else FREE_LIMITS), **scenario.limits}
        self.tokens = TokenStore(
            clock, self.user["username"], scenario.app, self.user, scenario.tokens, scenario.device_auth
        )
        self.plays: list[Play] = []
        self.watched_updated: dict[tuple[str, int], float] = {}
        self.resets: dict[int, float] = dict(scenario.resets)
        self.hidden = [
            HiddenEntry(h["section"], h["kind"], h["trakt"], h["hidden_at"]) for h in scenario.hidden
        ]
        self.watchlist: list[WatchlistEntry] = []
        self.playback: list[PlaybackEntry] = []
        self._next_play_id, self._next_list_item_id, self._next_playback_id = (
            FIRST_PLAY_ID,
            FIRST_LIST_ITEM_ID,
            FIRST_PLAYBACK_ID,
        )
        for seed in scenario.history:
            play = Play(
                seed["id"] or self._play_id(), seed["kind"], seed["trakt"], seed["watched_at"], seed["action"]
            )
            self._next_play_id = max(self._next_play_id, play.id + 1)
            self.plays.append(play)
            key = self.watched_key(play)
            self.watched_updated[key] = max(self.watched_updated.get(key, 0.0), play.watched_at)
        for seed in scenario.watchlist:
            self.watchlist.append(
                WatchlistEntry(
                    self._list_item_id(), seed["kind"], seed["trakt"], seed["listed_at"], seed["notes"]
                )
            )
        for seed in scenario.playback:
            entry = PlaybackEntry(
                seed["id"] or self._playback_id(),
                seed["kind"],
                seed["trakt"],
                seed["progress"],
                seed["paused_at"],
            )
            self._next_playback_id = max(self._next_playback_id, entry.id + 1)
            self.playback.append(entry)
        self.activities = self._seed_activities()

    # ids -------------------------------------------------------------------------------------
    def _play_id(self) -> int:
        self._next_play_id += 1
        return self._next_play_id - 1

    def _list_item_id(self) -> int:
        self._next_list_item_id += 1
        return self._next_list_item_id - 1

    def _playback_id(self) -> int:
        self._next_playback_id += 1
        return self._next_playback_id - 1

    # last_activities ---------------------------------------------------------------------------
    def _seed_activities(self) -> dict[str, dict[str, float]]:
        base = self.user["joined_at"]
        acts = {area: dict.fromkeys(keys, base) for area, keys in ACTIVITY_KEYS.items()}

        def latest(area: str, key: str, times) -> None:
            times = [t for t in times if t is not None]
            if times:
                acts[area][key] = max(acts[area][key], min(max(times), self.scenario.now))

        latest("movies", "watched_at", [p.watched_at for p in self.plays if p.kind == "movie"])
        latest("episodes", "watched_at", [p.watched_at for p in self.plays if p.kind == "episode"])
        for kind in ("movie", "show", "season", "episode"):
            latest(kind + "s", "watchlisted_at", [w.listed_at for w in self.watchlist if w.kind == kind])
        latest("watchlist", "updated_at", [w.listed_at for w in self.watchlist])
        latest("movies", "paused_at", [p.paused_at for p in self.playback if p.kind == "movie"])
        latest("episodes", "paused_at", [p.paused_at for p in self.playback if p.kind == "episode"])
        for kind in ("movie", "show", "season"):
            latest(
                kind + "s",
                "hidden_at",
                [h.hidden_at for h in self.hidden if h.kind == kind and h.section != "dropped"],
            )
        latest("shows", "dropped_at", [h.hidden_at for h in self.hidden if h.section == "dropped"])
        for area, keys in self.scenario.last_activities.items():
            acts.setdefault(area, {}).update(keys)
        return acts

    def bump(self, *keys: str) -> None:
        """Set each `area.key` activity to now."""
        now = self.clock.now()
        for dotted in keys:
            area, key = dotted.split(".")
            self.activities.setdefault(area, {})[key] = now

    def last_activities(self) -> dict[str, dict[str, float] | float]:
        """All activity timestamps (epoch), plus `all`, the newest of them."""
        newest = max(value for keys in self.activities.values() for value in keys.values())
        return {"all": newest, **{area: dict(keys) for area, keys in self.activities.items()}}

    # plays -------------------------------------------------------------------------------------
    def watched_key(self, play: Play) -> tuple[str, int]:
        """The watched-list row a play belongs to: ("movie", trakt) or ("show", show trakt)."""
        if play.kind == "movie":
            return ("movie", play.trakt)
        return ("show", self.episode(play.trakt).show_trakt)

    def episode(self, trakt: int) -> Episode:
        """The catalog episode with that trakt id."""
        return self.catalog.episode_by_trakt(trakt)

    def add_plays(self, items: list[tuple[str, int, float]], action: str = "watch") -> list[Play]:
        """Record plays `(kind, trakt, watched_at)`; no de-duplication, like Trakt."""
        added = [Play(self._play_id(), kind, trakt, watched_at, action) for kind, trakt, watched_at in items]
        if not added:
            return added
        self.plays.extend(added)
        now = self.clock.now()
        for play in added:
            self.watched_updated[self.watched_key(play)] = now
        self.bump(*sorted({f"{p.kind}s.watched_at" for p in added}))
        self._auto_remove_from_watchlist(added)
        return added

    def _auto_remove_from_watchlist(self, plays: list[Play]) -> None:
        # Watching a movie removes it; one watched episode also removes its season and its show.
        doomed: set[tuple[str, int]] = set()
        for play in plays:
            doomed.add((play.kind, play.trakt))
            if play.kind == "episode":
                episode = self.episode(play.trakt)
                show = self.catalog.show(episode.show_trakt)
                doomed.add(("show", show.ids["trakt"]))
                doomed.add(("season", show.season(episode.season).ids["trakt"]))
        removed = [w for w in self.watchlist if (w.kind, w.trakt) in doomed]
        if removed:
            self.watchlist = [w for w in self.watchlist if (w.kind, w.trakt) not in doomed]
            self.bump("watchlist.updated_at", *sorted({f"{w.kind}s.watchlisted_at" for w in removed}))

    def remove_plays(self, items: set[tuple[str, int]], play_ids: set[int]) -> list[Play]:
        """Delete every play of the items `(kind, trakt)` and the plays with those history ids.

        Bumps `movies/episodes.watched_at` but never an item's `last_updated_at` (Trakt's rule:
        deletions are only seen by re-reading the watched set)."""
        removed = [p for p in self.plays if (p.kind, p.trakt) in items or p.id in play_ids]
        if removed:
            gone = {id(p) for p in removed}
            self.plays = [p for p in self.plays if id(p) not in gone]
            self.bump(*sorted({f"{p.kind}s.watched_at" for p in removed}))
        return removed

    def plays_of(self, kind: str, trakt: int) -> list[Play]:
        """The plays of one movie or episode."""
        return [p for p in self.plays if p.kind == kind and p.trakt == trakt]

    # watchlist ---------------------------------------------------------------------------------
    def watchlist_add(
        self, items: list[tuple[str, int, str | None]]
    ) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """Add `(kind, trakt, notes)` items; returns (added, existing). Caller checks the limit first."""
        added, existing = [], []
        present = {(w.kind, w.trakt) for w in self.watchlist}
        now = self.clock.now()
        for kind, trakt, notes in items:
            if (kind, trakt) in present:
                existing.append((kind, trakt))
                continue
            present.add((kind, trakt))
            self.watchlist.append(
                WatchlistEntry(self._list_item_id(), kind, trakt, now, notes if self.user["vip"] else None)
            )
            added.append((kind, trakt))
        if added:
            self.bump("watchlist.updated_at", *sorted({f"{kind}s.watchlisted_at" for kind, _ in added}))
        return added, existing

    def watchlist_remove(self, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """Remove items; returns those that were there."""
        wanted = set(items)
        removed = [(w.kind, w.trakt) for w in self.watchlist if (w.kind, w.trakt) in wanted]
        if removed:
            self.watchlist = [w for w in self.watchlist if (w.kind, w.trakt) not in wanted]
            self.bump("watchlist.updated_at", *sorted({f"{kind}s.watchlisted_at" for kind, _ in removed}))
        return removed

    def watchlist_ranked(self) -> list[tuple[int, WatchlistEntry]]:
        """(rank, entry) in the list's own order."""
        return list(enumerate(self.watchlist, start=1))

    # hidden ------------------------------------------------------------------------------------
    def hide(self, section: str, items: list[tuple[str, int, float]]) -> int:
        """Hide `(kind, trakt, hidden_at)` items in a section; returns how many were new."""
        present = {(h.kind, h.trakt) for h in self.hidden if h.section == section}
        new = [
            HiddenEntry(section, kind, trakt, at) for kind, trakt, at in items if (kind, trakt) not in present
        ]
        self.hidden.extend(new)
        self._bump_hidden(section, new)
        return len(new)

    def unhide(self, section: str, items: list[tuple[str, int]]) -> int:
        """Unhide items in a section; returns how many were hidden."""
        wanted = set(items)
        gone = [h for h in self.hidden if h.section == section and (h.kind, h.trakt) in wanted]
        self.hidden = [h for h in self.hidden if not (h.section == section and (h.kind, h.trakt) in wanted)]
        self._bump_hidden(section, gone)
        return len(gone)

    def _bump_hidden(self, section: str, entries: list[HiddenEntry]) -> None:
        if entries:
            if section == "dropped":
                self.bump("shows.dropped_at")
            else:
                self.bump(*sorted({f"{h.kind}s.hidden_at" for h in entries if h.kind != "user"}))

    def hidden_seasons(self, show: Show) -> list[Season]:
        """The show's seasons hidden from progress (`progress_watched` section)."""
        hidden = {h.trakt for h in self.hidden if h.section == "progress_watched" and h.kind == "season"}
        return [season for season in show.seasons if season.ids["trakt"] in hidden]

    # playback ----------------------------------------------------------------------------------
    def remove_playback(self, playback_id: int) -> bool:
        """Delete a resume point; False when the id is unknown."""
        entry = next((p for p in self.playback if p.id == playback_id), None)
        if entry is None:
            return False
        self.playback.remove(entry)
        self.bump(f"{entry.kind}s.paused_at")
        return True

    def summary(self) -> dict:
        """Counts for the control plane."""
        return {
            "now": self.clock.now(), "user": self.user["username"], "shows": len(self.catalog.shows),
            "movies": len(self.catalog.movies), "plays": len(self.plays), "watchlist": len(self.watchlist),
            "hidden": len(self.hidden), "playback": len(self.playback), "resets": len(self.resets),
            "live_tokens": sum(1 for t in self.tokens.by_access.values() if not t.revoked),
        }  # fmt: skip
