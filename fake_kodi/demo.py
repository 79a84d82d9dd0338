"""The demo (`python -m fake_kodi.demo`, `tox -e demo`): the example add-on in a fresh fake Kodi.

Installs the example add-on's zip into a new Kodi home (a temporary folder, or `--home DIR`),
runs its main routes (listing, playback, dialogs, an error), then its service for a virtual
hour with a wake-up, and prints a readable summary of what Kodi would have seen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from fake_kodi.cli import describe_plugin_result
from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from fake_kodi.pytest_plugin import build_addon_zip

EXAMPLE_ID = "plugin.video.example"
EXAMPLE_RELATIVE = Path("tests") / "fake_kodi" / "addons" / EXAMPLE_ID
ROOT = f"plugin://{EXAMPLE_ID}/"

# (what the demo shows, URL, scripted dialog answers, the status Kodi would see)
ROUTES = [
    ("the root listing", ROOT, [], "directory"),
    ("a movie listing sized by a setting", ROOT + "?action=movies", [], "directory"),
    ("playback resolves a URL", ROOT + "?action=play&id=2", [], "resolved"),
    (
        "an action (meant for RunPlugin) with a yes/no dialog answered yes",
        ROOT + "?action=delete&id=2",
        ["yesno=true"],
        "no_response",
    ),
    (
        "a progress dialog cancelled at the 2nd update",
        ROOT + "?action=sync",
        ["progress_cancel=2"],
        "directory",
    ),
    ("a route that raises", ROOT + "?action=boom", [], "exception"),
    ("a route that never ends its directory", ROOT + "?action=silent", [], "no_response"),
]


def find_example_source(explicit: str | None) -> Path:
    """The example add-on's source folder: given, under the cwd (tox runs at the repo root), or beside the package."""
    candidates = [Path(explicit)] if explicit else []
    candidates += [Path.cwd() / EXAMPLE_RELATIVE, Path(__file__).resolve().parents[1] / EXAMPLE_RELATIVE]
    for candidate in candidates:
        if (candidate / "addon.xml").is_file():
            return candidate
    raise SystemExit(f"demo: cannot find the example add-on (looked in {', '.join(map(str, candidates))})")


def run_demo(home: Path, source: Path) -> int:
    """Run the whole demo in `home`; returns the process exit code."""
    kodi = Kodi(home)
    zip_path = build_addon_zip(source, home.parent / f"{home.name}-dist")
    # The example requires script.module.requests: packed from this Python's requests, as Kodi holds it.
    manifest = kodi.install(zip_path, dependencies=dependency_zips(zip_path))
    print(f"== installed {manifest.id} {manifest.version} from {zip_path.name} into {kodi.home.root}")
    failures = 0
    for title, url, answers, expected in ROUTES:
        print(f"\n== {title}" + (f"  (answers: {' '.join(answers)})" if answers else ""))
        result = kodi.run(url, answers=answers)
        print(describe_plugin_result(result))
        failures += result.status != expected
    print("\n== the service for one virtual hour, with a wake-up at 10 minutes")
    service = kodi.service(EXAMPLE_ID, virtual_seconds=3600, events=["600:wake"])
    minutes = (service.virtual_end - service.virtual_start) / 60
    print(
        f"  ran {minutes:.0f} virtual minutes; returned after abort: {service.returned}; latency {service.abort_latency_ms:.1f} ms"
    )
    for line in service.log:
        print(f"  log: {line.split('<general>: ', 1)[-1]}")
    print(
        f"  Window(10000) example.ticks={kodi.window_property('example.ticks')} example.wakes={kodi.window_property('example.wakes')}"
    )
    failures += not service.ok
    print("\n== a plugin call reads what the service left in Window(10000)")
    print(describe_plugin_result(kodi.run(ROOT + "?action=tools", answers=["textviewer"])))
    print(f"\n== done: {'all as expected' if not failures else f'{failures} unexpected result(s)'}")
    return 0 if not failures else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m fake_kodi.demo`."""
    parser = argparse.ArgumentParser(prog="python -m fake_kodi.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--home", metavar="DIR", help="Kodi home to create (default: a temporary folder)")
    parser.add_argument("--addon-source", metavar="DIR", help="the example add-on's source folder")
    args = parser.parse_args(argv)
    source = find_example_source(args.addon_source)
    if args.home:
        code = run_demo(Path(args.home).resolve(), source)
        print(f"the home stays in {Path(args.home).resolve()} (kodi.log in its temp/ folder)")
        return code
    with tempfile.TemporaryDirectory(prefix="fake-kodi-demo-") as tmp:
        return run_demo(Path(tmp) / "kodi", source)


if __name__ == "__main__":
    sys.exit(main())
