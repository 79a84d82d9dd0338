"""Event-server packets as Kodi's UDP server receives them (real UDP on 127.0.0.1)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator

import pytest

from fake_kodi.real.eventclient import ACTION_BUILTIN, ACTION_BUTTON, PACKET_ACTION, PACKET_HELO, EventClient


@pytest.fixture
def udp_listener() -> Iterator[socket.socket]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    yield listener
    listener.close()


def parse(packet: bytes) -> tuple[int, bytes]:
    """(packet type, payload) of one event-server packet, checking the header."""
    assert packet[:4] == b"XBMC" and packet[4:6] == bytes([2, 0])
    packet_type, sequence, count, size = struct.unpack("!HIIH", packet[6:18])
    assert (sequence, count, len(packet)) == (1, 1, 32 + size)
    return packet_type, packet[32:]


def test_first_action_is_preceded_by_hello(udp_listener: socket.socket) -> None:
    client = EventClient(udp_listener.getsockname()[1], device_name="tests")
    client.action("Select")
    hello_type, hello = parse(udp_listener.recv(2048))
    action_type, action = parse(udp_listener.recv(2048))
    assert (hello_type, hello.split(b"\0")[0]) == (PACKET_HELO, b"tests")
    assert (action_type, action) == (PACKET_ACTION, bytes([ACTION_BUTTON]) + b"Select\0")
    client.close()


def test_builtin_is_sent_as_an_execbuiltin_action(udp_listener: socket.socket) -> None:
    client = EventClient(udp_listener.getsockname()[1])
    client.builtin("TakeScreenshot(/tmp/x.png,sync)")
    parse(udp_listener.recv(2048))  # hello
    assert parse(udp_listener.recv(2048)) == (
        PACKET_ACTION,
        bytes([ACTION_BUILTIN]) + b"TakeScreenshot(/tmp/x.png,sync)\0",
    )
    client.close()


def test_oversized_payload_is_refused(udp_listener: socket.socket) -> None:
    client = EventClient(udp_listener.getsockname()[1])
    with pytest.raises(ValueError, match=r"^event server payload too long \(1002 > 992 bytes\)$"):
        client.builtin("x" * 1000)
    client.close()
