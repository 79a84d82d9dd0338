"""Run in a fresh interpreter: one first sync of a mirror against a Trakt URL, then print peak memory.

`python -m perf.rss_child URL DB_PATH ACCESS_TOKEN [METADATA_BUDGET]` prints one JSON line: vm_hwm_kb (peak RSS from
/proc/self/status), ru_maxrss_kb, baseline_kb (peak RSS before the sync started), requests, ok.
Nothing but the add-on's core is imported, so the figure is the add-on's own.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from pathlib import Path

ADDON_LIB = (
    Path(__file__).resolve().parents[1] / "reference_addon" / "plugin.video.aiostreams" / "resources" / "lib"
)
sys.path.insert(0, str(ADDON_LIB))


def vm_hwm_kb() -> int:
    """Peak resident set size of this process in kB (Linux VmHWM); 0 when unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv: list[str]) -> int:
    """Sync once (metadata budget 100 unless given), then report the peak memory as JSON on stdout."""
    url, db_path, access_token = argv[:3]
    metadata_budget = int(argv[3]) if len(argv) > 3 else 100
    from aiostreams.sync import SyncEngine
    from aiostreams.tokens import MemoryTokenStore, Tokens
    from aiostreams.trakt_client import TraktClient
    from database.connection import Database

    baseline = vm_hwm_kb()
    store = MemoryTokenStore(Tokens(access_token, "perf-refresh", time.time() + 86400))
    client = TraktClient(url, "perf-client-id", "perf-client-secret", store, time.time, time.sleep,
                         lambda: False, rng=random.Random(1))  # fmt: skip
    db = Database(db_path)
    try:
        report = SyncEngine(db, client, time.time, metadata_budget=metadata_budget).run()
    finally:
        db.close()
    print(json.dumps({"vm_hwm_kb": vm_hwm_kb(), "ru_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "baseline_kb": baseline, "requests": report.requests, "ok": report.ok}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
