"""What a cassette's recorded times mean when it is replayed later than it was recorded.

A cassette is replayed on some clock: fake Kodi's virtual clock set to the scenario's `now` (the
recording's own moment), or the wall clock of a real Kodi days or years later. So nothing in a
cassette may be an absolute deadline that a replay compares with its clock:

- The token the add-on starts with is recorded as `token_expires_in`: seconds it was still valid
  when the recording started. A replay gives the add-on a token that expires that long after the
  replay's own start, so the add-on sends what it sent when recorded, on any date.
- Token answers (`/oauth/token`, `/oauth/device/token`) are served with `created_at` = the replay
  clock's now: a token is issued when it is served, as Trakt does.
- Everything else (watched_at, first_aired, listed_at, ...) is data: replayed as recorded.

Cassettes written before this rule carry `token_expires_at` (an absolute epoch); it is read as the
lifetime it had at the scenario's `now`, and `trakt-cassettes lint` reports it with the fix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# A recorded token stays valid this long after the recording starts (like a fresh login).
DEFAULT_TOKEN_LIFETIME = 30 * 86400
# The moment a scenario without `now` describes (the simulator's own default).
DEFAULT_SCENARIO_NOW = "2026-11-01T12:00:00Z"
TOKEN_PATHS = ("/oauth/token", "/oauth/device/token")


class RecordedTimeError(ValueError):
    """A cassette's time metadata cannot be read (the message names the key)."""


def scenario_now(scenario: Mapping[str, Any]) -> float:
    """The scenario's `now` in epoch seconds (the moment the recording started)."""
    from trakt_cassettes.sim.clock import parse_time

    try:
        return parse_time(scenario.get("now") or DEFAULT_SCENARIO_NOW)
    except ValueError as exc:
        raise RecordedTimeError(f"scenario now: {exc}") from None


def token_lifetime(metadata: Mapping[str, Any], recorded_now: float) -> float:
    """Seconds the recorded token was valid when the recording started (`recorded_now`)."""
    if "token_expires_in" in metadata:
        return _seconds(metadata, "token_expires_in")
    if "token_expires_at" in metadata:  # the pre-2026-12 absolute form
        return _seconds(metadata, "token_expires_at") - recorded_now
    return float(DEFAULT_TOKEN_LIFETIME)


def token_expiry(metadata: Mapping[str, Any], scenario: Mapping[str, Any], replay_now: float) -> int:
    """The expiry to give the add-on at the start of a replay whose clock reads `replay_now`."""
    return int(replay_now + token_lifetime(metadata, scenario_now(scenario)))


def absolute_expiry_problem(metadata: Mapping[str, Any], scenario: Mapping[str, Any]) -> str | None:
    """Why a cassette's metadata ties its replay to the calendar, with the fix; None when it does not."""
    if "token_expires_at" not in metadata:
        return None
    from trakt_cassettes.sim.clock import format_iso_seconds

    try:
        at = _seconds(metadata, "token_expires_at")
        lifetime = int(token_lifetime(metadata, scenario_now(scenario)))
    except RecordedTimeError as exc:
        return f"{exc}; fix: replace it with token_expires_in: <seconds the token was valid at the start>"
    return (
        f"metadata.token_expires_at is an absolute time ({format_iso_seconds(at)}): a replay on the wall "
        f"clock (real Kodi, `trakt-cassettes serve`) sees the recorded token expire after that date and "
        f"refreshes it, which the cassette cannot answer; fix: replace it with `token_expires_in: {lifetime}` "
        f"(seconds from the recording's start) or re-record the cassette"
    )


def reissue_token_answer(path: str, status: int, body: bytes, now: float) -> bytes:
    """A recorded token answer with `created_at` moved to `now` (a token is issued when served)."""
    if status != 200 or path.split("?", 1)[0] not in TOKEN_PATHS:
        return body
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    if not isinstance(payload, dict) or "created_at" not in payload:
        return body
    payload["created_at"] = int(now)
    return json.dumps(payload).encode("utf-8")


def _seconds(metadata: Mapping[str, Any], key: str) -> float:
    value = metadata.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordedTimeError(f"metadata.{key} must be a number of seconds, got {value!r}")
    return float(value)
