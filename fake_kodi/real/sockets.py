"""Which internet sockets a process (and its children) holds, read from /proc: the lane's check that Kodi
accepts traffic on loopback only.

/proc/<pid>/fd links name each open socket's inode ("socket:[123]"); /proc/<pid>/net/{tcp,tcp6,udp,udp6}
list the sockets of the process's network namespace by inode. Joining the two needs neither `ss` nor root
for our own children.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROTOCOLS = ("tcp", "tcp6", "udp", "udp6")
TCP_LISTEN = "0A"
# A UDP socket that is not connected to a peer (state TCP_CLOSE in /proc) receives from anyone.
UDP_UNCONNECTED = "07"


@dataclass(frozen=True)
class InetSocket:
    """One TCP or UDP socket: its protocol (tcp, tcp6, udp, udp6), local address and port, kernel state."""

    protocol: str
    address: str
    port: int
    state: str
    inode: int

    @property
    def listening(self) -> bool:
        """Whether it accepts traffic from others: a TCP listener, or a bound UDP socket with no peer."""
        if self.protocol.startswith("tcp"):
            return self.state == TCP_LISTEN
        return self.state == UDP_UNCONNECTED and self.port != 0

    @property
    def loopback_only(self) -> bool:
        """Whether its local address is a loopback one (127.0.0.0/8, ::1, ::ffff:127.x.x.x)."""
        address = ipaddress.ip_address(self.address)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return address.is_loopback

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{self.protocol} {host}:{self.port}"


def _decode_address(hex_address: str) -> str:
    # The kernel prints each 32-bit word of the address in host byte order (little-endian here).
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"  # one spelling whatever the Python version (3.13 changed it)
    return str(address)


def parse_proc_net(text: str, protocol: str) -> list[InetSocket]:
    """Parse one /proc/net/{tcp,tcp6,udp,udp6} table (header line first)."""
    sockets = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10:
            continue
        hex_address, hex_port = fields[1].split(":")
        sockets.append(
            InetSocket(protocol, _decode_address(hex_address), int(hex_port, 16), fields[3], int(fields[9]))
        )
    return sockets


def socket_inodes(pid: int) -> set[int]:
    """Inodes of the sockets a process has open (empty once it is gone)."""
    inodes = set()
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return inodes
    for name in names:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            continue  # closed between listdir and readlink
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def child_pids(pid: int) -> list[int]:
    """Direct children of a process, from /proc/<pid>/task/*/children."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants, parents first."""
    tree, index = [pid], 0
    while index < len(tree):
        tree.extend(child for child in child_pids(tree[index]) if child not in tree)
        index += 1
    return tree


def process_sockets(pids: Iterable[int]) -> list[InetSocket]:
    """The TCP and UDP sockets (IPv4 and IPv6) the given processes hold."""
    found: list[InetSocket] = []
    for pid in pids:
        inodes = socket_inodes(pid)
        if not inodes:
            continue
        for protocol in PROTOCOLS:
            try:
                text = Path(f"/proc/{pid}/net/{protocol}").read_text()
            except OSError:
                continue  # no IPv6 in this kernel, or the process is gone
            found.extend(entry for entry in parse_proc_net(text, protocol) if entry.inode in inodes)
    return found


def exposed_sockets(pids: Iterable[int]) -> list[InetSocket]:
    """Sockets of the given processes that accept traffic on an address other than loopback."""
    return [entry for entry in process_sockets(pids) if entry.listening and not entry.loopback_only]
