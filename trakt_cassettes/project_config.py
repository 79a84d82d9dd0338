"""A project's defaults for trakt-cassettes: `[tool.trakt-cassettes]` in its pyproject.toml.

An add-on project writes once which add-on its cassettes drive and how to point it at Trakt, so
`trakt-cassettes record SCENARIO` and `trakt-cassettes replay CASSETTE` need no more flags:

    [tool.trakt-cassettes]
    addon = "plugin.video.mine"            # its folder (or zip), relative to pyproject.toml
    api-url-setting = "trakt_api_url"      # the setting that holds Trakt's base URL
    db = "trakt.db"                        # optional: SQLite file in its profile; replay counts its rows
    drivers = "tools/cassette_drivers.py"  # optional: a module whose DRIVERS are --driver names
    default-driver = "mine-sync"           # optional: what `record SCENARIO` runs without --addon

    [tool.trakt-cassettes.settings]        # set before each run; {placeholders} filled in (addon_profile.py)
    trakt_access_token = "{access_token}"

    [tool.trakt-cassettes.steps]           # step names a cassette's replay_steps may use
    sync = ["call", "mine.debug:sync"]

The nearest pyproject.toml holding the table is used, searched upward from the cassette's (or
scenario's) folder, then from the working directory, then from this package's folder, so a
checkout of this repository replays its committed cassettes with its own reference add-on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

TABLE = "trakt-cassettes"
KEYS = ("addon", "api-url-setting", "db", "drivers", "default-driver", "settings", "steps")


class ProjectConfigError(ValueError):
    """A `[tool.trakt-cassettes]` table that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class ProjectConfig:
    """The project's defaults (paths resolved against the folder of its pyproject.toml)."""

    path: Path
    addon: Path | None = None
    api_url_setting: str | None = None
    db: str | None = None
    drivers: str | None = None
    default_driver: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    steps: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The project's folder."""
        return self.path.parent


def find_project_config(*starts: str | os.PathLike | None) -> ProjectConfig | None:
    """The nearest project config above each start in turn (then the working directory, then this package)."""
    seen: set[Path] = set()
    for start in (*starts, Path.cwd(), Path(__file__).parent):
        if start is None:
            continue
        folder = Path(start).absolute()
        for candidate in (folder, *folder.parents):
            pyproject = candidate / "pyproject.toml"
            if pyproject in seen:
                continue
            seen.add(pyproject)
            table = _table(pyproject)
            if table is not None:
                return _parse(pyproject, table)
    return None


def _table(pyproject: Path) -> dict | None:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectConfigError(f"{pyproject}: cannot read it ({exc})") from None
    table = (data.get("tool") or {}).get(TABLE)
    if table is not None and not isinstance(table, dict):
        raise ProjectConfigError(f"{pyproject}: [tool.{TABLE}] must be a table")
    return table


def _parse(pyproject: Path, table: dict) -> ProjectConfig:
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ProjectConfigError(
            f"{pyproject}: [tool.{TABLE}] has unknown key(s) {', '.join(unknown)} (known: {', '.join(KEYS)})"
        )
    texts = {
        key: _text(pyproject, table, key)
        for key in ("addon", "api-url-setting", "db", "drivers", "default-driver")
    }
    settings = table.get("settings", {})
    if not isinstance(settings, dict) or not all(isinstance(v, str) for v in settings.values()):
        raise ProjectConfigError(f"{pyproject}: [tool.{TABLE}.settings] must map setting ids to strings")
    steps = table.get("steps", {})
    if not isinstance(steps, dict) or not all(isinstance(v, list) and v for v in steps.values()):
        raise ProjectConfigError(
            f"{pyproject}: [tool.{TABLE}.steps] must map names to steps (non-empty lists)"
        )
    root = pyproject.parent
    return ProjectConfig(
        path=pyproject,
        addon=root / texts["addon"] if texts["addon"] else None,
        api_url_setting=texts["api-url-setting"],
        db=texts["db"],
        drivers=str(root / texts["drivers"])
        if texts["drivers"] and texts["drivers"].endswith(".py")
        else texts["drivers"],
        default_driver=texts["default-driver"],
        settings=dict(settings),
        steps={name: list(step) for name, step in steps.items()},
    )


def _text(pyproject: Path, table: dict, key: str) -> str | None:
    value = table.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ProjectConfigError(
            f"{pyproject}: [tool.{TABLE}] {key} must be a non-empty string, got {value!r}"
        )
    return value
