"""The sync debugger: an add-on in a fresh fake Kodi against a served cassette, as a timeline.

Any add-on: it is named by `--addon` (or the cassette's project, project_config.py), pointed at the
replay server through its API URL setting, and driven by the cassette's steps (addon_steps.py). The
timeline shows each request (virtual time, status, rate-limit budget, UNMATCHED), what each step
did, the warnings and errors the add-on logged in it, connections it tried past the replay server
(the network is blocked but for loopback: a hard-coded host shows here), errors, unmatched requests
and unplayed interactions, and, when the add-on names its SQLite file (`--db`, `db`), the rows per
table at the end.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from trakt_cassettes.addon_profile import AddonProfile, AddonProfileError, fill_placeholders, resolve_profile
from trakt_cassettes.addon_steps import StepError, expand, run_step
from trakt_cassettes.cassette_file import CassetteError, read_cassette
from trakt_cassettes.project_config import ProjectConfigError, find_project_config
from trakt_cassettes.recorded_time import RecordedTimeError, scenario_now, token_expiry, token_lifetime
from trakt_cassettes.replay_server import ReplayServer, ServedRequest
from trakt_cassettes.sim.scenario import ScenarioError, load_scenario

RETURNED_CHARS = 400  # a call's value in the text timeline; --json has all of it


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
    called: str = ""  # a call step's MODULE:FUNCTION and arguments, as the timeline names it
    log: list[str] = field(default_factory=list)  # the add-on's kodi.log warnings and errors
    blocked: list[str] = field(default_factory=list)  # 'host:port (N attempts)' the guard refused


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
    tables: dict[str, int] | None  # rows per table of the add-on's SQLite file; None when it names none
    addon: str = ""

    @property
    def errors(self) -> list[str]:
        """Failed areas and failed steps, in order."""
        found = []
        for number, step in enumerate(self.steps, 1):
            if step.error:
                found.append(f"step {number} ({step.kind}): {step.error}")
            for area, reason in sorted(((step.result.get("report") or {}).get("failed") or {}).items()):
                found.append(f"step {number} ({step.kind}): {area}: {reason}")
            if step.result.get("error"):
                found.append(f"step {number} ({step.kind}): {step.result['error']}")
            found.extend(
                f"step {number} ({step.kind}): blocked a connection to {where}, past the replay server"
                for where in step.blocked
            )
        return found

    @property
    def blocked(self) -> list[str]:
        """Every blocked attempt of every step (the add-on reached past the replay server)."""
        return [where for step in self.steps for where in step.blocked]

    @property
    def ok(self) -> bool:
        """True when every request matched, every recorded interaction was asked for and none went elsewhere."""
        return not self.unmatched and not self.unplayed and not self.blocked

    def to_dict(self) -> dict[str, Any]:
        """The timeline as one JSON-ready object (what --json prints)."""
        return asdict(self) | {"errors": self.errors, "ok": self.ok}

    def format(self) -> str:
        """The timeline as text, one line per request."""
        lines = [
            f"replay {self.cassette} on {self.addon} (scenario {self.scenario}, recorded by {self.driver})",
            f"virtual start {_iso(self.started_at)}",
        ]
        for number, step in enumerate(self.steps, 1):
            lines.append(f"step {number}: {_describe_step(step)}")
            lines.extend(_request_line(request, self.started_at) for request in step.requests)
            lines.extend(_result_lines(step))
            lines.extend(f"  log {line}" for line in step.log)
            lines.extend(f"  BLOCKED {where}" for where in step.blocked)
        lines.append(f"errors: {len(self.errors) or 'none'}")
        lines.extend(f"  {error}" for error in self.errors)
        lines.append(f"unmatched requests: {len(self.unmatched) or 'none'}")
        lines.extend(f"  {item['method']} {item['uri']} ({item['reason']})" for item in self.unmatched)
        lines.append(f"unplayed interactions: {len(self.unplayed) or 'none'}")
        lines.extend(f"  {item}" for item in self.unplayed)
        if self.tables is not None:
            lines.append(
                "final state: " + ", ".join(f"{name} {count}" for name, count in self.tables.items())
            )
        return "\n".join(lines)


def _iso(epoch: float | None) -> str:
    if epoch is None:
        return "?"
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe_step(step: ReplayStep) -> str:
    extra = step.called or step.result.get("describe", "")
    return f"{step.kind}{' ' + extra if extra else ''} at {_iso(step.started_at)}"


def _request_line(request: ServedRequest, start: float) -> str:
    offset = f"+{request.at - start:.0f}s" if request.at is not None else "?"
    budget = (
        f"  rate-limit left {request.ratelimit_remaining}" if request.ratelimit_remaining is not None else ""
    )
    unmatched = "  UNMATCHED" if not request.matched else ""
    return f"  {offset:>7} {_iso(request.at)}  {request.method} {request.path}  {request.status}{budget}{unmatched}"


def _result_lines(step: ReplayStep) -> list[str]:
    if "status" in step.result:  # a plugin call
        return [f"  {step.result['status']}, {step.result.get('items', 0)} item(s)"]
    if "ok" in step.result:  # a service run
        return ["  returned within 5 s of abort" if step.result["ok"] else "  did not end cleanly"]
    report = step.result.get("report")
    if not report:
        return _returned_lines(step)
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


def _returned_lines(step: ReplayStep) -> list[str]:
    """What a call step's function returned (the reason to call it while debugging), on one line."""
    if step.error or not step.result or "describe" in step.result:
        return []
    value = step.result["value"] if set(step.result) == {"value"} else step.result
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return [f"  returned {text if len(text) <= RETURNED_CHARS else text[:RETURNED_CHARS] + ' ...'}"]


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


def replay_cassette(
    cassette_path: str | os.PathLike,
    workdir: str | os.PathLike | None = None,
    *,
    addon: str | os.PathLike | None = None,
    steps: Sequence[Sequence[Any]] | None = None,
    api_url_setting: str | None = None,
    settings: dict[str, str] | None = None,
    db: str | None = None,
) -> ReplayTimeline:
    """Replay a cassette through an add-on in a fresh fake Kodi profile; the timeline.

    The add-on and what to drive come from the arguments, else the cassette (`metadata.addon`,
    `metadata.replay_steps`), else the project's `[tool.trakt-cassettes]` (addon_profile.py).
    """
    cassette_path = Path(cassette_path)
    metadata, scenario_path, scenario = read_cassette_plan(cassette_path)
    recorded = metadata.get("addon") if isinstance(metadata.get("addon"), dict) else {}
    try:
        config = find_project_config(cassette_path.parent)
        profile = resolve_profile(addon=addon, api_url_setting=api_url_setting, settings=settings, db=db,
                                  recorded=recorded, config=config)  # fmt: skip
    except (AddonProfileError, ProjectConfigError) as exc:
        raise ReplayError(f"cannot replay {cassette_path.name}: {exc}") from None
    plan = [list(step) for step in (steps or metadata.get("replay_steps") or [])]
    if not plan:
        raise ReplayError(
            f"cassette {cassette_path.name} has no replay_steps: say what to drive (--url, --service, --wait, --call)"
        )
    try:
        runnable = [expand(step, profile.step_names) for step in plan]
    except StepError as exc:
        raise ReplayError(f"cassette {cassette_path.name}: {exc}") from None
    if workdir is not None:
        return _replay_in(
            Path(workdir), cassette_path, metadata, scenario_path, scenario, profile, plan, runnable
        )
    with tempfile.TemporaryDirectory(prefix="trakt-cassettes-replay-") as tmp:
        return _replay_in(
            Path(tmp), cassette_path, metadata, scenario_path, scenario, profile, plan, runnable
        )


def _replay_in(
    workdir: Path,
    cassette_path: Path,
    metadata: dict,
    scenario_path: Path,
    scenario: dict,
    profile: AddonProfile,
    plan: list[list[Any]],
    runnable: list[list[Any]],
) -> ReplayTimeline:
    from fake_kodi.kodi import Kodi
    from fake_kodi.module_addon import dependency_zips
    from trakt_cassettes.addon_watch import StepWatch

    kodi = Kodi(workdir / "kodi")
    # Loopback only: a request that does not reach the replay server must show, never reach Trakt.
    kodi.block_network()
    addon_id = kodi.install(profile.source, dependencies=dependency_zips(profile.source)).id
    # The replay runs at the recording's own moment: every recorded time means what it meant then.
    start = float(kodi.clock.set(scenario_now(scenario)))
    user, app = scenario.get("user") or {}, scenario.get("app") or {}
    steps: list[ReplayStep] = []
    with ReplayServer(cassette_path, clock=kodi.clock.now) as server:
        values = {"server": server.url, "client_id": app.get("client_id") or "replay-client-id",
                  "client_secret": app.get("client_secret") or "replay-client-secret",
                  "access_token": user.get("access_token"), "refresh_token": user.get("refresh_token"),
                  "token_expires": token_expiry(metadata, scenario, start)}  # fmt: skip
        kodi.set_settings(
            addon_id, **fill_placeholders(profile.settings, values) | {profile.api_url_setting: server.url}
        )
        served = server.replayer.served
        for raw_step, step_to_run in zip(plan, runnable, strict=True):
            step = ReplayStep(kind=str(raw_step[0]), started_at=kodi.clock.now() or start)
            if step_to_run[0] == "call":
                step.called = " ".join([str(step_to_run[1]), *(json.dumps(a) for a in step_to_run[2:] if a)])
            mark = len(served)
            watch = StepWatch.start(kodi)
            try:
                step.result = run_step(
                    kodi, addon_id, step_to_run, server.url, str(user.get("access_token") or "")
                )
            except Exception as exc:  # noqa: BLE001 - a debugger shows every failure and goes on
                step.error = f"{type(exc).__name__}: {exc}"
            step.requests = list(served[mark:])
            watch.finish()
            step.log, step.blocked = watch.log, watch.blocked
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
        tables=_table_rows(kodi.home.addon_data_dir(addon_id) / profile.db) if profile.db else None,
        addon=addon_id,
    )


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
