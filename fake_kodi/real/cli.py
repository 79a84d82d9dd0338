"""`fake-kodi real run|debug`: run a plugin URL in real Kodi, or leave Kodi running with an add-on for debugging."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from fake_kodi.real.driver import RealKodi, RealKodiError
from fake_kodi.real.install import KodiUnavailable


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `fake-kodi real`."""
    parser = argparse.ArgumentParser(prog="fake-kodi real", description="Drive Debian's Kodi 20 under Xvfb.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="install a zip, run one plugin:// URL, print the items as JSON")
    run.add_argument("--zip", required=True, type=Path, help="the add-on zip to install")
    run.add_argument("--url", required=True, help="plugin:// URL, run through Files.GetDirectory")
    run.add_argument(
        "--answer", action="append", default=[], help="Kodi action for a dialog (Select, Back, Down)"
    )
    run.add_argument("--screenshot", type=Path, help="PNG file to save the screen to after the run")
    run.add_argument("--home", type=Path, help="Kodi home folder to use (default: a temporary one)")

    debug = commands.add_parser("debug", help="start Kodi with the add-on and tail kodi.log until Ctrl-C")
    debug.add_argument("--zip", required=True, type=Path, help="the add-on zip to install")
    debug.add_argument("--open", dest="open_url", help="plugin:// URL to show in Kodi's Videos window")
    debug.add_argument("--home", type=Path, help="Kodi home folder to keep (default: a temporary one)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fake-kodi-real-") as scratch:
        home = args.home or Path(scratch)
        try:
            if args.command == "run":
                return _run(home, args)
            return _debug(home, args)
        except KodiUnavailable as reason:
            print(f"real Kodi unavailable: {reason}", file=sys.stderr)
            return 2
        except RealKodiError as error:
            print(str(error), file=sys.stderr)
            return 1


def _run(home: Path, args: argparse.Namespace) -> int:
    with RealKodi(home) as kodi:
        kodi.install_zip(args.zip)
        result = kodi.run(args.url, answers=args.answer)
        if args.screenshot:
            kodi.screenshot(args.screenshot)
    print(json.dumps(result, indent=2, sort_keys=True))
    return _report(kodi)


def _debug(home: Path, args: argparse.Namespace) -> int:
    with RealKodi(home) as kodi:
        addon_id = kodi.install_zip(args.zip)
        paths = kodi.paths
        print(
            f"Kodi is running with {addon_id}: home {paths.kodi_dir}, JSON-RPC 127.0.0.1:{paths.jsonrpc_port}"
        )
        print(f"log {paths.log_path}; Ctrl-C quits Kodi", flush=True)
        if args.open_url:
            kodi.request("GUI.ActivateWindow", {"window": "videos", "parameters": [args.open_url]})
        _tail_until_interrupted(kodi, paths.log_path)
    return _report(kodi)


def _tail_until_interrupted(kodi: RealKodi, log_path: Path) -> None:
    position = kodi.log_mark()
    try:
        while True:
            with log_path.open("rb") as handle:
                handle.seek(position)
                chunk = handle.read()
            position += len(chunk)
            if chunk:
                sys.stdout.write(chunk.decode("utf-8", errors="replace"))
                sys.stdout.flush()
            time.sleep(0.3)
    except KeyboardInterrupt:
        print("\nquitting Kodi ...", flush=True)


def _report(kodi: RealKodi) -> int:
    tracebacks = kodi.python_tracebacks()
    for traceback in tracebacks:
        print(traceback, file=sys.stderr)
    report = kodi.quit_report
    if report is not None and (report.killed or report.killed_scripts):
        print(f"Kodi did not quit cleanly: {report}", file=sys.stderr)
        return 1
    return 1 if tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
