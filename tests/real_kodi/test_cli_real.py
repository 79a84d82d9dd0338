"""`fake-kodi real run` as a user runs it: a subprocess that prints the route's items as JSON."""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from fake_kodi.real.cli import build_parser
from fake_kodi.real.install import KodiInstall
from tests.real_kodi.reference_world import ROOT, SMALL_LIBRARY

CASSETTE = ROOT / "trakt_cassettes" / "cassettes" / "first_sync_small.cassette.yaml"


def test_debug_needs_a_zip() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["debug"])


@pytest.mark.real_kodi
def test_run_prints_the_items_and_exits_zero(
    kodi_install: KodiInstall, probe_zip: Path, tmp_path: Path
) -> None:
    command = [
        sys.executable,
        "-m",
        "fake_kodi.real.cli",
        "run",
        "--zip",
        str(probe_zip),
        "--home",
        str(tmp_path),
        "--kodi",
        str(kodi_install.version),
    ]
    command += ["--url", "plugin://plugin.video.fakekodiprobe/?route=dialog", "--answer", "Select"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert [item["label"] for item in json.loads(done.stdout)["files"]] == ["chose 0"]


@pytest.mark.parametrize("command", ["run", "debug"])
def test_kodi_version_defaults_to_20_and_may_be_21(command: str) -> None:
    required = ["--zip", "a.zip"] + (["--url", "plugin://x/"] if command == "run" else [])
    assert build_parser().parse_args([command, *required]).kodi == 20
    assert build_parser().parse_args([command, *required, "--kodi", "21"]).kodi == 21


def test_unsupported_kodi_version_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--zip", "a.zip", "--url", "plugin://x/", "--kodi", "19"])
    assert "invalid choice: 19" in capsys.readouterr().err


def test_debug_rejects_scenario_and_cassette_together(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["debug", "--zip", "a.zip", "--scenario", "s.yaml", "--cassette", "c.yaml"])
    assert "not allowed with argument" in capsys.readouterr().err


class LineReader:
    """Lines of a subprocess's stdout read by a thread (select() would miss lines already buffered)."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def until(self, marker: str, timeout: float) -> str:
        """Read until a line contains `marker` and return it; AssertionError with the last lines otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            self.seen.append(line)
            if marker in line:
                return line
        raise AssertionError(f"no {marker!r} in the output:\n" + "".join(self.seen[-40:]))

    def rest(self, timeout: float) -> str:
        """Everything read so far plus the rest until EOF."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line is None:
                break
            self.seen.append(line)
        return "".join(self.seen)


@pytest.mark.real_kodi
@pytest.mark.parametrize(
    ("option", "source", "traffic", "stop_signal"),
    [
        (
            "--scenario",
            SMALL_LIBRARY,
            r"simulator answered (\d+) Trakt requests, 0 token refresh\(es\), 0 rate-limited",
            signal.SIGINT,
        ),
        (
            "--cassette",
            CASSETTE,
            r"replay server played (\d+) requests, 0 unmatched, 0 unplayed",
            signal.SIGTERM,
        ),
        (
            # A 401, then a refresh whose recorded answer is issued at Kodi's wall-clock now.
            "--cassette",
            CASSETTE.with_name("expired_token_refreshed.cassette.yaml"),
            r"replay server played (\d+) requests, 0 unmatched, 0 unplayed",
            signal.SIGTERM,
        ),
    ],
    ids=["scenario-ctrl-c", "cassette-sigterm", "cassette-token-refresh"],
)
def test_debug_serves_the_backend_and_quits_kodi_on_signal(
    kodi_install: KodiInstall,
    reference_zip: Path,
    tmp_path: Path,
    option: str,
    source: Path,
    traffic: str,
    stop_signal: signal.Signals,
) -> None:
    command = [sys.executable, "-m", "fake_kodi.real.cli", "debug", "--zip", str(reference_zip)]
    command += [option, str(source), "--home", str(tmp_path), "--kodi", str(kodi_install.version)]
    debug = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    try:
        output = LineReader(debug.stdout)
        output.until("Ctrl-C quits Kodi", 90.0)
        # The service's first sync (its settings were written before start) shows in the tailed log.
        first_sync = output.until("sync (start): ", 60.0)
        debug.send_signal(stop_signal)
        out = output.rest(60.0)
        debug.wait(timeout=10)
    finally:
        if debug.poll() is None:
            # Ctrl-C first: killed outright, the command could not quit its Kodi and Xvfb (own sessions).
            debug.send_signal(signal.SIGINT)
            try:
                debug.wait(timeout=30)
            except subprocess.TimeoutExpired:
                debug.kill()
                debug.wait()
    assert "sync (start): ok" in first_sync, out[-3000:]
    assert debug.returncode == 0, out[-2000:]
    assert "quitting Kodi ..." in out
    requests = re.search(traffic, out)
    assert requests is not None and int(requests.group(1)) > 0, out[-2000:]
