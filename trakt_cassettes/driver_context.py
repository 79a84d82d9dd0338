"""What a recording driver gets: `DriverContext` (where Trakt is, credentials, a clock, notes) and its call policy.

Shared by a project's own drivers (the reference add-on's live in its tooling), the stand-in drivers
(standin.py) and the recorder (record.py), which is why it sits below all three: none of them needs
another to reach it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

# The call policy of DriverContext.call (the stand-in's: refresh once on 401, wait on 429, back off on 5xx).
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522})
STOP_STATUSES = frozenset({420, 423, 426})
MAX_RETRIES = 3
PAGE_LIMIT = 100
WATCHED_PAGE_LIMIT = 250


class AreaFailed(Exception):
    """One sync area could not be fetched; the stand-in sync notes it and goes on with the next area."""


class AccountStopped(Exception):
    """Trakt said stop (420 account limit, 423 locked, 426 VIP only): the sync ends, nothing is retried."""


@dataclass
class DriverContext:
    """What a driver gets: where Trakt is, credentials, a clock to wait on, and notes for the cassette."""

    base_url: str
    client_id: str
    client_secret: str
    access_token: str | None = None
    refresh_token: str | None = None
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 5.0
    notes: list[str] = field(default_factory=list)
    session: requests.Session = field(default_factory=requests.Session)
    clock: Callable[[], float] = time.time
    # Written into the cassette's metadata (e.g. replay_steps for `trakt-cassettes replay`).
    metadata: dict[str, object] = field(default_factory=dict)

    def headers(self, authed: bool = True) -> dict[str, str]:
        """Trakt's required headers; fixed User-Agent and Accept-Encoding keep recordings identical."""
        headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": self.client_id,
                   "User-Agent": "trakt-cassettes-standin/1.0", "Accept-Encoding": "gzip"}  # fmt: skip
        if authed and self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers

    def call(
        self, method: str, path: str, params: dict | None = None, body: object = None
    ) -> requests.Response:
        """One API call with the stand-in's policy: refresh once on 401, wait on 429, back off on 5xx."""
        refreshed = False
        for attempt in range(MAX_RETRIES + 1):
            try:
                response = self.session.request(method, self.base_url + path, params=params, json=body,
                                                headers=self.headers(), timeout=self.timeout)  # fmt: skip
            except requests.Timeout:
                raise AreaFailed(f"{method} {path}: timeout") from None
            except requests.ConnectionError:
                raise AreaFailed(f"{method} {path}: connection failed") from None
            if response.status_code == 401 and not refreshed and self.refresh_token:
                refreshed = True
                self.refresh()
                continue
            if response.status_code == 429 and attempt < MAX_RETRIES:
                self.sleep(float(response.headers.get("Retry-After") or 1))
                continue
            if response.status_code in RETRY_STATUSES and attempt < MAX_RETRIES:
                self.sleep(2.0 ** (attempt + 1))
                continue
            if response.status_code in STOP_STATUSES:
                raise AccountStopped(f"{method} {path}: {response.status_code}, not retried")
            if response.status_code >= 400:
                raise AreaFailed(f"{method} {path}: HTTP {response.status_code}")
            return response
        raise AreaFailed(f"{method} {path}: gave up after {MAX_RETRIES} retries")

    def get_json(self, path: str, params: dict | None = None) -> object:
        """GET and parse JSON (a malformed body fails the area)."""
        response = self.call("GET", path, params)
        try:
            return response.json()
        except ValueError:
            raise AreaFailed(f"GET {path}: malformed JSON") from None

    def get_pages(self, path: str, params: dict | None = None, limit: int = PAGE_LIMIT) -> list:
        """Every page of a paginated list, following X-Pagination-Page-Count."""
        items: list = []
        page, page_count = 1, 1
        while page <= page_count:
            response = self.call("GET", path, {**(params or {}), "page": page, "limit": limit})
            try:
                items.extend(response.json())
            except ValueError:
                raise AreaFailed(f"GET {path} page {page}: malformed JSON") from None
            page_count = int(response.headers.get("X-Pagination-Page-Count") or 1)
            page += 1
        return items

    def refresh(self) -> None:
        """Rotate the token pair via POST /oauth/token."""
        body = {"refresh_token": self.refresh_token, "client_id": self.client_id, "client_secret": self.client_secret,
                "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "grant_type": "refresh_token"}  # fmt: skip
        response = self.session.post(self.base_url + "/oauth/token", json=body, headers=self.headers(authed=False),
                                     timeout=self.timeout)  # fmt: skip
        if response.status_code != 200:
            raise AccountStopped(f"POST /oauth/token: {response.status_code}, login lost")
        tokens = response.json()
        self.access_token, self.refresh_token = tokens["access_token"], tokens["refresh_token"]


Driver = Callable[[DriverContext], None]
# The registry by name (add-on drivers included) is trakt_cassettes.drivers.DRIVERS.
