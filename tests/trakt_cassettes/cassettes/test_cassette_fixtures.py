"""The pytest fixtures, run in a real pytest subprocess on a small test file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from trakt_cassettes.config import CASSETTE_DIR

SCENARIO = CASSETTE_DIR / "first_sync_small.yaml"
CASSETTE = CASSETTE_DIR / "locked_account_423.cassette.yaml"


def _pytest(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_user.py").write_text(textwrap.dedent(body), encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:fake_kodi", "-p", "trakt_cassettes.pytest_fixtures",
               "-p", "no:cacheprovider", str(tmp_path / "test_user.py")]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_trakt_sim_serves_the_marked_scenario(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        f"""
        import pytest, requests

        @pytest.mark.trakt_scenario({str(SCENARIO)!r})
        def test_sim(trakt_sim):
            headers = {{"Authorization": "Bearer fake-token", "trakt-api-key": "standin-client-id",
                        "trakt-api-version": "2", "Content-Type": "application/json"}}
            movies = requests.get(trakt_sim.url + "/sync/watched/movies", headers=headers, timeout=5).json()
            assert movies[0]["movie"]["title"] == "Batman Begins"
            assert len(trakt_sim.request_log) == 1
    """,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_trakt_cassette_applies_in_process_and_fails_on_unplayed(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        f"""
        import pytest, requests

        TRAKT = {{"Authorization": "Bearer t", "trakt-api-key": "k", "trakt-api-version": "2"}}

        @pytest.mark.trakt_cassette({str(CASSETTE)!r})
        def test_played(trakt_cassette):
            answer = requests.get("https://api.trakt.tv/sync/last_activities", headers=TRAKT, timeout=5)
            assert answer.status_code == 423

        @pytest.mark.trakt_cassette({str(CASSETTE)!r})
        def test_unplayed(trakt_cassette):
            pass
    """,
    )
    assert result.returncode == 1, result.stdout
    assert "2 passed, 1 error" in result.stdout  # the unplayed test passes, its teardown errors
    assert "cassette locked_account_423.cassette.yaml: 1 interaction(s) never played" in result.stdout


def test_trakt_replay_server_fails_the_test_on_unmatched_requests(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        f"""
        import pytest, requests

        TRAKT = {{"Authorization": "Bearer t", "trakt-api-key": "k", "trakt-api-version": "2"}}

        @pytest.mark.trakt_cassette({str(CASSETTE)!r})
        def test_extra_request(trakt_replay_server):
            requests.get(trakt_replay_server.url + "/sync/last_activities", headers=TRAKT, timeout=5)
            requests.get(trakt_replay_server.url + "/sync/playback", headers=TRAKT, timeout=5)
    """,
    )
    assert result.returncode == 1, result.stdout
    assert "1 unmatched request(s); the first in full:" in result.stdout


def test_fixture_without_marker_is_a_usage_error(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        """
        def test_no_marker(trakt_sim):
            pass
    """,
    )
    assert result.returncode != 0
    assert "trakt_sim needs @pytest.mark.trakt_scenario(path) on the test" in result.stdout + result.stderr
