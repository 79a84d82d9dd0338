"""`python -m trakt_cassettes.sim SCENARIO.yaml --port P`: serve a scenario on 127.0.0.1 until Ctrl-C.

Time runs from the scenario's `now` on at real pace (the wall clock once that is later), unless a
`--clock-file` drives it or `--virtual-clock` freezes it until `POST /_sim/advance`.
"""

from __future__ import annotations

import argparse
import sys
import threading

from .clock import VirtualClock
from .scenario import ScenarioError, load_scenario
from .server import port_number
from .simulator import Simulator


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve, and report the request count on exit."""
    parser = argparse.ArgumentParser(prog="python -m trakt_cassettes.sim", description=__doc__)
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--port", type=port_number, default=0, help="port on 127.0.0.1 (0: a free port)")
    parser.add_argument("--clock-file", help='JSON file {"epoch": <float>} that drives the virtual clock')
    parser.add_argument(
        "--virtual-clock",
        action="store_true",
        help="keep time at the scenario's now until POST /_sim/advance moves it (default: real time from then on)",
    )
    args = parser.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.clock_file:  # a test (fake Kodi's clock file) drives time
        sim = Simulator(scenario, VirtualClock.from_file(args.clock_file, default=scenario.now))
    elif args.virtual_clock:
        sim = Simulator(scenario)
    else:  # clients on the wall clock: time moves from the scenario's now on
        sim = Simulator.on_wall_clock(scenario)
    try:
        server = sim.serve(args.port)
    except OSError as error:  # the port is in use, or not ours to take
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    try:  # Ctrl-C may land anywhere, even while the first line is being printed
        with server:
            print(f"serving {args.scenario} on {server.url} (Ctrl-C stops)", flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    print(f"stopped after {len(sim.request_log)} requests", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
