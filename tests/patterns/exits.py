"""Pattern (i), sys.exit() in a plugin: what Kodi logged for each exit, as a comparable view of kodi.log.

Measured in real Kodi 20.1 and 21.2 (tests/real_kodi/test_patterns_real.py checks it on every lane run): every
exit (sys.exit(), sys.exit(0), sys.exit(1), sys.exit("text")) ends the script without an error. Kodi logs
`CPythonInvoker(N, script): script aborted` at debug level; Kodi 20.1 then logs Python's traceback ending in
SystemExit at error level, one entry per write Python's printer makes; Kodi 21.2 logs nothing more. What the
script listed before its endOfDirectory stands; without one, Kodi's GetDirectory fails.
"""

from __future__ import annotations

import re

from fake_kodi.real.logs import LINE_PREFIX

EXIT_ID = "plugin.video.fkexit"
# Routes that exit before their endOfDirectory: real Kodi's Files.GetDirectory fails, the fake says no_response.
EXIT_BEFORE_ROUTES = tuple(f"plugin://{EXIT_ID}/?before={code}" for code in ("none", "0", "1", "text"))
# The text Python prints after "SystemExit: " per CODE of a route (the root exits with sys.exit()).
EXIT_TEXTS = {"none": "", "0": "0", "1": "1", "text": "leaving early"}


def exit_text(url: str) -> str:
    """What follows "SystemExit: " for a route of the exit pattern."""
    return EXIT_TEXTS[url.rsplit("=", 1)[1]] if "=" in url else ""


_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} T:(\d+)\s+(\w+) <\w+>: ?(.*)$")
_INVOKER = re.compile(r"CPythonInvoker\(\d+, (.*)\): script aborted$")
_FILE = re.compile(r'File "[^"]*/main\.py"')


def expected_exit_log(url: str, version: int) -> list[str]:
    """The exit's kodi.log entries (level, message), paths as `main.py`, for `url` in Kodi `version`."""
    entries = ["debug CPythonInvoker(N, main.py): script aborted"]
    if version >= 21:
        return entries
    source = "sys.exit()" if url == f"plugin://{EXIT_ID}/" else "sys.exit(*EXITS[code])"
    line = 36 if url == f"plugin://{EXIT_ID}/" else 30
    messages = [
        "Traceback (most recent call last):",
        f'  File "main.py", line {line}, in <module>',
        "    ",
        source,
        "",
        "SystemExit",
        ": ",
        exit_text(url),
        "",
    ]
    return entries + [f"error {message}" for message in messages]


def exit_log_view(log_text: str) -> list[str]:
    """From kodi.log text: the `script aborted` entry and the error entries its thread wrote after it.

    Continuation lines (Kodi indents what follows a newline in a message) are dropped, so a message that
    ended in a newline compares as its text; the script's folder is cut to `main.py`.
    """
    view: list[str] = []
    thread = None
    for raw in log_text.splitlines():
        if not LINE_PREFIX.match(raw):
            continue
        match = _ENTRY.match(raw)
        if match is None:
            continue
        thread_id, level, message = match.groups()
        invoker = _INVOKER.search(message)
        if invoker is not None:
            thread = thread_id
            view.append(f"{level} CPythonInvoker(N, {invoker.group(1).rsplit('/', 1)[-1]}): script aborted")
        elif thread_id == thread and level == "error":
            view.append("error " + _FILE.sub('File "main.py"', message))
    return view
