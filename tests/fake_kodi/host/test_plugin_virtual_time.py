"""Waits in plugin calls pass the home's virtual time: the clock file moves, and never backwards."""

from __future__ import annotations

import threading

import pytest

from fake_kodi.home.clock import VirtualClock, read_epoch

from ..conftest import EXAMPLE_ID, write_addon_zip

SLEEPER_ID = "plugin.video.sleeper"
START = 1_700_000_000.0
# ?<way>&<seconds>: sleep that long the way an add-on would, then list nothing.
SLEEPER_MAIN = """
import sys
import time

import xbmc
import xbmcplugin

way, seconds = sys.argv[2].lstrip("?").split("&")
if way == "xbmc.sleep":
    xbmc.sleep(int(float(seconds) * 1000))
elif way == "waitForAbort":
    xbmc.Monitor().waitForAbort(float(seconds))
else:
    time.sleep(float(seconds))
xbmcplugin.endOfDirectory(int(sys.argv[1]))
"""


@pytest.fixture
def sleeper_kodi(example_kodi, tmp_path):
    example_kodi.install(write_addon_zip(tmp_path, SLEEPER_ID, {"main.py": SLEEPER_MAIN}))
    return example_kodi


def sleep_url(way: str, seconds: float) -> str:
    return f"plugin://{SLEEPER_ID}/?{way}&{seconds:g}"


@pytest.mark.parametrize("way", ["xbmc.sleep", "waitForAbort", "time.sleep"])
def test_plugin_wait_moves_the_home_clock(sleeper_kodi, way):
    sleeper_kodi.clock.set(START)
    result = sleeper_kodi.run(sleep_url(way, 2))
    assert (result.status, sleeper_kodi.clock.now()) == ("directory", START + 2)


def test_plugin_wait_on_real_time_leaves_the_home_without_a_clock(sleeper_kodi):
    result = sleeper_kodi.run(sleep_url("xbmc.sleep", 0.01))
    assert (result.status, sleeper_kodi.clock.virtual) == ("directory", False)


def test_shared_advance_starts_from_a_later_time_in_the_file(tmp_path):
    path = tmp_path / "clock.json"
    plugin_clock = VirtualClock(path, start=START, persist=False)
    VirtualClock(path).set(START + 100)  # the service moved on while the plugin ran
    assert (plugin_clock.advance_shared(2), read_epoch(path)) == (START + 102, START + 102)


def test_service_save_keeps_a_later_time_written_by_a_plugin(sleeper_kodi):
    sleeper_kodi.clock.set(START)
    service = sleeper_kodi.start_service(EXAMPLE_ID)
    sleeper_kodi.run(sleep_url("xbmc.sleep", 2))
    service.advance(1)  # the service saves START + 1 when it goes idle
    seen = sleeper_kodi.clock.now()
    service.abort()
    assert seen == START + 2


def test_concurrent_plugin_waits_and_service_never_move_the_clock_back(sleeper_kodi):
    sleeper_kodi.clock.set(START)
    service = sleeper_kodi.start_service(EXAMPLE_ID)
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(read_epoch(sleeper_kodi.clock.path))

    def drive_service() -> None:
        for _ in range(10):
            service.advance(0.5)

    sampler = threading.Thread(target=sample)
    workers = [threading.Thread(target=drive_service)] + [
        threading.Thread(target=sleeper_kodi.run, args=(sleep_url("xbmc.sleep", 2),)) for _ in range(3)
    ]
    sampler.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    sampler.join()
    service.abort()
    # Each plugin wait starts from the later of the file and its own time, so none is lost.
    assert (samples == sorted(samples), samples[-1] >= START + 6) == (True, True)


def test_test_side_advance_moves_the_home_clock_from_the_file(kodi):
    kodi.clock.set(START)
    kodi.clock.advance(30)
    assert kodi.clock.now() == START + 30
