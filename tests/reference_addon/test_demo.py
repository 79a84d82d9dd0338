"""The README's main job (reference_addon/demo.py) runs end to end and reports what happened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "reference_addon" / "demo.py"


def test_demo_syncs_browses_without_trakt_requests_and_answers_progress(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, str(DEMO), "--home", str(tmp_path / "kodi")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    out = completed.stdout
    assert completed.returncode == 0, out + completed.stderr
    # The first sync reads every area; the change on Trakt half-way is picked up by a later sync.
    first = out.split("up to minute  1: ")[1].splitlines()[0]
    assert first.split(": ", 1)[1].startswith(
        "GET /sync/last_activities, GET /sync/watchlist/movies/rank/asc"
    )
    assert "GET /sync/watched/movies" in first and "GET /sync/watched/shows" in first
    # Between the first sync and the change, every interval sync is a no-change sync: one request.
    quiet = out.split("up to minute 30: ")[1].splitlines()[0]
    assert quiet.endswith(": GET /sync/last_activities x6"), quiet
    assert "minutes 30-60:" in out and "GET /sync/watched/shows" in out.split("minutes 30-60:")[1]
    assert "Catalog page 'Top Movies' (directory, 0 Trakt requests)" in out
    assert "[watched] Batman Begins" in out
    assert "get_show_progress(tt0903747):" in out and "no answer" not in out
    assert out.rstrip().endswith("Demo finished: ok")


def test_demo_rejects_a_missing_scenario_with_a_clear_error(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(DEMO),
            "--home",
            str(tmp_path / "kodi"),
            "--scenario",
            str(tmp_path / "nope.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("demo: ") and "nope.yaml: cannot read the file" in completed.stderr
    assert "Traceback" not in completed.stderr
