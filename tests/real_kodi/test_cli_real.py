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

from fake_kodi.real.cli import build_parser, main
from fake_kodi.real.install import KodiInstall
from tests.patterns.corpus import ADDONS_DIR, ROUTER_ID, zip_pattern
from tests.real_kodi.reference_world import ROOT, SMALL_LIBRARY, wait_for

ROUTED_ID = "plugin.video.fkrouted"
CASSETTE = ROOT / "trakt_cassettes" / "cassettes" / "first_sync_small.cassette.yaml"


@pytest.mark.parametrize("command", [["debug"], ["run", "--url", "plugin://x/"]])
def test_a_command_without_addons_is_refused_before_kodi_starts(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command) == 2
    assert "no add-on given: use --zip or --addons" in capsys.readouterr().err


def test_an_unknown_answer_kind_is_refused_before_kodi_starts(
    probe_zip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["run", "--zip", str(probe_zip), "--url", "plugin://x/", "--answer", "yesnox=true"]
    assert main(command) == 2
    assert "unknown dialog answer kind 'yesnox'" in capsys.readouterr().err


def test_an_answer_real_kodi_cannot_be_given_is_refused(
    probe_zip: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["run", "--zip", str(probe_zip), "--url", "plugin://x/", "--answer", "input=secret"]
    assert main(command) == 2
    assert "cannot be given to real Kodi by the driver" in capsys.readouterr().err


def test_the_same_addon_twice_is_refused(probe_zip: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command = ["run", "--zip", str(probe_zip), "--zip", str(probe_zip), "--url", "plugin://x/"]
    assert main(command) == 2
    assert "plugin.video.fakekodiprobe given twice" in capsys.readouterr().err


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


def _real(*args: str) -> list[str]:
    return [sys.executable, "-m", "fake_kodi.real.cli", *args]


@pytest.mark.real_kodi
def test_run_installs_every_zip_before_start_so_the_addons_strings_load(
    kodi_install: KodiInstall, probe_zip: Path, tmp_path: Path
) -> None:
    # Before, a second add-on unpacked into a running Kodi left the first one's strings.po unloaded ('').
    router = zip_pattern(ROUTER_ID, tmp_path / "zips")
    command = _real("run", "--zip", str(probe_zip), "--zip", str(router), "--kodi", str(kodi_install.version))
    command += ["--url", "plugin://plugin.video.fakekodiprobe/?route=strings"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [item["label"] for item in json.loads(done.stdout)["files"]] == ["Probe string loaded"]


@pytest.mark.real_kodi
def test_run_takes_a_folder_of_addons_answers_in_the_fakes_syntax_and_a_relative_home(
    kodi_install: KodiInstall, tmp_path: Path
) -> None:
    # fkfirstrun asks yes/no, then shows an ok dialog, and writes the answer to its settings.
    command = _real(
        "run", "--addons", str(ADDONS_DIR), "--home", "rel/home", "--kodi", str(kodi_install.version)
    )
    command += ["--url", "plugin://plugin.video.fkfirstrun/", "--answer", "yesno=false", "--answer", "ok"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [item["label"] for item in json.loads(done.stdout)["files"]] == ["welcomed=true", "mode=plain"]
    # The home is the relative folder itself, not nested once more under Kodi's working directory.
    written = tmp_path / "rel" / "home" / ".kodi" / "userdata" / "addon_data" / "plugin.video.fkfirstrun"
    assert (written / "settings.xml").is_file()
    assert not list((tmp_path / "rel" / "home").rglob("rel"))


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


def _text_or_empty(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def test_debug_answers_need_a_url_to_open(probe_zip: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["debug", "--zip", str(probe_zip), "--answer", "ok"]) == 2
    assert "--answer needs --open" in capsys.readouterr().err


@pytest.mark.real_kodi
def test_debug_installs_zips_and_a_folder_before_start_with_a_relative_home(
    kodi_install: KodiInstall, probe_zip: Path, tmp_path: Path
) -> None:
    command = _real("debug", "--zip", str(probe_zip), "--addons", str(ADDONS_DIR), "--home", "dbg")
    command += ["--kodi", str(kodi_install.version), "--open", "plugin://plugin.video.fkfirstrun/"]
    command += ["--answer", "yesno=true", "--answer", "ok"]
    settings = (
        tmp_path / "dbg" / ".kodi" / "userdata" / "addon_data" / "plugin.video.fkfirstrun" / "settings.xml"
    )
    debug = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, cwd=tmp_path
    )
    try:
        output = LineReader(debug.stdout)
        running = output.until("is running with", 90.0)
        output.until("Ctrl-C quits Kodi", 10.0)
        # The tail starts where the add-ons are enabled: the router before the plugin that imports it.
        enabled = [
            output.until(f"CAddonMgr: enabled {addon_id}", 30.0) for addon_id in (ROUTER_ID, ROUTED_ID)
        ]
        # --open showed fkfirstrun in the Videos window, and its yes/no and ok dialogs were answered.
        wait_for(lambda: "extras" in _text_or_empty(settings), 30.0, "fkfirstrun to save mode=extras")
        debug.send_signal(signal.SIGINT)
        out = output.rest(60.0)
        debug.wait(timeout=10)
    finally:
        if debug.poll() is None:
            debug.send_signal(signal.SIGINT)
            try:
                debug.wait(timeout=30)
            except subprocess.TimeoutExpired:
                debug.kill()
                debug.wait()
    assert f"with plugin.video.fakekodiprobe: home {tmp_path / 'dbg' / '.kodi'}," in running
    assert output.seen.index(enabled[0]) < output.seen.index(enabled[1])
    assert '<setting id="welcomed">true</setting>' in _text_or_empty(settings)
    assert debug.returncode == 0, out[-2000:]
