"""One exception per Trakt failure the add-on treats differently; messages are safe to show users.

No message ever carries a token, the client secret or a request body.
"""

from __future__ import annotations


class TraktError(Exception):
    """Base class: a Trakt call failed; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class AbortRequested(TraktError):
    """Kodi asked the add-on to stop; raised between requests and during waits."""


class AuthorizationRequired(TraktError):
    """No usable token (missing, refresh rejected, or 401 after a refresh): authorise again."""


class LoginExpired(AuthorizationRequired):
    """Trakt rejected the refresh token (400 `invalid_grant`): the login is over, the dead pair was cleared."""


class PrivateDataError(TraktError):
    """401 with X-Private-User: the token is fine but the data is private; do not refresh."""


class AccountLimitError(TraktError):
    """420: the account is over a free-tier limit (not throttling; never retried)."""


class AccountLockedError(TraktError):
    """423: the Trakt account is locked or deactivated."""


class VipRequiredError(TraktError):
    """426: the feature needs Trakt VIP."""


class RateLimitedError(TraktError):
    """429 kept coming back beyond the retry budget."""


class ServerUnavailableError(TraktError):
    """5xx / Cloudflare 52x kept coming back beyond the retry budget."""


class NetworkError(TraktError):
    """Timeouts or connection errors kept happening beyond the retry budget."""


class MalformedResponseError(TraktError):
    """Trakt answered with a body that is not the JSON we asked for."""


class NotFoundError(TraktError):
    """404: the item does not exist on Trakt."""


class TraktHTTPError(TraktError):
    """Any other unexpected HTTP status."""
