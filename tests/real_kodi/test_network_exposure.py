"""Real Kodi as the lane configures it accepts traffic on loopback only (issue 19: WS-Discovery bound 0.0.0.0)."""

from __future__ import annotations

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
