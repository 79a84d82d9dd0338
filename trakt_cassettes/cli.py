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
from trakt_cassettes.yaml_loader import safe_load


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
        help="record an add-on's (or a driver's) Trakt traffic for a scenario into a scrubbed cassette",
        description="With --addon: installs the add-on (zip or folder) in a fresh fake Kodi, points its API URL "
        "setting at a recording proxy on 127.0.0.1 in front of the simulator started from the scenario (or "
        "--base-url), runs the steps in the order given (--url, --service, --wait, --call) and writes what every "
        "process of the add-on sent, with the steps as the cassette's replay_steps. Without --addon: runs a "
        "Python driver in this process (--driver; the project's default-driver). With --base-url the credentials "
        "come from TRAKT_CLIENT_ID, TRAKT_CLIENT_SECRET and TRAKT_ACCESS_TOKEN (optional TRAKT_REFRESH_TOKEN). "
        "A recording that captured nothing is an error (exit 1) and writes nothing.",
    )
    record.add_argument(
        "scenario", metavar="SCENARIO.yaml", nargs="?", help="scenario file (the cassette references it)"
    )
    record.add_argument("-o", "--output", metavar="CASSETTE.yaml", help="default: next to the scenario")
    record.add_argument("--base-url", help="record against this Trakt instead of the simulator")
    _add_addon_arguments(record)
    record.add_argument(
        "--driver",
        default=None,
        help="a driver name (see --list-drivers) or FILE.py:FUNCTION / MODULE:FUNCTION",
    )
    record.add_argument("--list-drivers", action="store_true", help="list the known drivers and exit")

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
        help="sync debugger: run an add-on in a fresh fake Kodi against a cassette and print the timeline",
        description="Installs the add-on (--addon, else the one the cassette's project names) in a temporary "
        "fake Kodi, serves the cassette on 127.0.0.1, points the add-on's API URL setting at it, runs the steps "
        "(given here, else the cassette's replay_steps) on the virtual clock from the scenario's now, and prints "
        "a timeline: requests with status, virtual time and rate-limit budget, what each step did, errors, "
        "unmatched requests, unplayed interactions and, with --db, the rows per table at the end. Exit 0 when "
        "every request matched and every interaction was played, 1 otherwise, 2 when the replay cannot start.",
    )
    replay.add_argument("cassette", metavar="CASSETTE.yaml", help="cassette file")
    _add_addon_arguments(replay)
    replay.add_argument(
        "--db",
        metavar="RELATIVE_PATH",
        help="the add-on's SQLite file in its profile folder, e.g. trakt_sync.db",
    )
    replay.add_argument("--json", action="store_true", help="machine-readable output")

    index = commands.add_parser(
        "index",
        help="regenerate the cassette index (INDEX.md) from the committed cassettes",
        description="Writes INDEX.md in the cassette directory; --check only compares (exit 1 when stale).",
    )
    index.add_argument("--check", action="store_true", help="do not write; fail when INDEX.md is stale")
    return parser


def _add_addon_arguments(parser: argparse.ArgumentParser) -> None:
    """--addon, the steps to drive (kept in command-line order), --api-url-setting and --setting."""
    from trakt_cassettes.addon_steps import AppendStep

    parser.add_argument("--addon", metavar="ZIP_OR_FOLDER", help="the add-on to install and drive")
    steps = parser.add_argument_group("what to drive, in the order given (repeatable)")
    steps.add_argument("--url", action=AppendStep, metavar="PLUGIN_URL", help="run one plugin:// call")
    steps.add_argument(
        "--service", action=AppendStep, metavar="SECONDS", help="run the service N virtual seconds"
    )
    steps.add_argument("--wait", action=AppendStep, metavar="SECONDS", help="let N virtual seconds pass")
    steps.add_argument(
        "--call", action=AppendStep, nargs="+", metavar=("MODULE:FUNCTION", "JSON_ARGS"),
        help="call one add-on function in its own interpreter (fake-kodi call)",
    )  # fmt: skip
    parser.set_defaults(steps=[])
    parser.add_argument(
        "--api-url-setting",
        metavar="SETTING",
        help="the setting that holds Trakt's base URL (default trakt_api_url)",
    )
    parser.add_argument(
        "--setting", action="append", default=[], metavar="KEY=VALUE",
        help="set before the run; {server} {client_id} {client_secret} {access_token} {refresh_token} "
        "{token_expires} are filled in (README: placeholders)",
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; exit codes: 0 ok, 1 problems found or a run that failed, 2 usage or unusable input."""
    from trakt_cassettes.addon_profile import AddonProfileError
    from trakt_cassettes.cassette_file import CassetteError
    from trakt_cassettes.project_config import ProjectConfigError
    from trakt_cassettes.sim.scenario import ScenarioError

    args = build_parser().parse_args(argv)
    handler = {"serve": _serve, "record": _record, "lint": _lint, "replay": _replay, "index": _index}[
        args.command
    ]
    try:
        return handler(args)
    except (CassetteError, ScenarioError, ProjectConfigError, AddonProfileError) as exc:
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
        data = safe_load(path.read_text(encoding="utf-8"))
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
    from trakt_cassettes.record import RecordError

    if args.list_drivers:
        return _list_drivers(args)
    if args.scenario is None:
        print("trakt-cassettes record: a SCENARIO.yaml is required (or --list-drivers)", file=sys.stderr)
        return 2
    if args.output and Path(args.output).is_dir():
        print(
            f"trakt-cassettes record: {args.output} is a folder: -o names the cassette file", file=sys.stderr
        )
        return 2
    proxy_mode = bool(args.addon or args.steps or args.setting or args.api_url_setting)
    if proxy_mode and args.driver:
        print("trakt-cassettes record: --driver runs a driver in this process; --addon and its steps record "
              "an add-on through the proxy: give one or the other", file=sys.stderr)  # fmt: skip
        return 2
    try:
        result = _record_addon(args) if proxy_mode else _record_driver(args)
    except RecordError as exc:
        print(f"trakt-cassettes record: {exc}", file=sys.stderr)
        return 1
    if result is None:
        return 2
    print(
        f"recorded {result.interactions} interaction(s), {result.size_bytes} bytes -> {result.cassette_path}"
    )
    for note in result.driver_notes:
        print(f"  driver note: {note}")
    return 0


def _record_addon(args: argparse.Namespace):  # -> RecordResult | None
    from trakt_cassettes.addon_profile import parse_setting_pairs, resolve_profile
    from trakt_cassettes.addon_record import record_addon
    from trakt_cassettes.project_config import find_project_config

    if not args.steps:
        print(
            "trakt-cassettes record: say what to drive: --url, --service, --wait or --call", file=sys.stderr
        )
        return None
    profile = resolve_profile(
        addon=args.addon,
        api_url_setting=args.api_url_setting,
        settings=parse_setting_pairs(args.setting),
        config=find_project_config(Path(args.scenario).parent),
    )
    return record_addon(args.scenario, profile, args.steps, args.output, base_url=args.base_url)


def _record_driver(args: argparse.Namespace):  # -> RecordResult | None
    from trakt_cassettes.drivers import DriverError, default_driver_name, load_driver
    from trakt_cassettes.project_config import find_project_config
    from trakt_cassettes.record import NO_DRIVER, record

    config = find_project_config(Path(args.scenario).absolute().parent)
    name = args.driver or default_driver_name(config)
    if name is None:
        print(f"trakt-cassettes record: {NO_DRIVER}", file=sys.stderr)
        return None
    try:
        driver = load_driver(name, config=config)
    except DriverError as exc:
        print(f"trakt-cassettes record: {exc}", file=sys.stderr)
        return None
    return record(args.scenario, args.output, driver, base_url=args.base_url)


def _list_drivers(args: argparse.Namespace) -> int:
    from trakt_cassettes.drivers import known_drivers
    from trakt_cassettes.project_config import find_project_config

    start = Path(args.scenario).parent if args.scenario else None
    for name, driver in known_drivers(find_project_config(start)).items():
        print(f"{name}: {(driver.__doc__ or '').strip()}")
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
    from fake_kodi.home.addons import InstallError
    from trakt_cassettes.addon_profile import parse_setting_pairs
    from trakt_cassettes.replay import ReplayError, replay_cassette

    try:
        timeline = replay_cassette(
            args.cassette,
            addon=args.addon,
            steps=args.steps or None,
            api_url_setting=args.api_url_setting,
            settings=parse_setting_pairs(args.setting),
            db=args.db,
        )
    except ReplayError as exc:
        print(f"trakt-cassettes replay: {exc}", file=sys.stderr)
        return 2
    except InstallError as exc:  # a zip Kodi refuses: the add-on failed, not the request
        print(f"trakt-cassettes replay: cannot install {args.addon}: {exc}", file=sys.stderr)
        return 1
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
