"""Services on the virtual clock: events inside waits, settings changes, abort within Kodi's 5 s."""

from __future__ import annotations

import time

import pytest

from fake_kodi.addon_side.session import FakeKodiError
from fake_kodi.host.service_driver import ServiceError, parse_event

from ..conftest import ADDONS, EXAMPLE_ID, write_addon_zip

STUBBORN_ID = "service.example.stubborn"


def wait_until(condition, attempts=500):
    """Poll another process's progress (synchronisation only; nothing is timed)."""
    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("condition never became true")


@pytest.fixture
def stubborn_kodi(example_kodi, addon_zip):
    example_kodi.install(addon_zip(ADDONS / STUBBORN_ID))
    return example_kodi


def test_service_returns_within_kodis_limit_after_abort(example_kodi):
    result = example_kodi.service(EXAMPLE_ID, virtual_seconds=60)
    assert (result.returned, result.ok, result.abort_latency_ms < 5000) == (True, True, True)


def test_waits_consume_virtual_time_only(example_kodi):
    result = example_kodi.service(EXAMPLE_ID, virtual_seconds=3600)
    # interval 5 minutes: one tick every 300 virtual seconds, in well under a real second
    assert (example_kodi.window_property("example.ticks"), result.virtual_end - result.virtual_start) == (
        "12",
        3600,
    )


def test_wake_events_reach_onnotification_inside_waits(example_kodi):
    example_kodi.service(EXAMPLE_ID, virtual_seconds=3600, events=["600:wake", "1800:wake"])
    assert example_kodi.window_property("example.wakes") == "2"


def test_wake_notification_has_kodis_arguments(example_kodi):
    result = example_kodi.service(EXAMPLE_ID, virtual_seconds=700, events=["600:wake"])
    wake = result.callbacks[0]
    assert (wake["callback"], wake["args"], wake["at"] - result.virtual_start) == (
        "onNotification",
        ["xbmc", "System.OnWake", "null"],
        600,
    )


def test_quit_notification_comes_before_abort(example_kodi):
    result = example_kodi.service(EXAMPLE_ID, virtual_seconds=10)
    assert result.callbacks[-1]["args"] == ["xbmc", "System.OnQuit", '{"exitcode":0}']
    assert "stopped after 0 ticks" in result.log[-1]


def test_setting_event_writes_file_then_calls_onsettingschanged(example_kodi):
    result = example_kodi.service(EXAMPLE_ID, virtual_seconds=3600, events=["0:setting:interval=10"])
    # the running wait of 300 s ends first, then every 600 s: 300, 900, ..., 3300
    assert example_kodi.window_property("example.ticks") == "6"
    assert any("settings changed, interval=10" in line for line in result.log)
    assert example_kodi.get_setting(EXAMPLE_ID, "interval") == "10"


def test_screensaver_events_call_the_monitor(example_kodi):
    example_kodi.service(EXAMPLE_ID, virtual_seconds=100, events=["10:screensaver_on", "20:screensaver_off"])
    assert example_kodi.window_property("example.screensaver") == "off"


def test_notify_event_passes_method_and_data(example_kodi):
    result = example_kodi.service(EXAMPLE_ID, virtual_seconds=10, events=['5:notify:Other.hello:{"a":1}'])
    assert result.callbacks[0]["args"] == ["xbmc", "Other.hello", '{"a":1}']


def test_settings_set_by_the_test_reach_the_running_service(example_kodi):
    service = example_kodi.start_service(EXAMPLE_ID)
    service.advance(60)
    example_kodi.set_settings(EXAMPLE_ID, interval=1)
    service.advance(0)
    result = service.abort()
    assert any("settings changed, interval=1" in line for line in result.log)


def test_notify_all_from_outside_reaches_the_service(example_kodi):
    service = example_kodi.start_service(EXAMPLE_ID)
    example_kodi.notify_all("tester", "hello", {"a": 1})
    service.advance(1)
    result = service.abort()
    assert ["tester", "Other.hello", '{"a":1}'] in [c["args"] for c in result.callbacks]


def test_service_process_reports_idle_at_the_granted_deadline(example_kodi):
    service = example_kodi.start_service(EXAMPLE_ID)
    start = service.now
    state = service.advance(450)
    service.abort()
    assert (state["state"], state["now"] - start) == ("idle", 450)


def test_service_ignoring_abort_is_killed_like_kodi_does(stubborn_kodi):
    result = stubborn_kodi.service(STUBBORN_ID, virtual_seconds=10)
    assert (result.returned, result.killed, result.ok) == (False, True, False)


def test_slow_cleanup_after_abort_counts_toward_the_latency(stubborn_kodi):
    stubborn_kodi.set_settings(STUBBORN_ID, behaviour="slow_exit")
    result = stubborn_kodi.service(STUBBORN_ID, virtual_seconds=10)
    assert (result.ok, result.abort_latency_ms >= 2000) == (True, True)


def test_real_time_abort_stops_a_busy_service(stubborn_kodi):
    stubborn_kodi.set_settings(STUBBORN_ID, behaviour="busy")
    service = stubborn_kodi.start_service(STUBBORN_ID)
    service.advance(5, wait=False)
    wait_until(lambda: stubborn_kodi.window_property("stubborn.busy") == "yes")
    result = service.abort_now()
    assert (result.ok, any("busy loop stopped after abort (True)" in line for line in result.log)) == (
        True,
        True,
    )


def test_service_crash_is_reported_with_its_exception(stubborn_kodi):
    stubborn_kodi.set_settings(STUBBORN_ID, behaviour="crash")
    result = stubborn_kodi.service(STUBBORN_ID, virtual_seconds=10)
    assert (result.exception["type"], result.exception["message"], result.ok) == (
        "RuntimeError",
        "stubborn service crashed",
        False,
    )


def test_driving_a_service_that_ended_says_how_it_ended(stubborn_kodi):
    stubborn_kodi.set_settings(STUBBORN_ID, behaviour="crash")
    service = stubborn_kodi.start_service(STUBBORN_ID)  # it raises before its first wait
    with pytest.raises(ServiceError) as raised:
        service.schedule(0.0, "setting", "behaviour=sleep")
    assert str(raised.value).startswith(
        f"service {STUBBORN_ID} is not running (state done): RuntimeError: stubborn service crashed; "
        "last log lines: "
    ), raised.value


def test_add_on_without_service_is_refused(kodi, tmp_path):
    kodi.install(write_addon_zip(tmp_path, "plugin.video.noservice", {"main.py": ""}))
    with pytest.raises(
        ServiceError, match=r"^add-on plugin.video.noservice has no service \(no xbmc.service extension\)$"
    ):
        kodi.start_service("plugin.video.noservice")


def test_service_of_an_add_on_not_installed_is_refused(kodi):
    with pytest.raises(FakeKodiError, match=r"^add-on plugin.video.nothing is not installed in "):
        kodi.start_service("plugin.video.nothing")


def test_event_text_parses_time_kind_and_argument():
    assert parse_event("30:setting:interval=5") == (30.0, "setting", "interval=5")


def test_event_with_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match=r"event '5:dance': unknown kind 'dance'"):
        parse_event("5:dance")


def test_setting_saved_by_a_plugin_call_reaches_the_running_service(example_kodi):
    service = example_kodi.start_service(EXAMPLE_ID)
    service.advance(60)
    example_kodi.run(f"plugin://{EXAMPLE_ID}/?action=greet&greeting=Hey")
    service.advance(0)
    result = service.abort()
    assert [c["callback"] for c in result.callbacks].count("onSettingsChanged") == 1


TICK_XML = """<?xml version="1.0" encoding="UTF-8"?>
<addon id="service.tick" name="tick" version="0.1.0" provider-name="tests">
    <requires><import addon="xbmc.python" version="3.0.1"/></requires>
    <extension point="xbmc.service" library="service.py"/>
</addon>
"""
TICK_SERVICE = """import time
import xbmc
monitor = xbmc.Monitor()
ticks = 0
started = time.time()
while not monitor.waitForAbort(1):
    ticks += 1
xbmc.log(f"ticks {ticks} elapsed {time.time() - started:.0f}", xbmc.LOGINFO)
"""


def test_a_virtual_day_of_one_second_waits_runs_every_wait(kodi, tmp_path):
    kodi.install(
        write_addon_zip(tmp_path, "service.tick", {"addon.xml": TICK_XML, "service.py": TICK_SERVICE})
    )
    result = kodi.service("service.tick", virtual_seconds=86400)
    assert result.log[-1].endswith("ticks 86400 elapsed 86400")


def test_closing_kodi_aborts_services_left_running(example_kodi):
    service = example_kodi.start_service(EXAMPLE_ID)
    example_kodi.close()
    assert (service.state, service.result.returned) == ("done", True)


CLOCK_READER_SERVICE = """import json
import time
import xbmc
import xbmcvfs
path = xbmcvfs.translatePath("special://home/.fake_kodi/clock.json")
monitor = xbmc.Monitor()
stale = 0
while not monitor.waitForAbort(7):
    with open(path) as handle:
        stale += json.load(handle)["epoch"] != time.time()
xbmc.log(f"stale reads {stale}", xbmc.LOGINFO)
"""


def test_clock_file_holds_the_services_time_whenever_it_works(kodi, tmp_path):
    # What the Trakt simulator relies on: it reads the home's clock file during the service's requests.
    files = {"addon.xml": TICK_XML, "service.py": CLOCK_READER_SERVICE}
    kodi.install(write_addon_zip(tmp_path, "service.tick", files))
    assert kodi.service("service.tick", virtual_seconds=700).log[-1].endswith("stale reads 0")
