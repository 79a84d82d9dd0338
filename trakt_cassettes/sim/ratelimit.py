"""Trakt's rate limits on the virtual clock: sliding windows per limit name."""

from __future__ import annotations

import json
import math
from collections import deque

from .clock import VirtualClock, format_iso_seconds
from .errors import CloudflareRateLimited, RateLimited

# Trakt's limits (2026): authed GETs 500 per 5 min per user (Trakt staff, trakt-api #909, 2026-09-01; was
# 1000), unauthed GETs 1000 per 5 min per app, writes 1 per second. `cloudflare`: over the GET limit the
# answer is Cloudflare's (HTML, Retry-After 300, no X-Ratelimit) and every call is refused until it expires.
DEFAULTS = {"enabled": True, "get_limit": 500, "get_period": 300, "unauthed_get_limit": 1000, "post_limit": 1,
            "post_period": 1, "cloudflare": False}  # fmt: skip
CLOUDFLARE_BLOCK = 300


class RateLimiter:
    """Counts accepted calls per limit; a call over the limit raises RateLimited (429)."""

    def __init__(self, clock: VirtualClock, config: dict | None = None):
        self.clock = clock
        self.config = {**DEFAULTS, **(config or {})}
        self._windows: dict[str, deque[float]] = {}
        self.blocked_until: float | None = None  # a Cloudflare block: every call refused until then

    def limit_for(self, method: str, authed: bool) -> tuple[str, int, int]:
        """(name, limit, period) of the limit a call falls under."""
        if method.upper() in ("POST", "PUT", "DELETE"):
            return "AUTHED_API_POST_LIMIT", self.config["post_limit"], self.config["post_period"]
        if authed:
            return "AUTHED_API_GET_LIMIT", self.config["get_limit"], self.config["get_period"]
        return "UNAUTHED_API_GET_LIMIT", self.config["unauthed_get_limit"], self.config["get_period"]

    def _window(self, name: str, period: int, now: float) -> deque[float]:
        window = self._windows.setdefault(name, deque())
        while window and window[0] <= now - period:
            window.popleft()
        return window

    def check(self, method: str, authed: bool) -> dict:
        """Admit one call or raise 429; returns `{name, limit, remaining}` after this call."""
        name, limit, period = self.limit_for(method, authed)
        now = self.clock.now()
        if self.config["enabled"] and self.blocked_until is not None:
            if now < self.blocked_until:
                raise CloudflareRateLimited(max(1, math.ceil(self.blocked_until - now)))
            self.blocked_until = None
        window = self._window(name, period, now)
        if self.config["enabled"] and len(window) >= limit:
            if self.config["cloudflare"] and name != "AUTHED_API_POST_LIMIT":
                self.blocked_until = now + CLOUDFLARE_BLOCK
                raise CloudflareRateLimited(CLOUDFLARE_BLOCK)
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
        """Forget all counted calls (and a Cloudflare block)."""
        self._windows.clear()
        self.blocked_until = None
