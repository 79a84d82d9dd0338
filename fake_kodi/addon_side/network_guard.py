"""The socket guard of an add-on interpreter: no network but loopback and what the test allowed.

Installed before the add-on's code runs (interpreter.build_runtime), from the home's policy
(fake_kodi/home/network_policy.py). It wraps the three doors every Python HTTP client goes
through: `socket.getaddrinfo` (so not even a DNS query for a blocked name leaves the machine),
`socket.socket.connect` and `connect_ex`. A refused attempt raises NetworkBlockedError naming the
host, and is written to the home's blocked log, so the test fails even when the add-on catches
the error (a sync that swallows exceptions would otherwise pass on an empty answer).

A RuntimeError, not an OSError, on purpose: clients wrap OSError into "connection failed" and
retry or fall back, which would hide that the test, not the network, refused the connection.
"""

from __future__ import annotations

import socket
from typing import Any

from fake_kodi.home.network_policy import read_policy, record_blocked

_ORIGINAL: dict[str, Any] = {}


class NetworkBlockedError(RuntimeError):
    """An add-on tried to reach a host the test did not allow."""


def install_network_guard(state_dir: Any, addon_id: str, mode: str) -> bool:
    """Guard this interpreter by the home's policy; False (nothing patched) when it does not block."""
    policy = read_policy(state_dir)
    if not policy.block or _ORIGINAL:
        return False
    _ORIGINAL.update(
        getaddrinfo=socket.getaddrinfo, connect=socket.socket.connect, connect_ex=socket.socket.connect_ex
    )

    def refuse(host: str, port: int | None) -> NetworkBlockedError:
        where = f"{host}:{port}" if port is not None else host
        record_blocked(state_dir, {"addon_id": addon_id, "mode": mode, "host": str(host), "port": port})
        return NetworkBlockedError(
            f"fake_kodi blocked a network connection from {addon_id} to {where}: an add-on under test "
            "reaches only loopback servers and the hosts the test allowed "
            "(kodi.allow_network(HOST[:PORT]) or @pytest.mark.kodi_allow_network)"
        )

    # Addresses an allowed name resolved to: clients connect to the address, not the name.
    resolved: set[tuple[str, int | None]] = set()

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if (
            name is not None
            and not policy.allows(str(name), _port(port))
            and (str(name), _port(port)) not in resolved
        ):
            raise refuse(str(name), _port(port))
        answers = _ORIGINAL["getaddrinfo"](host, port, *args, **kwargs)
        resolved.update((str(answer[4][0]), _port(answer[4][1])) for answer in answers)
        return answers

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
            host, port = str(address[0]), _port(address[1])
            if not policy.allows(host, port) and (host, port) not in resolved:
                raise refuse(host, port)

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        return _ORIGINAL["connect"](self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return _ORIGINAL["connect_ex"](self, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    return True


def _port(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
