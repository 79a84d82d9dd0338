"""Fallback contracts: when the mirror cannot answer, the API path answers the same, and no error reaches the user."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest

import trakt
from contracts.support import (
    SIM_SCENARIOS,
    World,
    conformance_failures,
    equivalence_failures,
    load_scenario_dict,
)

LOGGER = "aiostreams.trakt"


@pytest.fixture
def world(make_world):
    built = make_world(load_scenario_dict(SIM_SCENARIOS / "small_library.yaml"), "small_library")
    with built.running():
        yield built


def api_path_answers(world: World, caplog) -> tuple[dict, list[str]]:
    """Ask every item; the answers must come from Trakt, equal the simulator's, and only be logged."""
    before = len(world.sim.request_log)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        answers = world.answers()
    assert len(world.sim.request_log) > before, "the API path never ran"
    failures = conformance_failures(answers, "fallback")
    failures += equivalence_failures(world.name, world.sim_answers(), answers, "simulator", "fallback")
    assert not failures, "\n\n".join(failures)
    return answers, [record.getMessage() for record in caplog.records if record.name == LOGGER]


def configure_on(world: World, path: str, busy_timeout_ms: int = 2000) -> None:
    trakt.configure(db_path=path, client_factory=world.client, clock=world.sim.clock.now,
                    busy_timeout_ms=busy_timeout_ms)  # fmt: skip


def test_no_database_yet_answers_from_the_api(world, caplog):
    world.use_api()
    _, messages = api_path_answers(world, caplog)
    assert any("from the Trakt API (FileNotFoundError: no mirror database at" in m for m in messages), (
        messages
    )


def test_corrupt_database_file_answers_from_the_api(world, caplog, tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not an SQLite database, just bytes where the mirror should be" * 100)
    configure_on(world, str(corrupt))
    _, messages = api_path_answers(world, caplog)
    assert any("DatabaseError: file is not a database" in m for m in messages), messages


def test_unreadable_database_path_answers_from_the_api(world, caplog, tmp_path):
    unreadable = tmp_path / "a-directory.db"
    unreadable.mkdir()  # opening a directory as a database fails for every user, root included
    configure_on(world, str(unreadable))
    _, messages = api_path_answers(world, caplog)
    assert any(
        "from the Trakt API (OperationalError: unable to open database file)" in m for m in messages
    ), messages


def test_area_never_synced_answers_that_area_from_the_api(world, caplog):
    world.sim.add_fault(method="GET", path="^/sync/watchlist", status=502, every=True)
    report = world.sync(attempts=1)
    assert "watchlist_movies" in report.failed and "watched_movies" in report.synced
    world.sim.clear_faults()
    world.use_mirror()
    _, messages = api_path_answers(world, caplog)
    assert any("watchlist status from the Trakt API (area(s) watchlist_movies" in m for m in messages), (
        messages
    )
    assert not any(m.startswith("watched status from the Trakt API") for m in messages), messages


HOLD_LOCK = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # in WAL mode only this keeps readers out
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE sync_state SET status = status")
    print("locked", flush=True)
    sys.stdin.read()
    """
)


def test_database_locked_by_another_process_past_the_timeout_answers_from_the_api(world, caplog):
    assert world.sync().ok
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, world.db_path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        configure_on(world, world.db_path, busy_timeout_ms=100)
        _, messages = api_path_answers(world, caplog)
    finally:
        holder.communicate("", timeout=30)
    assert any("OperationalError: database is locked" in m for m in messages), messages


def test_fallback_never_logs_above_warning(world, caplog):
    world.use_api()
    world.sim.add_fault(method="GET", path="^/(sync|shows)/", status=500, every=True)
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        answers = world.answers()
    assert {answer["is_watched"] for answer in answers.values()} == {False}
    assert all(answer.get("get_show_progress") is None for answer in answers.values())
    assert max(record.levelno for record in caplog.records) == logging.WARNING


HOLD_WRITE = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # an ordinary writer, like the service in the middle of a sync
    conn.execute("UPDATE sync_state SET status = status")
    print("writing", flush=True)
    sys.stdin.read()
    """
)


def test_a_writer_in_another_process_does_not_force_the_fallback(world):
    assert world.sync().ok
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, world.db_path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "writing"
        configure_on(world, world.db_path, busy_timeout_ms=100)
        before = len(world.sim.request_log)
        answers = world.answers([item for item in world.items() if item[0] == "movie"])
    finally:
        holder.communicate("", timeout=30)
    assert len(world.sim.request_log) == before  # WAL: readers go on while the writer holds its lock
    assert not equivalence_failures(
        world.name, world.sim_answers(list(answers)), answers, "simulator", "mirror"
    )
