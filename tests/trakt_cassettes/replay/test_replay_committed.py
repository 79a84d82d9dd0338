"""Every committed cassette replays through the add-on's current sync with nothing unmatched or unplayed."""

from __future__ import annotations

from pathlib import Path

import pytest

from trakt_cassettes.config import CASSETTE_DIR, CASSETTE_SUFFIX
from trakt_cassettes.replay import replay_cassette

CASSETTES = sorted(CASSETTE_DIR.glob(f"*{CASSETTE_SUFFIX}"))


@pytest.mark.parametrize("cassette", CASSETTES, ids=[path.name for path in CASSETTES])
def test_committed_cassette_replays_without_drift(cassette: Path, tmp_path: Path) -> None:
    timeline = replay_cassette(cassette, workdir=tmp_path)
    assert (timeline.unmatched, timeline.unplayed) == ([], []), timeline.format()
