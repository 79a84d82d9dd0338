"""The README's main job: the reference add-on in a fresh fake Kodi against the Trakt simulator.

Builds the add-on zip, installs it into a new fake Kodi home, serves the default scenario
(`trakt_cassettes/scenarios/small_library.yaml`) on 127.0.0.1 on the home's virtual clock,
runs the background service for a virtual hour (first sync at start, a play added on "Trakt"
half-way, the next syncs), then browses a catalog page and asks for a show's progress, and
prints what happened: requests per sync, rows per table, the page with its overlays.

    python reference_addon/demo.py [--home DIR] [--scenario FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sqlite3
import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from trakt_cassettes.sim import ScenarioError, Simulator, VirtualClock
from trakt_cassettes.sim.clock import parse_time

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ADDON_ID = "plugin.video.aiostreams"
DEFAULT_SCENARIO = ROOT / "trakt_cassettes" / "scenarios" / "small_library.yaml"
# The play added on "Trakt" half-way through the hour: Breaking Bad 1x03.
NEW_PLAY = {
    "shows": [{"ids": {"imdb": "tt0903747"}, "seasons": [{"number": 1, "episodes": [{"number": 3}]}]}]
}
SHOW_FOR_PROGRESS = "tt0903747"
TABLES = ("shows", "episodes", "watched_episodes", "movies", "watched_movies", "watchlist", "playback")


def build_zip(out_dir: Path) -> Path:
    """The add-on zip, built by reference_addon/build.py."""
    spec = importlib.util.spec_from_file_location("aiostreams_build", HERE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(out_dir)


def scenario_now_text(epoch: float) -> str:
    """The virtual now as Trakt writes times."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def trakt_requests(sim: Simulator, since: int) -> list[dict]:
    """Trakt API requests the simulator answered after log position `since`."""
    return [entry for entry in sim.request_log[since:] if entry.get("api") == "trakt"]


def describe_requests(entries: list[dict]) -> str:
    """'3 requests: GET /sync/last_activities, ...' for one stretch of the log."""
    counts = Counter(f"{entry['method']} {entry['path']}" for entry in entries)
    listed = ", ".join(f"{name}" + (f" x{n}" if n > 1 else "") for name, n in counts.items())
    return f"{len(entries)} request(s)" + (f": {listed}" if listed else "")


def table_rows(db_path: Path) -> dict[str, int]:
    """Row counts of the mirror's main tables (a table the schema lacks is skipped)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            name: conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            for name in TABLES
            if name in existing
        }
    finally:
        conn.close()


def run_demo(home: Path, scenario_path: Path, out=sys.stdout) -> int:
    """Run the whole demo in `home`; returns a process exit code."""

    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    scenario = Simulator.from_file(scenario_path).scenario
    kodi = Kodi(home)
    zip_path = build_zip(home / "dist")
    kodi.install(zip_path, dependencies=dependency_zips(zip_path))
    say(f"Installed {zip_path.name} into a fresh fake Kodi at {home}")

    kodi.clock.set(parse_time(scenario.now))
    sim = Simulator(scenario, clock=VirtualClock.from_file(kodi.clock.path))
    with sim.serve(port=0) as server, kodi:
        kodi.set_settings(
            ADDON_ID,
            aiostreams_manifest_url=f"{server.url}/manifest.json",
            trakt_api_url=server.url,
            trakt_client_id=scenario.app.get("client_id", ""),
            trakt_client_secret=scenario.app.get("client_secret", ""),
            trakt_access_token=scenario.user["access_token"],
            trakt_refresh_token=scenario.user.get("refresh_token") or "",
            trakt_token_expires=str(int(kodi.clock.now() + 30 * 86400)),
            auto_sync=True,
            sync_interval=5,
        )
        say(
            f"Trakt + AIOStreams simulator ({scenario_path.name}) on {server.url}, virtual now {scenario_now_text(kodi.clock.now())}"
        )
        say()
        say("Service, one virtual hour:")
        service = kodi.start_service(ADDON_ID)
        mark = 0
        for minute in (1, 30):
            service.advance(minute * 60 - (0 if minute == 1 else 60))
            entries = trakt_requests(sim, mark)
            say(f"  up to minute {minute:>2}: {describe_requests(entries)}")
            mark = len(sim.request_log)
        status, _, _ = sim.handle(
            "POST",
            "/sync/history",
            {
                "Content-Type": "application/json",
                "trakt-api-version": "2",
                "trakt-api-key": scenario.app.get("client_id", ""),
                "Authorization": f"Bearer {scenario.user['access_token']}",
            },
            json.dumps(NEW_PLAY).encode(),
        )
        say(f"  minute 30: a play of Breaking Bad 1x03 is added on Trakt (HTTP {status})")
        mark = len(sim.request_log)
        service.advance(30 * 60)
        say(f"  minutes 30-60: {describe_requests(trakt_requests(sim, mark))}")
        result = service.abort()
        say(f"  abort: service returned={result.returned}, in {result.abort_latency_ms:.0f} ms")

        db_path = kodi.home.addon_data_dir(ADDON_ID) / "trakt_sync.db"
        say()
        say("Mirror rows: " + ", ".join(f"{name} {count}" for name, count in table_rows(db_path).items()))

        mark = len(sim.request_log)
        page = kodi.run(f"plugin://{ADDON_ID}/?action=catalog&id=top&type=movie")
        say()
        say(f"Catalog page 'Top Movies' ({page.status}, {len(trakt_requests(sim, mark))} Trakt requests):")
        for item in page.items:
            info = item.get("info", {})
            resume = info.get("resume") or {}
            marks = "watched" if info.get("playcount") else "       "
            position = (
                f" resume {resume.get('position')}/{resume.get('total')}" if resume.get("position") else ""
            )
            say(f"  [{marks}] {item['label']}{position}")
        progress = kodi.call(ADDON_ID, "trakt:get_show_progress", [SHOW_FOR_PROGRESS])
        say()
        if progress:
            nxt = progress.get("next_episode") or {}
            say(
                f"get_show_progress({SHOW_FOR_PROGRESS}): {progress['completed']}/{progress['aired']} aired episodes "
                f"watched, next {nxt.get('season')}x{nxt.get('number')} ({nxt.get('title')}), "
                f"reset_at {progress.get('reset_at')}"
            )
        else:
            say(f"get_show_progress({SHOW_FOR_PROGRESS}): no answer")
    ok = page.status == "directory" and result.returned and bool(progress)
    say()
    say("Demo finished: " + ("ok" if ok else "something went wrong (see above and kodi.log)"))
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="the fake Kodi home (default: a new temporary folder)")
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO, help="the Trakt scenario to serve")
    args = parser.parse_args(argv)
    try:
        if args.home:
            return run_demo(args.home, args.scenario)
        with tempfile.TemporaryDirectory(prefix="aiostreams-demo-") as tmp:
            return run_demo(Path(tmp) / "kodi", args.scenario)
    except ScenarioError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
