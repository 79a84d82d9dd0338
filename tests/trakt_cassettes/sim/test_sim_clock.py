"""VirtualClock: Trakt's timestamp format, advancing, and the shared clock file."""

from __future__ import annotations

import json

import pytest

from trakt_cassettes.sim import VirtualClock


def test_now_iso_is_trakt_format():
    assert VirtualClock("2026-11-01T12:00:00Z").now_iso() == "2026-11-01T12:00:00.000Z"


def test_advance_moves_time_forward():
    clock = VirtualClock("2026-11-01T12:00:00Z")
    clock.advance(90.5)
    assert clock.now_iso() == "2026-11-01T12:01:30.500Z"


def test_advance_refuses_to_go_backwards():
    with pytest.raises(ValueError, match="cannot advance by -1: seconds must be a finite amount >= 0"):
        VirtualClock(0).advance(-1)


def test_set_jumps_to_an_absolute_time():
    clock = VirtualClock(0)
    clock.set("2026-01-02T03:04:05Z")
    assert clock.now_iso() == "2026-01-02T03:04:05.000Z"


def test_file_clock_follows_writes_from_another_process(tmp_path):
    path = tmp_path / "clock.json"
    clock = VirtualClock.from_file(path, default="2026-11-01T12:00:00Z")
    path.write_text(json.dumps({"epoch": clock.now() + 3600}), encoding="utf-8")
    assert clock.now_iso() == "2026-11-01T13:00:00.000Z"


def test_file_clock_writes_its_advances(tmp_path):
    path = tmp_path / "clock.json"
    VirtualClock.from_file(path, default=100.0).advance(5)
    assert json.loads(path.read_text(encoding="utf-8")) == {"epoch": 105.0}
