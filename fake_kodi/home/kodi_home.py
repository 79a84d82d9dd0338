"""The Kodi home folder on disk (what `special://home` points at) and special:// translation.

Layout, as Kodi 20 lays out `~/.kodi/`:

    <root>/addons/                      installed add-ons, one folder per id
    <root>/addons/packages/             (Kodi keeps downloaded zips here; created for parity)
    <root>/userdata/                    the master profile (special://profile, special://userdata)
    <root>/userdata/addon_data/<id>/    an add-on's profile folder (user settings.xml lives here)
    <root>/temp/                        special://temp and special://logpath; kodi.log is here
    <root>/.fake_kodi/                  the fake's own state (shared Window properties, handles)

Translation follows KODI_BEHAVIOUR.md section 4: a special root becomes its folder with a
trailing slash, the rest of the path is appended as given (so a path without a trailing slash
stays without one), and an unknown special root translates to ''.
"""

from __future__ import annotations

import re
from pathlib import Path

SPECIAL_PREFIX = "special://"

# Kodi refuses ids that could escape the addons folder; this is the shape it accepts.
_ADDON_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def is_valid_addon_id(addon_id: str) -> bool:
    """True for ids Kodi accepts as a folder name (letters, digits, '.', '_', '-'; no '..')."""
    return bool(_ADDON_ID_RE.match(addon_id)) and ".." not in addon_id


class KodiHome:
    """One Kodi home: the folders of `special://home` and the special:// path rules."""

    def __init__(self, root: str | Path, kodi_version: int = 20, xbmc_dir: str | Path = "/usr/share/kodi"):
        if kodi_version not in (20, 21):
            raise ValueError(f"kodi_version must be 20 or 21, not {kodi_version!r}")
        self.root = Path(root).resolve()
        self.kodi_version = kodi_version
        self.addons_dir = self.root / "addons"
        self.packages_dir = self.addons_dir / "packages"
        self.userdata_dir = self.root / "userdata"
        self.addon_data_root = self.userdata_dir / "addon_data"
        self.temp_dir = self.root / "temp"
        self.log_path = self.temp_dir / "kodi.log"
        self.state_dir = self.root / ".fake_kodi"
        # special://xbmc is Kodi's install folder; real Kodi on Debian answers /usr/share/kodi/.
        self.xbmc_dir = Path(xbmc_dir)

    def __repr__(self) -> str:
        return f"KodiHome({str(self.root)!r}, kodi_version={self.kodi_version})"

    def create(self) -> KodiHome:
        """Create the folder layout (idempotent) and return self."""
        for folder in (
            self.addons_dir,
            self.packages_dir,
            self.userdata_dir,
            self.addon_data_root,
            self.temp_dir,
            self.state_dir,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    def addon_data_dir(self, addon_id: str) -> Path:
        """userdata/addon_data/<id> (not created: Kodi creates it only when something is saved)."""
        if not is_valid_addon_id(addon_id):
            raise ValueError(f"invalid add-on id {addon_id!r}")
        return self.addon_data_root / addon_id

    def addon_dir(self, addon_id: str) -> Path:
        """addons/<id>."""
        if not is_valid_addon_id(addon_id):
            raise ValueError(f"invalid add-on id {addon_id!r}")
        return self.addons_dir / addon_id

    def _special_roots(self) -> dict[str, str]:
        """special root name -> folder with trailing slash (Kodi 20, single master profile)."""
        home = f"{self.root}/"
        userdata = f"{self.userdata_dir}/"
        temp = f"{self.temp_dir}/"
        return {
            "home": home,
            "profile": userdata,
            "masterprofile": userdata,
            "userdata": userdata,
            "database": f"{self.userdata_dir}/Database/",
            "thumbnails": f"{self.userdata_dir}/Thumbnails/",
            "musicplaylists": f"{self.userdata_dir}/playlists/music/",
            "videoplaylists": f"{self.userdata_dir}/playlists/video/",
            "temp": temp,
            "logpath": temp,
            "xbmc": f"{self.xbmc_dir}/",
            "xbmcbin": f"{self.xbmc_dir}/",
            "xbmcbinaddons": f"{self.xbmc_dir}/addons/",
        }

    def translate_path(self, path: str) -> str:
        """xbmcvfs.translatePath: special://<root>/<rest> -> real path; '' for an unknown root."""
        if not path[: len(SPECIAL_PREFIX)].lower() == SPECIAL_PREFIX:
            return path
        rest = path[len(SPECIAL_PREFIX) :]
        root_name, _, tail = rest.partition("/")
        folder = self._special_roots().get(root_name.lower())
        if folder is None:
            return ""
        return folder + tail
