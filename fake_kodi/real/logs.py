"""Reading kodi.log: Python tracebacks, services Kodi had to kill, and a tail for failure messages."""

from __future__ import annotations

import re

ERROR_REPORT_START = "-->Python callback/script returned the following error<--"
ERROR_REPORT_END = "-->End of Python script error report<--"
TRACEBACK_START = "Traceback (most recent call last):"
DIDNT_STOP = re.compile(r"CPythonInvoker\([^)]*\): script didn't stop in \d+ seconds")
# Kodi's line prefix: "2026-11-25 13:31:05.804 T:30072    error <general>: "
LINE_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} T:\d+\s+\w+ <\w+>: ?")
_THREAD = re.compile(r" T:(\d+) ")
SCRIPT_ABORTED = re.compile(r"CPythonInvoker\([^)]*\): script aborted$")


def python_tracebacks(log_text: str) -> list[str]:
    """Return each Python error report (or bare traceback) in a kodi.log text, oldest first."""
    reports: list[str] = []
    lines = log_text.splitlines()
    # Threads whose script ended in sys.exit(): Kodi 20 prints that SystemExit as a traceback, but it is no error
    # (the listing stands, no error report), so the traceback that follows in the same thread is skipped.
    exited: set[str] = set()
    index = 0
    while index < len(lines):
        line = lines[index]
        thread = _THREAD.search(line)
        if thread is not None and SCRIPT_ABORTED.search(line):
            exited.add(thread.group(1))
        elif thread is not None and thread.group(1) in exited and TRACEBACK_START in line:
            exited.discard(thread.group(1))
            index += 1
            continue
        if ERROR_REPORT_START in line:
            end = index
            while end < len(lines) and ERROR_REPORT_END not in lines[end]:
                end += 1
            reports.append("\n".join(lines[index : end + 1]))
            index = end + 1
            continue
        if TRACEBACK_START in line:
            # A traceback printed outside Kodi's error report (e.g. traceback.print_exc to stderr).
            end = index + 1
            while end < len(lines) and not LINE_PREFIX.match(lines[end]):
                end += 1
            reports.append("\n".join(lines[index:end]))
            index = end
            continue
        index += 1
    return reports


def killed_scripts(log_text: str) -> list[str]:
    """Return the log lines where Kodi gave up waiting for a script on quit ("didn't stop in 5 seconds")."""
    return [line for line in log_text.splitlines() if DIDNT_STOP.search(line)]


def log_tail(log_text: str, lines: int = 40) -> str:
    """Return the last lines of a log, for failure messages."""
    return "\n".join(log_text.splitlines()[-lines:])


_INVOKER_START = re.compile(r"CPythonInvoker\((\d+), ([^)]*)\): start processing")


def finished_plugin_run(log_text: str, addon_id: str, query: str) -> bool:
    """Tell whether the add-on's script ran with this query string and ended, according to a debug log text."""
    for match in _INVOKER_START.finditer(log_text):
        invoker, script = match.group(1), match.group(2)
        if f"/{addon_id}/" not in script:
            continue
        after = log_text[match.end() :]
        args = re.findall(rf"CPythonInvoker\({invoker}\):  (.*)", after)
        if query and f"?{query}" not in args:
            continue
        if f"onExecutionDone({invoker}," in after:
            return True
    return False
