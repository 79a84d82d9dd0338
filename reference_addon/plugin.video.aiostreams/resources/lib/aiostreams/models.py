"""Plain data shared by the sync engine, the mirror and the public API: reports and Trakt timestamps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_ts(value: str | None) -> datetime | None:
    """Parse a Trakt/ISO-8601 timestamp (with or without millis, Z or offset) into an aware UTC datetime."""
    if value is None or value == "":
        return None
    match = _ISO_RE.match(value.strip())
    if not match:
        raise ValueError(f"not an ISO-8601 timestamp: {value!r}")
    year, month, day, hour, minute, second, frac, zone = match.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    dt = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, timezone.utc
    )
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
        dt = datetime.fromtimestamp(dt.timestamp() - offset, timezone.utc)
    return dt


def format_ts(dt: datetime) -> str:
    """Format an aware datetime the way Trakt does: `2014-09-01T09:10:11.000Z`."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


_TRAKT_FORM_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def normalize_ts(value: str | None) -> str | None:
    """Return a timestamp in Trakt's exact form (so stored values compare as strings), or None."""
    if isinstance(value, str) and _TRAKT_FORM_RE.fullmatch(value):
        # Already Trakt's form (nearly every answer): only check that the date is real. This keeps a
        # sync of 100,000 plays from spending most of its time re-formatting identical strings.
        datetime.fromisoformat(value[:-1])
        return value
    dt = parse_ts(value)
    return None if dt is None else format_ts(dt)


def epoch_to_ts(epoch: float) -> str:
    """Format epoch seconds in Trakt's timestamp form."""
    return format_ts(datetime.fromtimestamp(epoch, timezone.utc))


@dataclass
class RowCounts:
    """Rows written to one table by one sync step."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    def add(self, other: RowCounts) -> None:
        """Accumulate another count into this one."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.deleted += other.deleted

    def as_dict(self) -> dict[str, int]:
        """Return the counts as a plain dict."""
        return {"inserted": self.inserted, "updated": self.updated, "deleted": self.deleted}


@dataclass
class SyncReport:
    """What one sync run did: requests, areas synced/skipped/failed (with reasons) and rows per table."""

    requests: int = 0
    synced: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    rows: dict[str, RowCounts] = field(default_factory=dict)
    duration: float = 0.0
    aborted: bool = False
    metadata_pending: int = 0

    def count(self, table: str, counts: RowCounts) -> None:
        """Add row counts for a table."""
        self.rows.setdefault(table, RowCounts()).add(counts)

    @property
    def ok(self) -> bool:
        """True when no area failed and the run was not aborted."""
        return not self.failed and not self.aborted

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready view (used by the replay debugger)."""
        return {
            "requests": self.requests,
            "synced": list(self.synced),
            "skipped": dict(self.skipped),
            "failed": dict(self.failed),
            "rows": {table: counts.as_dict() for table, counts in sorted(self.rows.items())},
            "duration": self.duration,
            "aborted": self.aborted,
            "metadata_pending": self.metadata_pending,
        }
