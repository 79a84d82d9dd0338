"""A stateful Trakt API v2 simulator (plus the AIOStreams/Stremio side) driven by scenario files.

from trakt_cassettes.sim import Simulator, load_scenario, ScenarioError, VirtualClock
sim = Simulator.from_file("scenario.yaml")
with sim.intercept():            # in-process, via `responses`
    ...
with sim.serve(port=0) as server:  # real HTTP on 127.0.0.1
    ...
"""

from .clock import VirtualClock, format_iso, parse_time
from .faults import Fault, SimulatedConnectionReset, SimulatedTimeout
from .scenario import Scenario, ScenarioError, load_scenario
from .server import SimulatorServer, wsgi_app
from .simulator import Simulator
from .state import TraktState

__all__ = [
    "Fault", "Scenario", "ScenarioError", "SimulatedConnectionReset", "SimulatedTimeout", "Simulator",
    "SimulatorServer", "TraktState", "VirtualClock", "format_iso", "load_scenario", "parse_time", "wsgi_app",
]  # fmt: skip
