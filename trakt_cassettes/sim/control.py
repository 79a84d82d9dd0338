"""The `/_sim/` control plane: inspect and steer a running simulator (never logged, never faulted).

GET    /_sim/state                  counts, virtual now, faults
POST   /_sim/reset                  back to the scenario
POST   /_sim/advance                {"seconds": 30} or {"to": "2026-11-02T00:00:00Z"}
POST   /_sim/faults                 one fault, same keys as a scenario `faults:` entry
DELETE /_sim/faults                 remove all faults
GET    /_sim/requests               the request log
DELETE /_sim/requests               clear the request log
POST   /_sim/device/{user_code}     {"outcome": "approve" | "deny" | "expire"}
"""

from __future__ import annotations

import json
import re

from .errors import TraktError
from .faults import parse_fault
from .web import Response


def control(sim, method: str, path: str, body: bytes | None) -> tuple[int, dict, bytes]:
    """Answer one control-plane request."""
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return Response(400, {"error": "the body is not valid JSON"}).encode()
    try:
        return _dispatch(sim, method, path.rstrip("/"), data if isinstance(data, dict) else {}).encode()
    except TraktError as error:
        return Response(error.status, error.body()).encode()
    except (ValueError, TypeError) as error:
        return Response(400, {"error": str(error)}).encode()


def _dispatch(sim, method: str, path: str, data: dict) -> Response:
    if (method, path) == ("GET", "/_sim/state"):
        return Response(200, {**sim.state.summary(), "now_iso": sim.clock.now_iso(), "faults": [f.describe() for f in sim.faults],
                              "requests": len(sim.request_log)})  # fmt: skip
    if (method, path) == ("POST", "/_sim/reset"):
        sim.reset()
        return Response(200, {"now": sim.clock.now_iso()})
    if (method, path) == ("POST", "/_sim/advance"):
        if "to" in data:
            sim.clock.set(data["to"])
        else:
            sim.clock.advance(float(data.get("seconds", 0)))
        return Response(200, {"now": sim.clock.now_iso(), "epoch": sim.clock.now()})
    if (method, path) == ("POST", "/_sim/faults"):
        fault = parse_fault(data)
        sim.faults.append(fault)
        return Response(201, fault.describe())
    if (method, path) == ("DELETE", "/_sim/faults"):
        sim.faults.clear()
        return Response(204, None)
    if (method, path) == ("GET", "/_sim/requests"):
        return Response(200, sim.request_log)
    if (method, path) == ("DELETE", "/_sim/requests"):
        sim.request_log.clear()
        return Response(204, None)
    device = re.fullmatch(r"/_sim/device/([^/]+)", path)
    if method == "POST" and device:
        outcome = data.get("outcome", "approve")
        if outcome not in ("approve", "deny", "expire"):
            raise ValueError("outcome must be approve, deny or expire")
        record = sim.state.tokens.decide(device.group(1), outcome)
        return Response(200, {"user_code": record.user_code, "outcome": outcome})
    return Response(404, {"error": f"no control endpoint {method} {path}"})
