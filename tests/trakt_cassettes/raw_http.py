"""Raw HTTP for tests that send what a client library would refuse to: malformed framing, odd hosts."""

from __future__ import annotations

import socket


def exchange(url: str, request: bytes) -> bytes:
    """Send raw bytes to http://HOST:PORT, half-close, and read everything the server answers."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    """The status code of a raw HTTP/1.x answer (AssertionError when it is not one)."""
    line = answer.split(b"\r\n", 1)[0].split(b" ")
    assert len(line) >= 2 and line[0].startswith(b"HTTP/1."), answer[:200]
    return int(line[1])
