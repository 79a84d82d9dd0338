"""OAuth state: device codes with a scripted user, and access/refresh token pairs with rotation.

Token strings are derived from the username and a counter, so recording a scenario twice gives
the same tokens. A refresh kills the old refresh token AND the old access token (Doorkeeper's
revoke-on-use), which is what makes two processes refreshing at once lose the login.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .clock import VirtualClock
from .errors import (
    AuthorizationPending,
    Conflict,
    Denied,
    Expired,
    InvalidClient,
    InvalidGrant,
    NotFound,
    SlowDown,
    Unauthorized,
)

# The default lifetime of issued access tokens: 7 days, what the contract's text has said since
# 2026-05-19 (trakt/trakt-api@586224b oauth/index.ts). A scenario's `tokens.expires_in` overrides it;
# clients must read `expires_in`, never assume either value.
TOKEN_LIFETIME = 604_800


@dataclass
class Token:
    """One access/refresh pair; `expires_in=None` never expires (the scenario's static token)."""

    access_token: str
    refresh_token: str | None
    created_at: float
    expires_in: int | None
    revoked: bool = False

    def expired(self, now: float) -> bool:
        """True once `created_at + expires_in` has passed."""
        return self.expires_in is not None and now >= self.created_at + self.expires_in

    def as_json(self) -> dict:
        """Trakt's token JSON."""
        return {
            "access_token": self.access_token, "token_type": "bearer", "expires_in": self.expires_in or TOKEN_LIFETIME,
            "refresh_token": self.refresh_token, "scope": "public", "created_at": int(self.created_at),
        }  # fmt: skip


@dataclass
class DeviceCode:
    """A device code and what the scripted user does with it."""

    device_code: str
    user_code: str
    created_at: float
    expires_in: int
    interval: int
    pending_left: int
    then: str
    last_poll: float | None = None
    state: str = "pending"  # pending | used | denied | expired


class TokenStore:
    """Issues, checks, refreshes and revokes tokens on the injected clock."""

    def __init__(self, clock: VirtualClock, username: str, app: dict, user: dict, tokens: dict, device: dict):
        self.clock, self.username, self.app, self.device = clock, username, app, device
        self.lifetime = tokens.get("expires_in", TOKEN_LIFETIME)
        self._counter = 0
        self.by_access: dict[str, Token] = {}
        self.by_refresh: dict[str, Token] = {}
        self.device_codes: dict[str, DeviceCode] = {}
        if user.get("access_token"):
            created = tokens.get("created_at")
            static = Token(user["access_token"], user.get("refresh_token"), created if created is not None else clock.now(),
                           self.lifetime if created is not None else None)  # fmt: skip
            # `revoked`: the login was ended elsewhere (another device refreshed it): both tokens are dead.
            static.revoked = bool(tokens.get("revoked"))
            self._register(static)

    def _secret(self, kind: str) -> str:
        self._counter += 1
        return hashlib.sha256(f"{self.username}|{kind}|{self._counter}".encode()).hexdigest()

    def _register(self, token: Token) -> Token:
        self.by_access[token.access_token] = token
        if token.refresh_token:
            self.by_refresh[token.refresh_token] = token
        return token

    def issue(self) -> Token:
        """A fresh pair created now."""
        return self._register(
            Token(self._secret("access"), self._secret("refresh"), self.clock.now(), self.lifetime)
        )

    def check_client(
        self, client_id: object, client_secret: object = None, need_secret: bool = False
    ) -> None:
        """401 invalid_client when the scenario pins a client id/secret and the body disagrees."""
        if self.app.get("client_id") and client_id != self.app["client_id"]:
            raise InvalidClient("unknown client_id")
        if need_secret and self.app.get("client_secret") and client_secret != self.app["client_secret"]:
            raise InvalidClient("client authentication failed")

    def authenticate(self, access_token: str | None) -> Token:
        """The live token behind a Bearer value, or 401."""
        token = self.by_access.get(access_token or "")
        if token is None or token.revoked:
            raise Unauthorized("The access token is invalid")
        if token.expired(self.clock.now()):
            raise Unauthorized("The access token expired")
        return token

    def refresh(self, refresh_token: object) -> Token:
        """Rotate: a new pair, the old pair dead; a used or unknown refresh token gives 400 invalid_grant."""
        token = self.by_refresh.get(refresh_token) if isinstance(refresh_token, str) else None
        if token is None or token.revoked:
            raise InvalidGrant(
                "The provided authorization grant is invalid, expired, revoked, does not match the redirection "
                "URI used in the authorization request, or was issued to another client."
            )
        token.revoked = True
        return self.issue()

    def revoke(self, access_token: object) -> None:
        """Kill a token pair (an unknown token is silently accepted, as OAuth revoke does)."""
        token = self.by_access.get(access_token) if isinstance(access_token, str) else None
        if token is not None:
            token.revoked = True

    def new_device_code(self) -> DeviceCode:
        """Start a device flow; the scenario's `device_auth` script decides the user's answer."""
        code = self._secret("device")
        user_code = self.device.get("user_code") or code[:8].upper()
        record = DeviceCode(code, user_code, self.clock.now(), self.device.get("expires_in", 600),
                            self.device.get("interval", 5), self.device.get("pending", 0),
                            self.device.get("then", "approve"))  # fmt: skip
        self.device_codes[code] = record
        return record

    def decide(self, user_code: str, outcome: str) -> DeviceCode:
        """The user acts now: `approve`, `deny` or `expire` the code shown as `user_code`."""
        for record in self.device_codes.values():
            if record.user_code == user_code:
                record.pending_left, record.then = 0, outcome
                return record
        raise NotFound(f"no device code with user code {user_code}")

    def poll(self, device_code: object) -> Token:
        """One poll of `/oauth/device/token`: a token, or the status error of the device-flow table."""
        record = self.device_codes.get(device_code) if isinstance(device_code, str) else None
        now = self.clock.now()
        if record is None:
            raise NotFound("invalid device_code")
        if record.state == "used":
            raise Conflict("code already used")
        if record.state == "expired" or now >= record.created_at + record.expires_in:
            record.state = "expired"
            raise Expired("the device code expired")
        if record.state == "denied":
            raise Denied("the user denied the code")
        if record.last_poll is not None and now - record.last_poll < record.interval:
            record.last_poll = now
            raise SlowDown("polling faster than interval")
        record.last_poll = now
        if record.pending_left > 0 or record.then == "never":
            record.pending_left = max(0, record.pending_left - 1)
            raise AuthorizationPending("waiting for the user")
        if record.then == "deny":
            record.state = "denied"
            raise Denied("the user denied the code")
        if record.then == "expire":
            record.state = "expired"
            raise Expired("the device code expired")
        record.state = "used"
        return self.issue()
