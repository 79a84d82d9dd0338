"""Module paths that issue 16 moved into host/, addon_side/ and home/: each still imports for one release.

Only the paths that hand a user a documented name are kept: what `Kodi`, the CLI and the pytest
fixtures return or raise (results, errors, ServiceProcess, manifests, dialog answers, KodiHome).
Each is a three-line file at its old place that installs the new module under the old name;
fake_kodi.home, now the package, resolves the old home.py's names itself (home/__init__.py).
"""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType

MOVED_MODULES = {
    "fake_kodi.addon_manifest": "fake_kodi.home.addon_manifest",
    "fake_kodi.addons": "fake_kodi.home.addons",
    "fake_kodi.dialogs": "fake_kodi.addon_side.dialogs",
    "fake_kodi.results": "fake_kodi.host.results",
    "fake_kodi.runner": "fake_kodi.host.plugin_runner",
    "fake_kodi.service_process": "fake_kodi.host.service_driver",
    # Held the parent side's names too (ServiceProcess, run_service, ...): those are what users import.
    "fake_kodi.service_runner": "fake_kodi.host.service_driver",
    "fake_kodi.session": "fake_kodi.addon_side.session",
}


def moved_module(old: str) -> ModuleType:
    """The module that replaced `old`, warning the code that imported `old`.

    The shim puts the returned module in sys.modules under the old name, so both names are one
    module object: monkeypatching or isinstance checks through either agree.
    """
    new = MOVED_MODULES[old]
    # stacklevel 3: past this function and the shim's body to the importing line (the import
    # machinery's own frames in between are skipped by the warnings module).
    warnings.warn(
        f"{old} moved to {new} (fake_kodi issue 16); the old path goes in the next release",
        DeprecationWarning,
        stacklevel=3,
    )
    return importlib.import_module(new)
