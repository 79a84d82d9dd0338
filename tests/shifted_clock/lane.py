"""The shifted-clock lane: the tests that touch time, run again with the wall clock moved ahead.

`python -m tests.shifted_clock.lane` builds `wallshift.c` (an LD_PRELOAD library that moves only the
wall clock; sleeps, timeouts and file times stay real), proves on a planted date dependency that a
shift reaches the tests and their subprocesses, then runs SELECTION at every shift in SHIFTS with
time still moving. Any failure fails the lane. Every process the tests start inherits the shift:
plugin and service interpreters of fake Kodi, the simulator and replay servers, and real Kodi
(`fake_kodi/real/processes.py` keeps `LD_PRELOAD` and `WALLSHIFT_SECONDS` in Kodi's clean environment).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from fake_kodi.real.preload import NoCompiler, build_preload

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).with_name("wallshift.c")
PLANTED = Path(__file__).with_name("planted_date_dependency.py")
# (name, the shift: "+<n>d" days from now, or an ISO date the clock jumps to).
SHIFTS = (("+1 day", "+1d"), ("+1 year", "+365d"), ("2036-01-01", "2036-01-01T00:00:00Z"))
# What touches time: recorded cassettes and their replays, the simulator (tokens, rate-limit windows,
# the served clock), token refresh, progress and air dates, the service's schedule, the demo, and
# real Kodi's cassette and scenario debug paths. Paths are relative to the repo root.
# Two parts, so the fake part need not wait for the real-Kodi lane to install Kodi.
SELECTION = {
    "fake": (
        "tests/trakt_cassettes/replay",
        "tests/trakt_cassettes/cassettes",
        "tests/trakt_cassettes/sim",
        "tests/reference_addon/core",
        "tests/reference_addon/service",
        "tests/reference_addon/test_demo.py",
        "tests/real_kodi/test_backends.py",
    ),
    # In real Kodi only what meets Trakt's clock: `real debug --cassette/--scenario` and the add-on's lane
    # (`real run` of the probe and the pattern add-ons reads no date).
    "kodi": (
        "tests/real_kodi/test_cli_real.py::test_debug_serves_the_backend_and_quits_kodi_on_signal",
        "tests/real_kodi/test_reference_addon.py",
    ),
}


@dataclass
class LaneRun:
    """One shifted run: its name, the shift in seconds, pytest's exit code and how long it took."""

    name: str
    seconds: int
    started_at: str  # the shifted wall clock's date when the run started
    returncode: int
    elapsed: float


def shift_seconds(spec: str, now: float) -> int:
    """Seconds to add to the wall clock: "+Nd" is N days, anything else an ISO time to jump to."""
    if spec.startswith("+") and spec.endswith("d"):
        return int(float(spec[1:-1]) * 86400)
    target = datetime.fromisoformat(spec.replace("Z", "+00:00"))
    if target.tzinfo is None:
        target = target.replace(tzinfo=timezone.utc)
    return int(target.timestamp() - now)


def shifted_date(seconds: int) -> str:
    """Today's date on the wall clock moved by `seconds`."""
    return datetime.fromtimestamp(time.time() + seconds, tz=timezone.utc).strftime("%Y-%m-%d")


def build_library(out_dir: Path) -> Path:
    """Compile wallshift.c into out_dir (installing gcc with apt first when it is missing and we are root)."""
    try:
        return build_preload(SOURCE, out_dir / "libwallshift.so")
    except NoCompiler as reason:
        raise SystemExit(f"shifted-clock lane: cannot build wallshift.c: {reason}") from None


def shifted_environment(library: Path, seconds: int) -> dict[str, str]:
    """This environment with the wall clock moved by `seconds` for the process and all its children."""
    preload = " ".join(filter(None, [str(library), os.environ.get("LD_PRELOAD", "")]))
    return {**os.environ, "LD_PRELOAD": preload, "WALLSHIFT_SECONDS": str(seconds)}


def pytest_command(paths: list[str], extra: list[str]) -> list[str]:
    """pytest over `paths`, real-Kodi tests included, without the cache (shared with the other lanes)."""
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *paths, *extra]


def planted_check(library: Path) -> None:
    """The lane must catch a date dependency: the planted one passes on today's clock and fails shifted."""
    env = {**os.environ, "PLANTED_RECORDED_AT": str(int(time.time()))}
    today = subprocess.run(pytest_command([str(PLANTED)], []), env=env, cwd=ROOT)
    if today.returncode != 0:
        raise SystemExit("shifted-clock lane: the planted date dependency fails on today's clock")
    shifted = {**shifted_environment(library, 86400), "PLANTED_RECORDED_AT": env["PLANTED_RECORDED_AT"]}
    caught = subprocess.run(
        pytest_command([str(PLANTED)], []), env=shifted, cwd=ROOT, capture_output=True, text=True
    )
    if caught.returncode != 1 or "2 failed" not in caught.stdout:
        raise SystemExit(
            "shifted-clock lane: a shift of one day did not make the planted date dependency fail in the "
            f"test and in its subprocess:\n{caught.stdout[-3000:]}{caught.stderr[-2000:]}"
        )
    print(
        "shifted-clock lane: the planted date dependency passes today and fails one day later (caught)",
        flush=True,
    )


def parse_arguments(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """The lane's options and test paths, and the arguments it hands to pytest as they are.

    Options the lane does not know go to pytest (`--lf`, `-n2`); so does everything after `--`,
    which argparse alone would take for test paths (`-- -n 2` would replace the selection by `2`).
    """
    parser = argparse.ArgumentParser(prog="python -m tests.shifted_clock.lane", description=__doc__)
    parser.add_argument("--build-dir", type=Path, default=ROOT / "artifacts" / "shifted_clock")
    parser.add_argument("--shift", action="append", help="only this shift (+Nd or an ISO date); repeatable")
    parser.add_argument(
        "--part", choices=("fake", "kodi", "all"), default="all", help="which default selection to run"
    )
    parser.add_argument("paths", nargs="*", help="test paths (default: the --part selection)")
    passthrough: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1 :]
    args, extra = parser.parse_known_args(argv)
    return args, extra + passthrough


def main(argv: list[str] | None = None) -> int:
    """Build the library, check the planted dependency, run the selection at every shift; 0 when all pass."""
    args, extra = parse_arguments(sys.argv[1:] if argv is None else argv)
    library = build_library(args.build_dir)
    planted_check(library)
    shifts = [(spec, spec) for spec in args.shift] if args.shift else list(SHIFTS)
    parts = ("fake", "kodi") if args.part == "all" else (args.part,)
    paths = args.paths or [path for part in parts for path in SELECTION[part]]
    runs: list[LaneRun] = []
    for name, spec in shifts:
        seconds = shift_seconds(spec, time.time())
        print(f"\n=== shifted clock {name}: wall clock + {seconds} s ===", flush=True)
        started, date = time.monotonic(), shifted_date(seconds)
        result = subprocess.run(
            pytest_command(paths, extra), env=shifted_environment(library, seconds), cwd=ROOT
        )
        runs.append(LaneRun(name, seconds, date, result.returncode, time.monotonic() - started))
    print("\nshifted-clock lane:")
    for run in runs:
        verdict = "passed" if run.returncode == 0 else f"FAILED (pytest exit {run.returncode})"
        print(f"  {run.name:>10} (started {run.started_at}): {verdict} in {run.elapsed:.0f} s")
    return 0 if all(run.returncode == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
