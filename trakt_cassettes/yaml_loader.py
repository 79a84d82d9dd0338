"""YAML reading through libyaml when PyYAML has it: the pure-Python loader is ~10x slower on a cassette.

Every cassette, scenario and index the tools read goes through `safe_load` (same answers, same
`yaml.YAMLError`s with their marks).
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """yaml.safe_load, through libyaml when available."""
    return yaml.load(text, Loader=SAFE_LOADER)
