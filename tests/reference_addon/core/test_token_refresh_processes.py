"""Two real processes with an expired token against the simulator over HTTP: exactly one refresh."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aiostreams.tokens import FileTokenStore, Tokens
from database.connection import Database, ProcessLock

from .conftest import ADDON_LIB

sim_module = pytest.importorskip("trakt_cassettes.sim")
SCENARIO = Path(__file__).resolve().parents[3] / "trakt_cassettes" / "scenarios" / "small_library.yaml"

WORKER = textwrap.dedent(
    """
    import random, sys, time
    sys.path.insert(0, {lib!r})
    from aiostreams.tokens import FileTokenStore
    from aiostreams.trakt_client import TraktClient
    from database.connection import ProcessLock
    base_url, db_path, token_path, now, go = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
    store = FileTokenStore(token_path, ProcessLock(db_path, "token_refresh", ttl=60), lock_timeout=30)
    client = TraktClient(base_url, "sim-client-id", "sim-client-secret", store, lambda: now, time.sleep,
                         lambda: False, rng=random.Random(0))
    while not __import__("os").path.exists(go):  # start both at the same moment
        time.sleep(0.001)
    client.get("/sync/last_activities")
    print("ok", flush=True)
    """
)


def test_service_and_plugin_refreshing_the_token_at_once_refresh_only_once(tmp_path):
    """Pitfall: two processes see an expired token; one refreshes, the other reuses the new pair."""
    sim = sim_module.Simulator.from_file(SCENARIO)
    db_path = str(tmp_path / "trakt_sync.db")
    Database(db_path).close()
    token_path = str(tmp_path / "tokens.json")
    user = sim.scenario.user
    FileTokenStore(token_path, ProcessLock(db_path, "token_refresh")).save(
        Tokens(user["access_token"], user["refresh_token"], expires_at=0)
    )
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(lib=str(ADDON_LIB)))
    go = tmp_path / "go"
    # A slow refresh answer widens the window in which an unlocked second process would reuse the
    # old (already rotated) refresh token and lose the login.
    sim.add_fault(method="POST", path="/oauth/token", kind="slow", real_delay=0.5, times=2)
    with sim.serve(port=0) as server:
        assert server.url.startswith("http://127.0.0.1:")
        args = [sys.executable, str(script), server.url, db_path, token_path, str(sim.clock.now()), str(go)]
        workers = [
            subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        go.write_text("go")
        results = [worker.communicate(timeout=60) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], [err for _, err in results]
    refreshes = [entry for entry in sim.request_log if entry["path"] == "/oauth/token"]
    assert len(refreshes) == 1
    saved = FileTokenStore(token_path, None).load()
    assert saved.access_token != user["access_token"] and saved.expires_at > sim.clock.now()
