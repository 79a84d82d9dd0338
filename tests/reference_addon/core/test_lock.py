"""The cross-process lock built on SQLite (one sync at a time, one token refresh at a time)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from database.connection import LockTimeout, ProcessLock

from .conftest import ADDON_LIB


def test_second_owner_cannot_take_a_held_lock(db, clock):
    first = ProcessLock(db.path, "sync", owner="a", clock=clock)
    second = ProcessLock(db.path, "sync", owner="b", clock=clock)
    assert first.try_acquire()
    assert not second.try_acquire()
    assert second.holder() == "a"


def test_released_lock_can_be_taken(db, clock):
    first = ProcessLock(db.path, "sync", owner="a", clock=clock)
    second = ProcessLock(db.path, "sync", owner="b", clock=clock)
    first.try_acquire()
    first.release()
    assert second.try_acquire()


def test_lock_of_a_dead_holder_expires_after_ttl(db, clock):
    ProcessLock(db.path, "sync", owner="dead", ttl=60, clock=clock).try_acquire()
    clock.advance(61)
    assert ProcessLock(db.path, "sync", owner="b", clock=clock).try_acquire()


def test_release_by_a_non_owner_does_not_free_the_lock(db, clock):
    ProcessLock(db.path, "sync", owner="a", clock=clock).try_acquire()
    ProcessLock(db.path, "sync", owner="b", clock=clock).release()
    assert ProcessLock(db.path, "sync", owner="c", clock=clock).holder() == "a"


def test_hold_raises_lock_timeout_when_busy(db, clock):
    ProcessLock(db.path, "token_refresh", owner="a", clock=clock).try_acquire()
    waiter = ProcessLock(db.path, "token_refresh", owner="b", clock=clock, sleep=clock.sleep)
    with pytest.raises(LockTimeout, match="lock 'token_refresh' is held by another process"):
        with waiter.hold(timeout=2):
            pass
    assert sum(clock.sleeps) >= 2


WORKER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {lib!r})
    from database.connection import ProcessLock
    path, counter, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    lock = ProcessLock(path, "sync", ttl=30)
    for _ in range(rounds):
        assert lock.acquire(timeout=60, poll=0.001)
        with open(counter) as f:
            value = int(f.read())
        time.sleep(0.001)  # widen the window a racy check-then-set would lose updates in
        with open(counter, "w") as f:
            f.write(str(value + 1))
        lock.release()
    """
)


def test_throttle_check_then_set_across_two_processes_is_one_transaction(db, tmp_path):
    """Pitfall: two real processes increment a shared counter only under the lock; no update is lost."""
    counter = tmp_path / "counter"
    counter.write_text("0")
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(lib=str(ADDON_LIB)))
    rounds = 40
    workers = [
        subprocess.Popen([sys.executable, str(script), db.path, str(counter), str(rounds)]) for _ in range(2)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert int(counter.read_text()) == 2 * rounds
