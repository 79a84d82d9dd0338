"""`fake-kodi`: install add-ons into a fake Kodi home, run plugin calls and services, ask add-ons questions.

A public contract (issue 2): subcommands, options and the JSON keys of --json stay stable.
Exit codes: 0 success; 1 the add-on failed as Kodi would see it (plugin status no_response or
exception, service not returning in time, call raising, zip refused or damaged) or the machine
failed the run (disk full, read-only home); 2 the request itself was wrong (usage, add-on not
installed, bad URL or target, bad numbers). Errors print one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sqlite3
import sys
from typing import Any

from fake_kodi.addon_side.session import FakeKodiError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Setting ids whose values `fake-kodi settings` masks unless asked (OAuth tokens, client secrets, passwords).
SECRET_SETTING = re.compile(r"(?i)(token|secret|passw|api_?key|cookie|pin_?code)")


def _add_home(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--home", required=True, metavar="DIR", help="the fake Kodi home (special://home); created if missing"
    )
    parser.add_argument(
        "--kodi-version", type=int, choices=(20, 21), default=20, help="Kodi version to emulate (default 20)"
    )
    parser.add_argument(
        "--system-packages",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Debian's Kodi: add-ons also import this Python's site-packages (stored in the home; "
        "--no-system-packages turns it off again; default off: only the standard library and declared "
        "dependencies, as on Android, Windows and LibreELEC; env FAKE_KODI_SYSTEM_PACKAGES=1 for one run)",
    )


def _add_command(
    commands: Any, name: str, summary: str, description: str, *positionals: tuple[str, str, str]
) -> argparse.ArgumentParser:
    """A subcommand on a home: its positional arguments (dest, metavar, help), then --home/--kodi-version."""
    parser = commands.add_parser(name, help=summary, description=description)
    for dest, metavar, text in positionals:
        parser.add_argument(dest, metavar=metavar, help=text)
    _add_home(parser)
    return parser


def _virtual_seconds(text: str) -> float:
    """--virtual-seconds: a finite number >= 0 (nan would run as 0, inf would never end)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds >= 0, got {text!r}")
    return seconds


def _add_debug_log(parser: argparse.ArgumentParser, text: str = "write LOGDEBUG lines to kodi.log") -> None:
    parser.add_argument("--debug-log", action="store_true", help=text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the docs test to check every command has help)."""
    parser = argparse.ArgumentParser(
        prog="fake-kodi",
        description="A faithful fake Kodi 20/21 for add-on tests: install zips, run plugin:// calls and services.",
        epilog="Exit codes: 0 ok, 1 the add-on failed, 2 bad request.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    install = commands.add_parser(
        "install",
        help="install (and enable) add-on zips, dependencies first",
        description="Install add-on zips into the home as one request, checking each as Kodi does and "
        "resolving <requires> among them and the installed add-ons (dependencies go in first; a missing or "
        "too old required dependency refuses the whole request with Kodi's kodi.log line).",
    )
    install.add_argument(
        "zips",
        nargs="+",
        metavar="ZIP",
        help="an add-on zip (one top-level folder named after the add-on id), a folder of such zips, or an "
        "add-on source folder; any order",
    )
    _add_home(install)

    enable = _add_command(
        commands,
        "enable",
        "enable an add-on folder copied into addons/ by hand (warns on missing dependencies, as Kodi does)",
        "Enable an add-on folder put into the home's addons/ by hand, as Addons.SetAddonEnabled does in "
        "Kodi 20/21: nothing is refused for <requires>; each missing required dependency logs Kodi's "
        "warning line to kodi.log and is printed. Use `install` for the zip installer's checks.",
        ("addon_id", "ADDON_ID", "the add-on id (its folder name under addons/)"),
    )
    del enable

    module = commands.add_parser(
        "module-addon",
        help="build script.module.* add-on zips from pip packages installed in this Python",
        description="Turn installed distributions into module add-ons (<id>-<version>.zip, the package under "
        'lib/, xbmc.python 3.0.0, <extension point="xbmc.python.module" library="lib"/>), with the '
        "distributions they require as their own module add-ons. Prints one zip path per line.",
    )
    module.add_argument("distributions", nargs="+", metavar="DIST", help="a distribution name, e.g. requests")
    module.add_argument(
        "-o", "--output", default=".", metavar="DIR", help="folder for the zips (default: the current one)"
    )
    module.add_argument(
        "--no-deps", action="store_true", help="build only the named distributions, not what they require"
    )

    run = _add_command(
        commands,
        "run",
        "run one plugin:// call in a fresh interpreter",
        "Run a plugin:// URL with Kodi's argv and report what it listed, resolved, showed and logged.",
        ("url", "URL", "plugin://<addon id>/<path>?<query>"),
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (status, argv, items, dialogs, notifications, builtins, log, error, ...)",
    )
    run.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="KIND=VALUE",
        help="scripted dialog answer, in order (yesno=true, ok, select=2, input=text, textviewer, keyboard=text, progress_cancel=3, ...)",
    )
    run.add_argument(
        "--lenient", action="store_true", help="answer unscripted dialogs with cancel instead of failing"
    )
    _add_debug_log(run, "write LOGDEBUG lines to kodi.log (Kodi's debug logging setting)")
    run.add_argument(
        "--follow-run-plugin",
        action="store_true",
        help="afterwards run the RunPlugin(...) URLs the call issued (handle -1)",
    )

    service = _add_command(
        commands,
        "service",
        "run an add-on's service on a virtual clock, then abort it",
        "Run the service for N virtual seconds with events, then quit Kodi and check it returns within 5 s.",
        ("addon_id", "ADDON_ID", "the add-on whose xbmc.service to run"),
    )
    service.add_argument(
        "--virtual-seconds",
        type=_virtual_seconds,
        required=True,
        metavar="N",
        help="virtual seconds to run before abort",
    )
    service.add_argument(
        "--event",
        action="append",
        default=[],
        metavar="T:KIND[:ARG]",
        help="event at virtual second T: wake, sleep, screensaver_on, screensaver_off, notify:METHOD[:DATA], setting:ID=VALUE",
    )
    service.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object (returned, abort_latency_ms, log, exception, ...)",
    )
    _add_debug_log(service)

    call = _add_command(
        commands,
        "call",
        "call a function of an installed add-on and print its return value as JSON",
        "Import MODULE of the add-on inside the fake runtime (sys.path as the add-on sets it: its folder and resources/lib) and call FUNCTION.",
        ("addon_id", "ADDON_ID", "the installed add-on"),
        ("target", "MODULE:FUNCTION", "e.g. resources.lib.db:count_rows or mypackage.api:get_status"),
    )
    call.add_argument(
        "args",
        nargs="?",
        default="[]",
        metavar="JSON_ARGS",
        help="a JSON list of positional arguments or an object of keyword arguments (default [])",
    )
    _add_debug_log(call)

    settings = _add_command(
        commands,
        "settings",
        "show (and set) an add-on's settings",
        "Print the add-on's settings as a JSON object of strings, after applying --set.",
        ("addon_id", "ADDON_ID", "the installed add-on"),
    )
    settings.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="ID=VALUE",
        help="set a setting as the settings dialog would (repeatable)",
    )
    settings.add_argument(
        "--show-secrets",
        action="store_true",
        help="print tokens, secrets and passwords too (masked by default: terminals and CI logs keep them)",
    )
    # Listed for --help only: main() hands `fake-kodi real ...` to fake_kodi/real/cli.py first.
    commands.add_parser(
        "real",
        help="the same operations against a real Kodi 20 under Xvfb (`fake-kodi real --help`)",
        add_help=False,
    )
    return parser


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, sort_keys=False, default=repr))


def _fail(message: str, code: int) -> int:
    print(f"fake-kodi: {message.splitlines()[0] if message else 'error'}", file=sys.stderr)
    return code


def _space_hint(home: str) -> str:
    """SQLite says "disk I/O error" when the disk is full; name the cause when that is it."""
    try:
        free = shutil.disk_usage(home).free
    except OSError:
        return ""
    return f" (no space left on the device holding {home})" if free < 64 * 1024 else ""


def cmd_install(kodi: Any, args: argparse.Namespace) -> int:
    from fake_kodi.home.addons import InstallError

    try:
        manifests = kodi.install_many(args.zips)
    except InstallError as exc:
        return _fail(str(exc), EXIT_FAILED)
    for manifest in manifests:
        print(f"installed {manifest.id} {manifest.version} into {kodi.home.addons_dir / manifest.id}")
        for warning in manifest.warnings:
            print(f"warning: {warning}")
    return EXIT_OK


def cmd_enable(kodi: Any, args: argparse.Namespace) -> int:
    from fake_kodi.home.addons import InstallError

    log_size = kodi.home.log_path.stat().st_size if kodi.home.log_path.exists() else 0
    try:
        manifest = kodi.enable(args.addon_id)
    except InstallError as exc:
        return _fail(str(exc), EXIT_FAILED)
    print(f"enabled {manifest.id} {manifest.version} in {kodi.home.addons_dir / manifest.id}")
    # Kodi's warnings went to kodi.log; show the ones this request wrote.
    with kodi.home.log_path.open(encoding="utf-8") as log:
        log.seek(log_size)
        for line in log:
            if f"required by '{manifest.id}' is missing" in line:
                print(f"warning: {line.split('CAddonMgr: ', 1)[-1].rstrip()}")
    for warning in manifest.warnings:
        print(f"warning: {warning}")
    return EXIT_OK


def cmd_module_addon(args: argparse.Namespace) -> int:
    from fake_kodi.module_addon import ModuleAddonError, build_module_addon

    zips: list[Any] = []
    try:
        for name in args.distributions:
            zips += [
                z
                for z in build_module_addon(name, args.output, dependencies=not args.no_deps)
                if z not in zips
            ]
    except ModuleAddonError as exc:
        return _fail(str(exc), EXIT_USAGE)
    for path in zips:
        print(path)
    return EXIT_OK


def cmd_run(kodi: Any, args: argparse.Namespace) -> int:
    from fake_kodi.addon_side.dialogs import to_answers

    try:
        answers = to_answers(args.answer)
    except ValueError as exc:
        return _fail(str(exc), EXIT_USAGE)
    result = kodi.run(
        args.url, answers, args.debug_log, strict=not args.lenient, follow_run_plugin=args.follow_run_plugin
    )
    if args.json:
        _print_json(result.to_dict())
    else:
        print(describe_plugin_result(result))
    return EXIT_OK if result.status in ("directory", "resolved") else EXIT_FAILED


def describe_plugin_result(result: Any) -> str:
    """A readable summary of a PluginResult (the CLI without --json, and the demo)."""
    lines = [f"{result.url}  ->  {result.status}  (handle {result.handle}, {result.duration_ms:.0f} ms)"]
    for item in result.items:
        marker = "[dir]" if item.get("is_folder") else "     "
        lines.append(f"  {marker} {item.get('label', '')}  ->  {item.get('url', '')}")
    if result.resolved_url:
        lines.append(f"  resolved: {result.resolved_url}")
    for dialog in result.dialogs:
        shown = dialog.get("heading") or dialog.get("message") or ""
        if "percent" in dialog:
            shown = f"{dialog['percent']}% {shown}".strip()
        lines.append(f"  dialog {dialog.get('kind')}: {shown!r} -> {dialog.get('answer')!r}")
    for note in result.notifications:
        lines.append(f"  notification: {note.get('heading', '')}: {note.get('message', '')}")
    for builtin in result.builtins:
        lines.append(f"  builtin: {builtin.get('command')}")
    if result.error:
        lines.append(f"  error: {result.error.get('type')}: {result.error.get('message')}")
    return "\n".join(lines)


def cmd_service(kodi: Any, args: argparse.Namespace) -> int:
    from fake_kodi.host.service_driver import parse_event

    try:
        events = [parse_event(event) for event in args.event]
    except ValueError as exc:
        return _fail(str(exc), EXIT_USAGE)
    late = [
        text for text, (at, _kind, _arg) in zip(args.event, events, strict=True) if at > args.virtual_seconds
    ]
    if late:
        return _fail(
            f"event {late[0]!r} is after the run ends (--virtual-seconds {args.virtual_seconds:g})",
            EXIT_USAGE,
        )
    result = kodi.service(args.addon_id, args.virtual_seconds, events, debug_log=args.debug_log)
    if args.json:
        _print_json(result.to_dict())
    else:
        latency = "n/a" if result.abort_latency_ms is None else f"{result.abort_latency_ms:.0f} ms"
        print(f"service {args.addon_id}: returned={result.returned} abort latency {latency} ok={result.ok}")
        for line in result.log:
            print(f"  {line.rstrip()}")
        if result.exception:
            print(f"  exception: {result.exception.get('type')}: {result.exception.get('message')}")
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_call(kodi: Any, args: argparse.Namespace) -> int:
    from fake_kodi.host.results import CallError

    try:
        call_args = json.loads(args.args)
    except ValueError as exc:
        return _fail(f"JSON_ARGS is not valid JSON: {exc}", EXIT_USAGE)
    if not isinstance(call_args, (list, dict)):
        return _fail("JSON_ARGS must be a JSON list (positional) or object (keyword arguments)", EXIT_USAGE)
    try:
        value = kodi.call(args.addon_id, args.target, call_args, debug_log=args.debug_log)
    except CallError as exc:
        print(exc.error.get("traceback", ""), file=sys.stderr, end="")
        return _fail(str(exc), EXIT_FAILED)
    _print_json(value)
    return EXIT_OK


def cmd_settings(kodi: Any, args: argparse.Namespace) -> int:
    values = {}
    for pair in args.set:
        setting_id, sep, value = pair.partition("=")
        if not sep or not setting_id:
            return _fail(f"--set {pair!r}: expected ID=VALUE", EXIT_USAGE)
        values[setting_id] = value
    if values:
        kodi.set_settings(args.addon_id, **values)
    shown = kodi.settings(args.addon_id)
    if not args.show_secrets:
        masked = [key for key, value in shown.items() if value and SECRET_SETTING.search(key)]
        shown.update({key: f"<secret, {len(shown[key])} chars>" for key in masked})
        if masked:
            print(
                f"fake-kodi: {len(masked)} secret setting(s) masked; --show-secrets prints them",
                file=sys.stderr,
            )
    _print_json(shown)
    return EXIT_OK


COMMANDS = {
    "install": cmd_install,
    "enable": cmd_enable,
    "run": cmd_run,
    "service": cmd_service,
    "call": cmd_call,
    "settings": cmd_settings,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `fake-kodi` console script."""
    from fake_kodi.kodi import Kodi

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["real"]:
        # `fake-kodi real ...`: the same operations against a real Kodi (fake_kodi/real/cli.py).
        from fake_kodi.real.cli import main as real_main

        return real_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "module-addon":
        try:
            return cmd_module_addon(args)
        except OSError as exc:
            return _fail(f"{exc.strerror or exc} ({exc.filename})", EXIT_FAILED)
    try:
        kodi = Kodi(args.home, kodi_version=args.kodi_version, system_packages=args.system_packages)
        return COMMANDS[args.command](kodi, args)
    except (FakeKodiError, ValueError, RuntimeError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except OSError as exc:  # the machine, not the request: a full disk, a read-only or missing folder
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}", EXIT_FAILED)
    except sqlite3.Error as exc:  # the home's shared state (Window properties, handles) could not be written
        return _fail(f"the home's state database failed: {exc}{_space_hint(args.home)}", EXIT_FAILED)


if __name__ == "__main__":
    sys.exit(main())
