"""The pytest plugin's own tests: a loopback echo server, the probe add-on, and pytester."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytester's in-process runs drop the modules an inner run imported; imported here once, they stay,
# so a second inner run does not mix a re-imported yaml with the classes built on the first one.
import trakt_cassettes.pytest_recording  # noqa: F401
import trakt_cassettes.replay_server  # noqa: F401
import trakt_cassettes.sim  # noqa: F401

ADDONS = Path(__file__).resolve().parent / "addons"
PROBE = ADDONS / "plugin.video.netprobe"


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that answers each connection's first line with 'pong'."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.recv(64)
                conn.sendall(b"pong\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    server.close()


PROJECT = Path(__file__).resolve().parents[1] / "package_lane" / "project"
# The inner pytest runs load only what an add-on project would: the other plugins of this
# environment (hypothesis, benchmark, xdist) cost ~2 s a run on these machines and test nothing here.
INNER_ARGS = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:xdist",
              "-p", "no:xdist.looponfail")  # fmt: skip
