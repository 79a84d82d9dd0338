"""The network guard in the add-on's interpreters: real sockets from a real add-on under the `kodi` fixture.

203.0.113.0/24 is TEST-NET-3 (RFC 5737): never routed, so even a broken guard sends nothing anywhere
useful; the guard refuses before any packet or DNS query leaves.
"""

from __future__ import annotations

import pytest

from fake_kodi.home.network_policy import NetworkPolicy

from .conftest import PROBE

ID = "plugin.video.netprobe"


@pytest.fixture
def probe_kodi(kodi):
    kodi.install(PROBE)
    return kodi


def test_a_loopback_server_the_test_started_is_reached(probe_kodi, echo_port):
    result = probe_kodi.run(f"plugin://{ID}/?host=127.0.0.1&port={echo_port}")
    assert result.labels == ["connected: pong"]
    assert probe_kodi.blocked_connections() == []


def test_a_connection_to_another_host_raises_naming_the_host(probe_kodi):
    result = probe_kodi.run(f"plugin://{ID}/?host=203.0.113.7&port=443", expect_error=True)
    assert result.error["type"] == "NetworkBlockedError"
    assert result.error["message"].startswith(
        "fake_kodi blocked a network connection from plugin.video.netprobe to 203.0.113.7:443: "
    )
    assert probe_kodi.blocked_connections(clear=True) == [
        {"addon_id": ID, "host": "203.0.113.7", "mode": "plugin", "port": 443}
    ]


def test_a_host_name_is_refused_before_any_dns_lookup(probe_kodi):
    result = probe_kodi.run(f"plugin://{ID}/?host=trakt.invalid&port=443&swallow=1")
    assert result.labels[0].startswith(
        "NetworkBlockedError: fake_kodi blocked a network connection from plugin.video.netprobe to trakt.invalid:443"
    )
    assert [entry["host"] for entry in probe_kodi.blocked_connections(clear=True)] == ["trakt.invalid"]


def test_the_service_interpreter_is_guarded_too(probe_kodi, echo_port):
    probe_kodi.set_window_property("netprobe.target", "203.0.113.9:80")
    service = probe_kodi.service(ID, virtual_seconds=1)
    assert service.ok, service.log
    assert probe_kodi.window_property("netprobe.outcome").startswith("NetworkBlockedError: ")
    assert probe_kodi.blocked_connections(clear=True) == [
        {"addon_id": ID, "host": "203.0.113.9", "mode": "service", "port": 80}
    ]


def test_a_called_function_is_guarded_and_loopback_still_works(probe_kodi, echo_port):
    blocked = probe_kodi.call(ID, "resources.lib.probe:connect", ["203.0.113.1", 8080, True])
    reached = probe_kodi.call(ID, "resources.lib.probe:connect", ["127.0.0.1", echo_port])
    assert (blocked.split(":")[0], reached) == ("NetworkBlockedError", "connected: pong")
    assert [entry["mode"] for entry in probe_kodi.blocked_connections(clear=True)] == ["call"]


def test_unblocking_takes_effect_for_the_next_interpreter(probe_kodi):
    assert probe_kodi.run(f"plugin://{ID}/?check=guard").labels == ["guarded"]
    probe_kodi.unblock_network()
    assert probe_kodi.run(f"plugin://{ID}/?check=guard").labels == ["open"]


@pytest.mark.parametrize(
    ("allow", "host", "port", "allowed"),
    [
        ([], "127.0.0.1", 9, True),
        ([], "::1", 9, True),
        ([], "127.5.0.1", 9, True),
        ([], "localhost", None, True),
        ([], "api.trakt.tv", 443, False),
        (["api.trakt.tv"], "api.trakt.tv", 443, True),
        (["api.trakt.tv:443"], "api.trakt.tv", 80, False),
        (["api.trakt.tv:443"], "api.trakt.tv", None, True),  # the name lookup comes before the port
        (["[2001:db8::1]:8080"], "2001:db8::1", 8080, True),
        (["2001:db8::1"], "2001:db8::1", 1, True),
        (["10.0.0.5:8080"], "10.0.0.6", 8080, False),
    ],
)
def test_policy_allows_loopback_and_the_entries_given(allow, host, port, allowed):
    assert NetworkPolicy(block=True, allow=allow).allows(host, port) is allowed


# Run in a child interpreter: the guard patches the socket module of the process it is installed in.
# The "network" is faked below the guard (its originals), so nothing leaves the machine.
GUARD_CHILD = """
import json, socket, sys
from fake_kodi.addon_side.network_guard import install_network_guard
from fake_kodi.home.network_policy import NetworkPolicy, write_policy

tried = []
def fake_getaddrinfo(host, port, *args, **kwargs):
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.50", int(port)))]
def fake_connect(self, address):
    tried.append(list(address))
    raise ConnectionRefusedError("fake network")
socket.getaddrinfo = fake_getaddrinfo
socket.socket.connect = fake_connect
write_policy(sys.argv[1], NetworkPolicy(block=True, allow=["api.example.test:443"]))
install_network_guard(sys.argv[1], "plugin.video.x", "plugin")
outcomes = []
for host, port in (("api.example.test", 443), ("203.0.113.50", 443), ("api.example.test", 80)):
    try:
        socket.create_connection((host, port), timeout=1)
    except Exception as exc:
        outcomes.append(type(exc).__name__)
print(json.dumps({"outcomes": outcomes, "tried": tried}))
"""


def test_an_allowed_name_may_be_reached_at_the_addresses_it_resolved_to(tmp_path):
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", GUARD_CHILD, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        # the allowed name, its resolved address once looked up, then the same name on another port
        "outcomes": ["ConnectionRefusedError", "ConnectionRefusedError", "NetworkBlockedError"],
        "tried": [["203.0.113.50", 443], ["203.0.113.50", 443]],
    }
