"""The AIOStreams side (Stremio add-on protocol): manifest, catalogs (pages of 100) and metas."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from .errors import NotFound
from .media import Movie, Show
from .shapes import iso
from .state import TraktState
from .web import Request, Response

PAGE_SIZE = 100


class StremioNotFound(NotFound):
    """Stremio add-ons answer `{"err": ...}`, not Trakt's error body."""

    def body(self) -> dict:
        return {"err": self.description}


def _catalog_genres(catalog: dict) -> list[str]:
    if catalog["genres"]:
        return catalog["genres"]
    return sorted({genre for item in catalog["items"] for genre in item.extra.get("genres", [])})


def manifest(state: TraktState, request: Request) -> Response:
    """GET [/prefix]/manifest.json."""
    catalogs = state.scenario.catalogs
    return Response(200, {
        "id": "com.aiostreams.simulated", "version": "1.0.0", "name": "AIOStreams (simulated)",
        "description": "Catalogs served by the trakt_cassettes simulator", "resources": ["catalog", "meta"],
        "types": sorted({c["type"] for c in catalogs}) or ["movie", "series"], "idPrefixes": ["tt", "trakt:"],
        "catalogs": [{"type": c["type"], "id": c["id"], "name": c["name"],
                      "extra": [{"name": "skip"}, {"name": "genre", "options": _catalog_genres(c)}]} for c in catalogs],
    })  # fmt: skip


def stremio_id(item: Movie | Show) -> str:
    """The Stremio id: the imdb id, or `trakt:<id>` for titles without one."""
    return item.ids.get("imdb") or f"trakt:{item.ids['trakt']}"


def meta_preview(item: Movie | Show, kind: str) -> dict:
    """One `metas[]` row."""
    return {
        "id": stremio_id(item), "type": kind, "name": item.title,
        "poster": item.extra.get("poster") or f"https://images.example.invalid/poster/{item.ids['trakt']}.jpg",
        "genres": item.extra.get("genres", []), "releaseInfo": str(item.year) if item.year else "",
    }  # fmt: skip


def catalog(state: TraktState, request: Request) -> Response:
    """GET /catalog/{type}/{id}[/{extra}].json; extras `skip=N`, `genre=G`, or both joined by `&`."""
    kind, catalog_id = request.params["type"], unquote(request.params["id"])
    found = next((c for c in state.scenario.catalogs if c["type"] == kind and c["id"] == catalog_id), None)
    if found is None:
        raise StremioNotFound(f"no catalog {kind}/{catalog_id}")
    extras = dict(parse_qsl(unquote(request.params.get("extra") or ""), keep_blank_values=True))
    items = found["items"]
    if extras.get("genre"):
        items = [item for item in items if extras["genre"] in item.extra.get("genres", [])]
    skip = int(extras["skip"]) if extras.get("skip", "").isdigit() else 0
    return Response(200, {"metas": [meta_preview(item, kind) for item in items[skip : skip + PAGE_SIZE]]})


def meta(state: TraktState, request: Request) -> Response:
    """GET /meta/{type}/{id}.json; series carry `videos` (`tt..:season:episode`)."""
    kind, item_id = request.params["type"], unquote(request.params["id"])
    ref = item_id.split(":", 1)[1] if item_id.startswith("trakt:") else item_id
    item = (
        state.catalog.movie(ref) if kind == "movie" else state.catalog.show(ref) if kind == "series" else None
    )
    if item is None:
        raise StremioNotFound(f"no {kind} {item_id}")
    data = {**meta_preview(item, kind), "description": item.extra.get("overview")}
    if kind == "series":
        base = stremio_id(item)
        data["videos"] = [
            {"id": f"{base}:{e.season}:{e.number}", "season": e.season, "episode": e.number,
             "title": e.title or f"Episode {e.number}", "released": iso(e.first_aired)}
            for e in sorted(item.episodes(), key=lambda e: (e.season, e.number))
        ]  # fmt: skip
    return Response(200, {"meta": data})
