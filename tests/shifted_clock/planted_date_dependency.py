"""A planted date dependency, run only by the shifted-clock lane to prove that it catches one.

It makes the mistake the committed cassettes made until 2026-12: it keeps an absolute expiry that was
recorded "now" and compares it with the wall clock later, in this process and in a child process (as
a fake Kodi plugin call or real Kodi would). It passes on the day it is recorded and must fail once
the lane moves the wall clock. Its name keeps it out of ordinary collection (not test_*.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

# When the lane "recorded" it, and the absolute expiry it kept: one hour after that.
RECORDED_AT = float(os.environ.get("PLANTED_RECORDED_AT", time.time()))
TOKEN_EXPIRES_AT = RECORDED_AT + 3600


def test_recorded_token_still_valid() -> None:
    assert time.time() < TOKEN_EXPIRES_AT


def test_recorded_token_still_valid_in_a_child_process() -> None:
    check = f"import sys, time; sys.exit(0 if time.time() < {TOKEN_EXPIRES_AT} else 1)"
    assert subprocess.run([sys.executable, "-c", check], check=False).returncode == 0
