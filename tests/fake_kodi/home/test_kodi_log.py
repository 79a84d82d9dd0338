"""KodiLog: kodi.log lines in Kodi 20's format (KODI_BEHAVIOUR.md section 5)."""

from __future__ import annotations

import datetime
import multiprocessing
import re

import pytest

from fake_kodi.home.kodi_log import LOGDEBUG, LOGERROR, LOGFATAL, LOGINFO, LOGNONE, LOGWARNING, KodiLog

FIXED = datetime.datetime(2026, 11, 25, 13, 31, 5, 804000).timestamp()
LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} T:\d+ +\w+ <general>: .*$")


def fixed_log(path, **kwargs):
    return KodiLog(path, clock=lambda: FIXED, thread_id=lambda: 30072, **kwargs)


def test_line_has_kodi_format(tmp_path):
    log = fixed_log(tmp_path / "kodi.log")
    log.write("msg", LOGINFO)
    assert (tmp_path / "kodi.log").read_text() == "2026-11-25 13:31:05.804 T:30072    info <general>: msg\n"


@pytest.mark.parametrize(
    ("level", "name"),
    [
        (LOGDEBUG, "  debug"),
        (LOGINFO, "   info"),
        (LOGWARNING, "warning"),
        (LOGERROR, "  error"),
        (LOGFATAL, "critical"),
        (LOGNONE, "    off"),
    ],
)
def test_level_names_are_right_aligned_in_seven(tmp_path, level, name):
    line = fixed_log(tmp_path / "kodi.log", min_level=LOGDEBUG).write("m", level)
    assert line == f"2026-11-25 13:31:05.804 T:30072 {name} <general>: m\n"


def test_debug_is_not_written_at_default_level(tmp_path):
    log = fixed_log(tmp_path / "kodi.log")
    assert log.write("hidden", LOGDEBUG) is None
    assert not (tmp_path / "kodi.log").exists()


def test_lognone_is_still_written(tmp_path):
    log = fixed_log(tmp_path / "kodi.log", min_level=LOGNONE)
    assert log.write("always", LOGNONE).endswith("    off <general>: always\n")


def test_newline_continues_indented_by_51_spaces(tmp_path):
    line = fixed_log(tmp_path / "kodi.log").write("one\ntwo", LOGINFO)
    first, second = line.rstrip("\n").split("\n")
    assert second == " " * 51 + "two"
    assert first.index("one") == 51


def test_exception_block_names_type_and_traceback(tmp_path):
    log = fixed_log(tmp_path / "kodi.log")
    tb = 'Traceback (most recent call last):\n  File "main.py", line 1, in <module>\nValueError: boom\n'
    log.exception(tb)
    text = (tmp_path / "kodi.log").read_text()
    assert text.startswith(
        "2026-11-25 13:31:05.804 T:30072   error <general>: EXCEPTION Thrown (PythonToCppException) : "
        "-->Python callback/script returned the following error<--\n"
    )
    indent = " " * 51
    assert f"\n{indent}Error Type: <class 'ValueError'>\n{indent}Error Contents: boom\n" in text
    assert text.endswith(f"{indent}ValueError: boom\n{indent}-->End of Python script error report<--\n")


def _write_many(path, worker, count):
    log = KodiLog(path)
    for i in range(count):
        log.write(f"worker {worker} line {i} " + "x" * 300, LOGINFO)


def test_appends_from_processes_never_interleave(tmp_path):
    path = tmp_path / "kodi.log"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(path, w, 150)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    lines = path.read_text().splitlines()
    assert len(lines) == 600
    assert all(LINE_RE.match(line) and line.endswith("x" * 300) for line in lines)
