"""Trakt timestamps and the sync report."""

from __future__ import annotations

import pytest

from aiostreams.models import RowCounts, SyncReport, normalize_ts
from aiostreams.sync import remote_stamp


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-10-01T20:00:00Z", "2026-10-01T20:00:00.000Z"),
        ("2026-10-01T20:00:00.5Z", "2026-10-01T20:00:00.500Z"),
        ("2026-10-01T20:00:00.123456+00:00", "2026-10-01T20:00:00.123Z"),
        ("2026-10-01T22:00:00+02:00", "2026-10-01T20:00:00.000Z"),
        (None, None),
        ("", None),
    ],
)
def test_timestamps_are_normalised_to_trakts_form(raw, expected):
    assert normalize_ts(raw) == expected


def test_garbage_timestamp_is_a_value_error():
    with pytest.raises(ValueError, match="not an ISO-8601 timestamp: 'yesterday'"):
        normalize_ts("yesterday")


def test_remote_stamp_is_the_newest_source_and_ignores_odd_values():
    activities = {"movies": {"watchlisted_at": "2026-01-02T00:00:00Z", "watched_at": 5}, "watchlist": "weird"}
    assert remote_stamp(
        activities, ("movies.watchlisted_at", "watchlist.updated_at", "movies.watched_at")
    ) == ("2026-01-02T00:00:00.000Z")
    assert remote_stamp({}, ("movies.watched_at",)) == ""


def test_report_as_dict_lists_rows_per_table():
    report = SyncReport(requests=3, synced=["playback"])
    report.count("playback", RowCounts(inserted=2))
    report.count("playback", RowCounts(deleted=1))
    assert report.as_dict()["rows"] == {"playback": {"inserted": 2, "updated": 0, "deleted": 1}}
    assert report.ok
