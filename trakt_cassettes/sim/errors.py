"""One class per Trakt error answer: status code, headers and JSON body.

Trakt documents the status codes, not the error bodies; the simulator answers
`{"error": <code>, "error_description": <text>}` so a client that logs bodies has something to log.
"""

from __future__ import annotations


class TraktError(Exception):
    """An error answer; `status`, `headers` and `body()` shape the HTTP response."""

    status = 500
    code = "server_error"

    def __init__(self, description: str = "", headers: dict[str, str] | None = None):
        super().__init__(description or self.code)
        self.description = description or self.code
        self.headers = dict(headers or {})

    def body(self) -> dict | bytes | None:
        """The JSON body (None for an empty body; bytes are sent as they are)."""
        return {"error": self.code, "error_description": self.description}


class BadRequest(TraktError):
    status, code = 400, "bad_request"


class AuthorizationPending(TraktError):
    """The device poll's 400 "Pending": no body (oauth/index.ts, device token route: `400: z.undefined()`)."""

    status, code = 400, "authorization_pending"

    def body(self) -> None:
        """Nothing: the contract types this answer's body as undefined."""
        return None


class Unauthorized(TraktError):
    status, code = 401, "invalid_token"


class InvalidGrant(TraktError):
    """A refresh token (or code) that is used, revoked or unknown: 400, as the 2026 contract says
    (trakt/trakt-api@586224b `oauth/index.ts` token route, `oauth/schema/response/tokenErrorResponseSchema.ts`)."""

    status, code = 400, "invalid_grant"


class InvalidClient(TraktError):
    status, code = 401, "invalid_client"


class Forbidden(TraktError):
    status, code = 403, "forbidden"


class NotFound(TraktError):
    status, code = 404, "not_found"


class MethodNotFound(TraktError):
    status, code = 405, "method_not_found"


class Conflict(TraktError):
    status, code = 409, "already_used"


class Expired(TraktError):
    status, code = 410, "expired_token"


class PreconditionFailed(TraktError):
    status, code = 412, "precondition_failed"


class Denied(TraktError):
    status, code = 418, "access_denied"


class AccountLimit(TraktError):
    status, code = 420, "account_limit_exceeded"

    def __init__(self, limit: int, vip: bool, description: str = ""):
        super().__init__(
            description or f"account limit of {limit} items exceeded",
            {
                "X-Upgrade-URL": "https://trakt.tv/vip",
                "X-VIP-User": str(vip).lower(),
                "X-Account-Limit": str(limit),
            },
        )


class Unprocessable(TraktError):
    status, code = 422, "validation_errors"


class Locked(TraktError):
    status, code = 423, "locked_user_account"

    def __init__(self, description: str = "account locked", deactivated: bool = False):
        super().__init__(
            description, {"X-Account-Locked": "true", "X-Account-Deactivated": str(deactivated).lower()}
        )


class VipOnly(TraktError):
    status, code = 426, "vip_only"

    def __init__(self, description: str = "VIP only"):
        super().__init__(description, {"X-Upgrade-URL": "https://trakt.tv/vip"})


class SlowDown(TraktError):
    status, code = 429, "slow_down"


class RateLimited(TraktError):
    """429 with `Retry-After` and the `X-Ratelimit` JSON header."""

    status, code = 429, "rate_limit_exceeded"

    def __init__(self, retry_after: int, ratelimit_json: str):
        super().__init__(
            f"rate limit exceeded, retry after {retry_after} s",
            {"Retry-After": str(retry_after), "X-Ratelimit": ratelimit_json},
        )


class CloudflareRateLimited(TraktError):
    """429 from Cloudflare in front of Trakt: an HTML page, `Retry-After` (300), no `X-Ratelimit`
    (trakt-api #909, #922)."""

    status, code = 429, "cloudflare_rate_limited"

    def __init__(self, retry_after: int = 300):
        super().__init__(
            f"rate limited by Cloudflare, retry after {retry_after} s",
            {"Retry-After": str(retry_after), "Content-Type": "text/html; charset=UTF-8"},
        )

    def body(self) -> bytes:
        """Cloudflare's error page, not JSON."""
        return (
            b"<!DOCTYPE html><html><head><title>Access denied | api.trakt.tv used Cloudflare to restrict access"
            b"</title></head><body><h1>Error 1015</h1><h2>You are being rate limited</h2></body></html>"
        )


class ServerError(TraktError):
    status, code = 500, "server_error"


class ServiceUnavailable(TraktError):
    status, code = 503, "service_unavailable"


ERRORS_BY_STATUS: dict[int, type[TraktError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotFound,
    409: Conflict,
    410: Expired,
    412: PreconditionFailed,
    418: Denied,
    422: Unprocessable,
    429: SlowDown,
    500: ServerError,
    503: ServiceUnavailable,
}
