"""Recording drivers by name: the stand-ins built in, and the project's own (a module its config names).

A driver runs in the recording process (vcrpy sees its requests there). A project lists its
drivers in a module named by `[tool.trakt-cassettes] drivers` (project_config.py): `DRIVERS` maps
names to drivers, and `DRIVER_FACTORIES` names to functions building a driver from arguments. Any
driver may also be named directly as `FILE.py:FUNCTION` or `MODULE:FUNCTION`. An add-on that runs
in fake Kodi is recorded through the proxy instead (addon_record.py), with no driver at all.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

from trakt_cassettes.driver_context import Driver
from trakt_cassettes.project_config import ProjectConfig, find_project_config
from trakt_cassettes.standin import (
    standin_device_auth_driver,
    standin_incremental_driver,
    standin_sync_driver,
)

BUILTIN_DRIVERS: Mapping[str, Driver] = MappingProxyType(
    {
        "standin-sync": standin_sync_driver,
        "standin-device-auth": standin_device_auth_driver,
        "standin-incremental": standin_incremental_driver,
    }
)
# Loaded once per file, so a driver named twice is the same object.
_LOADED_FILES: dict[Path, ModuleType] = {}


class DriverError(LookupError):
    """A driver that cannot be found or loaded; the message names it and what is known."""


def project_drivers(config: ProjectConfig | None) -> Mapping[str, Driver]:
    """The DRIVERS of the project's drivers module (empty when it names none)."""
    module = _drivers_module(config)
    return dict(getattr(module, "DRIVERS", {})) if module is not None else {}


def known_drivers(config: ProjectConfig | None) -> dict[str, Driver]:
    """Every driver by name: the project's first, then the built-in stand-ins."""
    return {**project_drivers(config), **BUILTIN_DRIVERS}


def load_driver(reference: str, *args: Any, config: ProjectConfig | None = None) -> Driver:
    """The driver named `reference` (a name, FILE.py:FUNCTION or MODULE:FUNCTION); with args, built by a factory."""
    if ":" in reference:
        found = _load_attribute(reference)
        return found(*args) if args else found
    if args:
        module = _drivers_module(config)
        factories = dict(getattr(module, "DRIVER_FACTORIES", {})) if module is not None else {}
        if reference not in factories:
            raise DriverError(
                f"unknown driver factory {reference!r} (known: {', '.join(factories) or 'none'})"
            )
        return factories[reference](*args)
    drivers = known_drivers(config)
    if reference not in drivers:
        raise DriverError(f"unknown driver {reference!r} (known: {', '.join(drivers)})")
    return drivers[reference]


def default_driver_name(config: ProjectConfig | None) -> str | None:
    """The driver `record SCENARIO` runs without --driver or --addon: the project's default-driver."""
    return config.default_driver if config is not None else None


def _drivers_module(config: ProjectConfig | None) -> ModuleType | None:
    if config is None or not config.drivers:
        return None
    return _load_module(config.drivers)


def _load_attribute(reference: str) -> Any:
    where, _, name = reference.rpartition(":")
    module = _load_module(where)
    if not hasattr(module, name):
        raise DriverError(f"{where} has no {name!r}")
    return getattr(module, name)


def _load_module(where: str) -> ModuleType:
    """A module by dotted name, or a Python file by path (loaded once)."""
    if not where.endswith(".py"):
        try:
            return importlib.import_module(where)
        except ImportError as exc:
            raise DriverError(f"cannot import driver module {where}: {exc}") from None
    path = Path(where).absolute()
    if path in _LOADED_FILES:
        return _LOADED_FILES[path]
    if not path.is_file():
        raise DriverError(f"no such driver module: {path}")
    name = f"_trakt_cassettes_drivers_{len(_LOADED_FILES)}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise DriverError(f"cannot load driver module {path}: {type(exc).__name__}: {exc}") from None
    _LOADED_FILES[path] = module
    return module


# Until issue 15, DRIVERS held the reference add-on's drivers too and DEFAULT_DRIVER named one of them;
# both now come from the project (a checkout of this repository names them in pyproject.toml).
_DEPRECATED = {
    "DRIVERS": "known_drivers(find_project_config())",
    "DEFAULT_DRIVER": "default_driver_name(...)",
}


def __getattr__(name: str) -> Any:
    """`DRIVERS` / `DEFAULT_DRIVER`: the project's, with a DeprecationWarning naming the replacement."""
    if name not in _DEPRECATED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"{__name__}.{name} is deprecated: use {__name__}.{_DEPRECATED[name]}; the old name goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    config = find_project_config()
    if name == "DRIVERS":
        return MappingProxyType(known_drivers(config))
    return default_driver_name(config)
