"""The virtual clock file shared by every process of a home."""

from __future__ import annotations

import json
import time

import pytest

from fake_kodi.home.clock import VirtualClock, patch_time_module, read_epoch


def test_clock_file_holds_one_epoch_key(tmp_path):
    clock = VirtualClock(tmp_path / "clock.json", start=1_700_000_000.0)
    clock.advance(90)
    assert json.loads((tmp_path / "clock.json").read_text()) == {"epoch": 1_700_000_090.0}


def test_second_clock_on_same_file_sees_the_time(tmp_path):
    VirtualClock(tmp_path / "clock.json", start=1000.0).advance(5)
    assert VirtualClock(tmp_path / "clock.json").now() == 1005.0


def test_non_persistent_clock_leaves_the_file_alone(tmp_path):
    VirtualClock(tmp_path / "clock.json", start=1000.0)
    local = VirtualClock(tmp_path / "clock.json", persist=False)
    local.sleep(60)
    assert (local.now(), read_epoch(tmp_path / "clock.json")) == (1060.0, 1000.0)


def test_advance_rejects_negative_seconds(tmp_path):
    clock = VirtualClock(tmp_path / "clock.json", start=0.0)
    with pytest.raises(ValueError, match="negative amount"):
        clock.advance(-1)


def test_missing_clock_file_reads_as_none(tmp_path):
    assert read_epoch(tmp_path / "nothing.json") is None


def test_patched_time_sleep_consumes_virtual_time(tmp_path):
    clock = VirtualClock(tmp_path / "clock.json", start=5000.0, persist=False)
    undo = patch_time_module(clock.now, clock.sleep)
    try:
        time.sleep(3600)
        seen = time.time()
    finally:
        undo()
    assert seen == 8600.0


def test_patched_time_sleep_keeps_kodi_argument_errors(tmp_path):
    clock = VirtualClock(tmp_path / "clock.json", start=0.0, persist=False)
    undo = patch_time_module(clock.now, clock.sleep)
    try:
        with pytest.raises(ValueError, match="sleep length must be non-negative"):
            time.sleep(-1)
    finally:
        undo()


def test_in_place_save_keeps_plain_json(tmp_path):
    clock = VirtualClock(tmp_path / "clock.json", start=100.0, persist=False)
    for _ in range(3):
        clock.advance(0.5)
        clock.save()
    assert json.loads((tmp_path / "clock.json").read_text()) == {"epoch": 101.5}


def test_in_place_save_follows_a_file_replaced_by_another_writer(tmp_path):
    clock = VirtualClock(tmp_path / "clock.json", start=100.0, persist=False)
    clock.save()
    VirtualClock(tmp_path / "clock.json").set(5.0)  # e.g. the Trakt simulator's own atomic write
    clock.advance(1)
    clock.save()
    assert read_epoch(tmp_path / "clock.json") == 101.0
