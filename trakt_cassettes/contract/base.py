"""Small builders for JSON Schemas (draft 2020-12) and the contract citation every schema carries."""

from __future__ import annotations

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# The commit of trakt/trakt-api read for these schemas (HEAD of the fetched mirror, 2026-07-30).
CONTRACT_COMMIT = "586224bf1b7d7e24fef194ca3f1acfed59d536c7"
CONTRACT = f"trakt/trakt-api@{CONTRACT_COMMIT} projects/api/src/contracts/"
# The contract's `z.string().datetime()` accepts any precision; Trakt's answers always carry milliseconds
# and a Z (TRAKT_API.md §1, every recorded answer), so the schemas hold the simulator to that form.
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
TS = {"type": "string", "pattern": TIMESTAMP}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
INT = {"type": "integer"}
STR = {"type": "string"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
NULL = {"type": "null"}
# A query value is text on the wire: the contract's int / boolean parameters as they appear in a URL.
Q_INT = {"type": "string", "pattern": r"^[0-9]+$"}
Q_BOOL = {"enum": ["true", "false"]}


def nullable(schema: dict) -> dict:
    """The schema, or null (Zod's `.nullable()` / `.nullish()`)."""
    kind = schema.get("type")
    if isinstance(kind, str) and set(schema) <= {
        "type",
        "pattern",
        "minimum",
        "maximum",
        "items",
        "minItems",
    }:
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, NULL]}


def obj(
    required: dict, optional: dict | None = None, nullish: dict | None = None, extra: bool = True
) -> dict:
    """An object: `required` keys must be there; `optional` may be missing; `nullish` may be missing or null.

    Zod's `z.object` strips unknown keys rather than refusing them, so extra keys stay allowed unless
    `extra` is False (Trakt adds keys; clients must ignore them)."""
    props = {**required, **(optional or {}), **{k: nullable(v) for k, v in (nullish or {}).items()}}
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": extra}


def arr(items: dict, **more: object) -> dict:
    """An array of items."""
    return {"type": "array", "items": items, **more}


def record(values: dict, key: str = r"^[0-9]+$") -> dict:
    """Zod's `z.record(z.string(), values)` whose keys match `key` (the simulator's ids are decimal)."""
    return {"type": "object", "patternProperties": {key: values}, "additionalProperties": False}


def enum(*values: str) -> dict:
    """One of the values (the contract's `z.enum`, also behind `asString`, which still validates membership)."""
    return {"enum": list(values)}


def extended(*tokens: str) -> dict:
    """The `extended` query value: a comma-separated combination of tokens (CombinationsFrom<T>)."""
    alternatives = "|".join(tokens)
    return {"type": "string", "pattern": f"^({alternatives})(,({alternatives}))*$"}


def query(params: dict, required: tuple[str, ...] = ()) -> dict:
    """A query-string schema: every value a string; unknown parameters are refused so a typo is seen."""
    return {"type": "object", "properties": params, "required": list(required), "additionalProperties": False}
