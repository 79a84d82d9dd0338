"""Reading kodi.log: Python error reports, scripts killed on quit, finished RunPlugin invocations."""

from __future__ import annotations

from fake_kodi.real.logs import finished_plugin_run, killed_scripts, log_tail, python_tracebacks

PAD = " " * 51
ERROR_REPORT = f"""\
2026-11-25 13:59:53.452 T:15540    info <general>: before
2026-11-25 13:59:53.453 T:15540   error <general>: EXCEPTION Thrown (PythonToCppException) : -->Python callback/script returned the following error<--
{PAD}Error Type: <class 'ValueError'>
{PAD}Traceback (most recent call last):
{PAD}  File "/h/.kodi/addons/p/plugin.py", line 53, in fail
{PAD}ValueError: probe failure on purpose
{PAD}-->End of Python script error report<--
2026-11-25 13:59:53.460 T:15540    info <general>: after
"""

RUN_PLUGIN = """\
2026-11-25 13:57:25.219 T:13353   debug <general>: CPythonInvoker(2, /h/.kodi/addons/plugin.video.p/plugin.py): start processing
2026-11-25 13:57:25.236 T:13353   debug <general>: CPythonInvoker(2):  plugin://plugin.video.p/
2026-11-25 13:57:25.236 T:13353   debug <general>: CPythonInvoker(2):  -1
2026-11-25 13:57:25.236 T:13353   debug <general>: CPythonInvoker(2):  ?route=side_effect&x=1
"""
DONE = "2026-11-25 13:57:25.300 T:13353   debug <general>: onExecutionDone(2, /h/.kodi/addons/plugin.video.p/plugin.py)\n"


def test_error_report_is_found_whole() -> None:
    (report,) = python_tracebacks(ERROR_REPORT)
    assert report.splitlines()[0].endswith("-->Python callback/script returned the following error<--")
    assert "ValueError: probe failure on purpose" in report
    assert report.splitlines()[-1].strip() == "-->End of Python script error report<--"


def test_bare_traceback_ends_at_the_next_log_line() -> None:
    text = (
        "2026-11-25 13:59:53.453 T:1   error <general>: Traceback (most recent call last):\n"
        f'{PAD}  File "x.py", line 1\n{PAD}KeyError: 1\n'
        "2026-11-25 13:59:53.460 T:1    info <general>: next\n"
    )
    (report,) = python_tracebacks(text)
    assert report.endswith("KeyError: 1")


# Kodi 20.1's kodi.log for a plugin that called sys.exit(1) (tests/patterns/exits.py), then a traceback of
# another thread; the first is no error (the listing stood), the second is.
SYSTEM_EXIT = f"""\
2026-12-02 03:05:03.197 T:25280   debug <general>: CPythonInvoker(3, /h/main.py): script aborted
2026-12-02 03:05:03.197 T:25280   debug <general>: onExecutionDone(3, /h/main.py)
2026-12-02 03:05:03.197 T:25280   error <general>: Traceback (most recent call last):
{PAD}
2026-12-02 03:05:03.197 T:25280   error <general>:   File "/h/main.py", line 30, in <module>
{PAD}
2026-12-02 03:05:03.197 T:25280   error <general>: SystemExit
2026-12-02 03:05:03.197 T:25280   error <general>: :{" "}
2026-12-02 03:05:03.197 T:25280   error <general>: 1
2026-12-02 03:05:03.210 T:25300   error <general>: Traceback (most recent call last):
{PAD}KeyError: 2
"""


def test_sys_exit_traceback_is_no_error_but_the_next_one_is() -> None:
    (report,) = python_tracebacks(SYSTEM_EXIT)
    assert report.startswith("2026-12-02 03:05:03.210 T:25300") and report.endswith("KeyError: 2")
    # Without the `script aborted` line the same traceback is reported.
    assert len(python_tracebacks(SYSTEM_EXIT.split("\n", 1)[1])) == 2


def test_clean_log_has_no_tracebacks() -> None:
    assert python_tracebacks("2026-11-25 13:59:53.452 T:1    info <general>: all good\n") == []


def test_service_killed_on_quit_is_reported() -> None:
    line = (
        "2026-11-25 13:59:59.000 T:1 warning <general>: CPythonInvoker(1, /h/service.py): "
        "script didn't stop in 5 seconds - let's kill it"
    )
    assert killed_scripts(f"first\n{line}\nlast\n") == [line]


def test_plugin_run_is_finished_once_its_invoker_is_done() -> None:
    assert not finished_plugin_run(RUN_PLUGIN, "plugin.video.p", "route=side_effect&x=1")
    assert finished_plugin_run(RUN_PLUGIN + DONE, "plugin.video.p", "route=side_effect&x=1")


def test_plugin_run_with_another_query_does_not_count() -> None:
    assert not finished_plugin_run(RUN_PLUGIN + DONE, "plugin.video.p", "route=other")


def test_log_tail_keeps_the_last_lines() -> None:
    assert log_tail("a\nb\nc\n", lines=2) == "b\nc"
