"""Real Kodi as the lane configures it accepts traffic on loopback only (issue 19: WS-Discovery bound 0.0.0.0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.real.driver import RealKodi

pytestmark = pytest.mark.real_kodi


def test_kodi_and_xvfb_listen_on_loopback_only(probe_kodi: RealKodi) -> None:
    sockets = probe_kodi.sockets()
    listening = {str(entry) for entry in sockets if entry.listening}
    # The table is really Kodi's: its JSON-RPC listener and event-server port are in it.
    paths = probe_kodi.paths
    assert {f"tcp 127.0.0.1:{paths.jsonrpc_port}", f"udp 127.0.0.1:{paths.es_port}"} <= listening
    assert [str(entry) for entry in sockets if entry.listening and not entry.loopback_only] == []


def test_json_rpc_listens_on_ipv4_loopback_and_on_ipv6_loopback_only_in_kodi_21(probe_kodi: RealKodi) -> None:
    port = probe_kodi.paths.jsonrpc_port
    listeners = {str(entry) for entry in probe_kodi.sockets() if entry.listening and entry.port == port}
    expected = {f"tcp 127.0.0.1:{port}"}
    if probe_kodi.version == 21 and Path("/proc/net/if_inet6").read_text().strip():
        expected.add(f"tcp6 [::1]:{port}")  # Kodi 21 also binds ::1 when this machine has IPv6
    assert listeners == expected
