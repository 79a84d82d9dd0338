"""What the pytest plugin costs a project that does not use it: `pytest --co` with and without it.

    python -m tests.package_lane.plugin_cost [--runs N] [--python PYTHON]

Builds a small project (20 test files of 10 plain tests each) in a temporary folder, then times
`PYTHON -m pytest --co -q` there, alternating a run with the plugin and one with `-p no:fake_kodi`,
and prints the median CPU and wall times and their differences (the target is < 100 ms added), then
the time the plugin's own modules take to import after pytest.
The modules the plugin may not import are checked by test_plugin_import.py, not by a wall clock.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST_FILE = "".join(f"def test_{number}():\n    assert {number} + 1 > {number}\n\n\n" for number in range(10))


def make_project(folder: Path) -> Path:
    """A project with no harness test in it (what most pytest runs on a developer's machine look like)."""
    tests = folder / "tests"
    tests.mkdir(parents=True)
    for number in range(20):
        (tests / f"test_plain_{number}.py").write_text(TEST_FILE, encoding="utf-8")
    return folder


def time_collect(python: str, project: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `pytest --co -q` in a fresh interpreter, as a developer's run.

    CPU time (user + system of the child) is what the plugin adds; on a machine shared with other
    jobs the wall clock mostly measures the neighbours.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", *extra],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"pytest --co failed:\n{done.stdout}{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


IMPORT_CODE = """
import time, pytest, _pytest.pytester
started = time.perf_counter()
import fake_kodi.pytest_plugin, trakt_cassettes.pytest_fixtures
print(time.perf_counter() - started)
"""


def plugin_import_seconds(python: str) -> float:
    """Seconds to import the plugin's modules in a fresh interpreter that has pytest imported already."""
    done = subprocess.run([python, "-c", IMPORT_CODE], capture_output=True, text=True, check=True)
    return float(done.stdout)


def measure(python: str, runs: int) -> dict[str, float]:
    """Median wall and CPU milliseconds with and without the plugin, their differences, the plugin's import time."""
    with tempfile.TemporaryDirectory(prefix="plugin-cost-") as tmp:
        project = make_project(Path(tmp))
        time_collect(python, project)  # warm the file cache and bytecode first
        with_plugin, without = [], []
        for _ in range(runs):
            with_plugin.append(time_collect(python, project))
            without.append(time_collect(python, project, "-p", "no:fake_kodi"))
    figures = {}
    for index, kind in enumerate(("wall", "cpu")):
        on = statistics.median(run[index] for run in with_plugin)
        off = statistics.median(run[index] for run in without)
        figures.update({f"{kind}_with_ms": on * 1000.0, f"{kind}_without_ms": off * 1000.0,
                        f"{kind}_added_ms": (on - off) * 1000.0})  # fmt: skip
    figures["plugin_import_ms"] = (
        statistics.median(plugin_import_seconds(python) for _ in range(runs)) * 1000.0
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    figures = measure(args.python, args.runs)
    print(
        f"pytest --co, median of {args.runs}: CPU {figures['cpu_with_ms']:.0f} ms with the plugin, "
        f"{figures['cpu_without_ms']:.0f} ms with -p no:fake_kodi, added {figures['cpu_added_ms']:.0f} ms; "
        f"wall {figures['wall_with_ms']:.0f} / {figures['wall_without_ms']:.0f} ms, added {figures['wall_added_ms']:.0f} ms; "
        f"importing the plugin's modules after pytest: {figures['plugin_import_ms']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
