"""The add-on's writes (context actions through the fake Kodi) send bodies Trakt's contract accepts and
get answers it allows: each exchange checked by contracts' conformance checker (trakt_cassettes.contract)."""

from __future__ import annotations

import pytest

from contracts.conformance import Recorder, check_all

ACTIONS = [
    ("mark_watched", "movie", "tt1375666"),
    ("mark_unwatched", "movie", "tt0372784"),
    ("mark_watched", "episode", "tt11280740:2:2"),
    ("mark_unwatched", "show", "tt11280740"),
    ("watchlist_add", "movie", "tt0372784"),
    ("watchlist_remove", "movie", "tt0372784"),
    ("watchlist_add", "show", "tt11280740"),
]


@pytest.mark.parametrize(("action", "kind", "item"), ACTIONS, ids=[f"{a}-{k}" for a, k, _ in ACTIONS])
def test_a_context_action_sends_a_contract_body(synced, action, kind, item):
    recorder = Recorder(synced.sim)
    synced.sim.clock.advance(2)  # one write a second
    synced.run_plugin(action, type=kind, id=item)
    writes = [e for e in recorder.exchanges if e.method == "POST"]
    assert len(writes) == 1 and isinstance(writes[0].request_body, dict) and 200 <= writes[0].status < 300
    assert check_all(recorder.exchanges) == []
