"""A Trakt request that hangs does not hold Kodi's abort: the client polls abort while it waits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from aiostreams import errors
from aiostreams.trakt_client import TraktClient

from .conftest import CLIENT_ID, CLIENT_SECRET, FakeClock


class HeldTrakt:
    """A 127.0.0.1 server that answers `[1]` only after `release` is set (or `delay` real seconds)."""

    def __init__(self, delay: float | None = None):
        self.received = threading.Event()
        self.release = threading.Event()
        self.answered = threading.Event()
        self.delay = delay
        held = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the base class's name
                held.received.set()
                held.release.wait(held.delay if held.delay is not None else 30)
                body = json.dumps([1]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                held.answered.set()

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> HeldTrakt:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held() -> Iterator[HeldTrakt]:
    with HeldTrakt() as server:
        yield server


def client_for(url: str, clock: FakeClock, token_store, abort_check) -> TraktClient:
    return TraktClient(
        url, CLIENT_ID, CLIENT_SECRET, token_store, clock, clock.sleep, abort_check, abort_poll=0.05
    )


def test_abort_while_a_request_hangs_gives_up_before_the_answer(held, clock, token_store):
    client = client_for(held.url, clock, token_store, abort_check=held.received.is_set)
    with pytest.raises(errors.AbortRequested, match="Stopped: Kodi is shutting down"):
        client.get("/sync/watched/movies")
    assert not held.answered.is_set()  # the server still holds the request: the client did not wait for it


def test_a_slow_answer_is_returned_while_abort_is_polled(clock, token_store):
    polls: list[bool] = []

    def abort_check() -> bool:
        polls.append(False)
        return False

    with HeldTrakt(delay=0.3) as slow:
        client = client_for(slow.url, clock, token_store, abort_check)
        assert client.get("/sync/watched/movies") == [1]
    assert len(polls) > 2  # checked at the start and again while the answer was on its way
    assert clock.sleeps == []  # waiting for HTTP is real time, never the injected (virtual) sleep
