"""Peak memory (issue 6 item 7): a first sync of the large library in a fresh interpreter, against real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys

from perf.support import ROOT

TARGET_MB = 200


def test_first_sync_peak_rss_stays_under_target(world, server, fresh_window, tmp_path, figures):
    # fresh_window: the child's waits are real sleeps, so it must never meet a 429
    child = subprocess.run(
        [sys.executable, "-m", "perf.rss_child", server.url, str(tmp_path / "first.db"), world.sim.scenario.user["access_token"]],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr[-2000:]
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    assert measured["ok"] is True and measured["requests"] > 100  # areas + a full metadata budget
    peak_mb = measured["vm_hwm_kb"] / 1024
    figures["first_sync_memory"] = {"peak_rss_mb": round(peak_mb, 1), "before_sync_mb": round(measured["baseline_kb"] / 1024, 1),
                                    "requests": measured["requests"], "target_mb": TARGET_MB}  # fmt: skip
    assert peak_mb < TARGET_MB
