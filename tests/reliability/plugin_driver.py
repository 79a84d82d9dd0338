"""Many plugin:// calls in ONE fake-Kodi interpreter: `python plugin_driver.py HOME ADDON_ID`.

Reads one JSON line per call ({"url", "handle"}) on stdin, runs the add-on's router in-process with
fake_kodi's Session active, and answers one JSON line: uncaught exception (if any), notifications,
how the call ended, and log lines with a traceback.
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback


def main(home_dir: str, addon_id: str) -> None:
    from fake_kodi.addon_side.interpreter import build_runtime, enter_addon, make_clock
    from fake_kodi.addon_side.runtime import PluginTime
    from fake_kodi.home.kodi_home import KodiHome

    out = sys.stdout
    home = KodiHome(home_dir)
    spec = {"mode": "plugin", "addon_id": addon_id, "handle": 1, "strict": False, "clock": "virtual"}
    clock = make_clock(spec, home, persist=False)
    runtime = build_runtime(spec, home, PluginTime(clock))
    lib = str(runtime.manifest.path / "resources" / "lib")
    enter_addon(runtime, clock.virtual, [f"plugin://{addon_id}/", "1", ""], extra_paths=(lib,))
    plugin = importlib.import_module("aiostreams.plugin")
    for line in sys.stdin:
        request = json.loads(line)
        if "lookups" in request:
            out.write(json.dumps(lookups(request)) + "\n")
            out.flush()
            continue
        url, handle = request["url"], int(request["handle"])
        base, _, query = url.partition("?")
        argv = [base, str(handle), "?" + query if query else "", "resume:false"]
        runtime.records.clear()
        runtime.fake_errors.clear()
        runtime.handle = handle
        log_start = len(runtime.log_lines)
        sys.argv[:] = argv
        uncaught = None
        try:
            plugin.run(argv)
        except BaseException:  # noqa: BLE001 - exactly what this driver looks for
            uncaught = traceback.format_exc()
        records = list(runtime.records)
        answer = {
            "uncaught": uncaught,
            "notifications": [p["message"] for kind, p in records if kind == "notification"],
            "ended": [p["succeeded"] for kind, p in records if kind == "end_of_directory"],
            "resolved": [p.get("succeeded") for kind, p in records if kind == "resolved"],
            "fake_errors": list(runtime.fake_errors),
            "tracebacks": [text for text in runtime.log_lines[log_start:] if "Traceback" in text],
        }
        out.write(json.dumps(answer, default=repr) + "\n")
        out.flush()


def lookups(request: dict) -> dict:
    """`lookups` watched/watchlisted checks through the plugin's own mirror connection; distinct answers."""
    from aiostreams import listing
    from database import queries

    answers: dict[str, set] = {"watched": set(), "watchlisted": set()}
    errors: list[str] = []
    db = listing.open_mirror()
    try:
        for index in range(int(request["lookups"])):
            kind = "watched" if index % 2 == 0 else "watchlisted"
            function = queries.watched_imdb_ids if kind == "watched" else queries.watchlisted_imdb_ids
            try:
                found = function(db, request["movie_ids"], request["show_ids"])
            except Exception as exc:  # noqa: BLE001 - counted and reported, never expected
                errors.append(f"{exc.__class__.__name__}: {exc}")
                continue
            answers[kind].add(json.dumps(sorted(found)))
    finally:
        db.close()
    return {"answers": {kind: sorted(values) for kind, values in answers.items()}, "errors": errors}


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except BaseException:  # the add-on's stderr is Kodi's log: show a driver crash on the real one
        sys.__stderr__.write(traceback.format_exc())
        raise
