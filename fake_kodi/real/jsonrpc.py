"""One persistent JSON-RPC connection to Kodi's raw TCP server (no HTTP, no webserver)."""

from __future__ import annotations

import codecs
import itertools
import json
import socket
import time
from typing import Any


class JsonRpcError(RuntimeError):
    """Kodi answered a request with a JSON-RPC error object."""

    def __init__(self, method: str, code: int, message: str) -> None:
        super().__init__(f"{method} failed: {code} {message}")
        self.method = method
        self.code = code
        self.message = message


class JsonRpcTimeout(TimeoutError):
    """Kodi did not answer a request in time."""


class JsonRpcClient:
    """Requests over a single TCP connection, kept open for the whole run.

    Kodi crashed in CTCPServer::Announce when every request opened its own connection (3 of 5 long runs),
    so one connection carries everything. The stream has no framing: objects are read back to back, and
    Kodi's own notifications (no "id") arrive between answers; they are kept in `notifications`.
    """

    def __init__(self, port: int, host: str = "127.0.0.1", connect_timeout: float = 5.0) -> None:
        self._sock = socket.create_connection((host, port), timeout=connect_timeout)
        self._buffer = ""
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._decoder = json.JSONDecoder()
        self._ids = itertools.count(1)
        self.notifications: list[dict[str, Any]] = []

    def close(self) -> None:
        """Close the connection (Kodi keeps running)."""
        self._sock.close()

    def request(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> Any:
        """Send one request and return its `result`; raise JsonRpcError or JsonRpcTimeout."""
        request_id = self.send(method, params)
        return self.wait_for_answer(method, request_id, timeout)

    def send(self, method: str, params: dict[str, Any] | None = None) -> int:
        """Send a request without waiting; pair with wait_for_answer (for calls that block Kodi)."""
        request_id = next(self._ids)
        payload: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            payload["params"] = params
        self._sock.sendall(json.dumps(payload).encode("utf-8"))
        return request_id

    def wait_for_answer(self, method: str, request_id: int, timeout: float) -> Any:
        """Read the stream until the answer to `request_id` arrives."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self._drain_messages():
                if message.get("id") == request_id:
                    if "error" in message:
                        error = message["error"]
                        raise JsonRpcError(method, int(error.get("code", 0)), str(error.get("message", "")))
                    return message.get("result")
                if "id" not in message:
                    self.notifications.append(message)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise JsonRpcTimeout(f"{method}: no answer from Kodi within {timeout:.0f} s")
            self._receive(min(remaining, 1.0))

    def poll_notifications(self, wait: float = 0.0) -> list[dict[str, Any]]:
        """Read whatever is pending (up to `wait` seconds) and return all notifications seen so far."""
        self._receive(wait)
        for message in self._drain_messages():
            if "id" not in message:
                self.notifications.append(message)
        return list(self.notifications)

    def _receive(self, wait: float) -> None:
        self._sock.settimeout(max(wait, 0.001))
        try:
            chunk = self._sock.recv(65536)
        except (TimeoutError, BlockingIOError):
            return
        if not chunk:
            raise ConnectionError("Kodi closed the JSON-RPC connection")
        # Incremental decoding: a multi-byte character may be split across two chunks.
        self._buffer += self._utf8.decode(chunk)

    def _drain_messages(self) -> list[dict[str, Any]]:
        messages = []
        while True:
            text = self._buffer.lstrip()
            if not text:
                self._buffer = ""
                return messages
            try:
                message, end = self._decoder.raw_decode(text)
            except json.JSONDecodeError:
                self._buffer = text  # incomplete object: wait for more bytes
                return messages
            self._buffer = text[end:]
            if isinstance(message, dict):
                messages.append(message)
