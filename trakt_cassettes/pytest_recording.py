"""The `trakt_vcr` fixture's engine: the add-on under test against a cassette, in a record mode.

pytest-recording's modes, for an add-on whose Trakt traffic comes from other interpreters (each
plugin call, the service), so the cassette is served over HTTP on 127.0.0.1 and the add-on's
API URL setting points at it (`point`):

    none          replay; a request the cassette cannot answer fails the test (so does a missing file)
    once          record when the cassette file is missing, else replay as `none`
    new_episodes  replay what the cassette has; what it has not goes upstream and is added
    all           record again from scratch

Recording goes through the recording proxy (recording_proxy.py) in front of the simulator started
from the test's scenario (on the Kodi home's clock file: one clock) or a backend URL, and is
written at teardown in the project's scrubbed format with the test's calls as `replay_steps`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from trakt_cassettes.addon_profile import DEFAULT_API_URL_SETTING, AddonProfile, fill_placeholders
from trakt_cassettes.record import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    Credentials,
    read_scenario,
    scenario_credentials,
)
from trakt_cassettes.recorded_time import DEFAULT_TOKEN_LIFETIME, scenario_now, token_lifetime
from trakt_cassettes.recording_proxy import RecordingProxy

RECORD_MODES = ("none", "once", "new_episodes", "all")
DRIVER_NAME = "pytest"


class CassetteCheckError(AssertionError):
    """What the cassette saw fails the test (unmatched, unplayed, nothing recorded, missing file)."""


def resolve_record_mode(given: str | None, marker_mode: str | None, environ: Any = None) -> str:
    """The record mode: the command line's, else `none` in CI (CI set), else the marker's, else `none`."""
    environ = os.environ if environ is None else environ
    if given:
        return given
    if environ.get("CI"):
        return "none"  # CI never records unless told so explicitly on its command line
    mode = marker_mode or "none"
    if mode not in RECORD_MODES:
        raise ValueError(f"record_mode {mode!r} is not one of {', '.join(RECORD_MODES)}")
    return mode


class TraktVCR:
    """One test's cassette, served to the add-on (replay) or recorded from what it sends (record)."""

    def __init__(
        self,
        kodi: Any,
        cassette: Path,
        mode: str,
        *,
        scenario: Path | None = None,
        backend: str | None = None,
        allow_unplayed: bool = False,
        allow_playback_repeats: bool = False,
        api_url_setting: str = DEFAULT_API_URL_SETTING,
        test_id: str = "",
    ):
        self.kodi = kodi
        self.cassette = cassette
        self.mode = mode
        self.backend = backend
        self.allow_unplayed = allow_unplayed
        self.allow_playback_repeats = allow_playback_repeats
        self.api_url_setting = api_url_setting
        self.test_id = test_id
        self.profile: AddonProfile | None = None
        self._addon_id: str | None = None
        self._metadata: dict[str, Any] = {}
        if cassette.is_file():
            from trakt_cassettes.cassette_file import read_cassette

            self._metadata = read_cassette(cassette).get("metadata") or {}
        if scenario is None and self._metadata.get("scenario"):
            scenario = (cassette.parent / self._metadata["scenario"]).resolve()
        self.scenario = scenario
        self._scenario_data = read_scenario(scenario) if scenario is not None else {}
        exists = cassette.is_file()
        if mode == "none" and not exists:
            raise CassetteCheckError(
                f"cassette {cassette} does not exist and the record mode is none: record it with "
                "--trakt-record-mode=once (CI never records unless its command line says so)"
            )
        self.recording = mode == "all" or (mode in ("once", "new_episodes") and not exists)
        self.replaying = not self.recording  # new_episodes on an existing file does both
        self._stack: list[Any] = []
        self._start()

    # set-up ---------------------------------------------------------------------------------
    def _start(self) -> None:
        if self.scenario is not None:
            self.start_epoch = self.kodi.clock.set(scenario_now(self._scenario_data))
        elif self._metadata.get("recorded_at") is not None:
            self.start_epoch = self.kodi.clock.set(float(self._metadata["recorded_at"]))
        else:
            import time

            self.start_epoch = self.kodi.clock.set(round(time.time()))
        upstream = None
        if self.recording or self.mode == "new_episodes":
            upstream = self._start_upstream()
        if upstream is None:
            from trakt_cassettes.replay_server import ReplayServer

            self.server = ReplayServer(
                self.cassette, clock=self.kodi.clock.now, allow_playback_repeats=self.allow_playback_repeats
            ).start()
            self.replayer = self.server.replayer
            self.url = self.server.url
            return
        if self.replaying:
            from trakt_cassettes.replay_server import CassetteReplayer

            self.replayer = CassetteReplayer(
                self.cassette, clock=self.kodi.clock.now, allow_playback_repeats=self.allow_playback_repeats
            )
        from trakt_cassettes.filters import Scrubber

        self.scrubber = Scrubber(recorded_base_url=upstream)
        proxy_class = _ReplayFirstProxy if self.replaying else RecordingProxy
        self.proxy = proxy_class(upstream, self.scrubber)
        if self.replaying:
            self.proxy.replayer = self.replayer
        self.proxy.start()
        self.url = self.proxy.url

    def _start_upstream(self) -> str:
        if self.backend:
            return self.backend.rstrip("/")
        if self.scenario is None:
            raise CassetteCheckError(
                f"recording {self.cassette.name} needs a Trakt to record: give the trakt_cassette marker "
                "scenario=PATH (the simulator) or backend=URL"
            )
        from trakt_cassettes.sim import Simulator
        from trakt_cassettes.sim.clock import VirtualClock
        from trakt_cassettes.sim.scenario import load_scenario

        # One clock: the simulator reads the Kodi home's clock file, so the service's virtual hours are its own.
        simulator = Simulator(
            load_scenario(self.scenario), clock=VirtualClock.from_file(self.kodi.clock.path)
        )
        server = simulator.serve(port=0)
        started = server.__enter__()
        self._stack.append(server)
        return started.url

    @property
    def credentials(self) -> Credentials:
        """The app and user the add-on is given (the scenario's; TRAKT_* variables for a backend)."""
        if self.backend and self.recording:
            return Credentials.from_env()
        if self.scenario is None:
            # A replay of a backend recording: its secrets were scrubbed, so any stand-in token matches.
            return Credentials(
                DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, "standin-access-token", "standin-refresh-token"
            )
        return scenario_credentials(self._scenario_data)

    def point(self, addon_id: str, **settings: str) -> str:
        """Point the installed add-on's API URL setting here and set `settings` ({placeholders} filled)."""
        credentials = self.credentials
        lifetime = (
            token_lifetime(self._metadata, self.start_epoch) if self.replaying else DEFAULT_TOKEN_LIFETIME
        )
        values = {"server": self.url, "client_id": credentials.client_id,
                  "client_secret": credentials.client_secret, "access_token": credentials.access_token,
                  "refresh_token": credentials.refresh_token,
                  "token_expires": int(self.start_epoch + lifetime)}  # fmt: skip
        self.profile = AddonProfile(api_url_setting=self.api_url_setting, settings=dict(settings))
        self._addon_id = addon_id
        self.kodi.set_settings(
            addon_id, **fill_placeholders(settings, values), **{self.api_url_setting: self.url}
        )
        return self.url

    # teardown -------------------------------------------------------------------------------
    def finish(self) -> None:
        """Stop serving; write a recording; CassetteCheckError when the cassette's checks fail."""
        if hasattr(self, "server"):
            self.server.stop()
        if hasattr(self, "proxy"):
            self.proxy.stop()
        while self._stack:
            self._stack.pop().__exit__(None, None, None)
        if hasattr(self, "proxy"):
            self._write()
        if hasattr(self, "server"):
            report = self.replayer.report()
            # new_episodes checks nothing here: what did not match went upstream, and the next `none` run checks.
            if report.unmatched or (report.unplayed and not self.allow_unplayed):
                raise CassetteCheckError(report.format())

    def _write(self) -> None:
        from trakt_cassettes.addon_record import write_cassette_atomically

        new = self.proxy.interactions
        old = self.replayer.recorded_interactions() if self.replaying else []
        if not new:
            if self.recording:
                raise CassetteCheckError(
                    f"recording {self.cassette.name} captured nothing: the add-on sent no request to "
                    f"{self.url} (did the test call trakt_vcr.point(ADDON_ID)?)"
                )
            return  # new_episodes with nothing new: the file stays as it was
        metadata: dict[str, Any] = dict(self._metadata) if old else {}
        metadata.update({"driver": DRIVER_NAME, "test": self.test_id,
                         "replay_steps": [*metadata.get("replay_steps", []), *self.kodi.steps] if old
                         else list(self.kodi.steps)})  # fmt: skip
        if self.scenario is not None:
            metadata["scenario"] = os.path.relpath(self.scenario, self.cassette.parent)
        else:
            metadata["recorded_at"] = self.start_epoch
        metadata.setdefault("token_expires_in", DEFAULT_TOKEN_LIFETIME)
        if self.profile is not None and self._addon_id:
            metadata["addon"] = self.profile.metadata(self._addon_id, mask=self.scrubber.mask_text)
        if self.proxy.notes:
            metadata["driver_notes"] = list(self.proxy.notes)
        write_cassette_atomically(self.cassette, [*old, *new], metadata)


class _ReplayFirstProxy(RecordingProxy):
    """new_episodes: answer from the cassette when it can, else forward upstream and record."""

    replayer: Any

    def forward(self, method: str, path: str, headers: list[tuple[str, str]], body: bytes | None) -> tuple:
        from trakt_cassettes.recorded_time import reissue_token_answer

        response = self.replayer.answer(method, f"http://127.0.0.1{path}", dict(headers), body)
        if response is None:
            return super().forward(method, path, headers, body)
        status = response["status"]
        data = response.get("body", {}).get("string") or b""
        data = data.encode("utf-8") if isinstance(data, str) else data
        data = reissue_token_answer(path, status["code"], data, self.replayer.now())
        answer_headers = [
            (name, value)
            for name, values in (response.get("headers") or {}).items()
            if name.lower() not in ("content-length", "transfer-encoding", "content-encoding")
            for value in (values if isinstance(values, list) else [values])
        ]
        return status["code"], status.get("message", ""), answer_headers, data
