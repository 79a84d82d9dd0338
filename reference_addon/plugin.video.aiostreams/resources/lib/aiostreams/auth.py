"""Trakt authorisation: the OAuth device flow in a cancelable progress dialog, and revoke.

`DeviceFlow` speaks the three OAuth calls and knows nothing of Kodi; `authorize()` and `revoke()`
are the routes' entry points and do the UI through kodi.py. The device-token answers branch on
the status alone (Trakt documents no error bodies): 400 pending, 429 slow down (interval + 5 s),
404/409/410/418 stop with a message, 200 tokens (expiry = created_at + expires_in).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from aiostreams import kodi
from aiostreams.tokens import Tokens

SLOW_DOWN_STEP = 5  # seconds added to the polling interval on a 429, as Trakt asks
MIN_INTERVAL = 1  # never poll in a busy loop, whatever interval the server sends
TIMEOUT = (10.0, 30.0)

# (string id, English fallback): the ids live in strings.po; the fallback covers a missing entry.
TEXT = {
    "heading": (30113, "Authorise Trakt"),
    "revoke_heading": (30114, "Revoke Trakt authorisation"),
    "instructions": (30400, "Go to {url} and enter the code [B]{code}[/B]"),
    "time_left": (30401, "Waiting for approval: {minutes}:{seconds:02d} left"),
    "authorised": (30402, "Trakt authorised"),
    "cancelled": (30403, "Trakt authorisation cancelled"),
    "expired": (30404, "The code expired before it was approved; start the authorisation again"),
    "denied": (30405, "The authorisation was denied on Trakt"),
    "used": (30406, "This code was already used; start the authorisation again"),
    "invalid": (30407, "Trakt did not recognise the code; start the authorisation again"),
    "no_client": (30408, "Enter the Trakt client ID and client secret in the settings first"),
    "failed": (30409, "Trakt authorisation failed: {error}"),
    "revoke_question": (30410, "Revoke the Trakt authorisation? This also clears the local Trakt database."),
    "revoked": (30411, "Trakt authorisation revoked"),
}
STOP_STATUSES = {404: "invalid", 409: "used", 410: "expired", 418: "denied"}


def text(key: str, **values: Any) -> str:
    """A user-visible string from strings.po (English fallback), formatted with `values`."""
    string_id, fallback = TEXT[key]
    template = kodi.localize(string_id) or fallback
    return template.format(**values) if values else template


class DeviceFlowError(Exception):
    """The flow cannot go on; `reason` is a TEXT key (or 'failed'), the message is safe to show."""

    def __init__(self, reason: str, message: str, status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class DeviceCode:
    """Trakt's answer to POST /oauth/device/code."""

    device_code: str
    user_code: str
    verification_url: str
    expires_in: int
    interval: int

    def __repr__(self) -> str:  # the device code is a credential until it expires
        return f"DeviceCode(user_code={self.user_code!r}, expires_in={self.expires_in})"


class DeviceFlow:
    """The device-code OAuth calls (code, token poll, revoke) over one requests session."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        session: requests.Session | None = None,
        user_agent: str = "plugin.video.aiostreams",
    ):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.session = session or requests.Session()
        self.user_agent = user_agent

    def __repr__(self) -> str:
        return f"DeviceFlow({self.base_url!r})"

    def _post(self, path: str, body: dict[str, Any]) -> requests.Response:
        headers = {
            "Content-Type": "application/json",
            "trakt-api-version": "2",
            "trakt-api-key": self.client_id,
            "User-Agent": self.user_agent,
        }
        try:
            return self.session.post(
                self.base_url + path, data=json.dumps(body), headers=headers, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise DeviceFlowError("failed", f"Trakt did not answer ({exc.__class__.__name__})") from None

    def request_code(self) -> DeviceCode:
        """POST /oauth/device/code: the code to show the user."""
        response = self._post("/oauth/device/code", {"client_id": self.client_id})
        if response.status_code != 200:
            raise DeviceFlowError(
                "failed",
                f"Trakt answered HTTP {response.status_code} to the code request",
                response.status_code,
            )
        data = _json(response)
        try:
            return DeviceCode(
                device_code=str(data["device_code"]),
                user_code=str(data["user_code"]),
                verification_url=str(data.get("verification_url") or "https://trakt.tv/activate"),
                expires_in=int(_number(data, "expires_in", 600)),
                interval=int(_number(data, "interval", 5)),
            )
        except (KeyError, TypeError, ValueError):
            raise DeviceFlowError("failed", "Trakt sent an unusable device code answer") from None

    def poll(self, code: DeviceCode) -> Tokens | str:
        """One POST /oauth/device/token: Tokens when approved, else 'pending' or 'slow_down'."""
        body = {"code": code.device_code, "client_id": self.client_id, "client_secret": self._client_secret}
        response = self._post("/oauth/device/token", body)
        status = response.status_code
        if status == 200:
            try:
                return Tokens.from_oauth(_json(response))
            except ValueError:
                raise DeviceFlowError("failed", "Trakt sent an unusable token answer", status) from None
        if status == 400:
            return "pending"
        if status == 429:
            return "slow_down"
        if status in STOP_STATUSES:
            reason = STOP_STATUSES[status]
            raise DeviceFlowError(reason, text(reason), status)
        raise DeviceFlowError("failed", f"Trakt answered HTTP {status} while waiting for approval", status)

    def revoke(self, access_token: str) -> None:
        """POST /oauth/revoke for the access token."""
        body = {"token": access_token, "client_id": self.client_id, "client_secret": self._client_secret}
        response = self._post("/oauth/revoke", body)
        if response.status_code != 200:
            raise DeviceFlowError(
                "failed", f"Trakt answered HTTP {response.status_code} to the revoke", response.status_code
            )


def _number(data: dict, key: str, default: int) -> Any:
    value = data.get(key)
    return default if value is None else value


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise DeviceFlowError("failed", "Trakt sent malformed JSON", response.status_code) from None
    if not isinstance(data, dict):
        raise DeviceFlowError("failed", "Trakt sent an unexpected answer", response.status_code)
    return data


def wait_for_approval(
    flow: DeviceFlow,
    code: DeviceCode,
    dialog: Any,
    clock: Callable[[], float],
    wait: Callable[[float], bool],
    log: Callable[[str], Any] = lambda message: None,
) -> Tokens | None:
    """Poll every `interval` s until approved (Tokens), cancelled or aborted (None); DeviceFlowError stops."""
    interval = max(MIN_INTERVAL, code.interval)
    started = clock()
    deadline = started + code.expires_in
    instructions = text("instructions", url=code.verification_url, code=code.user_code)
    next_poll = started + interval
    while True:
        now = clock()
        left = max(0, int(deadline - now))
        dialog.update(
            100 * left // max(1, code.expires_in),
            instructions + "\n" + text("time_left", minutes=left // 60, seconds=left % 60),
        )
        if dialog.canceled():
            return None
        if now >= deadline:
            raise DeviceFlowError("expired", text("expired"))
        if now < next_poll:
            # One-second steps: the Cancel button and Kodi's abort are noticed within a second.
            if wait(min(1.0, next_poll - now)):
                return None
            continue
        answer = flow.poll(code)
        if isinstance(answer, Tokens):
            return answer
        if answer == "slow_down":
            interval += SLOW_DOWN_STEP
            log(f"Trakt asked to poll more slowly: every {interval} s now")
        else:
            log("Trakt authorisation pending")
        next_poll = clock() + interval


def _flow() -> DeviceFlow | None:
    client_id = kodi.setting("trakt_client_id").strip()
    client_secret = kodi.setting("trakt_client_secret").strip()
    if not client_id or not client_secret:
        return None
    return DeviceFlow(
        kodi.trakt_api_url(), client_id, client_secret, user_agent=f"{kodi.addon_id()}/{kodi.addon_version()}"
    )


def authorize() -> bool:
    """Run the device flow with a cancelable progress dialog; True once the tokens are saved."""
    flow = _flow()
    if flow is None:
        kodi.ok(text("heading"), text("no_client"))
        return False
    try:
        code = flow.request_code()
        kodi.log(f"Trakt device code issued; the user enters {code.user_code} at {code.verification_url}")
        with kodi.progress(
            text("heading"), text("instructions", url=code.verification_url, code=code.user_code)
        ) as dialog:
            tokens = wait_for_approval(
                flow, code, dialog, clock=lambda: time.time(), wait=kodi.wait_for_abort, log=kodi.log
            )
    except DeviceFlowError as exc:
        kodi.log(f"Trakt authorisation stopped: {exc} (HTTP {exc.status})", "warning")
        message = str(exc) if exc.reason in STOP_STATUSES.values() else text("failed", error=str(exc))
        kodi.ok(text("heading"), message)
        return False
    if tokens is None:
        kodi.log("Trakt authorisation cancelled")
        kodi.notify(text("cancelled"))
        return False
    kodi.token_store().save(tokens)
    kodi.take_login_expired()  # a login that ended before is answered now: nobody asks again
    kodi.log("Trakt authorised; tokens saved")
    kodi.notify(text("authorised"))
    return True


def clear_mirror(db_path: str, lock_timeout: float = 10.0) -> dict[str, int]:
    """Empty the mirror's Trakt data AND its stored activities (waiting briefly for a running sync)."""
    from database import store
    from database.connection import Database

    db = Database(db_path)
    try:
        lock = db.lock("sync", ttl=60.0, clock=lambda: time.time())
        held = lock.acquire(lock_timeout, poll=0.2)
        if not held:
            kodi.log("a sync is running while revoking; clearing the mirror anyway", "warning")
        try:
            with db.transaction() as conn:
                return store.clear_trakt_data(conn)
        finally:
            if held:
                lock.release()
    finally:
        db.close()


def revoke() -> bool:
    """After a confirmation: revoke the token on Trakt, forget it, and clear the mirror."""
    if not kodi.yesno(text("revoke_heading"), text("revoke_question")):
        return False
    store = kodi.token_store()
    tokens = store.load()
    flow = _flow()
    if tokens is not None and flow is not None:
        try:
            flow.revoke(tokens.access_token)
        except DeviceFlowError as exc:
            # The user wants out: the local tokens and data go even when Trakt cannot be told.
            kodi.log(f"Trakt revoke failed ({exc}); clearing the local authorisation anyway", "warning")
    store.clear()
    cleared = clear_mirror(kodi.db_path())
    for key in ("sync.last_run", "sync.last_result", "sync.last_summary"):
        kodi.set_home_property(key, "")
    kodi.log(f"Trakt authorisation revoked; mirror cleared ({sum(cleared.values())} rows)")
    kodi.notify(text("revoked"))
    return True
