"""The shifted-clock lane: suites that touch time, re-run with the wall clock moved ahead (see lane.py)."""
