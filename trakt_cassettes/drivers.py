"""The recording drivers by name: the reference add-on's real sync, and the stand-ins kept for comparison."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from trakt_cassettes.addon_sync import addon_device_auth_driver, addon_incremental_driver, addon_sync_driver
from trakt_cassettes.driver_context import Driver
from trakt_cassettes.standin import (
    standin_device_auth_driver,
    standin_incremental_driver,
    standin_sync_driver,
)

DEFAULT_DRIVER = "addon-sync"
DRIVERS: Mapping[str, Driver] = MappingProxyType(
    {
        "addon-sync": addon_sync_driver,
        "addon-incremental": addon_incremental_driver,
        "addon-device-auth": addon_device_auth_driver,
        "standin-sync": standin_sync_driver,
        "standin-device-auth": standin_device_auth_driver,
        "standin-incremental": standin_incremental_driver,
    }
)
