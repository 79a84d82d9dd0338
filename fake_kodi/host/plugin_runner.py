"""Run one plugin:// call in a fresh interpreter, as Kodi does, and turn it into a PluginResult."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fake_kodi.addon_side.dialogs import Answer, to_answers
from fake_kodi.addon_side.session import FakeKodiError
from fake_kodi.home.clock import clock_path
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.host import zygote
from fake_kodi.host.results import PluginResult

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
DEFAULT_TIMEOUT = 120.0
MAX_RUN_PLUGIN_DEPTH = 3


class PluginCallError(FakeKodiError):
    """The call could not start (bad URL, add-on not installed) or the child died."""


def parse_plugin_url(url: str) -> tuple[str, str, str]:
    """Split a plugin:// URL into (addon id, Kodi's argv[0] base, argv[2] query)."""
    parts = urlsplit(url)
    if parts.scheme != "plugin" or not parts.netloc:
        raise PluginCallError(f"not a plugin:// URL: {url!r}")
    # Kodi's argv[0] keeps the path as written (`plugin://id/pod-0`); only an empty one becomes '/'.
    path = parts.path or "/"
    # Kodi keeps the query percent-encoded, with its '?'.
    return parts.netloc, f"plugin://{parts.netloc}{path}", f"?{parts.query}" if parts.query else ""


def plugin_argv(url: str, handle: int) -> list[str]:
    """sys.argv exactly as Kodi gives it to a plugin call."""
    _addon_id, base, query = parse_plugin_url(url)
    return [base, str(handle), query, "resume:false"]


def child_command() -> list[str]:
    """The command line of a fresh add-on interpreter (spec on stdin)."""
    return [sys.executable, "-m", "fake_kodi.addon_side.bootstrap", "-"]


def child_env() -> dict[str, str]:
    """The environment of a child: Kodi's Python settings, fake_kodi importable even when it is not installed.

    Kodi 20.1 and 21.2 run add-ons with PYTHONOPTIMIZE=1 in their environment (optimised: asserts
    stripped) and write bytecode caches into the add-on's folder (tests/real_kodi/test_kodi_versions.py
    PYTHON_FLAGS). PYTHONDONTWRITEBYTECODE is the harness's own setting (tox sets it to keep the
    checkout clean), not one an add-on ever sees in Kodi, so it is left out.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONOPTIMIZE"] = "1"
    paths = [PACKAGE_PARENT, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def clock_mode(home: KodiHome) -> str:
    """'virtual' once the home has a virtual clock file, else 'real'."""
    return "virtual" if clock_path(home.state_dir).exists() else "real"


def installed_manifest(home: KodiHome, addon_id: str) -> Any:
    """The manifest of an installed add-on; PluginCallError when it is not installed."""
    from fake_kodi.home.addons import load_installed

    manifest = load_installed(home).get(addon_id)
    if manifest is None:
        raise PluginCallError(f"add-on {addon_id} is not installed in {home.root}")
    if not manifest.enabled:
        # Kodi finds add-ons unpacked by hand but keeps them disabled until enabled.
        raise PluginCallError(
            f"add-on {addon_id} is installed but disabled (install it with fake-kodi install)"
        )
    return manifest


def run_child(spec: dict[str, Any], home: KodiHome, timeout: float) -> dict[str, Any]:
    """Run a child interpreter on `spec`; returns the JSON it wrote to its result file.

    Forked from a zygote (fake_kodi/host/zygote.py) unless FAKE_KODI_ZYGOTE=0 or without os.fork;
    the add-on sees a fresh interpreter either way.
    """
    results = home.state_dir / "results"
    results.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    result_path = results / f"{name}.json"
    spec = {**spec, "result_path": str(result_path)}
    env = child_env()
    try:
        returncode, stderr = _run_interpreter(spec, env, timeout, results / f"{name}.stderr")
    except TimeoutError:
        result_path.unlink(missing_ok=True)
        raise PluginCallError(f"the add-on interpreter did not finish within {timeout:g} s") from None
    try:
        return json.loads(result_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        tail = stderr.strip().splitlines()[-1:] or [f"exit code {returncode}"]
        raise PluginCallError(f"the add-on interpreter died before reporting: {tail[0]}") from None
    finally:
        result_path.unlink(missing_ok=True)


def _run_interpreter(
    spec: dict[str, Any], env: dict[str, str], timeout: float, stderr_path: Path
) -> tuple[int, str]:
    """(returncode, stderr) of one child interpreter; TimeoutError when it was killed for its timeout."""
    zygote.compile_runtime()
    if zygote.zygote_enabled(env):
        try:
            ended = zygote.POOL.run(spec, env, timeout, str(stderr_path))
        except zygote.ChildTimedOut:
            stderr_path.unlink(missing_ok=True)
            raise TimeoutError from None
        except zygote.ZygoteLost as exc:
            stderr_path.unlink(missing_ok=True)
            raise PluginCallError(f"the add-on interpreter was lost with its zygote: {exc}") from None
        except zygote.ZygoteUnavailable:
            pass  # nothing of the call ran: start it the plain way below
        else:
            try:
                return ended.returncode, stderr_path.read_text(encoding="utf-8", errors="replace")
            finally:
                stderr_path.unlink(missing_ok=True)
    try:
        proc = subprocess.run(
            child_command(),
            input=json.dumps(spec),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError from None
    return proc.returncode, proc.stderr or ""


def run_plugin(
    home: KodiHome | str | Path,
    url: str,
    answers: Iterable[str | Answer] = (),
    *,
    debug_log: bool = False,
    strict: bool = True,
    handle: int | None = None,
    follow_run_plugin: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> PluginResult:
    """Run `url` in a fresh interpreter; handle from the home's counter unless given (-1 for RunPlugin)."""
    home = home if isinstance(home, KodiHome) else KodiHome(home)
    addon_id, _base, _query = parse_plugin_url(url)
    manifest = installed_manifest(home, addon_id)
    if not manifest.plugin_library:
        raise PluginCallError(f"add-on {addon_id} is not a plugin (no xbmc.python.pluginsource)")
    if handle is None:
        from fake_kodi.home.shared_state import SharedState

        handle = SharedState(home).next_handle()
    spec = {
        "mode": "plugin",
        "home": str(home.root),
        "kodi_version": home.kodi_version,
        "addon_id": addon_id,
        "argv": plugin_argv(url, handle),
        "handle": handle,
        "answers": [str(answer) for answer in to_answers(answers)],
        "strict": strict,
        "debug_log": debug_log,
        "clock": clock_mode(home),
    }
    started = time.perf_counter()
    outcome = run_child(spec, home, timeout)
    result = plugin_result(url, outcome)
    result.duration_ms = (time.perf_counter() - started) * 1000.0
    if follow_run_plugin:
        result.followups = _follow(home, result, debug_log=debug_log, timeout=timeout, depth=1)
    return result


def _follow(
    home: KodiHome, result: PluginResult, *, debug_log: bool, timeout: float, depth: int
) -> list[PluginResult]:
    """Run the RunPlugin(...) URLs a call issued, with handle -1, after it ended (as Kodi does)."""
    followups = []
    for url in result.run_plugin_urls:
        child = run_plugin(home, url, debug_log=debug_log, handle=-1, timeout=timeout)
        if depth < MAX_RUN_PLUGIN_DEPTH:
            child.followups = _follow(home, child, debug_log=debug_log, timeout=timeout, depth=depth + 1)
        followups.append(child)
    return followups


def plugin_result(url: str, outcome: dict[str, Any]) -> PluginResult:
    """Fold the child's records into a PluginResult and decide its status."""
    result = PluginResult(
        status="no_response",
        url=url,
        argv=outcome.get("argv", []),
        handle=int(outcome.get("handle", -1)),
        log=outcome.get("log", []),
        dialogs=outcome.get("dialogs", []),
        error=outcome.get("error"),
        unused_answers=outcome.get("unused_answers", []),
    )
    first_answer = None
    for kind, payload in outcome.get("records", []):
        if kind == "item":
            result.items.append(payload)
        elif kind == "end_of_directory" and result.end_of_directory is None:
            result.end_of_directory = payload
            first_answer = first_answer or kind
        elif kind == "resolved" and result.resolved is None:
            result.resolved = payload
            first_answer = first_answer or kind
        elif kind == "content":
            result.content = payload.get("content")
        elif kind == "sort_method":
            result.sort_methods.append(payload)
        elif kind == "category":
            result.category = payload.get("category")
        elif kind == "plugin_fanart":
            result.plugin_fanart = payload
        elif kind == "plugin_property":
            result.plugin_properties[str(payload.get("key"))] = str(payload.get("value"))
        elif kind == "notification":
            result.notifications.append(payload)
        elif kind == "builtin":
            result.builtins.append(payload)
        elif kind == "jsonrpc":
            result.jsonrpc.append(payload)
    result.status = _status(result, first_answer)
    return result


def _status(result: PluginResult, first_answer: str | None) -> str:
    if result.error is not None:
        return "exception"
    if first_answer == "end_of_directory" and result.end_of_directory.get("succeeded", True):
        return "directory"
    if first_answer == "resolved" and result.resolved.get("succeeded", True):
        return "resolved"
    # Neither, endOfDirectory(succeeded=False) or setResolvedUrl(succeeded=False): Kodi reports failure.
    return "no_response"
