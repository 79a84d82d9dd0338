"""`fake-kodi real run` as a user runs it: a subprocess that prints the route's items as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fake_kodi.real.cli import build_parser
from fake_kodi.real.install import KodiInstall


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
    ]
    command += ["--url", "plugin://plugin.video.fakekodiprobe/?route=dialog", "--answer", "Select"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert [item["label"] for item in json.loads(done.stdout)["files"]] == ["chose 0"]
