"""trakt-cassettes: serve, record, lint, replay and index cassettes (a public contract)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import yaml

from trakt_cassettes.config import CASSETTE_DIR, CASSETTE_SUFFIX
from trakt_cassettes.sim.server import port_number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every subcommand has help."""
    parser = argparse.ArgumentParser(prog="trakt-cassettes", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve a scenario (simulator) or a cassette (replay) on 127.0.0.1 until Ctrl-C",
        description="A scenario file starts the Trakt simulator; a cassette starts the replay server. "
        "On exit a cassette's report lists unmatched requests and unplayed interactions (exit 1 if any).",
    )
    serve.add_argument("path", metavar="SCENARIO.yaml|CASSETTE.yaml", help="scenario or cassette file")
    serve.add_argument("--port", type=port_number, default=0, help="port on 127.0.0.1 (0 picks a free one)")
    serve.add_argument(
        "--virtual-clock",
        action="store_true",
        help="scenario only: keep the simulator's time at the scenario's now until POST /_sim/advance moves it "
        "(default: real time from the scenario's now on, as clients on the wall clock need)",
    )

    record = commands.add_parser(
        "record",
        help="record a scenario's sync traffic into a scrubbed cassette",
        description="Runs a driver (default: the reference add-on's sync) against the simulator started from the "
        "scenario, or against --base-url with credentials from TRAKT_CLIENT_ID, TRAKT_CLIENT_SECRET and "
        "TRAKT_ACCESS_TOKEN (optional TRAKT_REFRESH_TOKEN), and writes a scrubbed cassette.",
    )
    record.add_argument(
        "scenario", metavar="SCENARIO.yaml", nargs="?", help="scenario file (the cassette references it)"
    )
    record.add_argument("-o", "--output", metavar="CASSETTE.yaml", help="default: next to the scenario")
    record.add_argument("--base-url", help="record against this Trakt instead of the simulator")
    record.add_argument("--driver", default=None, help="built-in driver name (see --list-drivers)")
    record.add_argument("--list-drivers", action="store_true", help="list the built-in drivers and exit")

    lint = commands.add_parser(
        "lint",
        help="check cassettes for secrets, bad YAML/JSON, schema breaks and missing scenarios",
        description="Directories are searched for *.cassette.yaml; exit 1 when a problem is found.",
    )
    lint.add_argument(
        "paths", nargs="*", metavar="PATHS", help=f"files or directories (default: {CASSETTE_DIR})"
    )
    lint.add_argument("--schema-dir", help="JSON Schemas directory (default: contracts/schemas)")

    replay = commands.add_parser(
        "replay",
        help="sync debugger: run the reference add-on's sync in a fresh fake Kodi against a cassette",
        description="Builds and installs the reference add-on in a temporary fake Kodi, serves the cassette "
        "on 127.0.0.1, runs the cassette's replay steps (syncs, waits, scripted writes, device login) and "
        "prints a timeline: requests with status, virtual time and rate-limit budget, rows written per "
        "area and table, errors, unmatched requests and the final rows per table. Exit 0 when every "
        "request matched and every interaction was played, 1 otherwise, 2 when the replay cannot start.",
    )
    replay.add_argument("cassette", metavar="CASSETTE.yaml", help="cassette file")
    replay.add_argument("--json", action="store_true", help="machine-readable output")

    index = commands.add_parser(
        "index",
        help="regenerate the cassette index (INDEX.md) from the committed cassettes",
        description="Writes INDEX.md in the cassette directory; --check only compares (exit 1 when stale).",
    )
    index.add_argument("--check", action="store_true", help="do not write; fail when INDEX.md is stale")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; exit codes: 0 ok, 1 problems found or a run that failed, 2 usage or unusable input."""
    from trakt_cassettes.cassette_file import CassetteError
    from trakt_cassettes.sim.scenario import ScenarioError

    args = build_parser().parse_args(argv)
    handler = {"serve": _serve, "record": _record, "lint": _lint, "replay": _replay, "index": _index}[
        args.command
    ]
    try:
        return handler(args)
    except (CassetteError, ScenarioError) as exc:
        print(f"trakt-cassettes {args.command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a port in use, a disk full, a folder where a file should be
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"trakt-cassettes {args.command}: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


def is_cassette_file(path: Path) -> bool:
    """A cassette by name (*.cassette.yaml) or by content (an 'interactions' list)."""
    if path.name.endswith(CASSETTE_SUFFIX):
        return True
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and isinstance(data.get("interactions"), list)


def _wait_for_stop() -> None:
    """Block until Ctrl-C or SIGTERM."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


def _announce_and_wait(line: str) -> None:
    """Print where the server listens, then wait; a Ctrl-C may land even while the line is printed."""
    try:
        print(line, flush=True)
        _wait_for_stop()
    except KeyboardInterrupt:
        pass


def _serve(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        print(f"trakt-cassettes serve: no such file: {path}", file=sys.stderr)
        return 2
    if is_cassette_file(path):
        from trakt_cassettes.replay_server import ReplayServer

        server = ReplayServer(path, port=args.port).start()  # CassetteError before anything is bound
        _announce_and_wait(f"replaying {path} on {server.url} (Ctrl-C to stop)")
        report = server.stop()
        print(report.format(), flush=True)
        return 0 if report.ok else 1
    from trakt_cassettes.sim import Simulator

    # Served on its own, the simulator runs on real time (its clients do); --virtual-clock freezes it.
    simulator = Simulator.from_file(path) if args.virtual_clock else Simulator.on_wall_clock(path)
    with simulator.serve(port=args.port) as server:
        _announce_and_wait(f"simulating {path} on {server.url} (Ctrl-C to stop)")
    print(f"simulator served {len(simulator.request_log)} request(s)", flush=True)
    return 0


def _record(args: argparse.Namespace) -> int:
    from trakt_cassettes.drivers import DEFAULT_DRIVER, DRIVERS
    from trakt_cassettes.record import RecordError, record

    args.driver = args.driver or DEFAULT_DRIVER
    if args.list_drivers:
        for name, driver in DRIVERS.items():
            print(f"{name}: {(driver.__doc__ or '').strip()}")
        return 0
    if args.scenario is None:
        print("trakt-cassettes record: a SCENARIO.yaml is required (or --list-drivers)", file=sys.stderr)
        return 2
    if args.driver not in DRIVERS:
        print(
            f"trakt-cassettes record: unknown driver {args.driver!r} (known: {', '.join(DRIVERS)})",
            file=sys.stderr,
        )
        return 2
    if args.output and Path(args.output).is_dir():
        print(
            f"trakt-cassettes record: {args.output} is a folder: -o names the cassette file", file=sys.stderr
        )
        return 2
    try:
        result = record(args.scenario, args.output, DRIVERS[args.driver], base_url=args.base_url)
    except RecordError as exc:
        print(f"trakt-cassettes record: {exc}", file=sys.stderr)
        return 1
    print(
        f"recorded {result.interactions} interaction(s), {result.size_bytes} bytes -> {result.cassette_path}"
    )
    for note in result.driver_notes:
        print(f"  driver note: {note}")
    return 0


def _lint(args: argparse.Namespace) -> int:
    from trakt_cassettes.lint import cassette_files, lint_paths

    paths = args.paths or [str(CASSETTE_DIR)]
    problems = lint_paths(paths, schema_dir=args.schema_dir)
    for problem in problems:
        print(problem)
    checked = len(cassette_files(paths))
    if checked == 0:
        print(
            f"trakt-cassettes lint: no cassette (*{CASSETTE_SUFFIX}) under {', '.join(paths)}",
            file=sys.stderr,
        )
        return 2
    print(f"{checked} cassette(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def _replay(args: argparse.Namespace) -> int:
    from trakt_cassettes.replay import ReplayError, replay_cassette

    try:
        timeline = replay_cassette(args.cassette)
    except ReplayError as exc:
        print(f"trakt-cassettes replay: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(timeline.to_dict(), ensure_ascii=False) if args.json else timeline.format())
    return 0 if timeline.ok else 1


def _index(args: argparse.Namespace) -> int:
    from trakt_cassettes.cassettes.catalog import INDEX_PATH, render_index

    text = render_index()
    if args.check:
        current = INDEX_PATH.read_text(encoding="utf-8") if INDEX_PATH.is_file() else ""
        if current != text:
            print(f"{INDEX_PATH} is stale: run 'trakt-cassettes index'", file=sys.stderr)
            return 1
        print(f"{INDEX_PATH} is current")
        return 0
    INDEX_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {INDEX_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
