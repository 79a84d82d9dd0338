"""The frame cap: the preload library paces frames, and Kodi's environment carries it (real Kodi: test_probe_in_real_kodi)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fake_kodi.real import framecap
from fake_kodi.real.preload import NoCompiler
from fake_kodi.real.processes import kodi_environment

# Calls the library's pacing step `calls` times and prints the seconds that took (monotonic clock).
PACE = (
    "import ctypes, sys, time\n"
    "library = ctypes.CDLL(sys.argv[1])\n"
    "started = time.monotonic()\n"
    "for _ in range(int(sys.argv[2])):\n"
    "    library.framecap_pace()\n"
    "print(time.monotonic() - started)\n"
)


@pytest.fixture(scope="module")
def library() -> Path:
    try:
        return framecap.framecap_library()
    except NoCompiler as reason:
        pytest.skip(str(reason))


def _seconds_for(library: Path, calls: int, fps: str) -> float:
    result = subprocess.run(
        [sys.executable, "-c", PACE, str(library), str(calls)],
        env={"FAKE_KODI_REAL_FPS": fps},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout)


def test_frames_are_paced_to_the_cap(library: Path) -> None:
    # Six frames at 20 fps: the first goes at once, each of the next five waits out its 50 ms.
    assert _seconds_for(library, 6, "20") >= 0.25


def test_the_cap_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(framecap.FPS_VARIABLE, raising=False)
    assert framecap.frames_per_second() == framecap.DEFAULT_FPS
    monkeypatch.setenv(framecap.FPS_VARIABLE, "0")
    assert framecap.frames_per_second() == 0
    monkeypatch.setenv(framecap.FPS_VARIABLE, "fast")
    with pytest.raises(ValueError, match="whole number of frames per second"):
        framecap.frames_per_second()


def test_kodi_gets_the_library_from_its_home(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(framecap.FPS_VARIABLE, "12")
    monkeypatch.delenv("WALLSHIFT_SECONDS", raising=False)
    environment = kodi_environment(tmp_path, 7, framecap.framecap_environment(tmp_path))
    # In the home, which a rooted Kodi 21 sees at the same path.
    assert environment["LD_PRELOAD"] == str(tmp_path / framecap.LIBRARY_NAME)
    assert (tmp_path / framecap.LIBRARY_NAME).read_bytes() == library.read_bytes()
    assert environment[framecap.FPS_VARIABLE] == "12"


def test_no_cap_means_no_preload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(framecap.FPS_VARIABLE, "0")
    monkeypatch.setenv("LD_PRELOAD", "/elsewhere/libx.so")
    monkeypatch.delenv("WALLSHIFT_SECONDS", raising=False)
    environment = kodi_environment(tmp_path, 7, framecap.framecap_environment(tmp_path))
    assert "LD_PRELOAD" not in environment and framecap.FPS_VARIABLE not in environment


def test_a_shifted_clock_joins_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_PRELOAD", "/lane/libwallshift.so")
    monkeypatch.setenv("WALLSHIFT_SECONDS", "86400")
    cap = {"LD_PRELOAD": "/home/libframecap.so", framecap.FPS_VARIABLE: "15"}
    environment = kodi_environment(tmp_path, 7, cap)
    assert environment["LD_PRELOAD"] == "/home/libframecap.so /lane/libwallshift.so"
    assert environment["WALLSHIFT_SECONDS"] == "86400"
