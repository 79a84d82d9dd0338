"""Bad input at the trakt-cassettes entry points: one clear line, the right exit code, servers keep serving."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from trakt_cassettes.cassette_file import CassetteError, read_cassette
from trakt_cassettes.lint import lint_paths
from trakt_cassettes.record import RecordError, record
from trakt_cassettes.replay import ReplayError, read_cassette_plan
from trakt_cassettes.replay_server import ReplayServer
from trakt_cassettes.sim import Simulator
from trakt_cassettes.sim.clock import MovingClock, VirtualClock

from .raw_http import exchange

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "trakt_cassettes" / "cassettes"
GOOD = COMMITTED / "first_sync_small.cassette.yaml"
SCENARIO = ROOT / "trakt_cassettes" / "scenarios" / "small_library.yaml"
CLI = [sys.executable, "-m", "trakt_cassettes.cli"]


def _good_document() -> dict:
    document = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    document["metadata"]["scenario"] = str(COMMITTED / "first_sync_small.yaml")
    return document


def _broken(tmp_path: Path, change) -> Path:
    document = _good_document()
    change(document)
    path = tmp_path / "broken.cassette.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _set_status(document: dict) -> None:
    document["interactions"][0]["response"]["status"] = "x"


def _drop_response(document: dict) -> None:
    del document["interactions"][1]["response"]


BROKEN_CASSETTES = {
    "a list": (lambda tmp: _text(tmp, "- 1\n- 2\n"), "a cassette is a mapping with 'interactions', got list"),
    "string metadata": (
        lambda tmp: _text(tmp, "metadata: hello\ninteractions: []\n"),
        "metadata must be a mapping",
    ),
    "interactions: nope": (
        lambda tmp: _text(tmp, "interactions: nope\n"),
        "'interactions' must be a list, got str",
    ),
    "status: x": (lambda tmp: _broken(tmp, _set_status), "interaction #0: response.status must be a mapping"),
    "missing response": (lambda tmp: _broken(tmp, _drop_response), "interaction #1: has no response mapping"),
    "not UTF-8": (
        lambda tmp: _bytes(tmp, GOOD.read_bytes().replace(b"Breaking", b"Br\xe9aking")),
        "is not UTF-8 text",
    ),
    "bad YAML": (lambda tmp: _text(tmp, "interactions: [\n"), "invalid YAML"),
    "a folder": (lambda tmp: _folder(tmp), "is a directory"),
}


def _text(tmp_path: Path, text: str) -> Path:
    return _bytes(tmp_path, text.encode("utf-8"))


def _bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "broken.cassette.yaml"
    path.write_bytes(data)
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder.cassette.yaml"
    path.mkdir()
    return path


@pytest.mark.parametrize("case", sorted(BROKEN_CASSETTES))
def test_a_broken_cassette_is_named_with_its_problem(case: str, tmp_path: Path) -> None:
    make, message = BROKEN_CASSETTES[case]
    path = make(tmp_path)
    with pytest.raises(CassetteError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_cassette(path)
    with pytest.raises(ReplayError):
        read_cassette_plan(path)
    with pytest.raises(CassetteError):
        ReplayServer(path)


@pytest.mark.parametrize("case", sorted(BROKEN_CASSETTES))
def test_the_cli_gives_one_line_and_exit_2_for_a_broken_cassette(case: str, tmp_path: Path) -> None:
    path = BROKEN_CASSETTES[case][0](tmp_path)
    for command in (["replay", str(path)], ["serve", str(path)]):
        done = subprocess.run([*CLI, *command], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("case", sorted(set(BROKEN_CASSETTES) - {"a folder"}))
def test_lint_reports_a_broken_cassette_without_crashing(case: str, tmp_path: Path) -> None:
    assert lint_paths([BROKEN_CASSETTES[case][0](tmp_path)])


def test_lint_of_a_folder_without_cassettes_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run([*CLI, "lint", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr.strip()) == (
        2,
        f"trakt-cassettes lint: no cassette (*.cassette.yaml) under {tmp_path}",
    )


def test_a_bad_scenario_is_one_line_and_exit_2(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("now: [\n", encoding="utf-8")
    done = subprocess.run([*CLI, "serve", str(scenario)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"trakt-cassettes serve: {scenario}:2: invalid YAML")


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_outside_the_range_is_a_usage_error(port: str) -> None:
    done = subprocess.run(
        [*CLI, "serve", str(SCENARIO), "--port", port], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "--port" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_is_one_line_and_exit_1(busy_port: int) -> None:
    for command in (
        [*CLI, "serve", str(SCENARIO), "--port", str(busy_port)],
        [sys.executable, "-m", "trakt_cassettes.sim", str(SCENARIO), "--port", str(busy_port)],
    ):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, done.stderr
        assert "Address already in use" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("seconds", ["nan", "inf", "1e308", "-5"])
def test_a_bad_advance_is_refused_and_leaves_the_clock_alone(seconds: str) -> None:
    sim = Simulator.from_file(SCENARIO)
    with sim.serve() as server:
        before = requests.get(server.url + "/_sim/state", timeout=5).json()["now_iso"]
        answer = requests.post(server.url + "/_sim/advance", data=f'{{"seconds": {seconds}}}', timeout=5)
        after = requests.get(server.url + "/_sim/state", timeout=5)
    assert answer.status_code == 400
    assert (after.status_code, after.json()["now_iso"]) == (200, before)


@pytest.mark.parametrize("clock", [VirtualClock(0.0), MovingClock(0.0)], ids=["virtual", "moving"])
def test_a_clock_refuses_a_time_it_could_not_write(clock) -> None:
    for bad in (float("nan"), float("inf"), 1e308):
        with pytest.raises(ValueError):
            clock.advance(bad)
        with pytest.raises(ValueError):
            clock.set(bad)
    assert clock.now_iso()  # still readable


BAD_FRAMING = [
    (b"Content-Length: abc\r\n", b"400"),
    (b"Content-Length: -5\r\n", b"400"),
    (b"Content-Length: 100000000000\r\n", b"413"),
    (b"Content-Length: " + b"9" * 30 + b"\r\n", b"413"),
]


@pytest.fixture(params=["simulator", "replay"])
def served_url(request: pytest.FixtureRequest) -> Iterator[str]:
    server = (
        Simulator.from_file(SCENARIO).serve() if request.param == "simulator" else ReplayServer(GOOD).start()
    )
    try:
        yield server.url
    finally:
        server.stop()


@pytest.mark.parametrize(("header", "status"), BAD_FRAMING, ids=["abc", "negative", "1e11", "1e30"])
def test_a_bad_content_length_gets_an_answer_and_the_server_keeps_serving(
    served_url: str, header: bytes, status: bytes
) -> None:
    answer = exchange(served_url, b"POST /sync/history HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + b"\r\n")
    assert answer.split(b" ")[1] == status
    assert b"Content-Length" in json.loads(answer.split(b"\r\n\r\n", 1)[1])["error_description"].encode()
    assert requests.get(served_url + "/manifest.json", timeout=5).status_code in (200, 501)


def test_a_malformed_host_header_is_still_matched_by_path(tmp_path: Path) -> None:
    with ReplayServer(GOOD) as server:
        answer = exchange(server.url, b"GET /sync/last_activities HTTP/1.1\r\nHost: a b/c?d\r\n\r\n")
        report = server.report()
    assert answer.split(b" ")[1] in (b"200", b"501")
    assert [item.uri.split("/", 3)[3] for item in report.unmatched] in ([], ["sync/last_activities"])


def test_an_id_that_is_an_object_is_a_400_not_a_dropped_connection() -> None:
    sim = Simulator.from_file(SCENARIO)
    headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": "sim-client-id",
               "Authorization": "Bearer test-token"}  # fmt: skip
    with sim.serve() as server:
        answer = requests.post(server.url + "/sync/history", json={"movies": [{"ids": {"trakt": {"a": 1}}}]},
                               headers=headers, timeout=5)  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["error_description"] == "ids.trakt of an item of 'movies' must be a number or text"


def test_record_into_a_folder_is_a_usage_error_and_leaves_nothing(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text((COMMITTED / "no_imdb_titles.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "out").mkdir()
    done = subprocess.run([*CLI, "record", str(scenario), "-o", str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert (done.returncode, done.stderr.count("\n")) == (2, 1), done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.yaml"]


def test_a_recording_that_records_nothing_fails_and_writes_nothing(tmp_path: Path) -> None:
    # What an unreachable --base-url or a driver that fits no scenario come to: no interaction at all.
    scenario = tmp_path / "s.yaml"
    scenario.write_text((COMMITTED / "no_imdb_titles.yaml").read_text(encoding="utf-8"), encoding="utf-8")

    def silent_driver(context) -> None:
        context.notes.append("sync 1: last_activities failed: Trakt did not answer (ConnectionError)")

    with pytest.raises(RecordError, match=r"recorded no interaction \(sync 1: last_activities failed"):
        record(scenario, tmp_path / "out.cassette.yaml", silent_driver)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_a_relative_output_is_written_in_the_working_directory(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text((COMMITTED / "no_imdb_titles.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([*CLI, "record", "s.yaml", "-o", "mine.cassette.yaml"], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mine.cassette.yaml").is_file()
    assert not list(COMMITTED.glob("mine.cassette.yaml*"))
