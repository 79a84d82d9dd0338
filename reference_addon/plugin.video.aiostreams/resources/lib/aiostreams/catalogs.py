"""AIOStreams as a Stremio add-on: the manifest, its catalogs, catalog pages, metas and streams.

Stremio protocol: `{base}/manifest.json`, `{base}/catalog/{type}/{id}[/{extra}].json` with extras
`skip=N` and `genre=G` joined by `&`, `{base}/meta/{type}/{id}.json`, `{base}/stream/{type}/{id}.json`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

_log = logging.getLogger("aiostreams.catalogs")

TIMEOUT = (5.0, 20.0)
PAGE_SIZE = 100  # Stremio catalogs answer pages of up to 100 metas
KINDS = {"movie": "movie", "series": "show"}  # Stremio type -> Trakt media type


class AIOStreamsError(Exception):
    """AIOStreams could not be reached or sent something that is not a Stremio answer."""


@dataclass(frozen=True)
class Catalog:
    """One catalog of the manifest."""

    type: str
    id: str
    name: str
    genres: tuple[str, ...] = ()
    genre_required: bool = False
    pageable: bool = True

    @property
    def media_type(self) -> str:
        """'movie' or 'show' (Trakt's words), '' for other Stremio types."""
        return KINDS.get(self.type, "")


@dataclass
class Meta:
    """One item of a catalog page (a Stremio meta preview)."""

    id: str
    type: str
    name: str
    poster: str = ""
    genres: list[str] = field(default_factory=list)
    year: int = 0
    description: str = ""
    runtime_minutes: int = 0

    @property
    def imdb_id(self) -> str:
        """The imdb id ('' for items known only by another id, e.g. `trakt:123`)."""
        return self.id if self.id.startswith("tt") else ""

    @property
    def trakt_id(self) -> int | None:
        """The trakt id of `trakt:123` items."""
        if self.id.startswith("trakt:") and self.id[6:].isdigit():
            return int(self.id[6:])
        return None

    @property
    def media_type(self) -> str:
        """'movie' or 'show'."""
        return KINDS.get(self.type, "")


def _year(text: Any) -> int:
    digits = str(text or "")[:4]
    return int(digits) if digits.isdigit() else 0


def _minutes(text: Any) -> int:
    """'148 min', '2h 28min', 148 -> 148; anything else 0."""
    if isinstance(text, (int, float)):
        return int(text)
    total, number = 0, ""
    for char in str(text or "").lower():
        if char.isdigit():
            number += char
        elif char == "h" and number:
            total, number = total + int(number) * 60, ""
        elif char == "m" and number:
            total, number = total + int(number), ""
    return total + (int(number) if number and not total else 0)


def parse_meta(data: Any, default_type: str = "") -> Meta | None:
    """A Meta from a Stremio `metas[]` row (None when it has no id)."""
    if not isinstance(data, dict) or not data.get("id"):
        return None
    return Meta(
        id=str(data["id"]),
        type=str(data.get("type") or default_type),
        name=str(data.get("name") or data["id"]),
        poster=str(data.get("poster") or ""),
        genres=[str(g) for g in data.get("genres") or [] if isinstance(g, str)],
        year=_year(data.get("releaseInfo") or data.get("year")),
        description=str(data.get("description") or ""),
        runtime_minutes=_minutes(data.get("runtime")),
    )


class AIOStreams:
    """A client for one AIOStreams manifest URL."""

    def __init__(self, manifest_url: str, session: requests.Session | None = None):
        url = (manifest_url or "").strip()
        if not url:
            raise AIOStreamsError("no manifest URL")
        if url.startswith("stremio://"):
            url = "https://" + url[len("stremio://") :]
        self.manifest_url = url
        self.base_url = url[: -len("/manifest.json")] if url.endswith("/manifest.json") else url.rstrip("/")
        self.session = session or requests.Session()

    def _get(self, path: str) -> Any:
        url = self.base_url + path
        try:
            response = self.session.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
        except requests.RequestException as exc:
            raise AIOStreamsError(f"{exc.__class__.__name__} on {path}") from None
        if response.status_code != 200:
            raise AIOStreamsError(f"HTTP {response.status_code} on {path}")
        try:
            return response.json()
        except ValueError:
            raise AIOStreamsError(f"not JSON on {path}") from None

    def manifest(self) -> dict:
        """The add-on manifest."""
        data = self._get("/manifest.json")
        if not isinstance(data, dict):
            raise AIOStreamsError("the manifest is not a JSON object")
        return data

    def catalogs(self) -> list[Catalog]:
        """The movie and series catalogs of the manifest, in manifest order."""
        found = []
        for entry in self.manifest().get("catalogs") or []:
            if not isinstance(entry, dict) or entry.get("type") not in KINDS or not entry.get("id"):
                continue
            extras = {e.get("name"): e for e in entry.get("extra") or [] if isinstance(e, dict)}
            genre = extras.get("genre") or {}
            legacy_required = entry.get("extraRequired") or []
            supported = set(extras) | set(entry.get("extraSupported") or [])
            found.append(
                Catalog(
                    type=entry["type"],
                    id=str(entry["id"]),
                    name=str(entry.get("name") or entry["id"]),
                    genres=tuple(str(g) for g in genre.get("options") or entry.get("genres") or []),
                    genre_required=bool(genre.get("isRequired")) or "genre" in legacy_required,
                    pageable="skip" in supported,
                )
            )
        return found

    def catalog(self, catalog_type: str, catalog_id: str) -> Catalog:
        """The catalog with this type and id (AIOStreamsError when the manifest lacks it)."""
        for catalog in self.catalogs():
            if catalog.type == catalog_type and catalog.id == catalog_id:
                return catalog
        raise AIOStreamsError(f"no catalog {catalog_type}/{catalog_id} in the manifest")

    def catalog_page(self, catalog_type: str, catalog_id: str, skip: int = 0, genre: str = "") -> list[Meta]:
        """One page of a catalog (up to PAGE_SIZE metas)."""
        extras = []
        if genre:
            extras.append("genre=" + quote(genre, safe=""))
        if skip:
            extras.append(f"skip={int(skip)}")
        extra = ("/" + "&".join(extras)) if extras else ""
        path = f"/catalog/{quote(catalog_type, safe='')}/{quote(catalog_id, safe='')}{extra}.json"
        data = self._get(path)
        metas = data.get("metas") if isinstance(data, dict) else None
        if not isinstance(metas, list):
            raise AIOStreamsError(f"no metas in {path}")
        parsed = [parse_meta(row, catalog_type) for row in metas]
        kept = [meta for meta in parsed if meta is not None]
        if len(kept) < len(parsed):
            # A broken row must not cost the page; it is logged so a bad catalog can be found.
            _log.warning("catalog %s/%s: skipped %d item(s) without an id", catalog_type, catalog_id,
                         len(parsed) - len(kept))  # fmt: skip
        return kept

    def meta(self, meta_type: str, meta_id: str) -> dict:
        """The full meta of one title (series carry `videos` with season and episode)."""
        path = f"/meta/{quote(meta_type, safe='')}/{quote(meta_id, safe='')}.json"
        data = self._get(path)
        meta = data.get("meta") if isinstance(data, dict) else None
        if not isinstance(meta, dict):
            raise AIOStreamsError(f"no meta in {path}")
        return meta

    def streams(self, meta_type: str, video_id: str) -> list[dict]:
        """The streams of a movie (`tt..`) or an episode (`tt..:season:episode`) that carry a URL."""
        path = f"/stream/{quote(meta_type, safe='')}/{quote(video_id, safe=':')}.json"
        data = self._get(path)
        streams = data.get("streams") if isinstance(data, dict) else None
        if not isinstance(streams, list):
            raise AIOStreamsError(f"no streams in {path}")
        return [s for s in streams if isinstance(s, dict) and isinstance(s.get("url"), str) and s["url"]]


def episodes_by_season(meta: dict) -> dict[int, list[dict]]:
    """A series meta's `videos` grouped by season, each season sorted by episode number."""
    seasons: dict[int, list[dict]] = {}
    for video in meta.get("videos") or []:
        if not isinstance(video, dict):
            continue
        try:
            season, episode = int(video.get("season")), int(video.get("episode", video.get("number")))
        except (TypeError, ValueError):
            continue
        seasons.setdefault(season, []).append({**video, "season": season, "episode": episode})
    return {number: sorted(items, key=lambda v: v["episode"]) for number, items in sorted(seasons.items())}
