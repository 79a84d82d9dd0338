"""Make a fresh interpreter Kodi's for one add-on: its Session, sys.path, argv, stdio and time.

Shared by the three modes the bootstrap runs (bootstrap.py: a plugin call; service_mode.py; call_mode.py):
build_runtime creates and activates the Runtime, enter_addon lays out sys.path as Kodi does (the
fake xbmc* modules of kodi_api/ first, then the entry script's folder, the declared dependencies'
lib folders and the standard library: addon_import_path), run_script runs the add-on's entry
script as __main__, and error_dict/write_json report back to the test side.
"""

from __future__ import annotations

import io
import json
import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

from fake_kodi.addon_side import session as session_module
from fake_kodi.addon_side.dialogs import DialogScript, to_answers
from fake_kodi.addon_side.runtime import Runtime, TimeSource
from fake_kodi.home.clock import RealClock, VirtualClock, clock_path, patch_time_module
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.home.kodi_log import LOGDEBUG, LOGERROR

KODI_API_DIR = str(Path(__file__).resolve().parent / "kodi_api")
# The folder fake_kodi was imported from. Outside site-packages (a source checkout) it is left
# off the add-on's sys.path, so the add-on cannot import the harness's other top-level folders;
# fake_kodi's own lazy imports still work through the package's __path__.
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
HIDDEN_PATHS = {"", os.getcwd(), KODI_API_DIR}
if not PACKAGE_PARENT.endswith(("site-packages", "dist-packages")):
    HIDDEN_PATHS.add(PACKAGE_PARENT)
# Frames of these files start every traceback of an add-on error; Kodi's would start at the add-on.
_OWN_FILES = (
    os.sep + os.path.join("fake_kodi", "addon_side", "bootstrap.py"),
    os.sep + os.path.join("fake_kodi", "addon_side", "interpreter.py"),
    os.sep + "runpy.py",
    "<frozen runpy>",
)


class LogStream(io.TextIOBase):
    """sys.stdout/sys.stderr of an add-on: Kodi sends print() to debug and stderr to error."""

    def __init__(self, runtime: Runtime, level: int):
        self.runtime = runtime
        self.level = level
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            self.runtime.log(line, self.level)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.runtime.log(self._pending, self.level)
            self._pending = ""


def make_clock(spec: dict[str, Any], home: KodiHome, persist: bool) -> Any:
    """The clock the spec asks for; a virtual one reads `<home>/.fake_kodi/clock.json`."""
    if spec.get("clock") == "virtual":
        return VirtualClock(clock_path(home.state_dir), persist=persist)
    return RealClock()


def build_runtime(spec: dict[str, Any], home: KodiHome, time_source: TimeSource) -> Runtime:
    """The Session for this interpreter, made current."""
    runtime = Runtime(
        home,
        spec["addon_id"],
        mode=spec["mode"],
        time_source=time_source,
        handle=int(spec.get("handle", -1)),
        kodi_version=int(spec.get("kodi_version", 20)),
        dialogs=DialogScript(to_answers(spec.get("answers", [])), strict=bool(spec.get("strict", True))),
        debug_log=bool(spec.get("debug_log", False)),
    )
    session_module.activate(runtime)
    # Before any add-on code: its imports may already open connections.
    from fake_kodi.addon_side.network_guard import install_network_guard

    install_network_guard(home.state_dir, spec["addon_id"], spec["mode"])
    return runtime


def _is_site_dir(path: str) -> bool:
    parts = os.path.normpath(path).split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts


def standard_library_paths(paths: list[str]) -> list[str]:
    """The entries of `paths` that hold Python's standard library (its zip, lib-dynload included)."""
    roots = {
        os.path.normpath(p) for p in (sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")) if p
    }
    base = os.path.normpath(sys.base_prefix)
    kept = []
    for path in paths:
        if not path or _is_site_dir(path):
            continue
        norm = os.path.normpath(path)
        in_stdlib = any(norm == root or norm.startswith(root + os.sep) for root in roots)
        if in_stdlib or (norm.endswith(".zip") and norm.startswith(base + os.sep)):
            kept.append(path)
    return kept


def _hide_harness_finders(system_packages: bool) -> None:
    """Drop editable-install finders from sys.meta_path: they import by name, whatever sys.path says.

    A `pip install -e` of the harness maps fake_kodi, trakt_cassettes, ... to the checkout; the add-on
    must not reach those. fake_kodi itself stays usable: it is imported already and its submodules
    load through the package's own __path__. With system packages on, other editable installs stay.
    """
    for finder in list(sys.meta_path):
        # setuptools installs the finder class itself, not an instance.
        module = finder.__module__ if isinstance(finder, type) else type(finder).__module__
        if not module.startswith("__editable__"):
            continue
        try:
            ours = finder.find_spec("fake_kodi", None) is not None  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - a foreign finder that fails to answer is not ours
            ours = False
        if ours or not system_packages:
            sys.meta_path.remove(finder)


def addon_import_path(
    runtime: Runtime, own: str, extra_paths: tuple[str, ...] = (), base: list[str] | None = None
) -> list[str]:
    """The add-on's sys.path: fake xbmc* modules, its folder, extras, dependency libs, standard library.

    Nothing of the test's virtualenv is importable, as in Kodi on Android, Windows, macOS and
    LibreELEC; with the home's `system_packages` option (FAKE_KODI_SYSTEM_PACKAGES=1) the
    interpreter's site-packages follow, as Debian's Kodi has /usr/lib/python3/dist-packages.
    """
    from fake_kodi.home.addons import python_paths
    from fake_kodi.home.options import system_packages

    base = list(sys.path) if base is None else base
    # `python -m` put the cwd first; PYTHONPATH brought the harness checkout: neither is the add-on's.
    candidates = [p for p in base if p not in HIDDEN_PATHS]
    layout = [*standard_library_paths(candidates)]
    with_site = system_packages(runtime.home.state_dir)
    if with_site:
        layout += [p for p in candidates if _is_site_dir(p)]
    _hide_harness_finders(with_site)
    deps = python_paths(runtime.home, runtime.manifest)
    return list(dict.fromkeys([KODI_API_DIR, own, *extra_paths, *deps, *layout]))


def enter_addon(
    runtime: Runtime,
    virtual_time: bool,
    argv: list[str],
    extra_paths: tuple[str, ...] = (),
    script: Path | None = None,
) -> None:
    """Make this interpreter look like Kodi's for the add-on: sys.path, argv, stdio, time.

    With an entry `script`, its folder is on sys.path in place of the add-on root, as in Kodi, so an
    entry script in resources/lib/ imports its siblings; without one (call mode) the root is. Real
    Kodi 20.1 puts that folder after the standard library and dist-packages; here it comes first
    (README: "Where fake_kodi deliberately differs").
    """
    from fake_kodi.addon_side.python_version import emulate_standard_library

    own = str(script.parent) if script is not None else str(runtime.manifest.path)
    sys.path[:] = addon_import_path(runtime, own, extra_paths)
    sys.path_importer_cache.clear()
    sys.argv[:] = argv
    sys.stdout = LogStream(runtime, LOGDEBUG)
    sys.stderr = LogStream(runtime, LOGERROR)
    # Kodi writes bytecode caches beside the add-on's modules (and its dependencies'), as any Python does.
    sys.dont_write_bytecode = False
    emulate_standard_library(runtime.kodi_version)
    if virtual_time:
        time_source = runtime.time
        patch_time_module(time_source.now, lambda seconds: time_source.wait(seconds, abortable=False))


def addon_traceback(exc: BaseException) -> str:
    """The traceback as Kodi shows it: starting at the add-on's frames, not ours."""
    import traceback

    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.endswith(_OWN_FILES):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def error_dict(exc: BaseException) -> dict[str, str]:
    """{type, message, traceback} of an exception, JSON-ready."""
    return {"type": type(exc).__name__, "message": str(exc), "traceback": addon_traceback(exc)}


def system_exit_chunks(exc: SystemExit) -> list[str]:
    """The pieces Kodi 20's Python writes to its stderr for a SystemExit, one kodi.log entry each.

    Measured in Kodi 20.1: the traceback comes in the writes Python's own printer makes, and Kodi's
    stderr logs every write as an entry at error level ("    " before a frame's source line, then the
    line, then "\n"; "SystemExit", ": ", the code's text even when empty, "\n"). Kodi 20.1 prints no
    `^^^` markers under the line for these calls; the fake prints none at all.
    """
    import traceback

    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.endswith(_OWN_FILES):
        tb = tb.tb_next
    chunks = ["Traceback (most recent call last):\n"]
    for frame in traceback.extract_tb(tb):
        chunks.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
        if frame.line:
            chunks += ["    ", frame.line.strip(), "\n"]
    return [*chunks, type(exc).__name__, ": ", str(exc), "\n"]


def log_system_exit(runtime: Runtime, script: Path, exc: SystemExit) -> None:
    """Log a sys.exit() of the entry script as Kodi does: `script aborted` (debug), then Kodi 20's traceback.

    Kodi 20.1 follows the debug line with the traceback at error level; Kodi 21.2 logs only the debug line.
    Kodi numbers the invoker by every script it ran since start; the fake, which runs one per interpreter,
    writes the plugin handle's predecessor, which is Kodi's number when no other script ran.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, LogStream):
            stream.flush()
    invoker = max(runtime.handle - 1, 0)
    runtime.log(f"CPythonInvoker({invoker}, {script}): script aborted", LOGDEBUG)
    if runtime.kodi_version < 21:
        for chunk in system_exit_chunks(exc):
            runtime.log(chunk, LOGERROR)


def run_script(runtime: Runtime, script: Path) -> dict[str, str] | None:
    """Run the add-on's entry script as __main__; log an uncaught exception as Kodi does.

    Not runpy.run_path: it sets sys.argv[0] to the script's file path while the script runs, and
    Kodi's sys.argv[0] is the plugin URL, from which routing libraries build every item URL.
    """
    import builtins
    import types

    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    main.__builtins__ = builtins
    # The script's module stays __main__ after it returns: threads it started may still use it.
    sys.modules["__main__"] = main
    try:
        # compile() on bytes honours a PEP 263 coding line, as running the file would.
        exec(compile(script.read_bytes(), str(script), "exec"), main.__dict__)
    except SystemExit as exc:
        # Kodi ends the script without an error, whatever the code: what it listed stands (KODI_BEHAVIOUR.md).
        log_system_exit(runtime, script, exc)
    except BaseException as exc:  # noqa: BLE001 - everything the add-on raises is reported
        error = error_dict(exc)
        runtime.log_exception(error["traceback"])
        return error
    finally:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, LogStream):
                stream.flush()
    return None


def write_json(path: str, payload: dict[str, Any]) -> None:
    """Write the result for the parent (repr() for anything an add-on put there that JSON cannot hold)."""
    Path(path).write_text(json.dumps(payload, default=repr), encoding="utf-8")
