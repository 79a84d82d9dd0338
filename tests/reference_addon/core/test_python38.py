"""The add-on's data core imports and runs on Kodi's oldest supported Python (3.8)."""

from __future__ import annotations

import glob
import shutil
import subprocess

import pytest

from .conftest import ADDON_LIB

CANDIDATES = [shutil.which("python3.8"), *sorted(glob.glob("/root/.pyenv/versions/3.8*/bin/python3.8"))]
PYTHON38 = next(
    (
        path
        for path in CANDIDATES
        if path and subprocess.run([path, "-V"], capture_output=True).returncode == 0
    ),
    None,
)

SMOKE = """
import sys, types
sys.path.insert(0, {lib!r})
try:
    import requests  # noqa: F401
except ImportError:  # only the names the client touches at import time
    stub = types.ModuleType("requests")
    stub.Session = type("Session", (), {{}})
    stub.Response = type("Response", (), {{}})
    stub.RequestException = type("RequestException", (Exception,), {{}})
    sys.modules["requests"] = stub
import trakt, aiostreams.sync, aiostreams.progress, aiostreams.tokens, database.queries
from database.connection import Database
from aiostreams.progress import show_progress
from aiostreams.models import normalize_ts
db = Database({path!r})
assert normalize_ts("2026-01-01T00:00:00Z") == "2026-01-01T00:00:00.000Z"
print(show_progress(db, 1, 0.0)["aired"])
"""


@pytest.mark.skipif(PYTHON38 is None, reason="no Python 3.8 interpreter on this machine")
def test_core_modules_import_and_run_on_python_38(tmp_path):
    code = SMOKE.format(lib=str(ADDON_LIB), path=str(tmp_path / "t.db"))
    result = subprocess.run([PYTHON38, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
