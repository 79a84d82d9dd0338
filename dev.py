#!/usr/bin/env python3
"""The project's two front doors: `python3 dev.py demo` and `python3 dev.py test`.

Both need only python3: they create `.venv/` at the repo root (with tox in it) when it is
missing, then hand over to tox, which builds its own environments from pyproject.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# tox-uv: tox builds its envs with uv (tox.ini requires it too, for a .venv made before).
TOX_REQUIREMENTS = ["tox>=4.11", "tox-uv>=1.37"]


def ensure_venv() -> Path:
    """Create .venv with tox in it unless it is already there; return its tox executable."""
    tox = BIN / "tox"
    if not tox.exists():
        print(f"dev.py: creating {VENV} with {' and '.join(TOX_REQUIREMENTS)}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
        subprocess.run([str(BIN / "python"), "-m", "pip", "install", "-q", *TOX_REQUIREMENTS], check=True)
    return tox


def main(argv: list[str]) -> int:
    commands = {
        # The main job: a demo on the embedded defaults.
        "demo": ["-e", "demo"],
        # The whole test suite: every tox env, two at a time on these 2-core machines.
        "test": ["run-parallel", "-p", "2", "--parallel-live"],
    }
    if len(argv) < 2 or argv[1] not in commands:
        print("usage: python3 dev.py demo | test [tox args...]", file=sys.stderr)
        return 2
    tox = ensure_venv()
    cmd = [str(tox), *commands[argv[1]], *argv[2:]]
    return subprocess.run(cmd, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
