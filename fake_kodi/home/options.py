"""The fake's own options for one home (not Kodi settings): what the add-on's Python sees.

Stored in `<home>/.fake_kodi/options.json` so every process of the home (plugin calls, services,
`fake-kodi call`) agrees; an environment variable overrides the stored value for one run:

- `system_packages` / FAKE_KODI_SYSTEM_PACKAGES=1: Debian's Kodi, which runs the system python3 with
  /usr/lib/python3/dist-packages on sys.path, so the interpreter's site-packages are importable.
  Off by default: like Kodi on Android, Windows, macOS and LibreELEC, an add-on imports only the
  standard library, the xbmc* modules, its own folder and its declared dependencies' lib folders.
- `language_addon` / FAKE_KODI_LANGUAGE_ADDON=DIR: the folder of the language add-on Kodi's own
  strings (xbmc.getLocalizedString) are read from (core_strings.py says where it looks otherwise).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SYSTEM_PACKAGES_ENV = "FAKE_KODI_SYSTEM_PACKAGES"
LANGUAGE_ADDON_ENV = "FAKE_KODI_LANGUAGE_ADDON"
OPTIONS_FILE = "options.json"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _path(state_dir: Path) -> Path:
    return Path(state_dir) / OPTIONS_FILE


def read_options(state_dir: Path) -> dict[str, Any]:
    """The stored options of a home ({} when none were set)."""
    try:
        data = json.loads(_path(state_dir).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_option(state_dir: Path, key: str, value: Any) -> None:
    """Store one option (atomically: a running service may read the file at the same time)."""
    options = read_options(state_dir)
    options[key] = value
    Path(state_dir).mkdir(parents=True, exist_ok=True)
    tmp = Path(state_dir) / f".{OPTIONS_FILE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(options, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, _path(state_dir))


def system_packages(state_dir: Path) -> bool:
    """True when the add-on's Python sees the interpreter's site-packages (Debian's Kodi)."""
    value = os.environ.get(SYSTEM_PACKAGES_ENV)
    if value is not None:
        text = value.strip().lower()
        if text not in _TRUE + _FALSE:
            raise ValueError(f"{SYSTEM_PACKAGES_ENV}={value!r}: expected 1 or 0")
        return text in _TRUE
    return bool(read_options(state_dir).get("system_packages", False))


def language_addon(state_dir: Path) -> Path | None:
    """The language add-on folder chosen for Kodi's own strings, if one was chosen."""
    value = os.environ.get(LANGUAGE_ADDON_ENV) or read_options(state_dir).get("language_addon")
    return Path(value) if value else None
