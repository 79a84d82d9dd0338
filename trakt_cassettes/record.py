"""Record a cassette: run a driver's HTTP traffic against the simulator (or a real Trakt) through vcrpy."""

from __future__ import annotations

import importlib
import os
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

from trakt_cassettes.config import CASSETTE_SUFFIX, use_cassette
from trakt_cassettes.driver_context import Driver, DriverContext
from trakt_cassettes.filters import Scrubber
from trakt_cassettes.yaml_loader import safe_load

CREDENTIAL_ENV = ("TRAKT_CLIENT_ID", "TRAKT_CLIENT_SECRET", "TRAKT_ACCESS_TOKEN")
# Used against the simulator when the scenario names no app: any value works there, scrubbing hides it.
DEFAULT_CLIENT_ID = "standin-client-id"
DEFAULT_CLIENT_SECRET = "standin-client-secret"
# Fault kinds whose recorded body is broken on purpose; lint accepts them when marked.
MARKED_FAULT_KINDS = ("malformed_json", "truncated_json")


NO_DRIVER = (
    "nothing to record: name the add-on (--addon ZIP_OR_FOLDER with --url/--service/--wait/--call) or a --driver "
    "(a project may set [tool.trakt-cassettes] default-driver)"
)


class RecordError(RuntimeError):
    """Recording failed; the message says which step and why (no secrets)."""


@dataclass(frozen=True)
class Credentials:
    """What a driver authenticates with."""

    client_id: str
    client_secret: str
    access_token: str | None = None
    refresh_token: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Credentials:
        """From TRAKT_CLIENT_ID, TRAKT_CLIENT_SECRET, TRAKT_ACCESS_TOKEN (and optional TRAKT_REFRESH_TOKEN)."""
        environ = dict(os.environ if environ is None else environ)
        missing = [name for name in CREDENTIAL_ENV if not environ.get(name)]
        if missing:
            raise RecordError(
                f"recording against a real Trakt needs the environment variables {', '.join(missing)}"
            )
        return cls(
            environ["TRAKT_CLIENT_ID"],
            environ["TRAKT_CLIENT_SECRET"],
            environ["TRAKT_ACCESS_TOKEN"],
            environ.get("TRAKT_REFRESH_TOKEN") or None,
        )


@dataclass
class RecordResult:
    """What a recording produced."""

    cassette_path: Path
    scenario_path: Path
    interactions: int
    size_bytes: int
    driver_notes: list[str] = field(default_factory=list)


# Names that lived here until issue 16 moved them below record.py (driver_context.py, standin.py), so that
# addon_sync.py can use them without importing this module: they still resolve here for one release.
MOVED_NAMES = {
    "AccountStopped": "trakt_cassettes.driver_context",
    "AreaFailed": "trakt_cassettes.driver_context",
    "MAX_RETRIES": "trakt_cassettes.driver_context",
    "PAGE_LIMIT": "trakt_cassettes.driver_context",
    "RETRY_STATUSES": "trakt_cassettes.driver_context",
    "STOP_STATUSES": "trakt_cassettes.driver_context",
    "WATCHED_PAGE_LIMIT": "trakt_cassettes.driver_context",
    "standin_device_auth_driver": "trakt_cassettes.standin",
    "standin_device_login": "trakt_cassettes.standin",
    "standin_incremental_driver": "trakt_cassettes.standin",
    "standin_sync_driver": "trakt_cassettes.standin",
}


def __getattr__(name: str) -> Any:
    """`trakt_cassettes.record.<moved name>`: the name from its new module, with a DeprecationWarning."""
    if name not in MOVED_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"{__name__}.{name} moved to {MOVED_NAMES[name]}.{name}; the old name goes in the next release",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(MOVED_NAMES[name]), name)


def default_cassette_path(scenario_path: str | os.PathLike) -> Path:
    """The cassette stored next to its scenario: name.yaml -> name.cassette.yaml."""
    scenario_path = Path(scenario_path)
    return scenario_path.with_name(scenario_path.name.removesuffix(".yaml") + CASSETTE_SUFFIX)


def record(
    scenario_path: str | os.PathLike,
    output_path: str | os.PathLike | None = None,
    driver: Driver | None = None,
    *,
    base_url: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 5.0,
) -> RecordResult:
    """Record driver's traffic (default: the project's default-driver) into a scrubbed cassette; the simulator
    serves unless base_url is given."""
    scenario_path = Path(scenario_path).absolute()
    if driver is None:
        driver = project_default_driver(scenario_path.parent)
    # Absolute: vcrpy puts a relative path under the package's cassette folder, not the working directory.
    output_path = Path(output_path).absolute() if output_path else default_cassette_path(scenario_path)
    if output_path.is_dir():
        raise RecordError(f"{output_path} is a folder: -o names the cassette file to write")
    scenario_data = read_scenario(scenario_path)
    if base_url is None:
        from trakt_cassettes.sim import Simulator

        simulator = Simulator.from_file(scenario_path)
        credentials = credentials or scenario_credentials(scenario_data)
        with simulator.serve(port=0) as server:
            context = DriverContext(server.url, credentials.client_id, credentials.client_secret,
                                    credentials.access_token, credentials.refresh_token,
                                    sleep=simulator.clock.advance, timeout=timeout, clock=simulator.clock.now)  # fmt: skip
            _record_into(output_path, scenario_path, scenario_data, context, driver)
    else:
        credentials = credentials or Credentials.from_env()
        context = DriverContext(base_url.rstrip("/"), credentials.client_id, credentials.client_secret,
                                credentials.access_token, credentials.refresh_token, sleep=time.sleep, timeout=timeout)  # fmt: skip
        _record_into(output_path, scenario_path, scenario_data, context, driver)
    interactions = safe_load(output_path.read_text(encoding="utf-8")).get("interactions") or []
    return RecordResult(
        output_path, scenario_path, len(interactions), output_path.stat().st_size, list(context.notes)
    )


def project_default_driver(start: Path) -> Driver:
    """The default-driver of the project around `start` (project_config.py); RecordError when it names none."""
    from trakt_cassettes.drivers import DriverError, default_driver_name, load_driver
    from trakt_cassettes.project_config import ProjectConfigError, find_project_config

    try:
        config = find_project_config(start)
        name = default_driver_name(config)
        if name is None:
            raise RecordError(NO_DRIVER)
        return load_driver(name, config=config)
    except (DriverError, ProjectConfigError) as exc:
        raise RecordError(str(exc)) from None


def _record_into(
    output: Path, scenario: Path, scenario_data: dict, context: DriverContext, driver: Driver
) -> None:
    # Record into a fresh side file so an old cassette never leaks in and a failed run leaves it intact.
    partial = output.with_name(output.name + ".recording")
    partial.unlink(missing_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    scrubber = Scrubber(recorded_base_url=context.base_url)
    fault_marker = FaultMarker(scenario_data.get("faults") or [])
    try:
        with use_cassette(
            partial,
            record_mode="all",
            scrubber=scrubber,
            record_on_exception=False,
            before_save_interaction=fault_marker,
        ) as cassette:
            cassette.get_metadata("scenario", os.path.relpath(scenario, output.parent))
            cassette.get_metadata("driver", getattr(driver, "__name__", type(driver).__name__))
            driver(context)
            if len(cassette) == 0:
                notes = "; ".join(scrubber.mask_text(note) for note in context.notes[:3]) or "no driver notes"
                raise RecordError(f"recording {scenario.name} recorded no interaction ({notes})")
            if context.notes:
                cassette.get_metadata("driver_notes", [scrubber.mask_text(note) for note in context.notes])
            for key, value in context.metadata.items():
                cassette.get_metadata(key, value)
    except requests.RequestException as exc:
        raise RecordError(
            f"recording {scenario.name} failed: {type(exc).__name__}: {scrubber.mask_text(str(exc))}"
        ) from None
    else:
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)  # a failed run leaves neither a side file nor a changed cassette


class FaultMarker:
    """vcrpy before_save_interaction hook: marks answers broken on purpose by the scenario's faults."""

    def __init__(self, faults: list[dict]):
        self._faults = [
            (
                str(fault.get("kind")),
                (fault.get("method") or "*").upper(),
                re.compile(str(fault.get("path", ".*"))),
            )
            for fault in faults
            if isinstance(fault, dict) and fault.get("kind") in MARKED_FAULT_KINDS
        ]

    def __call__(self, request, response):  # vcrpy hook protocol: (request, response) -> (request, response)
        """Mark response with `fault: <kind>` when its body does not parse and a scenario fault explains it."""
        for kind, method, path_regex in self._faults:
            if (
                method in ("*", request.method.upper())
                and path_regex.search(request.path)
                and _unparsable(response)
            ):
                response["fault"] = kind
                break
        return request, response


def _unparsable(response: dict) -> bool:
    import json

    body = (response.get("body") or {}).get("string")
    try:
        json.loads(body or "null")
    except ValueError:
        return True
    return False


def read_scenario(path: Path) -> dict:
    """The scenario file's mapping; RecordError naming the file when it cannot be read."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RecordError(f"cannot read scenario {path}: {exc}") from None
    if not isinstance(data, dict):
        raise RecordError(f"scenario {path} is not a mapping")
    return data


def scenario_credentials(data: dict) -> Credentials:
    """The scenario's app and user as credentials (stand-in app values when it names none)."""
    app = data.get("app") or {}
    user = data.get("user") or {}
    return Credentials(
        str(app.get("client_id") or DEFAULT_CLIENT_ID),
        str(app.get("client_secret") or DEFAULT_CLIENT_SECRET),
        user.get("access_token"),
        user.get("refresh_token"),
    )
