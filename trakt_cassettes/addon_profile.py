"""The add-on a recording or a replay drives, and how it is pointed at Trakt.

Gathered from, in order of precedence: the command line (`--addon`, `--api-url-setting`,
`--setting K=V`, `--db`), the cassette's `metadata.addon` (written by a proxy recording), and the
project's `[tool.trakt-cassettes]` (project_config.py), whose defaults apply to its own add-on only.

Setting values may hold placeholders, filled in per run, so no secret or date is ever written
in a command, a pyproject.toml or a cassette:

    {server}         the URL the add-on must use (the recording proxy or the replay server)
    {client_id} {client_secret} {access_token} {refresh_token}
                     the scenario's app and user (a real-Trakt recording: TRAKT_* variables)
    {token_expires}  when the starting token expires, epoch seconds on the run's clock
                     (recorded as token_expires_in; "Replaying later than recorded" in the README)
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from trakt_cassettes.project_config import ProjectConfig

DEFAULT_API_URL_SETTING = "trakt_api_url"
PLACEHOLDERS = ("server", "client_id", "client_secret", "access_token", "refresh_token", "token_expires")
_PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# A setting whose id says it holds a secret (the rule `fake-kodi settings` masks by).
SECRET_SETTING = re.compile(r"(?i)(token|secret|passw|api_?key|cookie|pin_?code)")
SCRUBBED_SETTING = "SCRUBBED_SETTING"


class AddonProfileError(ValueError):
    """The add-on to drive is missing or unusable; the message says what to pass."""


@dataclass
class AddonProfile:
    """Where the add-on is, which setting holds the API URL, what else to set, its database and step names."""

    source: Path | None = None
    api_url_setting: str = DEFAULT_API_URL_SETTING
    settings: dict[str, str] = field(default_factory=dict)
    db: str | None = None
    step_names: dict[str, list[Any]] = field(default_factory=dict)

    def metadata(self, addon_id: str, mask: Any = None) -> dict[str, Any]:
        """What a cassette records about the add-on so a replay needs only `--addon` (secret literals masked)."""
        settings = {key: _storable(key, value, mask) for key, value in sorted(self.settings.items())}
        data: dict[str, Any] = {"id": addon_id, "api_url_setting": self.api_url_setting, "settings": settings}
        if self.db:
            data["db"] = self.db
        return data


def resolve_profile(
    *,
    addon: str | Path | None = None,
    api_url_setting: str | None = None,
    settings: Mapping[str, str] | None = None,
    db: str | None = None,
    recorded: Mapping[str, Any] | None = None,
    config: ProjectConfig | None = None,
) -> AddonProfile:
    """The profile from the command line, a cassette's metadata.addon and the project config, in that order."""
    recorded = recorded or {}
    source = Path(addon) if addon else None
    if source is None and config is not None and config.addon is not None:
        if not recorded.get("id") or recorded.get("id") == read_addon_id(config.addon):
            source = config.addon
    if source is None:
        named = f" (the cassette was recorded with {recorded['id']})" if recorded.get("id") else ""
        raise AddonProfileError(f"name the add-on to drive with --addon ZIP_OR_FOLDER{named}")
    if not source.exists():
        raise AddonProfileError(f"no such add-on zip or folder: {source}")
    # The project's defaults describe its own add-on; another add-on gets none of them.
    own = (
        config
        if config is not None and config.addon is not None and _same_addon(source, config.addon)
        else None
    )
    return AddonProfile(
        source=source,
        api_url_setting=api_url_setting
        or recorded.get("api_url_setting")
        or (own.api_url_setting if own else None)
        or DEFAULT_API_URL_SETTING,
        settings={**(own.settings if own else {}), **(recorded.get("settings") or {}), **(settings or {})},
        db=db or recorded.get("db") or (own.db if own else None),
        step_names=dict(own.steps) if own else {},
    )


def fill_placeholders(templates: Mapping[str, str], values: Mapping[str, object]) -> dict[str, str]:
    """Settings with each {placeholder} replaced by its value ('' when the run has none)."""
    return {
        key: _PLACEHOLDER_RE.sub(lambda match: str(values.get(match.group(1)) or ""), text)
        for key, text in templates.items()
    }


def parse_setting_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """KEY=VALUE texts from the command line; AddonProfileError naming a bad one."""
    settings = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise AddonProfileError(f"--setting needs KEY=VALUE, got {pair!r}")
        settings[key.strip()] = value
    return settings


def read_addon_id(source: str | Path) -> str | None:
    """The id in the addon.xml of an add-on folder or zip (None when there is none to read)."""
    source = Path(source)
    try:
        if source.is_dir():
            text = (source / "addon.xml").read_bytes()
        else:
            with zipfile.ZipFile(source) as archive:
                name = next(
                    (n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/addon.xml")), None
                )
                if name is None:
                    return None
                text = archive.read(name)
        return ElementTree.fromstring(text).get("id")
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return None


def _same_addon(source: Path, configured: Path) -> bool:
    if source.absolute() == configured.absolute():
        return True
    addon_id = read_addon_id(source)
    return addon_id is not None and addon_id == read_addon_id(configured)


def _storable(key: str, value: str, mask: Any) -> str:
    """A setting as a cassette may keep it: placeholders as they are, literal secrets never."""
    if mask is not None:
        value = mask(value)
    if (
        SECRET_SETTING.search(key)
        and _PLACEHOLDER_RE.sub("", value).strip()
        and not value.startswith("SCRUBBED_")
    ):
        return SCRUBBED_SETTING
    return value
