"""Deprecated: the reference add-on's recording drivers moved out of trakt_cassettes (issue 15).

They are the reference add-on's tooling now, in the drivers module its project names
(`[tool.trakt-cassettes] drivers` in pyproject.toml); trakt_cassettes imports no add-on. The old
names (`addon_sync_driver`, `AddonSyncSession`, ...) still resolve here, from that module, with a
DeprecationWarning, for one release and only where that project config is found (a checkout).
"""

from __future__ import annotations

import warnings
from typing import Any


def __getattr__(name: str) -> Any:
    """`trakt_cassettes.addon_sync.<name>`: the name from the project's drivers module, with a DeprecationWarning."""
    if name.startswith("__"):
        raise AttributeError(name)
    from trakt_cassettes.drivers import DriverError, _drivers_module
    from trakt_cassettes.project_config import find_project_config

    config = find_project_config()
    try:
        module = _drivers_module(config)
    except DriverError:
        module = None
    if module is None or not hasattr(module, name):
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}: the add-on drivers moved to the project's drivers "
            "module ([tool.trakt-cassettes] drivers in pyproject.toml)"
        )
    warnings.warn(
        f"{__name__}.{name} moved to the project's drivers module {config.drivers}; "
        "the old name goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(module, name)
