"""The package lane (`tox -e package`): the harness as an add-on project installs it, then used from outside.

    python tests/package_lane/lane.py WORK_DIR

1. builds the wheel from the checkout (`pip wheel --no-deps`) into WORK_DIR (tox: {envtmpdir}),
2. creates a fresh virtualenv in WORK_DIR and installs the wheel (its dependencies from the index) and pytest
   into it (with this interpreter's pip: the virtualenv gets none of its own),
3. copies the smoke suite (smoke/) and the add-on project (project/) to a temporary folder outside the checkout,
4. runs the smoke suite there with the virtualenv's pytest, with CI set (cassettes replay only),
5. prints what loading the pytest plugin costs `pytest --co` in a project that does not use it.

Nothing of the checkout is on the smoke suite's sys.path: it imports the harness from site-packages
(the suite's first test checks that). Standard library only: this runs in tox's own environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parents[1]


def step(title: str, command: list[str], **kwargs: object) -> None:
    started = time.perf_counter()
    print(f"package lane: {title}", flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]
    print(f"package lane: {title}: {time.perf_counter() - started:.1f} s", flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        raise SystemExit("usage: python tests/package_lane/lane.py WORK_DIR")
    work = Path(argv[1]).resolve()
    shutil.rmtree(work / "lane", ignore_errors=True)
    lane = work / "lane"
    dist, venv = lane / "dist", lane / "venv"
    step(
        "build the wheel",
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(CHECKOUT)],
    )
    wheel = next(dist.glob("kodi_trakt_harness-*.whl"))
    # Without pip of its own (ensurepip takes ~20 s on a loaded machine): this pip installs into it.
    step("create a fresh virtualenv", [sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    step("install the wheel", [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                               "--disable-pip-version-check", str(wheel), "pytest>=8"])  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="package-lane-") as tmp:
        outside = Path(tmp)
        if CHECKOUT in outside.resolve().parents:
            raise SystemExit(f"{outside} is inside the checkout; set TMPDIR to a folder outside it")
        shutil.copytree(HERE / "smoke", outside / "smoke", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(HERE / "project", outside / "project", ignore=shutil.ignore_patterns("__pycache__"))
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(CI="1", PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
                   PACKAGE_LANE_PROJECT=str(outside / "project"), PACKAGE_LANE_CHECKOUT=str(CHECKOUT))  # fmt: skip
        step("smoke suite", [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "smoke"], cwd=outside,
             env=env)  # fmt: skip
        step("plugin cost", [str(python), str(HERE / "plugin_cost.py"), "--runs", "7"], cwd=outside, env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
