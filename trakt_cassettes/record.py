"""Record a cassette: run a driver's HTTP traffic against the simulator (or a real Trakt) through vcrpy."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

from trakt_cassettes.config import CASSETTE_SUFFIX, use_cassette
from trakt_cassettes.filters import Scrubber

CREDENTIAL_ENV = ("TRAKT_CLIENT_ID", "TRAKT_CLIENT_SECRET", "TRAKT_ACCESS_TOKEN")
# Used against the simulator when the scenario names no app: any value works there, scrubbing hides it.
DEFAULT_CLIENT_ID = "standin-client-id"
DEFAULT_CLIENT_SECRET = "standin-client-secret"
# Fault kinds whose recorded body is broken on purpose; lint accepts them when marked.
MARKED_FAULT_KINDS = ("malformed_json", "truncated_json")


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


# --- The stand-in driver --------------------------------------------------------------------------------
# STAND-IN: a plain full sync the way an add-on would do it, until the reference add-on's real sync (issue 4)
# replaces it as the default driver. It exists to produce realistic traffic, not to be a sync to copy.

RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522})
STOP_STATUSES = frozenset({420, 423, 426})
MAX_RETRIES = 3
PAGE_LIMIT = 100
WATCHED_PAGE_LIMIT = 250


class AreaFailed(Exception):
    """One sync area could not be fetched; the stand-in sync notes it and goes on with the next area."""


class AccountStopped(Exception):
    """Trakt said stop (420 account limit, 423 locked, 426 VIP only): the sync ends, nothing is retried."""


@dataclass
class DriverContext:
    """What a driver gets: where Trakt is, credentials, a clock to wait on, and notes for the cassette."""

    base_url: str
    client_id: str
    client_secret: str
    access_token: str | None = None
    refresh_token: str | None = None
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 5.0
    notes: list[str] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    clock: Callable[[], float] = time.time
    # Written into the cassette's metadata (e.g. replay_steps for `trakt-cassettes replay`).
    metadata: dict[str, object] = field(default_factory=dict)

    def headers(self, authed: bool = True) -> dict[str, str]:
        """Trakt's required headers; fixed User-Agent and Accept-Encoding keep recordings identical."""
        headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": self.client_id,
                   "User-Agent": "trakt-cassettes-standin/1.0", "Accept-Encoding": "gzip"}  # fmt: skip
        if authed and self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers

    def call(
        self, method: str, path: str, params: dict | None = None, body: object = None
    ) -> requests.Response:
        """One API call with the stand-in's policy: refresh once on 401, wait on 429, back off on 5xx."""
        refreshed = False
        for attempt in range(MAX_RETRIES + 1):
            try:
                response = self.session.request(method, self.base_url + path, params=params, json=body,
                                                headers=self.headers(), timeout=self.timeout)  # fmt: skip
            except requests.Timeout:
                raise AreaFailed(f"{method} {path}: timeout") from None
            except requests.ConnectionError:
                raise AreaFailed(f"{method} {path}: connection failed") from None
            if response.status_code == 401 and not refreshed and self.refresh_token:
                refreshed = True
                self.refresh()
                continue
            if response.status_code == 429 and attempt < MAX_RETRIES:
                self.sleep(float(response.headers.get("Retry-After") or 1))
                continue
            if response.status_code in RETRY_STATUSES and attempt < MAX_RETRIES:
                self.sleep(2.0 ** (attempt + 1))
                continue
            if response.status_code in STOP_STATUSES:
                raise AccountStopped(f"{method} {path}: {response.status_code}, not retried")
            if response.status_code >= 400:
                raise AreaFailed(f"{method} {path}: HTTP {response.status_code}")
            return response
        raise AreaFailed(f"{method} {path}: gave up after {MAX_RETRIES} retries")

    def get_json(self, path: str, params: dict | None = None) -> object:
        """GET and parse JSON (a malformed body fails the area)."""
        response = self.call("GET", path, params)
        try:
            return response.json()
        except ValueError:
            raise AreaFailed(f"GET {path}: malformed JSON") from None

    def get_pages(self, path: str, params: dict | None = None, limit: int = PAGE_LIMIT) -> list:
        """Every page of a paginated list, following X-Pagination-Page-Count."""
        items: list = []
        page, page_count = 1, 1
        while page <= page_count:
            response = self.call("GET", path, {**(params or {}), "page": page, "limit": limit})
            try:
                items.extend(response.json())
            except ValueError:
                raise AreaFailed(f"GET {path} page {page}: malformed JSON") from None
            page_count = int(response.headers.get("X-Pagination-Page-Count") or 1)
            page += 1
        return items

    def refresh(self) -> None:
        """Rotate the token pair via POST /oauth/token."""
        body = {"refresh_token": self.refresh_token, "client_id": self.client_id, "client_secret": self.client_secret,
                "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "grant_type": "refresh_token"}  # fmt: skip
        response = self.session.post(self.base_url + "/oauth/token", json=body, headers=self.headers(authed=False),
                                     timeout=self.timeout)  # fmt: skip
        if response.status_code != 200:
            raise AccountStopped(f"POST /oauth/token: {response.status_code}, login lost")
        tokens = response.json()
        self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]


def standin_sync_driver(context: DriverContext) -> None:
    """STAND-IN sync: last_activities, watched, watchlist pages, playback, hidden, then seasons and progress."""
    try:
        context.get_json("/sync/last_activities")
        areas: list[tuple[str, Callable[[], object]]] = [
            ("watched movies", lambda: context.get_pages("/sync/watched/movies", limit=WATCHED_PAGE_LIMIT)),
            (
                "watched shows",
                lambda: context.get_pages(
                    "/sync/watched/shows", {"extended": "progress"}, WATCHED_PAGE_LIMIT
                ),
            ),
            ("watchlist", lambda: context.get_pages("/sync/watchlist/all/rank/asc")),
            ("playback", lambda: context.get_json("/sync/playback")),
            ("hidden", lambda: context.get_pages("/users/hidden/progress_watched")),
        ]
        results: dict[str, object] = {}
        for name, fetch in areas:
            try:
                results[name] = fetch()
            except AreaFailed as exc:
                context.notes.append(f"{name}: {exc} (area keeps its old data)")
        for row in results.get("watched shows") or []:
            show_id = row["show"]["ids"]["trakt"]
            try:
                context.get_json(f"/shows/{show_id}/seasons", {"extended": "full,episodes"})
                context.get_json(f"/shows/{show_id}/progress/watched",
                                 {"hidden": "false", "specials": "false", "count_specials": "false"})  # fmt: skip
            except AreaFailed as exc:
                context.notes.append(f"show {show_id}: {exc}")
    except (AreaFailed, AccountStopped) as exc:
        context.notes.append(f"sync stopped: {exc}")


def standin_device_login(context: DriverContext) -> bool:
    """STAND-IN device login: poll until approved, waiting `interval` on the clock; True once tokens are set."""
    code = context.session.post(context.base_url + "/oauth/device/code", json={"client_id": context.client_id},
                                headers=context.headers(authed=False), timeout=context.timeout).json()  # fmt: skip
    body = {
        "code": code["device_code"],
        "client_id": context.client_id,
        "client_secret": context.client_secret,
    }
    waited, interval = 0.0, float(code.get("interval", 5))
    while waited < float(code.get("expires_in", 600)):
        context.sleep(interval)  # the first poll waits an interval too, as the add-on's flow does
        waited += interval
        answer = context.session.post(context.base_url + "/oauth/device/token", json=body,
                                      headers=context.headers(authed=False), timeout=context.timeout)  # fmt: skip
        if answer.status_code == 200:
            tokens = answer.json()
            context.access_token, context.refresh_token = tokens["access_token"], tokens["refresh_token"]
            return True
        if answer.status_code == 429:
            interval += 1
        elif answer.status_code != 400:
            context.notes.append(f"device login ended: HTTP {answer.status_code}")
            return False
    context.notes.append("device login ended: code expired while pending")
    return False


def standin_device_auth_driver(context: DriverContext) -> None:
    """STAND-IN device login (poll until approved, waiting `interval` on the clock), then the stand-in sync."""
    if standin_device_login(context):
        standin_sync_driver(context)


def standin_incremental_driver(context: DriverContext) -> None:
    """STAND-IN: a full sync, ten virtual minutes, then a second sync (shows what an unchanged account costs)."""
    standin_sync_driver(context)
    context.sleep(600)
    context.get_json("/sync/last_activities")


Driver = Callable[[DriverContext], None]
# The registry by name (add-on drivers included) is trakt_cassettes.drivers.DRIVERS.


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
    """Record driver's traffic (default: the add-on's sync) into a scrubbed cassette; the simulator serves
    unless base_url is given."""
    if driver is None:
        from trakt_cassettes.addon_sync import addon_sync_driver

        driver = addon_sync_driver
    scenario_path = Path(scenario_path)
    output_path = Path(output_path) if output_path else default_cassette_path(scenario_path)
    scenario_data = _read_scenario(scenario_path)
    if base_url is None:
        from trakt_cassettes.sim import Simulator

        simulator = Simulator.from_file(scenario_path)
        credentials = credentials or _scenario_credentials(scenario_data)
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
    interactions = yaml.safe_load(output_path.read_text(encoding="utf-8")).get("interactions") or []
    return RecordResult(
        output_path, scenario_path, len(interactions), output_path.stat().st_size, list(context.notes)
    )


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
            if context.notes:
                cassette.get_metadata("driver_notes", [scrubber.mask_text(note) for note in context.notes])
            for key, value in context.metadata.items():
                cassette.get_metadata(key, value)
    except requests.RequestException as exc:
        partial.unlink(missing_ok=True)
        raise RecordError(
            f"recording {scenario.name} failed: {type(exc).__name__}: {scrubber.mask_text(str(exc))}"
        ) from None
    os.replace(partial, output)


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


def _read_scenario(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RecordError(f"cannot read scenario {path}: {exc}") from None
    if not isinstance(data, dict):
        raise RecordError(f"scenario {path} is not a mapping")
    return data


def _scenario_credentials(data: dict) -> Credentials:
    app = data.get("app") or {}
    user = data.get("user") or {}
    return Credentials(
        str(app.get("client_id") or DEFAULT_CLIENT_ID),
        str(app.get("client_secret") or DEFAULT_CLIENT_SECRET),
        user.get("access_token"),
        user.get("refresh_token"),
    )
