"""The wall-clock shifter itself: only the wall clock moves; sleeps, timeouts and file times stay real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shifted_clock.lane import build_library, shift_seconds, shifted_environment

YEAR = 365 * 86400
# Python's view of the clocks, from a fresh interpreter that inherits the shift.
PROBE = """
import json, os, sqlite3, tempfile, time
started_wall, started_mono = time.time(), time.monotonic()
time.sleep(0.2)
with tempfile.NamedTemporaryFile() as handle:
    mtime = os.stat(handle.name).st_mtime
print(json.dumps({"wall": started_wall, "slept": time.monotonic() - started_mono, "mtime": mtime,
                  "sqlite": sqlite3.connect(":memory:").execute("SELECT strftime('%s', 'now')").fetchone()[0]}))
"""
# A condition-variable wait until "one second from now" on the wall clock, as libcec does it in Kodi.
TIMED_WAIT = r"""
#include <pthread.h>
#include <stdio.h>
#include <time.h>
int main(void) {
    pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
    struct timespec deadline, before, after;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 1;
    pthread_mutex_lock(&mutex);
    clock_gettime(CLOCK_MONOTONIC, &before);
    int result = pthread_cond_timedwait(&cond, &mutex, &deadline);
    clock_gettime(CLOCK_MONOTONIC, &after);
    printf("%d %.3f\n", result, (after.tv_sec - before.tv_sec) + (after.tv_nsec - before.tv_nsec) / 1e9);
    return 0;
}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library(tmp_path_factory.mktemp("wallshift"))


def _probe(env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_wall_clock_moves_and_sleeps_stay_real(library: Path) -> None:
    real = _probe(shifted_environment(library, 0))
    shifted = _probe(shifted_environment(library, YEAR))
    assert YEAR - 60 < shifted["wall"] - real["wall"] < YEAR + 60
    assert abs(int(shifted["sqlite"]) - shifted["wall"]) < 5  # SQLite's now is shifted too
    assert 0.19 < shifted["slept"] < 2.0
    assert abs(shifted["mtime"] + YEAR - shifted["wall"]) < 5  # file times are the kernel's, unshifted


def test_a_wall_clock_deadline_wait_lasts_its_real_length(library: Path, tmp_path: Path) -> None:
    source = tmp_path / "timed_wait.c"
    source.write_text(TIMED_WAIT, encoding="utf-8")
    program = tmp_path / "timed_wait"
    subprocess.run(["cc", "-o", str(program), str(source), "-lpthread"], check=True)
    done = subprocess.run(
        [str(program)], env=shifted_environment(library, YEAR), capture_output=True, text=True, timeout=20
    )
    result, waited = done.stdout.split()
    assert result == "110"  # ETIMEDOUT
    assert 0.9 < float(waited) < 3.0


def test_shifts_are_days_from_now_or_a_date() -> None:
    now = 1_796_126_400  # 2026-12-01T12:00:00Z
    assert shift_seconds("+1d", now) == 86400
    assert shift_seconds("+365d", now) == YEAR
    assert shift_seconds("2036-01-01", now) == 2_082_758_400 - now
