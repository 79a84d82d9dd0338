"""Item 5: hypothesis fuzzes plugin:// URLs through the add-on's router, in ONE fake-Kodi interpreter.

Every call must end without an uncaught exception and answer Kodi (a directory end or a resolve);
a call that fails must tell the user with a notification; ids like `tt1' OR 1=1 --` are just ids.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .kodi_world import ADDON_ID, KodiWorld, build_zip
from .support import state_b

DRIVER = Path(__file__).resolve().parent / "plugin_driver.py"
EXAMPLES = 2000
# authorize and revoke are left out: one polls a device code, the other signs the user out.
ACTIONS = [
    "", "catalogs", "genres", "catalog", "seasons", "episodes", "next_up", "watchlist", "tools", "play",
    "mark_watched", "mark_unwatched", "watchlist_add", "watchlist_remove", "force_trakt_sync",
    "show_database_info", "clear_trakt_database", "rebuild_trakt_database", "vacuum_database",
]  # fmt: skip
PARAM_NAMES = ["type", "id", "season", "skip", "genre", "catalog_id", "page", "imdb", "trakt"]
NASTY = [
    "tt1' OR 1=1 --", "1; DROP TABLE shows; --", "tt0903747", "tt0372784", "tt0903747:1:1", "movie", "series",
    "show", "-1", "0", "99999999999999999999", "1e9", "NaN", "", " ", "%00", "\x00", "../../etc/passwd",
    "ünïcödé", "🎬", "a" * 2000, "top", "trending", "tt", ":", "tt0903747:x:y", "null", "[]", "{}",
]  # fmt: skip
SQL_ID = "tt1' OR 1=1 --"

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
params = st.dictionaries(st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=8)), values, max_size=5)
actions = st.one_of(st.sampled_from(ACTIONS), st.text(max_size=20))


@st.composite
def plugin_urls(draw) -> tuple[str, int]:
    """A plugin:// URL (encoded, or a raw malformed query) and its handle (1 = listing, -1 = RunPlugin)."""
    query = {"action": draw(actions), **draw(params)}
    if draw(st.booleans()):
        text = urlencode(query)
    else:
        text = "&".join(f"{quote(k, safe='=&%')}={v}" for k, v in query.items())  # raw, often malformed
    return f"plugin://{ADDON_ID}/?{text}", draw(st.sampled_from([1, 1, 1, -1]))


class PluginDriver:
    """plugin_driver.py running in a fake Kodi home: one call per line, one answer per line."""

    def __init__(self, home: Path):
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(home), ADDON_ID],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.calls = 0

    def call(self, url: str, handle: int) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"url": url, "handle": handle}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the driver died: {self.proc.stderr.read() if self.proc.stderr else ''}")
        self.calls += 1
        return json.loads(line)

    def call_lookups(self, count: int, movie_ids: list[str], show_ids: list[str]) -> dict:
        """`count` watched/watchlisted lookups in the driver through the plugin's mirror connection."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(
            json.dumps({"lookups": count, "movie_ids": movie_ids, "show_ids": show_ids}) + "\n"
        )
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def driver(tmp_path_factory, served_sim, figures):
    from fake_kodi.kodi import Kodi

    zip_path = build_zip(tmp_path_factory.mktemp("dist"))
    sim, server = served_sim(state_b())
    kodi = Kodi(tmp_path_factory.mktemp("home"))
    world = KodiWorld(kodi, zip_path, sim, server.url, auto_sync=False)
    running = PluginDriver(world.kodi.home.root)
    assert running.call(f"plugin://{ADDON_ID}/?action=force_trakt_sync", -1)["uncaught"] is None
    yield running
    # Summed: under xdist each worker drives its own interpreter for its share of the tests.
    figures.add("fuzz_plugin_calls", running.calls)
    running.close()


def check_answer(url: str, handle: int, answer: dict) -> None:
    assert answer["uncaught"] is None, (url, answer["uncaught"])
    assert answer["fake_errors"] == [], (url, answer["fake_errors"])
    # The router's last resort (a handler raised something it did not expect) logs a traceback.
    assert answer["tracebacks"] == [], (url, answer["tracebacks"])
    answered = answer["ended"] + answer["resolved"]
    if handle >= 0:
        assert len(answered) == 1, (url, answer)  # Kodi waits for exactly one answer
    if False in answered:
        assert answer["notifications"], (url, "a failed call told the user nothing")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(case=plugin_urls())
def test_fuzzed_plugin_urls_never_escape_and_failures_notify(driver, case):
    url, handle = case
    check_answer(url, handle, driver.call(url, handle))


@pytest.mark.parametrize("action", ["seasons", "episodes", "mark_watched", "watchlist_add", "play"])
def test_sql_looking_ids_are_just_ids(driver, action):
    url = f"plugin://{ADDON_ID}/?" + urlencode(
        {"action": action, "type": "series", "id": SQL_ID, "season": "1"}
    )
    answer = driver.call(url, 1)
    check_answer(url, 1, answer)
    tables = driver.call(f"plugin://{ADDON_ID}/?action=next_up", 1)
    assert tables["ended"] == [True], tables  # the mirror is intact after the id went through every query
