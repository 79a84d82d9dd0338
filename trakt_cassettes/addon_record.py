"""Record any add-on: install it in a fresh fake Kodi, point its API URL setting at a recording proxy, drive it.

Wherever the add-on's requests come from (each plugin call and the service run in their own
interpreters), they reach Trakt through the proxy (recording_proxy.py), which records them in the
project's cassette format. The upstream is the simulator started from the scenario, sharing the
home's virtual clock file (so the service's virtual hours are the simulator's), or a real Trakt
(`base_url`). What was driven becomes the cassette's `replay_steps`, and the add-on's setting
templates its `metadata.addon`, so `trakt-cassettes replay CASSETTE --addon ZIP` needs nothing else.
The add-on reaches only loopback while it is recorded: a request it sends past its setting (a
hard-coded host) is refused, named in the notes, and never reaches the network.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trakt_cassettes.addon_profile import AddonProfile, fill_placeholders
from trakt_cassettes.addon_steps import StepError, expand, run_step
from trakt_cassettes.config import write_cassette
from trakt_cassettes.filters import Scrubber
from trakt_cassettes.record import (
    Credentials,
    FaultMarker,
    RecordError,
    RecordResult,
    default_cassette_path,
    read_scenario,
    scenario_credentials,
)
from trakt_cassettes.recorded_time import DEFAULT_TOKEN_LIFETIME, scenario_now
from trakt_cassettes.recording_proxy import RecordingProxy

DRIVER_NAME = "recording_proxy"


def record_addon(
    scenario_path: str | os.PathLike,
    profile: AddonProfile,
    steps: Sequence[Sequence[Any]],
    output_path: str | os.PathLike | None = None,
    *,
    base_url: str | None = None,
    credentials: Credentials | None = None,
) -> RecordResult:
    """Record what the add-on sends while `steps` run; RecordError when it sent nothing (nothing is written)."""
    scenario_path = Path(scenario_path).absolute()
    output_path = Path(output_path).absolute() if output_path else default_cassette_path(scenario_path)
    if output_path.is_dir():
        raise RecordError(f"{output_path} is a folder: -o names the cassette file to write")
    if not steps:
        raise RecordError("nothing to drive: give --url, --service, --wait or --call")
    try:
        expanded = [expand(step, profile.step_names) for step in steps]
    except StepError as exc:
        raise RecordError(str(exc)) from None
    scenario = read_scenario(scenario_path)
    with tempfile.TemporaryDirectory(prefix="trakt-cassettes-record-") as workdir:
        return _record_in(Path(workdir), scenario_path, scenario, profile, list(steps), expanded, output_path,
                          base_url, credentials)  # fmt: skip


def _record_in(
    workdir: Path,
    scenario_path: Path,
    scenario: dict,
    profile: AddonProfile,
    steps: list,
    expanded: list,
    output_path: Path,
    base_url: str | None,
    credentials: Credentials | None,
) -> RecordResult:
    from fake_kodi.home.addons import InstallError
    from fake_kodi.kodi import Kodi
    from fake_kodi.module_addon import dependency_zips

    kodi = Kodi(workdir / "kodi")
    kodi.block_network()  # the proxy is on loopback; anything else is a request the cassette would lack
    try:
        addon_id = kodi.install(profile.source, dependencies=dependency_zips(profile.source)).id
    except InstallError as exc:
        raise RecordError(f"cannot install {profile.source}: {exc}") from None
    if base_url is None:
        from trakt_cassettes.sim import Simulator
        from trakt_cassettes.sim.clock import VirtualClock
        from trakt_cassettes.sim.scenario import load_scenario

        # The simulator reads the home's clock file: the service's virtual hours are its hours too.
        start = kodi.clock.set(scenario_now(scenario))
        simulator = Simulator(load_scenario(scenario_path), clock=VirtualClock.from_file(kodi.clock.path))
        credentials = credentials or scenario_credentials(scenario)
        with simulator.serve(port=0) as server:
            return _drive(kodi, addon_id, server.url, start, scenario_path, scenario, profile, steps, expanded,
                          output_path, credentials)  # fmt: skip
    start = kodi.clock.set(round(time.time()))  # a real Trakt: the virtual clock starts at today
    return _drive(kodi, addon_id, base_url.rstrip("/"), start, scenario_path, scenario, profile, steps, expanded,
                  output_path, credentials or Credentials.from_env())  # fmt: skip


def _drive(
    kodi: Any,
    addon_id: str,
    upstream: str,
    start: float,
    scenario_path: Path,
    scenario: dict,
    profile: AddonProfile,
    steps: list,
    expanded: list,
    output_path: Path,
    credentials: Credentials,
) -> RecordResult:
    from trakt_cassettes.addon_watch import StepWatch

    scrubber = Scrubber(recorded_base_url=upstream)
    notes: list[str] = []
    with RecordingProxy(upstream, scrubber, before_save=FaultMarker(scenario.get("faults") or [])) as proxy:
        values = {"server": proxy.url, "client_id": credentials.client_id, "client_secret": credentials.client_secret,
                  "access_token": credentials.access_token, "refresh_token": credentials.refresh_token,
                  "token_expires": int(start + DEFAULT_TOKEN_LIFETIME)}  # fmt: skip
        settings = fill_placeholders(profile.settings, values) | {profile.api_url_setting: proxy.url}
        kodi.set_settings(addon_id, **settings)
        for number, (step, runnable) in enumerate(zip(steps, expanded, strict=True), 1):
            watch = StepWatch.start(kodi)
            try:
                outcome = run_step(kodi, addon_id, runnable, proxy.url, credentials.access_token or "")
            except Exception as exc:  # noqa: BLE001 - the add-on failing is recorded, not fatal
                outcome = {"error": f"{type(exc).__name__}: {exc}"}
            if outcome.get("error"):
                notes.append(f"step {number} ({step[0]}): {outcome['error']}")
            notes.extend(
                f"step {number} ({step[0]}): blocked a connection to {where}: the add-on sent it past its "
                f"{profile.api_url_setting} setting"
                for where in watch.finish().blocked
            )
        notes.extend(proxy.notes)
    interactions = proxy.interactions
    notes = [scrubber.mask_text(note) for note in notes]
    if not interactions:
        raise RecordError(
            f"recording {scenario_path.name} recorded no interaction: {addon_id} sent nothing to its "
            f"{profile.api_url_setting} setting ({'; '.join(notes[:3]) or 'no step failed'})"
        )
    metadata: dict[str, Any] = {
        "scenario": os.path.relpath(scenario_path, output_path.parent),
        "driver": DRIVER_NAME,
        "replay_steps": steps,
        "token_expires_in": DEFAULT_TOKEN_LIFETIME,
        "addon": profile.metadata(addon_id, mask=scrubber.mask_text),
    }
    if notes:
        metadata["driver_notes"] = notes
    write_cassette_atomically(output_path, interactions, metadata)
    return RecordResult(output_path, scenario_path, len(interactions), output_path.stat().st_size, notes)


def write_cassette_atomically(output: Path, interactions: list, metadata: dict) -> None:
    """Write the cassette through a side file renamed into place (the pytest plugin's recordings too)."""
    # A side file renamed into place: a failed write leaves the old cassette as it was.
    partial = output.with_name(output.name + ".recording")
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_cassette(partial, interactions, metadata)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
