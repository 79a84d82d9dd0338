"""Reading a process's TCP and UDP sockets from /proc: which accept traffic, and on which addresses."""

from __future__ import annotations

import os
import socket

import pytest

from fake_kodi.real.sockets import InetSocket, exposed_sockets, parse_proc_net, process_sockets, process_tree

TCP_TABLE = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 112 1 0 100 0 0 10 0
   2: 0100007F:C0DE 0100007F:2382 01 00000000:00000000 00:00000000 00000000     0        0 113 1 0 20 4 30 10 -1
"""
UDP6_TABLE = """\
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  0: 00000000000000000000000001000000:0E76 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 221 2 0 0
  1: 00000000000000000000000000000000:0E76 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 222 2 0 0
  2: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 223 2 0 0
  3: 00000000000000000000000000000000:0000 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 224 2 0 0
"""


def test_tcp_table_gives_addresses_ports_and_listeners() -> None:
    entries = parse_proc_net(TCP_TABLE, "tcp")
    assert [(str(entry), entry.inode, entry.listening) for entry in entries] == [
        ("tcp 127.0.0.1:9090", 111, True),
        ("tcp 0.0.0.0:2024", 112, True),
        ("tcp 127.0.0.1:49374", 113, False),  # a connection, not a listener
    ]


def test_udp6_table_gives_loopback_any_and_ipv4_mapped_addresses() -> None:
    entries = parse_proc_net(UDP6_TABLE, "udp6")
    assert [(str(entry), entry.listening, entry.loopback_only) for entry in entries] == [
        ("udp6 [::1]:3702", True, True),
        ("udp6 [::]:3702", True, False),
        ("udp6 [::ffff:127.0.0.1]:8080", True, True),
        ("udp6 [::]:0", False, False),  # never bound to a port: receives nothing
    ]


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("0.0.0.0", False), ("10.0.0.5", False), ("::", False)],
)
def test_only_loopback_addresses_count_as_loopback(address: str, loopback: bool) -> None:
    assert InetSocket("udp", address, 3702, "07", 1).loopback_only is loopback


def test_sockets_of_this_process_are_found_with_their_addresses() -> None:
    with socket.socket() as listener, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        receiver.bind(("127.0.0.1", 0))
        found = {str(entry) for entry in process_sockets([os.getpid()]) if entry.listening}
        assert {
            f"tcp 127.0.0.1:{listener.getsockname()[1]}",
            f"udp 127.0.0.1:{receiver.getsockname()[1]}",
        } <= found
        assert exposed_sockets([os.getpid()]) == []


def test_process_tree_starts_with_the_process_itself() -> None:
    assert process_tree(os.getpid())[0] == os.getpid()
