"""JSON Schemas (draft 2020-12) of the Trakt and Stremio shapes; `python -m trakt_cassettes.sim.schema_defs DIR`
writes them into `contracts/schemas/` (a test keeps the files and this module in step).

Trakt's are written from its published contract (`trakt_cassettes.contract`): `<name>.json` an answer,
`<name>.request.json` a request body, `<name>.query.json` a query string. The Stremio ones (AIOStreams'
side, not Trakt) are the project's own and stay as they were."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trakt_cassettes.contract.base import DRAFT, STR, TS, arr, nullable, obj
from trakt_cassettes.contract.requests import QUERIES, REQUESTS
from trakt_cassettes.contract.responses import RESPONSES

INT = {"type": "integer"}
STREMIO_META = obj({"id": STR, "type": {"enum": ["movie", "series"]}, "name": STR, "poster": STR, "genres": arr(STR),
                    "releaseInfo": STR})  # fmt: skip
STREMIO_COMMENT = (
    "AIOStreams' Stremio-protocol answer (not Trakt): the project's own shape, not from Trakt's contract."
)
VIDEO_ID = {"type": "string", "pattern": r"^[^:]+(:\d+)?:\d+:\d+$"}
VIDEOS = arr(obj({"id": VIDEO_ID, "season": INT, "episode": INT, "title": STR, "released": nullable(TS)}))
STREMIO = {
    "stremio_manifest": obj({"id": STR, "version": STR, "name": STR, "resources": arr({}), "types": arr(STR),
                             "catalogs": arr(obj({"type": STR, "id": STR, "name": STR}))}),
    "stremio_catalog": obj({"metas": arr(STREMIO_META)}),
    "stremio_meta": obj({"meta": obj(STREMIO_META["properties"], optional={"videos": VIDEOS})}),
}  # fmt: skip


def schemas() -> dict[str, dict]:
    """Every schema by file name (without `.json`): answers, `.request` bodies, `.query` strings, Stremio's."""
    found = {name: (schema, comment) for name, (schema, comment) in RESPONSES.items()}
    found.update({f"{name}.request": pair for name, pair in REQUESTS.items()})
    found.update({f"{name}.query": pair for name, pair in QUERIES.items()})
    found.update({name: (schema, STREMIO_COMMENT) for name, schema in STREMIO.items()})
    return {name: {"$schema": DRAFT, "$id": f"https://kodi-trakt-harness.invalid/schemas/{name}.json", "title": name,
                   "$comment": comment, **schema}
            for name, (schema, comment) in found.items()}  # fmt: skip


def write(directory: str | Path) -> list[Path]:
    """Write every schema as `<directory>/<name>.json`; returns the paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in schemas().items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write(sys.argv[1] if len(sys.argv) > 1 else "contracts/schemas"):
        print(written)
