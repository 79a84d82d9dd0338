"""The sync debugger: the reference add-on's sync in a fresh fake Kodi against a served cassette, as a timeline."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests

from trakt_cassettes.cassette_file import CassetteError, read_cassette
from trakt_cassettes.recorded_time import RecordedTimeError, scenario_now, token_expiry, token_lifetime
from trakt_cassettes.replay_server import ReplayServer, ServedRequest
from trakt_cassettes.sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "reference_addon" / "build.py"
ADDON_ID = "plugin.video.aiostreams"
# Stand-in cassettes carry no steps: the add-on's one sync is the best guess (unplayed ones are reported).
DEFAULT_STEPS = (["sync"],)


class ReplayError(ValueError):
    """The replay could not start (missing cassette or scenario, bad metadata); the message says which."""


@dataclass
class ReplayStep:
    """One step of the replay (sync, wait, scripted write, device login), its requests and what it did."""

    kind: str
    started_at: float
    requests: list[ServedRequest] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class ReplayTimeline:
    """Everything a replay showed: steps with their requests, errors, unmatched/unplayed, final rows."""

    cassette: str
    scenario: str
    driver: str
    started_at: float
    steps: list[ReplayStep]
    unmatched: list[dict[str, Any]]
    unplayed: list[str]
    tables: dict[str, int]

    @property
    def errors(self) -> list[str]:
        """Failed areas and failed steps, in order."""
        found = []
        for number, step in enumerate(self.steps, 1):
            if step.error:
                found.append(f"step {number} ({step.kind}): {step.error}")
            for area, reason in sorted(((step.result.get("report") or {}).get("failed") or {}).items()):
                found.append(f"step {number} ({step.kind}): {area}: {reason}")
            if step.kind == "device_login" and step.result.get("error"):
                found.append(f"step {number} (device_login): {step.result['error']}")
        return found

    @property
    def ok(self) -> bool:
        """True when every request matched and every recorded interaction was asked for."""
        return not self.unmatched and not self.unplayed

    def to_dict(self) -> dict[str, Any]:
        """The timeline as one JSON-ready object (what --json prints)."""
        return asdict(self) | {"errors": self.errors, "ok": self.ok}

    def format(self) -> str:
        """The timeline as text, one line per request."""
        lines = [
            f"replay {self.cassette} (scenario {self.scenario}, recorded by {self.driver})",
            f"virtual start {_iso(self.started_at)}",
        ]
        for number, step in enumerate(self.steps, 1):
            lines.append(f"step {number}: {_describe_step(step)}")
            lines.extend(_request_line(request, self.started_at) for request in step.requests)
            lines.extend(_result_lines(step))
        lines.append(f"errors: {len(self.errors) or 'none'}")
        lines.extend(f"  {error}" for error in self.errors)
        lines.append(f"unmatched requests: {len(self.unmatched) or 'none'}")
        lines.extend(f"  {item['method']} {item['uri']} ({item['reason']})" for item in self.unmatched)
        lines.append(f"unplayed interactions: {len(self.unplayed) or 'none'}")
        lines.extend(f"  {item}" for item in self.unplayed)
        lines.append("final state: " + ", ".join(f"{name} {count}" for name, count in self.tables.items()))
        return "\n".join(lines)


def _iso(epoch: float | None) -> str:
    if epoch is None:
        return "?"
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe_step(step: ReplayStep) -> str:
    extra = step.result.get("describe", "")
    return f"{step.kind}{' ' + extra if extra else ''} at {_iso(step.started_at)}"


def _request_line(request: ServedRequest, start: float) -> str:
    offset = f"+{request.at - start:.0f}s" if request.at is not None else "?"
    budget = (
        f"  rate-limit left {request.ratelimit_remaining}" if request.ratelimit_remaining is not None else ""
    )
    unmatched = "  UNMATCHED" if not request.matched else ""
    return f"  {offset:>7} {_iso(request.at)}  {request.method} {request.path}  {request.status}{budget}{unmatched}"


def _result_lines(step: ReplayStep) -> list[str]:
    report = step.result.get("report")
    if not report:
        return []
    lines = [
        f"  {report['requests']} request(s); synced {', '.join(report['synced']) or '-'}; "
        f"skipped {', '.join(f'{k} ({v})' for k, v in sorted(report['skipped'].items())) or '-'}"
    ]
    for area, tables in (step.result.get("areas") or {}).items():
        written = "; ".join(
            f"{table} +{c['inserted']} ~{c['updated']} -{c['deleted']}" for table, c in sorted(tables.items())
        )
        lines.append(f"  wrote {area}: {written or 'nothing'}")
    lines.extend(f"  failed {area}: {reason}" for area, reason in sorted(report["failed"].items()))
    return lines


def read_cassette_plan(cassette_path: Path) -> tuple[dict, Path, dict]:
    """The cassette's metadata, its scenario path and the scenario's data; ReplayError saying what is wrong."""
    try:
        data = read_cassette(cassette_path)
    except CassetteError as exc:
        raise ReplayError(str(exc)) from None
    metadata = data.get("metadata") or {}
    if not metadata.get("scenario"):
        raise ReplayError(f"cassette {cassette_path} names no scenario (metadata.scenario)")
    scenario_path = cassette_path.parent / str(metadata["scenario"])
    if not scenario_path.is_file():
        raise ReplayError(f"scenario of {cassette_path.name} not found: {scenario_path}")
    try:
        scenario = load_scenario(scenario_path).data
    except ScenarioError as exc:
        raise ReplayError(f"scenario of {cassette_path.name}: {exc}") from None
    try:
        token_lifetime(metadata, scenario_now(scenario))
    except RecordedTimeError as exc:
        raise ReplayError(f"cassette {cassette_path.name}: {exc}") from None
    return metadata, scenario_path, scenario


def _build_zip(out_dir: Path) -> Path:
    spec = importlib.util.spec_from_file_location("aiostreams_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(out_dir)


def replay_cassette(
    cassette_path: str | os.PathLike, workdir: str | os.PathLike | None = None
) -> ReplayTimeline:
    """Replay a cassette through the add-on's sync in a fresh fake Kodi profile; the timeline."""
    cassette_path = Path(cassette_path)
    metadata, scenario_path, scenario = read_cassette_plan(cassette_path)
    if workdir is not None:
        return _replay_in(Path(workdir), cassette_path, metadata, scenario_path, scenario)
    with tempfile.TemporaryDirectory(prefix="trakt-cassettes-replay-") as tmp:
        return _replay_in(Path(tmp), cassette_path, metadata, scenario_path, scenario)


def _replay_in(
    workdir: Path, cassette_path: Path, metadata: dict, scenario_path: Path, scenario: dict
) -> ReplayTimeline:
    from fake_kodi.kodi import Kodi

    kodi = Kodi(workdir / "kodi")
    kodi.install(_build_zip(workdir / "dist"))
    # The replay runs at the recording's own moment: every recorded time means what it meant then.
    start = float(kodi.clock.set(scenario_now(scenario)))
    user, app = scenario.get("user") or {}, scenario.get("app") or {}
    steps: list[ReplayStep] = []
    with ReplayServer(cassette_path, clock=kodi.clock.now) as server:
        kodi.set_settings(
            ADDON_ID,
            trakt_api_url=server.url,
            trakt_client_id=str(app.get("client_id") or "replay-client-id"),
            trakt_client_secret=str(app.get("client_secret") or "replay-client-secret"),
            trakt_access_token=str(user.get("access_token") or ""),
            trakt_refresh_token=str(user.get("refresh_token") or ""),
            trakt_token_expires=str(token_expiry(metadata, scenario, start)),
        )
        served = server.replayer.served
        for raw_step in metadata.get("replay_steps") or DEFAULT_STEPS:
            step = ReplayStep(kind=str(raw_step[0]), started_at=kodi.clock.now() or start)
            mark = len(served)
            try:
                step.result = _run_step(kodi, server.url, raw_step, user)
            except Exception as exc:  # noqa: BLE001 - a debugger shows every failure and goes on
                step.error = f"{type(exc).__name__}: {exc}"
            step.requests = list(served[mark:])
            steps.append(step)
        report = server.report()
    return ReplayTimeline(
        cassette=cassette_path.name,
        scenario=scenario_path.name,
        driver=str(metadata.get("driver") or "unknown"),
        started_at=start,
        steps=steps,
        unmatched=[asdict(item) for item in report.unmatched],
        unplayed=report.unplayed,
        tables=_table_rows(kodi.home.addon_data_dir(ADDON_ID) / "trakt_sync.db"),
    )


def _run_step(kodi: Any, base_url: str, step: list, user: dict) -> dict[str, Any]:
    kind = step[0]
    if kind == "sync":
        return kodi.call(ADDON_ID, "aiostreams.debug:run_sync", [False])
    if kind == "device_login":
        return kodi.call(ADDON_ID, "aiostreams.debug:device_login")
    if kind == "wait":
        kodi.clock.advance(float(step[1]))
        return {"describe": f"{float(step[1]):.0f} s"}
    if kind == "post":
        # A write someone made on Trakt between syncs (not the add-on): sent as the recorder sent it.
        headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": "replay",
                   "Authorization": f"Bearer {user.get('access_token') or ''}"}  # fmt: skip
        answer = requests.post(base_url + step[1], data=json.dumps(step[2]), headers=headers, timeout=10)
        return {"describe": f"{step[1]} (scripted, not the add-on): HTTP {answer.status_code}"}
    raise ReplayError(f"unknown replay step {kind!r}")


def _table_rows(db_path: Path) -> dict[str, int]:
    if not db_path.is_file():
        return {}
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]  # fmt: skip
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()
