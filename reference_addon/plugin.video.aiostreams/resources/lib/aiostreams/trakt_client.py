"""The add-on's one HTTP client for Trakt: headers, paging, retries, rate limits and token refresh."""

from __future__ import annotations

import json
import logging
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

import requests

from aiostreams import errors
from aiostreams.tokens import Tokens, TokenStore

PAGE_LIMIT = 250  # Trakt clamps larger limits to 250 (2026); one constant limit for every page
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522})
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
USER_AGENT = "plugin.video.aiostreams/2.8.0"
REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
TOKEN_PATH = "/oauth/token"
# Trakt allows a user 500 GETs per 5 minutes (2026-09; every app of the account counts). Over it, Cloudflare
# may answer 429 and refuse everything for 5 minutes. The add-on keeps under 450 on its own, leaving the rest
# to its other processes (plugin calls) and the user's other apps.
GET_BUDGET, GET_PERIOD = 450, 300.0

log = logging.getLogger("aiostreams.trakt_client")


class GetBudget:
    """GETs sent in the last `period` seconds; a GET waits for room rather than trip Trakt's limit.

    One budget outlives the clients that share it (the service keeps one for its whole life), so syncs
    that follow each other quickly are paced together."""

    def __init__(self, limit: int = GET_BUDGET, period: float = GET_PERIOD):
        self.limit = limit
        self.period = period
        self._sent: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        """Seconds until one more GET fits in the window (0 when it fits now)."""
        while self._sent and self._sent[0] <= now - self.period:
            self._sent.popleft()
        return 0.0 if len(self._sent) < self.limit else self._sent[0] + self.period - now

    def spend(self, now: float) -> None:
        """Count one GET sent now."""
        self._sent.append(now)


class TraktClient:
    """Talks to Trakt API v2; waits go through the injected `sleep`, requests poll `abort_check` (`abort_poll` s)."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        token_store: TokenStore,
        clock: Callable[[], float],
        sleep: Callable[[float], Any],
        abort_check: Callable[[], bool],
        session: requests.Session | None = None,
        *,
        rng: random.Random | None = None,
        max_retries: int = 4,
        backoff_base: float = 2.0,
        backoff_cap: float = 60.0,
        max_rate_wait: float = 330.0,
        refresh_margin: float = 3600.0,
        write_interval: float = 1.0,
        timeout: tuple[float, float] = (10.0, 30.0),
        abort_poll: float = 0.2,
        user_agent: str = USER_AGENT,
        get_budget: GetBudget | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.token_store = token_store
        self.clock = clock
        self.sleep = sleep
        self.abort_check = abort_check
        self.session = session or requests.Session()
        self.rng = rng or random.Random()
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_rate_wait = max_rate_wait
        self.refresh_margin = refresh_margin
        self.write_interval = write_interval
        self.timeout = timeout
        self.abort_poll = abort_poll
        self.user_agent = user_agent
        self.get_budget = get_budget or GetBudget()
        self.requests_made = 0
        self._last_write_at: float | None = None

    def __repr__(self) -> str:
        return f"TraktClient({self.base_url!r})"

    # --- public calls -------------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None, auth: bool = True) -> Any:
        """GET one resource and return its decoded JSON."""
        return self._request("GET", path, params=params, auth=auth)[0]

    def get_all(self, path: str, params: Mapping[str, Any] | None = None, auth: bool = True) -> list:
        """GET every page of a list (constant limit, up to `X-Pagination-Page-Count`)."""
        items: list = []
        page = 1
        while True:
            query = dict(params or {}, page=page, limit=PAGE_LIMIT)
            data, headers = self._request("GET", path, params=query, auth=auth)
            if not isinstance(data, list):
                raise errors.MalformedResponseError(f"Trakt sent a non-list answer for GET {path}")
            items.extend(data)
            page_count = _int_header(headers, "X-Pagination-Page-Count", default=1)
            if page >= page_count or not data:
                return items
            page += 1

    def get_map(self, path: str, params: Mapping[str, Any] | None = None, limit: int = PAGE_LIMIT) -> Any:
        """GET every page of an answer that is one object keyed by id (2026 `extended=min`), merged.

        Trakt pages these maps (`page`, `limit`, `X-Pagination-*`): `limit` is asked, the limit Trakt
        echoes is kept for the rest. Any other answer (a list from Trakt before 2026) is returned as it came."""
        data, headers = self._request("GET", path, params=dict(params or {}, page=1, limit=limit))
        if not isinstance(data, dict):
            return data
        page_count = _int_header(headers, "X-Pagination-Page-Count", default=1)
        echoed = _int_header(headers, "X-Pagination-Limit", default=limit)
        merged = dict(data)
        for page in range(2, page_count + 1):
            more = self._request("GET", path, params=dict(params or {}, page=page, limit=echoed))[0]
            if not isinstance(more, dict):
                raise errors.MalformedResponseError(f"Trakt sent a non-object page for GET {path}")
            merged.update(more)
        return merged

    def post(self, path: str, body: Any, auth: bool = True) -> Any:
        """POST a JSON body (paced to one write per second)."""
        return self._request("POST", path, body=body, auth=auth)[0]

    def put(self, path: str, body: Any) -> Any:
        """PUT a JSON body (paced)."""
        return self._request("PUT", path, body=body)[0]

    def delete(self, path: str) -> Any:
        """DELETE a resource (paced)."""
        return self._request("DELETE", path)[0]

    def is_authorised(self) -> bool:
        """True when tokens are stored (they may still need a refresh)."""
        return self.token_store.load() is not None

    # --- the request loop ---------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        auth: bool = True,
    ) -> tuple[Any, Mapping[str, str]]:
        failures = 0
        rate_waited = 0.0
        refreshed = False
        while True:
            self._check_abort()
            headers, used_token = self._headers(auth)
            if method in WRITE_METHODS:
                self._pace_write()
            else:
                self._pace_get()
            try:
                response = self._send(
                    method,
                    self.base_url + path,
                    params=dict(params) if params else None,
                    data=json.dumps(body) if body is not None else None,
                    headers=headers,
                )
            except requests.RequestException as exc:
                self._count(method)
                failures += 1
                kind = exc.__class__.__name__
                if failures > self.max_retries:
                    raise errors.NetworkError(
                        f"Trakt did not answer {method} {path} after {failures} attempts ({kind})"
                    ) from None
                log.warning("Trakt %s %s failed (%s); retry %d", method, path, kind, failures)
                self._wait(self._backoff(failures))
                continue
            self._count(method)
            status = response.status_code
            log.debug("Trakt %s %s -> %d", method, path, status)
            if 200 <= status < 300:
                return _decode(response, method, path), response.headers
            if path == TOKEN_PATH and status in (400, 401) and _oauth_error(response) == "invalid_grant":
                # 400 in the 2026 contract (tokenErrorResponseSchema.ts); older text said 401.
                raise errors.LoginExpired(
                    "Trakt ended this login (the refresh token was rejected); please authorise the add-on again",
                    status,
                )
            if status == 401:
                if response.headers.get("X-Private-User", "").lower() == "true":
                    raise errors.PrivateDataError("This Trakt user's data is private", status)
                if not auth or used_token is None or refreshed:
                    raise errors.AuthorizationRequired(
                        "Trakt rejected the authorisation; please authorise the add-on again", status
                    )
                self._refresh(used_token, rejected=True)
                refreshed = True
                continue
            if status == 429:
                wait = _retry_after(response)
                if rate_waited + wait > self.max_rate_wait:
                    raise errors.RateLimitedError(
                        f"Trakt rate limit on {method} {path}; try again later", status
                    )
                rate_waited += wait
                log.warning("Trakt rate limit on %s %s; waiting %.0f s", method, path, wait)
                self._wait(wait)
                continue
            if status in RETRY_STATUSES:
                failures += 1
                if failures > self.max_retries:
                    raise errors.ServerUnavailableError(
                        f"Trakt is unavailable (HTTP {status} on {method} {path}); try again later", status
                    )
                log.warning("Trakt %s %s -> %d; retry %d", method, path, status, failures)
                self._wait(self._backoff(failures))
                continue
            raise _status_error(status, method, path)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Run one HTTP request on a worker thread; give up on it as soon as abort is requested."""
        # A hung request would otherwise hold Kodi's abort for up to the read timeout (30 s). The
        # wait below is a real-time Event wait, not the injected sleep: Kodi's clock (and fake Kodi's
        # virtual one) must not move while a request is in flight.
        done = threading.Event()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["response"] = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except BaseException as exc:  # handed to the caller, which decides what it means
                outcome["error"] = exc
            finally:
                done.set()

        worker = threading.Thread(target=work, name="trakt-request", daemon=True)
        worker.start()
        while not done.wait(self.abort_poll):
            if self.abort_check():
                # The abandoned thread ends with its socket timeout; nothing reads its answer.
                log.info("Trakt %s abandoned: Kodi is shutting down", method)
                raise errors.AbortRequested("Stopped: Kodi is shutting down")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["response"]

    def _count(self, method: str) -> None:
        self.requests_made += 1
        if method in WRITE_METHODS:
            self._last_write_at = self.clock()
        else:
            self.get_budget.spend(self.clock())

    def _headers(self, auth: bool) -> tuple[dict[str, str], Tokens | None]:
        headers = {
            "Content-Type": "application/json",
            "trakt-api-version": "2",
            "trakt-api-key": self.client_id,
            "User-Agent": self.user_agent,
        }
        if not auth:
            return headers, None
        tokens = self.token_store.load()
        if tokens is None:
            raise errors.AuthorizationRequired("Trakt is not authorised yet; please authorise the add-on")
        if self.clock() >= tokens.expires_at - self.refresh_margin:
            tokens = self._refresh(tokens, rejected=False)
        headers["Authorization"] = "Bearer " + tokens.access_token
        return headers, tokens

    def _refresh(self, stale: Tokens, rejected: bool) -> Tokens:
        """Refresh under the cross-process lock; reuse a pair another process refreshed meanwhile."""
        try:
            with self.token_store.refresh_lock():
                current = self.token_store.load()
                if current is None:
                    raise errors.AuthorizationRequired("Trakt is not authorised; please authorise the add-on")
                fresh_elsewhere = current.access_token != stale.access_token
                if fresh_elsewhere and self.clock() < current.expires_at - self.refresh_margin:
                    return current
                if not rejected and self.clock() < current.expires_at - self.refresh_margin:
                    return current
                body = {
                    "refresh_token": current.refresh_token,
                    "client_id": self.client_id,
                    "client_secret": self._client_secret,
                    "redirect_uri": REDIRECT_URI,
                    "grant_type": "refresh_token",
                }
                try:
                    data = self._request("POST", TOKEN_PATH, body=body, auth=False)[0]
                except errors.LoginExpired:
                    # The pair is dead for every process: forget it, so nothing retries it (no loop) and
                    # the add-on shows "authorise again" instead of failing the same way every interval.
                    self.token_store.clear(expired=True)
                    log.warning("Trakt rejected the refresh token; the stored login was cleared")
                    raise
                try:
                    new = Tokens.from_oauth(data if isinstance(data, dict) else {})
                except ValueError:
                    raise errors.MalformedResponseError("Trakt sent an unusable token answer") from None
                # The old refresh token is dead now: persist the new pair before anything uses it.
                self.token_store.save(new)
                log.info("Trakt token refreshed")
                return new
        except RuntimeError as exc:  # LockTimeout from a store whose lock stayed busy
            current = self.token_store.load()
            if current is not None and current.access_token != stale.access_token:
                return current
            raise errors.TraktError(
                f"Trakt token refresh is busy in another process ({exc.__class__.__name__})"
            ) from None

    # --- waiting ------------------------------------------------------------------------------

    def _check_abort(self) -> None:
        if self.abort_check():
            raise errors.AbortRequested("Stopped: Kodi is shutting down")

    def _wait(self, seconds: float) -> None:
        """Sleep in slices of at most one second so an abort is noticed within a second."""
        remaining = seconds
        while remaining > 0:
            self._check_abort()
            step = min(1.0, remaining)
            if self.sleep(step) is True:  # Monitor.waitForAbort returns True on abort
                raise errors.AbortRequested("Stopped: Kodi is shutting down")
            remaining -= step
        self._check_abort()

    def _backoff(self, failures: int) -> float:
        delay = min(self.backoff_cap, self.backoff_base * (2 ** (failures - 1)))
        return delay + self.rng.uniform(0, self.backoff_base)

    def _pace_get(self) -> None:
        wait = self.get_budget.wait_needed(self.clock())
        if wait > 0:
            log.info("Trakt GET budget used up (%d in %.0f s); waiting %.0f s", self.get_budget.limit,
                     self.get_budget.period, wait)  # fmt: skip
            self._wait(wait)

    def _pace_write(self) -> None:
        if self._last_write_at is None:
            return
        wait = self.write_interval - (self.clock() - self._last_write_at)
        if wait > 0:
            self._wait(wait)


def _decode(response: requests.Response, method: str, path: str) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return json.loads(response.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise errors.MalformedResponseError(
            f"Trakt sent malformed JSON for {method} {path} (HTTP {response.status_code})",
            response.status_code,
        ) from None


def _oauth_error(response: requests.Response) -> str | None:
    """The OAuth `error` code of an error answer (`invalid_grant`, ...), None when there is none."""
    try:
        body = json.loads(response.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return body.get("error") if isinstance(body, dict) else None


def _int_header(headers: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(headers.get(name, default))
    except (TypeError, ValueError):
        return default


def _retry_after(response: requests.Response) -> float:
    """Seconds from `Retry-After` (Trakt sends an integer); 10 s when it is missing or unreadable."""
    try:
        return max(1.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return 10.0


def _status_error(status: int, method: str, path: str) -> errors.TraktError:
    if status == 420:
        return errors.AccountLimitError(
            "Your Trakt account reached a free-tier limit (Trakt VIP raises it)", status
        )
    if status == 423:
        return errors.AccountLockedError("Your Trakt account is locked; contact Trakt support", status)
    if status == 426:
        return errors.VipRequiredError("This Trakt feature needs Trakt VIP", status)
    if status == 404:
        return errors.NotFoundError(f"Not found on Trakt: {method} {path}", status)
    return errors.TraktHTTPError(f"Trakt answered HTTP {status} to {method} {path}", status)
