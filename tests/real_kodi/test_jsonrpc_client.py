"""JsonRpcClient against a small JSON-RPC server on 127.0.0.1 that answers the way Kodi's TCP server does."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from fake_kodi.real.jsonrpc import JsonRpcClient, JsonRpcError, JsonRpcTimeout

Script = Callable[[socket.socket, dict], None]


@pytest.fixture
def kodi_like_server() -> Iterator[Callable[[Script], int]]:
    """Start a one-connection TCP server whose replies to each request are written by a script."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    threads: list[threading.Thread] = []

    def start(script: Script) -> int:
        def serve() -> None:
            connection, _ = listener.accept()
            with connection:
                decoder, buffer = json.JSONDecoder(), ""
                while chunk := connection.recv(65536):
                    buffer += chunk.decode()
                    while buffer:
                        try:
                            request, end = decoder.raw_decode(buffer)
                        except json.JSONDecodeError:
                            break
                        buffer = buffer[end:]
                        script(connection, request)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return listener.getsockname()[1]

    yield start
    listener.close()


def test_answer_is_matched_by_id_and_notifications_are_kept(kodi_like_server) -> None:
    def script(connection: socket.socket, request: dict) -> None:
        notification = {"jsonrpc": "2.0", "method": "Other.hello", "params": {"sender": "t", "data": None}}
        answer = {"id": request["id"], "jsonrpc": "2.0", "result": "pong"}
        connection.sendall((json.dumps(notification) + json.dumps(answer)).encode())

    client = JsonRpcClient(kodi_like_server(script))
    assert client.request("JSONRPC.Ping", timeout=5) == "pong"
    assert [message["method"] for message in client.notifications] == ["Other.hello"]
    client.close()


def test_answer_split_inside_a_multibyte_character_is_decoded(kodi_like_server) -> None:
    def script(connection: socket.socket, request: dict) -> None:
        data = json.dumps({"id": request["id"], "jsonrpc": "2.0", "result": "é"}, ensure_ascii=False).encode()
        cut = data.index("é".encode()) + 1  # between the two bytes of é
        connection.sendall(data[:cut])
        connection.sendall(data[cut:])

    client = JsonRpcClient(kodi_like_server(script))
    assert client.request("Any.Method", timeout=5) == "é"
    client.close()


def test_error_answer_raises_with_code_and_message(kodi_like_server) -> None:
    def script(connection: socket.socket, request: dict) -> None:
        error = {"code": -32602, "message": "Invalid params."}
        connection.sendall(json.dumps({"id": request["id"], "jsonrpc": "2.0", "error": error}).encode())

    client = JsonRpcClient(kodi_like_server(script))
    with pytest.raises(JsonRpcError, match=r"^Files.GetDirectory failed: -32602 Invalid params\.$") as error:
        client.request("Files.GetDirectory", {"directory": "plugin://x/"}, timeout=5)
    assert (error.value.code, error.value.message) == (-32602, "Invalid params.")
    client.close()


def test_missing_answer_times_out_naming_the_method(kodi_like_server) -> None:
    client = JsonRpcClient(kodi_like_server(lambda connection, request: None))
    with pytest.raises(JsonRpcTimeout, match=r"^Files.GetDirectory: no answer from Kodi within 0 s$"):
        client.request("Files.GetDirectory", timeout=0.3)
    client.close()
