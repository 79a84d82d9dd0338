"""Run one sync (optionally after the legacy import) in this process and SIGKILL itself at a chosen point.

`python crash_driver.py SPEC.json`; SPEC: {"db", "profile", "url", "now", "kill_at": {"statement": N} or
{"request": N} or {}, "migrate": bool}. Prints `{"statements": S, "requests": R}` when it was not killed,
so the parent learns how many points a full run has.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(
    0,
    str(
        Path(__file__).resolve().parents[2]
        / "reference_addon"
        / "plugin.video.aiostreams"
        / "resources"
        / "lib"
    ),
)

from aiostreams.sync import SyncEngine  # noqa: E402
from aiostreams.tokens import MemoryTokenStore, Tokens  # noqa: E402
from aiostreams.trakt_client import TraktClient  # noqa: E402
from database.connection import Database  # noqa: E402
from database.migration import DatabaseMigration  # noqa: E402


class KillSwitch:
    """Counts SQLite statements and HTTP requests; kills the process when a count reaches its target."""

    def __init__(self, kill_at: dict[str, int]):
        self.kill_at = kill_at
        self.counts = {"statement": 0, "request": 0}

    def tick(self, kind: str) -> None:
        self.counts[kind] += 1
        if self.kill_at.get(kind) == self.counts[kind]:
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no rollback: a power cut


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    switch = KillSwitch(spec.get("kill_at") or {})
    db = Database(spec["db"])
    # Called as each statement starts (BEGIN, every INSERT/DELETE, COMMIT): a kill lands between them.
    db.conn.set_trace_callback(lambda _sql: switch.tick("statement"))
    now = float(spec["now"])
    clock = lambda: now  # noqa: E731 - a frozen clock: the run takes no virtual time
    client = TraktClient(
        spec["url"], "sim-client-id", "sim-client-secret",
        MemoryTokenStore(Tokens("test-token", "test-refresh", now + 86400 * 30)),
        clock, lambda _s: None, lambda: False,
    )  # fmt: skip
    send = client.session.request

    def counted_request(*args, **kwargs):
        switch.tick("request")
        return send(*args, **kwargs)

    client.session.request = counted_request
    if spec.get("migrate"):
        DatabaseMigration(spec["profile"], db, clock=clock, log=lambda _m: None, warn=lambda _m: None).run()
    outcome: dict = {}
    if spec.get("sync", True):
        report = SyncEngine(db, client, clock, log=lambda _m: None).run(force=bool(spec.get("force")))
        outcome = {"synced": report.synced, "failed": report.failed}
    db.close()
    print(
        json.dumps(
            {"statements": switch.counts["statement"], "requests": switch.counts["request"], **outcome}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
