"""Kodi's argument conversions, with the TypeError messages its Python bindings raise.

Kodi parses int/float arguments with CPython's own converters and strings with its own helper,
so the messages below are the ones an add-on sees in real Kodi (KODI_BEHAVIOUR.md sections 2, 3, 6).
"""

from __future__ import annotations

from typing import Any


def int_arg(value: Any) -> int:
    """An int argument: str and float are refused as CPython's 'i' format refuses them."""
    if isinstance(value, int):
        return int(value)
    raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")


def float_arg(value: Any) -> float:
    """A float argument: ints are accepted, anything else is refused."""
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"must be real number, not {type(value).__name__}")


def bool_arg(value: Any) -> bool:
    """A bool argument (Kodi reads it as an integer)."""
    return bool(int_arg(value))


def str_arg(value: Any, name: str, method: str) -> str:
    """A string argument: str, bytes (UTF-8) or None (empty string)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    raise TypeError(f'argument "{name}" for method "{method}" must be unicode or str')


def str_list_arg(values: Any, name: str, method: str) -> list[str]:
    """A list of strings; a single string is refused like Kodi refuses it."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise TypeError(f'argument "{name}" for method "{method}" must be a list of strings')
    return [str_arg(v, name, method) for v in values]
