"""The built add-on in a fake Kodi home, its settings pointing at a served simulator."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips

from .support import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, ROOT

ADDON_ID = "plugin.video.aiostreams"
BUILD_SCRIPT = ROOT / "reference_addon" / "build.py"


def build_zip(out_dir: Path) -> Path:
    """reference_addon/build.py's zip of the add-on."""
    spec = importlib.util.spec_from_file_location("aiostreams_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.build(out_dir))


class KodiWorld:
    """A fake Kodi with the add-on installed and authorised against a served simulator."""

    def __init__(self, kodi: Kodi, zip_path: Path, sim: Any, url: str, **settings: Any):
        self.kodi = kodi
        self.sim = sim
        kodi.install(zip_path, dependencies=dependency_zips(zip_path))
        kodi.clock.set(sim.clock.now())
        values = {
            "trakt_api_url": url,
            "aiostreams_manifest_url": f"{url}/stremio/cfg/manifest.json",
            "trakt_client_id": CLIENT_ID,
            "trakt_client_secret": CLIENT_SECRET,
            "trakt_access_token": ACCESS_TOKEN,
            "trakt_refresh_token": REFRESH_TOKEN,
            "trakt_token_expires": str(int(sim.clock.now() + 30 * 86400)),
            "auto_sync": True,
            "sync_interval": 5,
        }
        values.update(settings)
        kodi.set_settings(ADDON_ID, **values)

    @property
    def profile(self) -> Path:
        return self.kodi.home.addon_data_dir(ADDON_ID)

    @property
    def db_path(self) -> Path:
        return self.profile / "trakt_sync.db"

    def prop(self, key: str) -> str:
        return self.kodi.window_property(f"{ADDON_ID}.{key}")

    def wait_for_request(self, pattern: str, timeout: float = 30.0) -> None:
        """Block (real time) until the simulator saw a request whose path starts with `pattern`."""
        deadline = time.monotonic() + timeout
        while not any(entry["path"].startswith(pattern) for entry in self.sim.request_log):
            if time.monotonic() > deadline:
                raise AssertionError(f"no request to {pattern} within {timeout} s")
            time.sleep(0.005)
