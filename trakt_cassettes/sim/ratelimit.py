"""Trakt's rate limits on the virtual clock: sliding windows per limit name."""

from __future__ import annotations

import json
import math
from collections import deque

from .clock import VirtualClock, format_iso_seconds
from .errors import RateLimited

DEFAULTS = {"enabled": True, "get_limit": 1000, "get_period": 300, "post_limit": 1, "post_period": 1}


class RateLimiter:
    """Counts accepted calls per limit; a call over the limit raises RateLimited (429)."""

    def __init__(self, clock: VirtualClock, config: dict | None = None):
        self.clock = clock
        self.config = {**DEFAULTS, **(config or {})}
        self._windows: dict[str, deque[float]] = {}

    def limit_for(self, method: str, authed: bool) -> tuple[str, int, int]:
        """(name, limit, period) of the limit a call falls under."""
        if method.upper() in ("POST", "PUT", "DELETE"):
            return "AUTHED_API_POST_LIMIT", self.config["post_limit"], self.config["post_period"]
        name = "AUTHED_API_GET_LIMIT" if authed else "UNAUTHED_API_GET_LIMIT"
        return name, self.config["get_limit"], self.config["get_period"]

    def _window(self, name: str, period: int, now: float) -> deque[float]:
        window = self._windows.setdefault(name, deque())
        while window and window[0] <= now - period:
            window.popleft()
        return window

    def check(self, method: str, authed: bool) -> dict:
        """Admit one call or raise 429; returns `{name, limit, remaining}` after this call."""
        name, limit, period = self.limit_for(method, authed)
        now = self.clock.now()
        window = self._window(name, period, now)
        if self.config["enabled"] and len(window) >= limit:
            until = window[0] + period
            retry_after = max(1, math.ceil(until - now))
            header = json.dumps(
                {
                    "name": name,
                    "period": period,
                    "limit": limit,
                    "remaining": 0,
                    "until": format_iso_seconds(math.ceil(until)),
                },
                separators=(",", ":"),
            )
            raise RateLimited(retry_after, header)
        window.append(now)
        return {"name": name, "limit": limit, "remaining": max(0, limit - len(window))}

    def budget(self, method: str, authed: bool) -> dict:
        """`{name, limit, remaining}` without spending a call."""
        name, limit, period = self.limit_for(method, authed)
        window = self._window(name, period, self.clock.now())
        return {"name": name, "limit": limit, "remaining": max(0, limit - len(window))}

    def reset(self) -> None:
        """Forget all counted calls."""
        self._windows.clear()
