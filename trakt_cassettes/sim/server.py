"""Server mode: the simulator over real HTTP on 127.0.0.1 (threaded), plus a plain WSGI app."""

from __future__ import annotations

import argparse
import socket
import struct
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .faults import SimulatedConnectionReset, SimulatedTimeout
from .web import JSON_TYPE, BadFraming, body_length, error_body

HOST = "127.0.0.1"  # never 0.0.0.0: the simulator is for this machine only


def port_number(text: str) -> int:
    """A TCP port from the command line: 0 (a free one) to 65535; argparse shows the message."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0-65535")
    return port


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, keep-alive clients wait ~40 ms per request.
    disable_nagle_algorithm = True
    server_version = "trakt-sim"
    sys_version = ""

    def _serve(self) -> None:
        try:
            length = body_length(self.headers.get("Content-Length"))
        except BadFraming as exc:
            # The body cannot be skipped safely, so the connection ends after the answer.
            self.close_connection = True
            self._answer(
                exc.status,
                {"Content-Type": JSON_TYPE, "Connection": "close"},
                error_body("bad_request", str(exc)),
            )
            return
        body = self.rfile.read(length) if length else None
        try:
            status, headers, payload = self.server.simulator.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
        except SimulatedConnectionReset:
            # SO_LINGER 0 makes close() send a RST: the client sees "connection reset by peer".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        except SimulatedTimeout as exc:
            time.sleep(exc.real_delay)
            self.close_connection = True
            return
        except Exception as exc:  # noqa: BLE001 - a simulator bug answers 500 and the server keeps serving
            status, headers = 500, {"Content-Type": JSON_TYPE}
            payload = error_body("simulator_error", f"{type(exc).__name__}: {exc}")
        self._answer(status, headers, payload)

    def _answer(self, status: int, headers: dict, payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the simulator keeps its own request log


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class SimulatorServer:
    """A Simulator served on 127.0.0.1:port (0 = a free port) in a background thread."""

    def __init__(self, simulator, port: int = 0):
        self.simulator, self.port = simulator, port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT` once started (kept after stop, for messages)."""
        if self._url is None:
            raise RuntimeError("the server is not started")
        return self._url

    def start(self) -> SimulatorServer:
        """Bind and serve in a daemon thread."""
        if self._server is None:
            self._server = _Server((HOST, self.port), _Handler)
            self._server.simulator = self.simulator
            self._url = f"http://{HOST}:{self._server.server_address[1]}"
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="trakt-sim", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wsgi_app(simulator):
    """A WSGI application over `simulator.handle` (a reset fault raises SimulatedConnectionReset)."""

    def app(environ, start_response):
        try:
            length = body_length(environ.get("CONTENT_LENGTH"))
        except BadFraming as exc:
            start_response(f"{exc.status} {HTTPStatus(exc.status).phrase}", [("Content-Type", JSON_TYPE)])
            return [error_body("bad_request", str(exc))]
        body = environ["wsgi.input"].read(length) if length else None
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        query = environ.get("QUERY_STRING")
        url = environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")
        status, out_headers, payload = simulator.handle(environ["REQUEST_METHOD"], url, headers, body)
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        start_response(f"{status} {reason}", list(out_headers.items()))
        return [payload]

    return app
