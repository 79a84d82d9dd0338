"""Plugin calls forked from the zygote still get a fresh interpreter each (real processes, a small add-on).

Each test runs real calls through fake_kodi.host.zygote's pool; the "plain" runs switch it off with
FAKE_KODI_ZYGOTE=0 and start `python -m fake_kodi.addon_side.bootstrap -` as before, so what the
add-on sees can be compared side by side.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from fake_kodi.host import zygote
from fake_kodi.host.call import call_function
from fake_kodi.host.plugin_runner import PACKAGE_PARENT, PluginCallError, run_plugin
from fake_kodi.host.service_driver import ServiceProcess
from fake_kodi.kodi import Kodi

from ..conftest import write_addon_zip

# The zygote needs os.fork; the checks read processes' state from /proc (Linux, as CI).
pytestmark = pytest.mark.skipif(
    not (zygote.zygote_enabled({}) and os.path.isdir("/proc/self/fd")), reason="needs os.fork and /proc"
)

ID = "plugin.video.zygotest"
URL = f"plugin://{ID}/"

# The first lines run before anything else, so the sys.modules the add-on got is recorded untouched.
MAIN = '''
import sys
FIRST_MODULES = sorted(sys.modules)
import json
import os
from urllib.parse import parse_qsl

import xbmc
import xbmcaddon
import xbmcgui
import xbmcplugin

import state

HANDLE = int(sys.argv[1])
PARAMS = dict(parse_qsl(sys.argv[2][1:]))
ACTION = PARAMS.get("action", "")


def report(value):
    """One item whose label is the JSON of `value`."""
    xbmcplugin.addDirectoryItem(HANDLE, "", xbmcgui.ListItem(label=json.dumps(value)), False)
    xbmcplugin.endOfDirectory(HANDLE)


def note_pid():
    with open(os.environ["ZYGOTEST_PIDS"], "w") as pids:
        pids.write(json.dumps([os.getpid(), os.getppid()]))


if ACTION == "global":
    state.counter += 1
    report(state.counter)
elif ACTION == "imports":
    before = [name in sys.modules for name in ("sqlite3", "decimal", "helper")]
    import decimal
    import sqlite3

    import helper

    report(before)
elif ACTION == "interpreter":
    import random
    import signal
    import stat

    fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else []
    report({
        "argv": sys.argv,
        "orig_argv": sys.orig_argv,
        "path": sys.path,
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "umask": os.umask(0o022),
        "modules": FIRST_MODULES,
        "signals": {int(s): repr(signal.getsignal(s)) for s in signal.valid_signals()},
        "sigmask": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
        "fds": fds,
        "stdin_kind": stat.S_IFMT(os.fstat(0).st_mode),
        "stdin": sys.stdin.read(),
        "stdout": type(sys.stdout).__name__,
        "flags": repr(sys.flags),
        "executable": sys.executable,
        "main_file": sys.modules["__main__"].__file__,
        "dont_write_bytecode": sys.dont_write_bytecode,
        "random": random.random(),
        "pid": os.getpid(),
    })
elif ACTION == "clock":
    import time

    report(time.time())
elif ACTION == "hash":
    report(hash("zygotest"))
elif ACTION == "write":
    xbmcgui.Window(10000).setProperty("zygotest.prop", PARAMS["value"])
    xbmcaddon.Addon().setSetting("name", PARAMS["value"])
    report("written")
elif ACTION == "read":
    addon = xbmcaddon.Addon()
    report([xbmcgui.Window(10000).getProperty("zygotest.prop"), addon.getSetting("name")])
elif ACTION == "abort":
    os.abort()
elif ACTION == "segfault":
    import ctypes

    ctypes.string_at(0)
elif ACTION == "exit":
    sys.exit(3)
elif ACTION == "raise":
    raise RuntimeError("boom in the add-on")
elif ACTION == "hang":
    note_pid()
    import time

    time.sleep(60)
elif ACTION == "meet":
    # Arrive, then wait (up to 20 s) until PARAMS["n"] calls have arrived: they run at the same time.
    import time

    meet = os.environ["ZYGOTEST_MEET"]
    open(os.path.join(meet, str(os.getpid())), "w").close()
    deadline = time.monotonic() + 20
    while len(os.listdir(meet)) < int(PARAMS["n"]) and time.monotonic() < deadline:
        time.sleep(0.01)
    report([os.getpid(), os.getppid(), len(os.listdir(meet))])
elif ACTION == "nap":
    note_pid()
    import time

    time.sleep(float(PARAMS.get("seconds", "0.5")))
    report([os.getpid(), os.getppid()])
else:
    report("root")
'''

SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<settings version="1">
  <section id="{id}">
    <category id="general" label="General">
      <group id="1">
        <setting id="name" type="string" label="Name"><level>0</level><default>nobody</default></setting>
      </group>
    </category>
  </section>
</settings>
"""

# The service records what its interpreter looks like, then waits for abort like any service.
SERVICE = """
import sys
FIRST_MODULES = sorted(sys.modules)
import json
import os
import signal

import xbmc

fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else []
seen = {
    "path": sys.path,
    "argv": sys.argv,
    "orig_argv": sys.orig_argv,
    "environ": dict(os.environ),
    "cwd": os.getcwd(),
    "modules": FIRST_MODULES,
    "signals": {int(s): repr(signal.getsignal(s)) for s in signal.valid_signals()},
    "fds": fds,
    "fd_kinds": [os.path.isfile("/proc/self/fd/%d" % fd) for fd in (0, 1, 2)],
    "flags": repr(sys.flags),
    "pids": [os.getpid(), os.getppid()],
}
with open(os.environ["ZYGOTEST_SERVICE_OUT"], "w") as out:
    json.dump(seen, out)
monitor = xbmc.Monitor()
while not monitor.waitForAbort(60):
    pass
"""

ADDON_XML = """<?xml version="1.0" encoding="UTF-8"?>
<addon id="{id}" name="{id}" version="0.1.0" provider-name="tests">
    <requires><import addon="xbmc.python" version="3.0.1"/></requires>
    <extension point="xbmc.python.pluginsource" library="main.py"><provides>video</provides></extension>
    <extension point="xbmc.service" library="service.py"/>
</addon>
"""

FILES = {
    "addon.xml": ADDON_XML.format(id=ID),
    "service.py": SERVICE,
    "main.py": MAIN,
    "state.py": "counter = 0\n",
    "helper.py": "VALUE = 1\n",
    "resources/settings.xml": SETTINGS.format(id=ID),
    "resources/lib/calls.py": "import sys\n\n\ndef modules():\n    return sorted(sys.modules)\n",
}


@pytest.fixture
def zkodi(kodi: Kodi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Kodi:
    """The test add-on installed; the zygote on (whatever the environment said)."""
    monkeypatch.delenv(zygote.ZYGOTE_ENV, raising=False)
    monkeypatch.setenv("ZYGOTEST_PIDS", str(tmp_path / "pids.json"))
    monkeypatch.setenv("ZYGOTEST_SERVICE_OUT", str(tmp_path / "service.json"))
    kodi.install(write_addon_zip(tmp_path, ID, FILES))
    return kodi


def label(result) -> object:
    assert result.status == "directory", (result.status, result.error)
    return json.loads(result.labels[0])


def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(zygote.ZYGOTE_ENV, "0")


def pid_gone(pid: int) -> bool:
    """True when `pid` is not running (a zombie nobody reaps counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid_gone(pid):
            return True
        time.sleep(0.02)
    return pid_gone(pid)


def wait_file(path: Path, seconds: float = 10.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.02)
    raise AssertionError(f"{path} was not written within {seconds} s")


def zygote_pid_of_last_call(tmp_path: Path) -> int:
    return json.loads((tmp_path / "pids.json").read_text())[1]


# isolation ---------------------------------------------------------------------------------
def test_a_module_global_set_in_one_call_is_unset_in_the_next(zkodi):
    calls = zygote.POOL.calls
    counters = [label(zkodi.run(URL + "?action=global")) for _ in range(3)]
    assert (counters, zygote.POOL.calls - calls) == ([1, 1, 1], 3)


def test_a_module_the_add_on_imported_is_gone_in_the_next_call(zkodi):
    first = label(zkodi.run(URL + "?action=imports"))
    second = label(zkodi.run(URL + "?action=imports"))
    assert first == second == [False, False, False]


def test_the_calls_are_forked_from_one_zygote_that_stays_single_threaded(zkodi, tmp_path):
    pids = []
    for _ in range(3):
        zkodi.run(URL + "?action=nap&seconds=0")
        pids.append(json.loads((tmp_path / "pids.json").read_text()))
    zygote_pid = pids[0][1]
    tasks = os.listdir(f"/proc/{zygote_pid}/task")
    # Nothing open but stdio (/dev/null) and its two pipes: no SQLite file, no log, no socket.
    fds = [os.readlink(f"/proc/{zygote_pid}/fd/{fd}") for fd in os.listdir(f"/proc/{zygote_pid}/fd")]
    assert ({ppid for _pid, ppid in pids}, len({pid for pid, _ppid in pids}), len(tasks)) == (
        {zygote_pid},
        3,
        1,
    )
    assert sorted(fd if fd == "/dev/null" else fd.split(":")[0] for fd in fds) == [
        "/dev/null",
        "/dev/null",
        "/dev/null",
        "pipe",
        "pipe",
    ]


def test_the_interpreter_the_add_on_sees_is_the_same_with_and_without_the_zygote(
    zkodi, monkeypatch, tmp_path
):
    zkodi.run(URL)  # the zygote now exists; what the test changes next must still reach the call
    monkeypatch.setenv("ZYGOTEST_LATE", "set after the zygote started")
    monkeypatch.delenv("ZYGOTEST_PIDS")
    old_umask = os.umask(0o027)
    try:
        forked = label(zkodi.run(URL + "?action=interpreter"))
        forked_again = label(zkodi.run(URL + "?action=interpreter"))
        plain(monkeypatch)
        fresh = label(zkodi.run(URL + "?action=interpreter"))
    finally:
        os.umask(old_umask)
    fresh["environ"].pop(zygote.ZYGOTE_ENV)
    for seen in (forked, forked_again, fresh):
        # The handle counts up per call and so do the pids; the random draws must differ (reseeded).
        seen["argv"][1] = "H"
    assert forked["environ"]["ZYGOTEST_LATE"] == "set after the zygote started"
    assert "ZYGOTEST_PIDS" not in forked["environ"]
    assert forked["umask"] == 0o027
    assert len({forked["random"], forked_again["random"], fresh["random"]}) == 3
    varying = ("random", "pid")
    assert {k: v for k, v in forked.items() if k not in varying} == {
        k: v for k, v in fresh.items() if k not in varying
    }


def test_a_variable_read_at_interpreter_start_gets_a_zygote_started_with_it(zkodi, monkeypatch):
    zkodi.run(URL)  # a zygote started without PYTHONHASHSEED
    forked = []
    for seed in ("0", "1"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        forked.append(label(zkodi.run(URL + "?action=hash")))
    plain(monkeypatch)
    fresh = []
    for seed in ("0", "1"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        fresh.append(label(zkodi.run(URL + "?action=hash")))
    assert forked == fresh
    assert forked[0] != forked[1]


@pytest.mark.parametrize(
    ("change", "same_zygote"),
    [
        ({"ZYGOTEST_ANY": "2"}, True),
        ({"PYTHONPATH": "/x"}, False),
        ({"LC_ALL": "C"}, False),
        ({"TZ": "UTC"}, False),
    ],
)
def test_which_variables_need_their_own_zygote(change, same_zygote):
    env = {"PATH": "/bin", "ZYGOTEST_ANY": "1"}
    assert (zygote.startup_key(env, "/w") == zygote.startup_key({**env, **change}, "/w")) is same_zygote


def test_with_ld_preload_every_variable_needs_its_own_zygote():
    env = {"LD_PRELOAD": "/lib/wallshift.so", "WALLSHIFT_SECONDS": "86400"}
    assert zygote.startup_key(env, "/w") != zygote.startup_key({**env, "WALLSHIFT_SECONDS": "0"}, "/w")
    assert zygote.startup_key(env, "/w") != zygote.startup_key(env, "/elsewhere")


def test_a_preloaded_library_reaches_forked_calls_as_it_reaches_fresh_ones(zkodi, monkeypatch, tmp_path):
    from tests.shifted_clock.lane import build_library

    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler to build the wall-clock shifter")
    library = build_library(tmp_path / "wallshift")
    zkodi.run(URL)  # a zygote started without the library
    year = 365 * 86400
    monkeypatch.setenv("LD_PRELOAD", str(library))
    monkeypatch.setenv("WALLSHIFT_SECONDS", str(year))
    forked = label(zkodi.run(URL + "?action=clock")) - time.time()
    plain(monkeypatch)
    fresh = label(zkodi.run(URL + "?action=clock")) - time.time()
    assert year - 600 < forked < year + 600
    assert year - 600 < fresh < year + 600


def test_fake_kodi_call_sees_the_same_modules_with_and_without_the_zygote(zkodi, monkeypatch):
    calls = zygote.POOL.calls
    forked = call_function(zkodi.home, ID, "resources.lib.calls:modules")
    assert zygote.POOL.calls - calls == 1
    plain(monkeypatch)
    assert call_function(zkodi.home, ID, "resources.lib.calls:modules") == forked


def test_window_properties_and_settings_behave_as_without_the_zygote(zkodi, monkeypatch):
    def sequence(value: str) -> list:
        assert label(zkodi.run(URL + f"?action=write&value={value}")) == "written"
        return label(zkodi.run(URL + "?action=read"))

    forked = sequence("forked")
    plain(monkeypatch)
    assert (forked, sequence("fresh")) == (["forked", "forked"], ["fresh", "fresh"])


# crashes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("action", ["abort", "segfault"])
def test_a_call_killed_by_a_signal_fails_as_without_the_zygote(zkodi, monkeypatch, action):
    zkodi.run(URL + "?action=nap&seconds=0")
    before = zygote.POOL.idle_pids()
    with pytest.raises(PluginCallError) as forked:
        zkodi.run(URL + f"?action={action}")
    after = zygote.POOL.idle_pids()
    assert label(zkodi.run(URL + "?action=global")) == 1  # the zygote still serves, unpoisoned
    plain(monkeypatch)
    with pytest.raises(PluginCallError) as fresh:
        zkodi.run(URL + f"?action={action}")
    assert (str(forked.value), after) == (str(fresh.value), before)
    assert "died before reporting" in str(forked.value)


@pytest.mark.parametrize(
    ("action", "status", "error_type"),
    # sys.exit(3) before endOfDirectory: Kodi reports no listing and no exception (the script aborted).
    [("exit", "no_response", None), ("raise", "exception", "RuntimeError")],
)
def test_an_exiting_or_raising_call_is_reported_and_the_next_call_is_clean(zkodi, action, status, error_type):
    failed = zkodi.run(URL + f"?action={action}", expect_error=error_type is not None)
    assert (failed.status, (failed.error or {}).get("type"), label(zkodi.run(URL + "?action=global"))) == (
        status,
        error_type,
        1,
    )


def test_a_timeout_kills_the_child_not_the_zygote(zkodi, tmp_path):
    zkodi.run(URL + "?action=nap&seconds=0")
    zygote_pid = zygote_pid_of_last_call(tmp_path)
    with pytest.raises(PluginCallError, match="did not finish within 0.5 s"):
        run_plugin(zkodi.home, URL + "?action=hang", timeout=0.5)
    child, parent = json.loads((tmp_path / "pids.json").read_text())
    assert (wait_gone(child, 2.0), parent) == (True, zygote_pid)
    label(zkodi.run(URL + "?action=nap&seconds=0"))
    assert zygote_pid_of_last_call(tmp_path) == zygote_pid


def test_a_killed_zygote_is_replaced(zkodi, tmp_path):
    zkodi.run(URL + "?action=nap&seconds=0")
    first = zygote_pid_of_last_call(tmp_path)
    os.kill(first, signal.SIGKILL)
    assert wait_gone(first, 2.0)
    assert label(zkodi.run(URL + "?action=global")) == 1
    zkodi.run(URL + "?action=nap&seconds=0")
    assert zygote_pid_of_last_call(tmp_path) not in (first, os.getpid())


def test_concurrent_calls_each_get_a_zygote(zkodi, monkeypatch, tmp_path):
    meet = tmp_path / "meet"
    meet.mkdir()
    monkeypatch.setenv("ZYGOTEST_MEET", str(meet))
    results: list = []

    def one() -> None:
        results.append(label(zkodi.run(URL + "?action=meet&n=2")))

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # Both calls were running at once (each saw the other arrive), each forked by its own zygote.
    assert sorted(count for _pid, _ppid, count in results) == [2, 2]
    assert len({ppid for _pid, ppid, _count in results}) == 2


# the service ----------------------------------------------------------------------------------
def service_view(kodi: Kodi, tmp_path: Path) -> dict:
    """Start the service, let it report, stop it (Kodi quitting); what its interpreter looked like."""
    out = tmp_path / "service.json"
    out.unlink(missing_ok=True)
    service = kodi.start_service(ID)
    try:
        seen = json.loads(wait_file(out))
        service.advance(60)
    finally:
        result = service.abort()
    assert (result.returned, result.exception) == (True, None)
    return seen


def test_the_service_is_forked_and_sees_the_interpreter_a_plain_start_gives(zkodi, monkeypatch, tmp_path):
    calls = zygote.POOL.calls
    forked = service_view(zkodi, tmp_path)
    assert zygote.POOL.calls - calls == 1
    assert forked["pids"][1] != os.getpid()  # a zygote's child, not the host's
    plain(monkeypatch)
    fresh = service_view(zkodi, tmp_path)
    assert fresh["pids"][1] == os.getpid()
    fresh["environ"].pop(zygote.ZYGOTE_ENV)
    for seen in (forked, fresh):
        seen.pop("pids")
    assert forked == fresh


def test_a_killed_service_leaves_its_zygote_serving(zkodi, tmp_path):
    out = tmp_path / "service.json"
    service = ServiceProcess(zkodi.home, ID)  # not the Kodi's: nothing aborts it at teardown
    service.start()
    child, zygote_pid = json.loads(wait_file(out))["pids"]
    service.close()  # kills the child, as when a service ignores abort
    assert wait_gone(child, 2.0)
    zkodi.run(URL + "?action=nap&seconds=0")
    assert zygote_pid_of_last_call(tmp_path) == zygote_pid  # back in the pool, serving calls


# switching it off and outliving the host ---------------------------------------------------
@pytest.mark.parametrize(("value", "enabled"), [("0", False), ("off", False), ("No", False), ("1", True)])
def test_the_environment_variable_switches_the_zygote(value, enabled):
    assert zygote.zygote_enabled({zygote.ZYGOTE_ENV: value}) is enabled


def test_without_os_fork_there_is_no_zygote(monkeypatch):
    assert zygote.zygote_enabled({}) is True
    monkeypatch.delattr(os, "fork")
    assert zygote.zygote_enabled({}) is False


def test_switched_off_a_call_is_a_child_of_the_host(zkodi, monkeypatch, tmp_path):
    plain(monkeypatch)
    started, calls = zygote.POOL.started, zygote.POOL.calls
    assert label(zkodi.run(URL + "?action=global")) == 1
    zkodi.run(URL + "?action=nap&seconds=0")
    assert (zygote_pid_of_last_call(tmp_path), zygote.POOL.started, zygote.POOL.calls) == (
        os.getpid(),
        started,
        calls,
    )


HOST_SCRIPT = """
import os, sys, threading
from fake_kodi.host.plugin_runner import run_plugin
home, url, busy, hang_pids = sys.argv[1], sys.argv[2], sys.argv[3] == "busy", sys.argv[4]
run_plugin(home, url + "?action=nap&seconds=0")
if busy:
    os.environ["ZYGOTEST_PIDS"] = hang_pids
    threading.Thread(target=run_plugin, args=(home, url + "?action=hang"), daemon=True).start()
print("ready", flush=True)
sys.stdin.read()  # until the test kills this process
"""


@pytest.mark.parametrize("busy", ["idle", "busy"])
def test_the_zygote_and_its_child_die_with_the_host(zkodi, tmp_path, busy):
    hang_pids = tmp_path / "hang-pids.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([PACKAGE_PARENT, os.environ.get("PYTHONPATH", "")]))
    host = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOST_SCRIPT), str(zkodi.home.root), URL, busy, str(hang_pids)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert host.stdout.readline().strip() == "ready"
        if busy == "busy":
            child, zygote_pid = json.loads(wait_file(hang_pids))
        else:
            child, zygote_pid = None, zygote_pid_of_last_call(tmp_path)
        assert not pid_gone(zygote_pid)
        host.kill()  # no atexit, no cleanup: only the closed pipe tells the zygote
        host.wait(5)
        assert wait_gone(zygote_pid)
        assert child is None or wait_gone(child)
    finally:
        if host.poll() is None:
            host.kill()
            host.wait(5)
