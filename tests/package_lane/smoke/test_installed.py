"""Smoke suite of the package lane: the harness installed from its wheel, used from outside the checkout.

Run by tests/package_lane/lane.py with the fresh virtualenv's pytest, CI set, the add-on project
copied next to this file (PACKAGE_LANE_PROJECT). Every command is the installed console script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(os.environ.get("PACKAGE_LANE_PROJECT", "project"))
CHECKOUT = Path(os.environ.get("PACKAGE_LANE_CHECKOUT", "/nonexistent"))
SCENARIO = PROJECT / "tests" / "scenarios" / "account.yaml"
SHELF, MIRROR = "plugin.video.traktshelf", "service.trakt.historymirror"
CREDENTIALS = ["--setting", "trakt_client_id={client_id}", "--setting", "trakt_access_token={access_token}"]
BIN = Path(sys.executable).parent


def command(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from fake_kodi.host.addon_folder import build_addon_zip

    folder = tmp_path_factory.mktemp("zips")
    return {addon_id: build_addon_zip(PROJECT / "addons" / addon_id, folder) for addon_id in (SHELF, MIRROR)}


def test_the_harness_comes_from_site_packages_not_the_checkout() -> None:
    import fake_kodi
    import trakt_cassettes

    for package in (fake_kodi, trakt_cassettes):
        assert "site-packages" in Path(package.__file__).parts, package.__file__
    assert not [entry for entry in sys.path if entry and Path(entry).resolve() == CHECKOUT]
    assert not (Path(fake_kodi.__file__).parents[1] / "reference_addon").exists()


@pytest.mark.parametrize(
    "args",
    [("fake-kodi", "--help"), ("trakt-cassettes", "--help"), ("trakt-cassettes", "record", "--help"),
     ("trakt-cassettes", "replay", "--help"), ("fake-kodi", "run", "--help")],
)  # fmt: skip
def test_the_commands_answer_help(args: tuple[str, ...]) -> None:
    done = command(*args)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("usage: ")


def test_record_then_replay_a_plugin_zip(zips: dict[str, Path], tmp_path: Path) -> None:
    cassette = tmp_path / "shelf.cassette.yaml"
    recorded = command("trakt-cassettes", "record", str(SCENARIO), "-o", str(cassette), "--addon", str(zips[SHELF]),
                       "--url", f"plugin://{SHELF}/?action=watchlist", "--url", f"plugin://{SHELF}/?action=watched",
                       *CREDENTIALS)  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    assert recorded.stdout.startswith("recorded 2 interaction(s), ")
    replayed = command("trakt-cassettes", "replay", str(cassette), "--addon", str(zips[SHELF]))
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "      +0s 2026-11-01T12:00:00Z  GET /sync/watched/movies  200" in replayed.stdout.splitlines()
    assert command("trakt-cassettes", "lint", str(cassette)).returncode == 0


def test_record_then_replay_a_service_zip_with_its_database(zips: dict[str, Path], tmp_path: Path) -> None:
    cassette = tmp_path / "mirror.cassette.yaml"
    recorded = command("trakt-cassettes", "record", str(SCENARIO), "-o", str(cassette), "--addon", str(zips[MIRROR]),
                       "--service", "600", *CREDENTIALS)  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    replayed = command(
        "trakt-cassettes", "replay", str(cassette), "--addon", str(zips[MIRROR]), "--db", "mirror.db"
    )
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert replayed.stdout.splitlines()[-1] == "final state: activity 2, episodes 4, movies 1"


def test_the_projects_tests_replay_their_committed_cassettes_with_the_network_blocked(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    before = {path.name: path.read_bytes() for path in (project / "tests" / "cassettes").iterdir()}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA"], cwd=project, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "CI": "1"})  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "6 passed" in done.stdout
    # CI replays only: not one cassette was written.
    assert {path.name: path.read_bytes() for path in (project / "tests" / "cassettes").iterdir()} == before


def test_replay_shows_the_request_an_addon_change_broke(tmp_path: Path) -> None:
    from fake_kodi.host.addon_folder import build_addon_zip

    changed = tmp_path / SHELF
    shutil.copytree(PROJECT / "addons" / SHELF, changed)
    client = changed / "resources" / "lib" / "traktshelf" / "trakt.py"
    client.write_text(client.read_text().replace('"limit": 100', '"limit": 50'))  # the change under debugging
    zipped = build_addon_zip(changed, tmp_path / "dist")
    cassette = PROJECT / "tests" / "cassettes" / "shelf_watchlist.cassette.yaml"
    done = command("trakt-cassettes", "replay", str(cassette), "--addon", str(zipped))
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "      +0s 2026-11-01T12:00:00Z  GET /sync/watchlist/movies/rank/asc?page=1&limit=50  501  UNMATCHED"
        in lines
    )
    assert lines[-2:] == [
        "unplayed interactions: 1",
        "  #0 GET https://api.trakt.tv/sync/watchlist/movies/rank/asc?page=1&limit=100",
    ]
