"""State on disk: one Kodi home folder and every file in it that both sides read and write.

The test side and each add-on interpreter are separate processes; all they share is this folder:
the layout and special:// paths (kodi_home), installed add-ons and their addon.xml (addons,
addon_manifest, dependencies: Kodi's version rule and <requires> walk), the fake's own per-home
options (options: system packages, language add-on), settings (settings, settings_schema), strings (strings, core_strings), kodi.log
(kodi_log), Window properties and handles (shared_state), the event journal that reaches a running
service (event_journal) and the virtual clock file (clock).

May import: the standard library and fake_kodi.home only.
May be imported by: anything (the add-on side, the test side, trakt_cassettes, tests).
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

# Until issue 16 fake_kodi.home was the module now at fake_kodi.home.kodi_home; its public names
# still resolve here for one release.
OLD_HOME_NAMES = ("SPECIAL_PREFIX", "KodiHome", "is_valid_addon_id")


def __getattr__(name: str) -> Any:
    """`fake_kodi.home.KodiHome` and the other names of the old home.py, with a DeprecationWarning."""
    if name not in OLD_HOME_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"{__name__}.{name} moved to fake_kodi.home.kodi_home.{name} (fake_kodi issue 16); "
        "the old path goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module("fake_kodi.home.kodi_home"), name)
