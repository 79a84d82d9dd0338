"""`python -m trakt_cassettes.sim SCENARIO.yaml --port P`: serve a scenario on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading

from .clock import VirtualClock
from .scenario import ScenarioError, load_scenario
from .simulator import Simulator


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve, and report the request count on exit."""
    parser = argparse.ArgumentParser(prog="python -m trakt_cassettes.sim", description=__doc__)
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free port)")
    parser.add_argument("--clock-file", help='JSON file {"epoch": <float>} that drives the virtual clock')
    args = parser.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    clock = VirtualClock.from_file(args.clock_file, default=scenario.now) if args.clock_file else None
    sim = Simulator(scenario, clock)
    with sim.serve(args.port) as server:
        print(f"serving {args.scenario} on {server.url} (Ctrl-C stops)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    print(f"stopped after {len(sim.request_log)} requests", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
