"""The add-on's problems as a replay step shows them: warning and error entries of a real kodi.log."""

from __future__ import annotations

from pathlib import Path

from fake_kodi.home.kodi_log import LOGDEBUG, LOGERROR, LOGINFO, LOGWARNING, KodiLog
from trakt_cassettes.addon_watch import MAX_LOG_LINES, problem_lines


def written(tmp_path: Path, *entries: tuple[str, int]) -> str:
    log = KodiLog(tmp_path / "kodi.log", min_level=LOGDEBUG, clock=lambda: 1793534400.0, thread_id=lambda: 7)
    for message, level in entries:
        log.write(message, level)
    return (tmp_path / "kodi.log").read_text(encoding="utf-8")


def test_warnings_and_errors_are_kept_and_the_rest_is_not(tmp_path: Path) -> None:
    text = written(tmp_path, ("sync started", LOGINFO), ("Error in sync:\nsecond line", LOGERROR),
                   ("detail", LOGDEBUG), ("throttled", LOGWARNING))  # fmt: skip
    assert problem_lines(text) == ["error: Error in sync:", "warning: throttled"]


def test_an_uncaught_exception_shows_its_type_and_contents(tmp_path: Path) -> None:
    log = KodiLog(tmp_path / "kodi.log", clock=lambda: 1793534400.0, thread_id=lambda: 7)
    log.exception("Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'seasons'")
    text = (tmp_path / "kodi.log").read_text(encoding="utf-8")
    assert problem_lines(text) == ["error: uncaught exception KeyError: 'seasons'"]


def test_a_step_that_logs_a_flood_shows_the_first_ones_and_how_many_more(tmp_path: Path) -> None:
    text = written(tmp_path, *[(f"retry {n}", LOGWARNING) for n in range(MAX_LOG_LINES + 5)])
    lines = problem_lines(text)
    assert lines[0] == "warning: retry 0"
    assert lines[MAX_LOG_LINES - 1] == f"warning: retry {MAX_LOG_LINES - 1}"
    assert lines[MAX_LOG_LINES:] == ["... 5 more warning(s) and error(s)"]
