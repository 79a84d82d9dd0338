"""Marks Kodi API names that fake_kodi does not emulate, keeping their exact signatures.

A not-emulated callable raises NotImplementedError naming the API (never a silent no-op) and
carries ``__fake_kodi_emulated__ = False`` so the conformance test can count the emulated share.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

EMULATED_FLAG = "__fake_kodi_emulated__"


class NotEmulatedError(NotImplementedError):
    """An add-on called a Kodi API that fake_kodi does not emulate."""


def _message(api_name: str) -> str:
    return f"{api_name} is not emulated by fake_kodi"


def _wrap_function(func: Callable[..., Any], api_name: str) -> Callable[..., Any]:
    @functools.wraps(func)
    def raiser(*args: Any, **kwargs: Any) -> Any:
        raise NotEmulatedError(_message(api_name))

    # functools.wraps sets __wrapped__, so inspect.signature still reports Kodi's parameters.
    setattr(raiser, EMULATED_FLAG, False)
    return raiser


def _wrap_class(cls: type, api_module: str) -> type:
    api_name = f"{api_module}.{cls.__qualname__}"
    for name, member in list(vars(cls).items()):
        if inspect.isfunction(member) and (name == "__init__" or not name.startswith("_")):
            wrapped = _wrap_function(member, f"{api_name}.{name}" if name != "__init__" else api_name)
            setattr(cls, name, wrapped)
    if "__init__" not in vars(cls):

        def __init__(self: Any) -> None:
            raise NotEmulatedError(_message(api_name))

        cls.__init__ = __init__
    setattr(cls, EMULATED_FLAG, False)
    return cls


def not_emulated(api_module: str) -> Callable[[T], T]:
    """Decorator factory: ``@not_emulated("xbmcgui")`` on a function, method or class."""

    def decorate(obj: T) -> T:
        if inspect.isclass(obj):
            return _wrap_class(obj, api_module)  # type: ignore[return-value]
        return _wrap_function(obj, f"{api_module}.{obj.__qualname__}")  # type: ignore[arg-type,return-value]

    return decorate


def is_emulated(obj: Any) -> bool:
    """True unless `obj` was marked by `not_emulated`."""
    return getattr(obj, EMULATED_FLAG, True)
