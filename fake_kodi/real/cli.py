"""`fake-kodi real run|debug [--kodi 20|21]`: run a plugin URL in real Kodi, or leave Kodi running with an add-on
for debugging."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from fake_kodi.real.addon_zip import addon_id_of_zip, collect_addon_zips
from fake_kodi.real.backends import apply_overrides, parse_setting_overrides, serve_cassette, serve_scenario
from fake_kodi.real.dialog_answers import answer_steps
from fake_kodi.real.driver import RealKodi, RealKodiError
from fake_kodi.real.install import HOST_VERSION, SUPPORTED_VERSIONS, KodiUnavailable


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `fake-kodi real`."""
    parser = argparse.ArgumentParser(
        prog="fake-kodi real",
        description="Drive a real Kodi under Xvfb: Debian 12's Kodi 20, or Debian 13's Kodi 21 from a chroot.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="install add-ons before Kodi starts, run one plugin:// URL, print the items as JSON"
    )
    _add_addon_options(run)
    run.add_argument("--url", required=True, help="plugin:// URL, run through Files.GetDirectory")
    run.add_argument(
        "--answer",
        action="append",
        default=[],
        help="answer to the next dialog the route opens, as for `fake-kodi run` (yesno=true, ok, select=1, "
        "contextmenu=0, textviewer, addonsettings) or a Kodi action name (Select, Back, Down)",
    )
    run.add_argument("--screenshot", type=Path, help="PNG file to save the screen to after the run")
    run.add_argument("--home", type=Path, help="Kodi home folder to use (default: a temporary one)")
    _add_version_option(run)

    debug = commands.add_parser(
        "debug",
        help="start Kodi with the add-on (pointed at a simulator or a cassette) and tail kodi.log until Ctrl-C",
    )
    _add_addon_options(debug)
    backend = debug.add_mutually_exclusive_group()
    backend.add_argument("--scenario", type=Path, help="serve this scenario with the Trakt simulator")
    backend.add_argument("--cassette", type=Path, help="serve this cassette with the replay server")
    debug.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="add-on setting written before start ('{server}' = the simulator/replay URL)",
    )
    debug.add_argument("--open", dest="open_url", help="plugin:// URL to show in Kodi's Videos window")
    debug.add_argument(
        "--answer",
        action="append",
        default=[],
        help="answer to the next dialog the --open URL opens (same syntax as for run)",
    )
    debug.add_argument("--home", type=Path, help="Kodi home folder to keep (default: a temporary one)")
    _add_version_option(debug)
    return parser


def _add_addon_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--zip",
        action="append",
        default=[],
        type=Path,
        help="an add-on zip to install before Kodi starts; repeat it for dependencies (for debug, the first "
        "is the add-on under test)",
    )
    command.add_argument(
        "--addons",
        action="append",
        default=[],
        type=Path,
        metavar="FOLDER",
        help="an add-on source folder, or a folder of add-on folders and zips, all installed before start",
    )


def _add_version_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--kodi",
        type=int,
        choices=SUPPORTED_VERSIONS,
        default=HOST_VERSION,
        help="Kodi version: 20 (this machine's package) or 21 (Debian 13's, from a root built once as root)",
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    # `kill` (SIGTERM) quits as Ctrl-C does: Kodi and Xvfb run in their own sessions and must be stopped by us.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _main(args)
    except KeyboardInterrupt:  # during start or install: the with-blocks already stopped Kodi
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="fake-kodi-real-") as scratch:
        # Absolute from here on: Kodi runs in another working directory (and a Kodi 21 root), where a
        # relative home would name another folder.
        home = args.home.resolve() if args.home else Path(scratch) / "home"
        try:
            args.zips = collect_addon_zips(args.zip, args.addons, Path(scratch) / "zips")
            if not args.zips:
                raise ValueError("no add-on given: use --zip or --addons")
            answer_steps(args.answer)  # refuse a bad answer before Kodi starts
            if args.answer and args.command == "debug" and not args.open_url:
                raise ValueError("--answer needs --open: only the opened URL's dialogs are answered")
            if args.command == "run":
                return _run(home, args)
            return _debug(home, args)
        except KodiUnavailable as reason:
            print(f"real Kodi unavailable: {reason}", file=sys.stderr)
            return 2
        except RealKodiError as error:
            print(str(error), file=sys.stderr)
            return 1
        except ValueError as error:  # bad add-ons or answers, an unusable --cassette or --scenario
            print(f"fake-kodi real {args.command}: {error}", file=sys.stderr)
            return 2


def _run(home: Path, args: argparse.Namespace) -> int:
    # All installed before start: Kodi loads an add-on's strings.po only for add-ons it finds then.
    with RealKodi(home, version=args.kodi, preinstall=args.zips) as kodi:
        result = kodi.run(args.url, answers=args.answer)
        if args.screenshot:
            kodi.screenshot(args.screenshot)
    print(json.dumps(result, indent=2, sort_keys=True))
    return _report(kodi)


def _debug(home: Path, args: argparse.Namespace) -> int:
    try:
        overrides = parse_setting_overrides(args.setting)
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    with ExitStack() as stack:
        backend = None
        if args.scenario:
            backend = stack.enter_context(serve_scenario(args.scenario))
        elif args.cassette:
            backend = stack.enter_context(serve_cassette(args.cassette))
        # The add-on under test: the first --zip, else the last one enabled (the others are its dependencies).
        addon_id = addon_id_of_zip(args.zip[0] if args.zip else args.zips[-1])
        url = backend.url if backend else ""
        settings = apply_overrides(backend.settings if backend else {}, overrides, url)
        # Preinstalled, with its settings in place: the service's first run already talks to the backend,
        # and only add-ons Kodi finds at start get their strings.po loaded.
        kodi = RealKodi(
            home,
            version=args.kodi,
            preinstall=args.zips,
            user_settings={addon_id: settings} if settings else None,
        )
        with kodi:
            paths = kodi.paths
            print(
                f"Kodi {kodi.install.package_version or kodi.version} is running with {addon_id}: "
                f"home {paths.kodi_dir}, JSON-RPC 127.0.0.1:{paths.jsonrpc_port}"
            )
            if backend:
                print(f"{backend.kind} served at {backend.url}")
            print(f"log {paths.log_path}; Ctrl-C quits Kodi", flush=True)
            if args.open_url:
                params = {"window": "videos", "parameters": [args.open_url]}
                kodi.request_answering("GUI.ActivateWindow", params, args.answer)
            _tail_until_interrupted(kodi, paths.log_path)
        if backend:
            print(backend.describe_traffic(), flush=True)
    return _report(kodi)


def _tail_until_interrupted(kodi: RealKodi, log_path: Path) -> None:
    position = kodi.enabled_log_mark  # from the add-ons' start on: the first sync is worth seeing
    try:
        while kodi.running:
            with log_path.open("rb") as handle:
                handle.seek(position)
                chunk = handle.read()
            position += len(chunk)
            if chunk:
                sys.stdout.write(chunk.decode("utf-8", errors="replace"))
                sys.stdout.flush()
            time.sleep(0.3)
        print("\nKodi exited on its own", flush=True)
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
