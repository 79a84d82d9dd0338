"""The zygote: an add-on interpreter that has imported the fake runtime and forks a fresh child per call.

Started by the test side (fake_kodi/host/zygote.py) as `python -m fake_kodi.addon_side.bootstrap
--zygote`, so it is exactly the interpreter a plugin call would start, stopped before it reads a
spec. `serve()` waits for requests on stdin and forks one child per request; `serve()` returns
only in that child, with its request applied (environment, cwd, umask, stdio, sys.path, sys.argv,
signal state as a fresh interpreter has them), and the bootstrap goes on as if it had read the spec.
Nothing of any add-on is ever imported here, so no add-on state can survive into the next call.

Protocol, one JSON object a line:
  host -> zygote  {"spec": {...}, "env": {...}, "cwd": str, "umask": int, "timeout": float,
                   "stderr_path": str, "argv": [str, ...], "stdio": {"stdin": FIFO, "stdout": FIFO}}
                  (argv: the bootstrap's arguments, `-` by default; stdio: the service's channel,
                  /dev/null by default; timeout 0: none)
  zygote -> host  {"ready": PID} once, at start
                  {"pid": PID} when a child was forked for a request
                  {"pid": PID, "status": WAIT_STATUS, "timed_out": bool} when it ended
                  {"error": str} for a request it could not run (no child was forked)
The zygote serves one call at a time (the host keeps a pool for concurrent calls), kills a child
that outlives its timeout (SIGKILL, as subprocess.run does) and, when its stdin reaches EOF (the
host closed it or died), kills a running child and exits: it never outlives its host.

It imports only modules every bootstrap has already loaded (os, sys, json, importlib and the
built-in _signal), and the child drops this module from sys.modules, so an add-on sees the same
sys.modules as in a fresh interpreter. Known differences: string hashing is randomised once per
zygote, not once per call (a different PYTHONHASHSEED gets its own zygote); a plugin call's
stdout is /dev/null and its stderr a file where a fresh one had pipes; os.getppid() is the zygote.
"""

from __future__ import annotations

import _signal
import importlib
import json
import os
import sys
from typing import Any

# Signals the zygote handles itself; a child gets back the dispositions the zygote started with.
_OWN_SIGNALS = (_signal.SIGCHLD, _signal.SIGALRM)


class ZygoteLoop:
    """The fork loop over the request/reply pipes (module state is avoided: this module is dropped in the child)."""

    def __init__(self, request_fd: int, reply_fd: int, startup_path: list[str], bootstrap_file: str):
        self.request_fd = request_fd
        self.reply_fd = reply_fd
        self.startup_path = startup_path
        self.bootstrap_file = bootstrap_file
        self.child: int | None = None
        self.timed_out = False
        self._buffer = b""
        # What a fresh interpreter has: the mask and dispositions inherited from the host at exec.
        self.startup_mask = _signal.pthread_sigmask(_signal.SIG_BLOCK, ())
        self.startup_handlers = {signum: _signal.getsignal(signum) for signum in _OWN_SIGNALS}

    # the parent's side ---------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        """Serve requests until EOF (then exit); returns only in a forked child, with its request."""
        # Signals arrive while the loop blocks in os.read: PEP 475 runs the handler and resumes the
        # read, so a child's end is reported at once without a thread or select.
        _signal.signal(_signal.SIGCHLD, self._on_child_signal)
        _signal.signal(_signal.SIGALRM, self._on_alarm)
        self._send({"ready": os.getpid()})
        while True:
            line = self._read_line()
            if line is None:
                self._shutdown()
            try:
                request = json.loads(line)
                spec = request["spec"]
            except (ValueError, KeyError, TypeError) as exc:
                self._send({"error": f"bad request: {type(exc).__name__}: {exc}"})
                continue
            if self.child is not None:
                self._send({"error": "busy: one call at a time per zygote"})
                continue
            if _thread_count() != 1:
                # fork() copies only the calling thread; locks held by others would stay locked.
                self._send({"error": "the zygote has threads; it cannot fork safely"})
                self._shutdown()
            # Blocked until the pid is reported, so the end of a quick child is never reported first.
            _signal.pthread_sigmask(_signal.SIG_BLOCK, _OWN_SIGNALS)
            pid = os.fork()
            if pid == 0:
                self._become_child(request)
                return spec
            self.child = pid
            self.timed_out = False
            self._send({"pid": pid})
            timeout = float(request.get("timeout") or 0.0)
            if timeout > 0:
                _signal.setitimer(_signal.ITIMER_REAL, timeout)
            _signal.pthread_sigmask(_signal.SIG_UNBLOCK, _OWN_SIGNALS)

    def _read_line(self) -> bytes | None:
        while b"\n" not in self._buffer:
            chunk = os.read(self.request_fd, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.reply_fd, data) :]

    def _on_child_signal(self, _signum: int, _frame: Any) -> None:
        while self.child is not None:
            pid, status = os.waitpid(self.child, os.WNOHANG)
            if pid == 0:
                return
            _signal.setitimer(_signal.ITIMER_REAL, 0)
            self.child = None
            self._send({"pid": pid, "status": status, "timed_out": self.timed_out})

    def _on_alarm(self, _signum: int, _frame: Any) -> None:
        if self.child is not None:
            self.timed_out = True
            os.kill(self.child, 9)  # SIGKILL: the call is over, whatever the add-on does with signals

    def _shutdown(self) -> None:
        """The host has gone: take a running child along and leave no process behind."""
        _signal.pthread_sigmask(_signal.SIG_BLOCK, _OWN_SIGNALS)
        if self.child is not None:
            try:
                os.kill(self.child, 9)
                os.waitpid(self.child, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os._exit(0)

    # the child's side ----------------------------------------------------------------------
    def _become_child(self, request: dict[str, Any]) -> None:
        """Make this forked process look like `python -m fake_kodi.addon_side.bootstrap -` started for the request."""
        for signum, handler in self.startup_handlers.items():
            _signal.signal(signum, handler)
        _signal.pthread_sigmask(_signal.SIG_SETMASK, self.startup_mask)
        os.close(self.request_fd)
        os.close(self.reply_fd)
        # A plugin call: stdin a pipe at EOF, as the bootstrap leaves the one it read the spec from;
        # stdout /dev/null (the host never read it; a pipe nobody reads would block a chatty
        # add-on). The service: both are its command channel, FIFOs the host opened its ends of.
        # stderr: a file the host reads the last line of when the child dies before reporting.
        stdio = request.get("stdio") or {}
        if stdio:
            # stdout first: the host opened its read end before asking, so this does not block,
            # and once the host can open stdin's write end, both are connected.
            out = os.open(stdio["stdout"], os.O_WRONLY)
            inp = os.open(stdio["stdin"], os.O_RDONLY | os.O_NONBLOCK)
            os.set_blocking(inp, True)
        else:
            out = os.open(os.devnull, os.O_WRONLY)
            inp, spec_writer = os.pipe()
            os.close(spec_writer)
        err = os.open(request["stderr_path"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((inp, 0), (out, 1), (err, 2)):
            os.dup2(fd, target)
        for fd in {inp, out, err}:
            os.close(fd)
        os.chdir(request.get("cwd") or os.getcwd())
        os.umask(int(request.get("umask", 0o022)))
        # The environment the call would have had, including changes made after the zygote started.
        os.environ.clear()
        os.environ.update({str(key): str(value) for key, value in request.get("env", {}).items()})
        sys.path[:] = self.startup_path
        arguments = list(request.get("argv", ["-"]))
        sys.argv[:] = [self.bootstrap_file, *arguments]
        # The command line as typed: the zygote's, with `--zygote` replaced by the call's arguments.
        sys.orig_argv = [*sys.orig_argv[:-1], *arguments]
        # Folders may have changed since the zygote started (an add-on installed meanwhile).
        importlib.invalidate_caches()
        _forget_zygote_module()


def _thread_count() -> int:
    """Threads of this process (the OS's count where it is known: C extensions may start threads too)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        threading = sys.modules.get("threading")
        return threading.active_count() if threading is not None else 1


def _forget_zygote_module() -> None:
    """A fresh bootstrap never imported this module; neither has the child once this runs."""
    sys.modules.pop(__name__, None)
    package = sys.modules.get(__name__.rpartition(".")[0])
    if package is not None and hasattr(package, "zygote"):
        delattr(package, "zygote")


def serve(bootstrap_file: str) -> dict[str, Any]:
    """Run the zygote on this interpreter's stdin/stdout; returns only in a forked child (its spec)."""
    startup_path = list(sys.path)
    # The pipes move off 0 and 1, which become /dev/null: nothing may read a request meant for
    # the loop, and a child re-points 0-2 without touching the pipes.
    request_fd = os.dup(0)
    reply_fd = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    return ZygoteLoop(request_fd, reply_fd, startup_path, bootstrap_file).run()
