"""Kodi's UDP event server (the kodi-send protocol): actions and builtins that get through while JSON-RPC is busy.

A plugin that opens a modal dialog blocks Kodi's JSON-RPC server until the dialog closes, so the dialog
cannot be answered over JSON-RPC. The event server runs on its own thread and feeds the GUI directly.
Packet layout (from Kodi's EventClients protocol): a 32-byte header ("XBMC", version 2.0, packet type,
sequence, packet count, payload size, client token, 10 reserved bytes) followed by the payload.
"""

from __future__ import annotations

import os
import socket
import struct
import time

PACKET_HELO = 0x01
PACKET_BYE = 0x02
PACKET_ACTION = 0x0A
ACTION_BUILTIN = 0x01
ACTION_BUTTON = 0x02
ICON_NONE = 0x00
MAX_PAYLOAD = 1024 - 32
# Kodi forgets a client after 60 s without packets; say hello again well before that.
HELLO_EVERY_S = 45.0


def _packet(packet_type: int, payload: bytes, token: int) -> bytes:
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"event server payload too long ({len(payload)} > {MAX_PAYLOAD} bytes)")
    header = b"XBMC" + struct.pack("!BBHIIHI", 2, 0, packet_type, 1, 1, len(payload), token) + bytes(10)
    return header + payload


def _text(value: str) -> bytes:
    return value.encode("utf-8") + b"\0"


class EventClient:
    """Send Kodi actions ("Select", "Back", "Down") or builtins over UDP to 127.0.0.1:<esport>."""

    def __init__(self, port: int, device_name: str = "fake_kodi driver") -> None:
        self._address = ("127.0.0.1", port)
        self._device_name = device_name
        self._token = int.from_bytes(os.urandom(4), "big")
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._last_sent = float("-inf")

    def close(self) -> None:
        """Say goodbye and close the socket."""
        if self._last_sent != float("-inf"):
            self._send(PACKET_BYE, b"")
        self._sock.close()

    def action(self, name: str) -> None:
        """Send a Kodi action by name, as a key press mapped to it would ("Select", "Back", "Up")."""
        self._send_action(ACTION_BUTTON, name)

    def builtin(self, command: str) -> None:
        """Run a builtin (e.g. "RunPlugin(plugin://...)", "TakeScreenshot(/x.png,sync)"); no answer comes back."""
        self._send_action(ACTION_BUILTIN, command)

    def _send_action(self, kind: int, text: str) -> None:
        if time.monotonic() - self._last_sent > HELLO_EVERY_S:
            # name, icon type, port (unused), two reserved words
            hello = _text(self._device_name[:127]) + struct.pack("!BHII", ICON_NONE, 0, 0, 0)
            self._send(PACKET_HELO, hello)
            # Kodi registers the client on its event-server thread; an action sent at once may be dropped.
            time.sleep(0.2)
        self._send(PACKET_ACTION, bytes([kind]) + _text(text))

    def _send(self, packet_type: int, payload: bytes) -> None:
        self._sock.sendto(_packet(packet_type, payload, self._token), self._address)
        self._last_sent = time.monotonic()
