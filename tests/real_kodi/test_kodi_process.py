"""kodi.bin's environment (clean; Mesa rasterizes in Kodi's own thread) and its CPU time as read from /proc."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fake_kodi.real.processes import kodi_environment, process_cpu_seconds

# Uses 0.3 s of CPU time (not wall time: a loaded machine only makes it slower), then waits for stdin.
BURN = "import sys, time\nwhile time.process_time() < 0.3:\n    pass\nprint('burnt', flush=True)\nsys.stdin.read()\n"


def test_kodi_environment_is_clean_and_keeps_mesa_to_kodis_own_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", "/somewhere/else")
    monkeypatch.setenv("LP_NUM_THREADS", "8")
    environment = kodi_environment(tmp_path, 7)
    assert (environment["DISPLAY"], environment["HOME"]) == (":7", str(tmp_path))
    assert environment["LP_NUM_THREADS"] == "0"
    assert "PYTHONPATH" not in environment


def test_process_cpu_seconds_counts_the_cpu_a_process_used() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "burnt\n"
        used = process_cpu_seconds(child.pid)
        assert used is not None and 0.29 <= used < 5.0
    finally:
        child.communicate("")
    assert process_cpu_seconds(child.pid) is None  # reaped: no /proc entry left
