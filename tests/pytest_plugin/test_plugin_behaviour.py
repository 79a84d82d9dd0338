"""The `kodi` fixture's rules as an add-on project meets them, by pytester: network, raised calls,
one clock with the simulator, repeated polls in a replay."""

from __future__ import annotations

import shutil

import pytest

from .conftest import INNER_ARGS, PROBE, PROJECT

MIRROR = "service.trakt.historymirror"


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.delenv("CI", raising=False)
    shutil.copytree(PROBE, pytester.path / PROBE.name)
    shutil.copytree(PROJECT / "addons" / MIRROR, pytester.path / MIRROR)
    shutil.copy(PROJECT / "tests" / "scenarios" / "account.yaml", pytester.path / "account.yaml")
    return pytester


def run(project: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    project.makepyfile(test_mine="import pytest\n\nPROBE = 'plugin://plugin.video.netprobe/'\n" + body)
    return project.runpytest(*INNER_ARGS, *args)


# A port on 127.0.0.1 where nothing listens: a loopback connection the guard lets through, refused by the OS.
# The socket stays bound (never listening) for the inner run, so another process (an xdist worker, a
# test elsewhere on the machine) cannot take the port between the pick and the connection.
CLOSED_PORT = """
import socket

_HELD = []

def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _HELD.append(sock)
    return sock.getsockname()[1]
"""


def test_a_plugin_call_that_raised_fails_the_test_with_the_addon_traceback(project):
    body = (
        CLOSED_PORT
        + """
def test_probe(kodi, addon_zip):
    kodi.install(addon_zip("plugin.video.netprobe"))
    kodi.run(PROBE + f"?host=127.0.0.1&port={closed_port()}")
"""
    )
    result = run(project, body)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*AddonRaisedError: plugin://plugin.video.netprobe/?host=127.0.0.1&port=* raised ConnectionRefusedError*",
        "*resources/lib/probe.py*in connect*",
    ])  # fmt: skip


def test_a_test_that_expects_the_error_says_so_per_call_or_by_marker(project):
    body = (
        CLOSED_PORT
        + """
def test_per_call(kodi, addon_zip):
    kodi.install(addon_zip("plugin.video.netprobe"))
    result = kodi.run(PROBE + f"?host=127.0.0.1&port={closed_port()}", expect_error=True)
    assert result.error["type"] == "ConnectionRefusedError"


@pytest.mark.kodi_expect_error
def test_by_marker(kodi, addon_zip):
    kodi.install(addon_zip("plugin.video.netprobe"))
    assert kodi.run(PROBE + f"?host=127.0.0.1&port={closed_port()}").status == "exception"


def test_expecting_an_error_that_does_not_come_fails(kodi, addon_zip):
    kodi.install(addon_zip("plugin.video.netprobe"))
    kodi.run(PROBE + "?check=guard", expect_error=True)
"""
    )
    result = run(project, body)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*AddonRaisedError: plugin://plugin.video.netprobe/?check=guard: expected the call "
                                 "to raise, it ended as 'directory'"])  # fmt: skip


def test_a_blocked_connection_the_addon_swallowed_still_fails_the_test(project):
    body = """
def test_probe(kodi, addon_zip):
    kodi.install(addon_zip("plugin.video.netprobe"))
    assert kodi.run(PROBE + "?host=203.0.113.7&port=443&swallow=1").status == "directory"
"""
    result = run(project, body)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*the add-on tried to reach the network: 203.0.113.7:443 (plugin); allow it with "
                                 "@pytest.mark.kodi_allow_network(HOST) if the test means it*"])  # fmt: skip


def test_the_guard_is_switched_off_by_marker_or_option_and_narrowed_by_hosts(project):
    body = """
def guard(kodi, addon_zip):
    kodi.install(addon_zip("plugin.video.netprobe"))
    return kodi.run(PROBE + "?check=guard").labels[0]


def test_default(kodi, addon_zip):
    print("GUARD default", guard(kodi, addon_zip))


@pytest.mark.kodi_allow_network
def test_marker(kodi, addon_zip):
    print("GUARD marker", guard(kodi, addon_zip))


@pytest.mark.kodi_allow_network("api.example.org")
def test_hosts(kodi, addon_zip):
    print("GUARD hosts", guard(kodi, addon_zip), kodi.blocked_connections())
    assert '"api.example.org"' in (kodi.home.state_dir / "network.json").read_text()
"""
    result = run(project, body, "-s")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        ["*GUARD default guarded*", "*GUARD marker open*", "*GUARD hosts guarded []*"]
    )
    everything = run(project, body, "-s", "--kodi-allow-network", "-k", "default")
    everything.stdout.fnmatch_lines(["*GUARD default open*"])


def test_the_simulator_runs_on_the_kodi_homes_clock(project):
    body = """
@pytest.mark.trakt_scenario("account.yaml")
def test_shared(kodi, trakt_sim):
    start = trakt_sim.clock.now()
    assert kodi.clock.now() == start == 1793534400.0  # the scenario's now, 2026-11-01T12:00:00Z
    kodi.clock.advance(3600)
    assert trakt_sim.clock.now() == start + 3600


@pytest.mark.trakt_scenario("account.yaml", shared_clock=False)
def test_own(kodi, trakt_sim):
    assert kodi.clock.now() is None  # the home stays on real time
    assert trakt_sim.clock.now() == 1793534400.0
"""
    run(project, body).assert_outcomes(passed=2)


MIRROR_TEST = """
MIRROR = "service.trakt.historymirror"


@pytest.mark.trakt_cassette("mirror.cassette.yaml", scenario="account.yaml"{extra})
def test_service(kodi, addon_zip, trakt_vcr):
    kodi.install(addon_zip(MIRROR))
    trakt_vcr.point(MIRROR, trakt_client_id="{{client_id}}", trakt_access_token="{{access_token}}")
    service = kodi.service(MIRROR, virtual_seconds={seconds})
    assert service.ok, service.log
    assert kodi.call(MIRROR, "resources.lib.historymirror.mirror:counts") == {{"movies": 1, "episodes": 4, "activity": 2}}
"""


def test_a_polling_service_replays_longer_than_recorded_only_with_repeats_allowed(project):
    run(project, MIRROR_TEST.format(extra="", seconds=600), "--trakt-record-mode=once").assert_outcomes(
        passed=1
    )
    longer = run(project, MIRROR_TEST.format(extra="", seconds=1800))
    longer.assert_outcomes(passed=1, errors=1)
    longer.stdout.fnmatch_lines(["*GET http://127.0.0.1:*/sync/last_activities*",
                                 "*reason: all 3 matching recorded interaction(s) were already played*"])  # fmt: skip
    run(project, MIRROR_TEST.format(extra=", allow_playback_repeats=True", seconds=1800)).assert_outcomes(
        passed=1
    )
