"""A fresh Kodi home: settings for loopback-only JSON-RPC, a silent sound card and the support add-ons."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from fake_kodi.real.install import DEBIAN_REQUESTS_DIR

HELPER_ADDON_ID = "script.fakekodi.helper"
REQUESTS_ADDON_ID = "script.module.requests"
# Debian's python3-requests and the packages it imports; linked into the module add-on's lib/.
REQUESTS_PACKAGES = ("requests", "urllib3", "idna", "certifi", "charset_normalizer", "chardet")
HELPER_RESULTS_DIR = "fakekodi-helper"


@dataclass(frozen=True)
class KodiHome:
    """Paths and ports of one prepared Kodi home."""

    home: Path
    jsonrpc_port: int
    es_port: int

    @property
    def kodi_dir(self) -> Path:
        """special://home."""
        return self.home / ".kodi"

    @property
    def userdata(self) -> Path:
        """special://profile."""
        return self.kodi_dir / "userdata"

    @property
    def addons_dir(self) -> Path:
        """Where add-ons are unpacked."""
        return self.kodi_dir / "addons"

    @property
    def temp_dir(self) -> Path:
        """special://temp (holds kodi.log)."""
        return self.kodi_dir / "temp"

    @property
    def log_path(self) -> Path:
        """Kodi's log file."""
        return self.temp_dir / "kodi.log"

    @property
    def helper_results(self) -> Path:
        """Where the helper script add-on writes one JSON answer per command."""
        return self.temp_dir / HELPER_RESULTS_DIR


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """Ask the kernel for a port that is free on 127.0.0.1 right now (TCP or UDP)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int, kind: int = socket.SOCK_STREAM) -> bool:
    """Tell whether nothing listens on 127.0.0.1:port (another Kodi may hold 9090)."""
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def guisettings_xml(es_port: int, screenshot_dir: Path) -> str:
    """Kodi's GUI settings: JSON-RPC over TCP needs event server on, bound to loopback; webserver off."""
    values = {
        "services.esenabled": "true",  # the JSON-RPC TCP server only starts with the event server
        "services.esallinterfaces": "false",  # loopback only
        "services.esport": str(es_port),  # ES binds UDP too: never collide with another Kodi
        "services.webserver": "false",  # it would bind 0.0.0.0
        "services.zeroconf": "false",
        "services.upnp": "false",
        "services.airplay": "false",
        "services.wsdiscovery": "false",  # WS-Discovery (SMB) binds UDP 0.0.0.0:3702 in Kodi 20 and 21
        "general.addonupdates": "2",  # never check for updates (no network)
        "addons.unknownsources": "true",
        "debug.screenshotpath": str(screenshot_dir),
        # "Keep audio device alive": Off. The default keeps the sink streaming silence for a minute after
        # each sound; into the ALSA null device (.asoundrc) every write returns at once, so Kodi's AESink
        # thread spun at ~0.27 core for a Kodi's whole life and took half of its start CPU (measured:
        # start 2.7 -> 1.3 s CPU in Kodi 20, 3.9 -> 2.0 s in 21; idle 0.27 -> 0.02 core). Off suspends
        # the sink between sounds (settings.xml `audiooutput.streamsilence`, 0 = Off; strings.po #34111).
        "audiooutput.streamsilence": "0",
    }
    lines = [f'    <setting id="{key}">{escape(value)}</setting>' for key, value in values.items()]
    return '<settings version="2">\n' + "\n".join(lines) + "\n</settings>\n"


def advancedsettings_xml(jsonrpc_port: int, debug_log: bool) -> str:
    """advancedsettings.xml: the JSON-RPC TCP port (<jsonrpc><tcpport>) and, optionally, debug logging."""
    # hide="true" keeps the on-screen debug overlay off, so screenshots show what a user sees.
    loglevel = '    <loglevel hide="true">1</loglevel>\n' if debug_log else ""
    return (
        "<advancedsettings>\n"
        f"    <jsonrpc>\n        <compactoutput>true</compactoutput>\n        <tcpport>{jsonrpc_port}</tcpport>\n"
        "    </jsonrpc>\n"
        f"{loglevel}"
        "</advancedsettings>\n"
    )


def _requests_version(packages_dir: Path) -> str:
    version_file = packages_dir / "requests" / "__version__.py"
    if version_file.is_file():
        for line in version_file.read_text(encoding="utf-8").splitlines():
            if line.startswith("__version__"):
                return line.split("=", 1)[1].strip().strip("'\"")
    return "2.28.1"


def _addon_xml(addon_id: str, name: str, version: str, extension: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<addon id="{addon_id}" name="{escape(name)}" version="{version}" provider-name="fake_kodi">\n'
        '    <requires>\n        <import addon="xbmc.python" version="3.0.0"/>\n    </requires>\n'
        f"    {extension}\n"
        '    <extension point="xbmc.addon.metadata">\n'
        f'        <summary lang="en_GB">{escape(name)}</summary>\n'
        "        <platform>all</platform>\n"
        "    </extension>\n"
        "</addon>\n"
    )


def write_requests_module(addons_dir: Path, packages_dir: Path = DEBIAN_REQUESTS_DIR) -> Path:
    """Provide script.module.requests as a module add-on whose lib/ links to Debian's packages.

    `packages_dir` is where this process finds them (inside Kodi 21's root for Kodi 21); the links point
    where Kodi finds them, /usr/lib/python3/dist-packages, which is the same place from inside a chroot.
    """
    addon_dir = addons_dir / REQUESTS_ADDON_ID
    lib = addon_dir / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    for package in REQUESTS_PACKAGES:
        if (packages_dir / package).is_dir() and not (lib / package).is_symlink():
            (lib / package).symlink_to(DEBIAN_REQUESTS_DIR / package, target_is_directory=True)
    extension = '<extension point="xbmc.python.module" library="lib"/>'
    name = "requests (Debian python3-requests)"
    (addon_dir / "addon.xml").write_text(
        _addon_xml(REQUESTS_ADDON_ID, name, _requests_version(packages_dir), extension), encoding="utf-8"
    )
    return addon_dir


HELPER_SCRIPT = '''\
"""fake_kodi's helper: runs one command inside Kodi and writes its answer as JSON.

argv: token, then hex-encoded JSON {"command": ..., "args": [...]} (builtin parameters split on commas).
"""
import json
import os
import sys

import xbmc
import xbmcaddon
import xbmcvfs


def run(command, args):
    if command == "builtin":
        xbmc.executebuiltin(args[0], True)
        return None
    if command == "get_setting":
        return xbmcaddon.Addon(args[0]).getSetting(args[1])
    if command == "set_setting":
        xbmcaddon.Addon(args[0]).setSetting(args[1], args[2])
        return None
    raise ValueError("unknown helper command " + command)


def main(argv):
    token = argv[1]
    request = json.loads(bytes.fromhex(argv[2]).decode("utf-8"))
    command, args = request["command"], request["args"]
    try:
        answer = {"ok": True, "value": run(command, args)}
    except Exception as exc:  # the driver reports it; a traceback here would fail the whole run
        answer = {"ok": False, "error": type(exc).__name__ + ": " + str(exc)}
    folder = xbmcvfs.translatePath("special://temp/@RESULTS_DIR@/")
    os.makedirs(folder, exist_ok=True)
    partial = os.path.join(folder, token + ".part")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(answer, handle)
    os.replace(partial, os.path.join(folder, token + ".json"))


main(sys.argv)
'''.replace("@RESULTS_DIR@", HELPER_RESULTS_DIR)


def write_helper_addon(addons_dir: Path) -> Path:
    """Install the helper script add-on the driver uses for builtins and live add-on settings."""
    addon_dir = addons_dir / HELPER_ADDON_ID
    addon_dir.mkdir(parents=True, exist_ok=True)
    extension = '<extension point="xbmc.python.script" library="helper.py"/>'
    (addon_dir / "addon.xml").write_text(
        _addon_xml(HELPER_ADDON_ID, "fake_kodi driver helper", "1.0.0", extension), encoding="utf-8"
    )
    (addon_dir / "helper.py").write_text(HELPER_SCRIPT, encoding="utf-8")
    return addon_dir


def addon_user_settings_xml(values: Mapping[str, str]) -> str:
    """An add-on's user settings file in Kodi 20's format (version 2, 4-space indent, no declaration)."""
    lines = [f"    <setting id={quoteattr(key)}>{escape(value)}</setting>" for key, value in values.items()]
    return '<settings version="2">\n' + "".join(line + "\n" for line in lines) + "</settings>\n"


def write_addon_user_settings(userdata: Path, addon_id: str, values: Mapping[str, str]) -> Path:
    """Write userdata/addon_data/<id>/settings.xml; Kodi fills in the defaults of the settings left out."""
    target = userdata / "addon_data" / addon_id / "settings.xml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(addon_user_settings_xml(values), encoding="utf-8")
    return target


def prepare_home(
    home: Path,
    screenshot_dir: Path,
    debug_log: bool = False,
    jsonrpc_port: int | None = None,
    requests_dir: Path = DEBIAN_REQUESTS_DIR,
) -> KodiHome:
    """Create a fresh Kodi home under `home` (used as $HOME) with free loopback ports.

    `requests_dir`: where this process finds the python3-requests packages Kodi will use.
    """
    port = jsonrpc_port if jsonrpc_port is not None else free_port()
    if not port_is_free(port):
        raise RuntimeError(f"JSON-RPC port {port} on 127.0.0.1 is taken (another Kodi?)")
    prepared = KodiHome(home=home, jsonrpc_port=port, es_port=free_port(socket.SOCK_DGRAM))
    for folder in (prepared.userdata, prepared.addons_dir, prepared.temp_dir, screenshot_dir):
        folder.mkdir(parents=True, exist_ok=True)
    (prepared.userdata / "guisettings.xml").write_text(
        guisettings_xml(prepared.es_port, screenshot_dir), encoding="utf-8"
    )
    (prepared.userdata / "advancedsettings.xml").write_text(
        advancedsettings_xml(port, debug_log), encoding="utf-8"
    )
    # ALSA null sink: no sound card here, and Kodi starts in ~1 s instead of probing devices.
    (home / ".asoundrc").write_text("pcm.!default { type null }\n")
    write_requests_module(prepared.addons_dir, requests_dir)
    write_helper_addon(prepared.addons_dir)
    return prepared
