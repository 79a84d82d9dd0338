"""Run kodi-addon-checker offline on the built zip: `python reference_addon/check_addon.py [--branch B ...]`.

The checker downloads Kodi's repository index for every branch at start
(`http://mirrors.kodi.tv/addons/{branch}/addons.xml.gz`, a fixed URL in its `check_addon.ROOT_URL`)
and HEADs the addon.xml `<source>`/`<website>`/`<forum>` URLs. There is no network here, so it runs
with `HTTP_PROXY`/`HTTPS_PROXY` pointing at a tiny proxy on 127.0.0.1 that serves a minimal index
(the modules this add-on imports) and refuses everything else: those URL checks become warnings
that say the URL could not be reached, never problems. Exit status: 0 when every branch has no
problems, 1 otherwise, 2 when the checker is not installed.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRANCHES = ("nexus", "omega")
INDEX_URL = re.compile(r"^http://mirrors\.kodi\.tv/addons/(?P<branch>[a-z]+)/addons\.xml\.gz$")
# What the official repository offers (checked by hand on mirrors.kodi.tv for nexus and omega,
# 2026): only the modules this add-on imports, which is all the dependency check looks up.
INDEX_ADDONS = {"script.module.requests": "2.31.0"}
ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
NO_PROXY_ENV = ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy")


def index_xml(addons: dict[str, str] = INDEX_ADDONS) -> bytes:
    """A minimal `addons.xml` listing `addons` (id -> version)."""
    entries = "".join(
        f'<addon id="{addon_id}" name="{addon_id}" version="{version}" provider-name="Kodi">'
        f'<requires><import addon="xbmc.python" version="3.0.0"/></requires>'
        f'<extension point="xbmc.python.module" library="lib"/></addon>'
        for addon_id, version in sorted(addons.items())
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><addons>{entries}</addons>'.encode()


class IndexProxy:
    """An HTTP proxy on 127.0.0.1 answering the checker's index downloads; it records every request."""

    def __init__(self, addons: dict[str, str] = INDEX_ADDONS):
        self.requests: list[str] = []
        self._index = gzip.compress(index_xml(addons), mtime=0)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the base class's name
                proxy.requests.append(f"GET {self.path}")
                if INDEX_URL.match(self.path):
                    self._answer(200, proxy._index, "application/gzip")
                else:
                    self._answer(502, b"offline: only the Kodi repository index is served", "text/plain")

            def do_HEAD(self) -> None:  # noqa: N802
                proxy.requests.append(f"HEAD {self.path}")
                self._answer(502, b"", "text/plain")

            def do_CONNECT(self) -> None:  # noqa: N802 - https through the proxy: refused (offline)
                proxy.requests.append(f"CONNECT {self.path}")
                self._answer(502, b"", "text/plain")

            def _answer(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base class name
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> IndexProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _build_module():
    spec = importlib.util.spec_from_file_location("aiostreams_build", HERE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def unpacked_zip(work: Path) -> Iterator[Path]:
    """Build the zip and unpack it; yield the add-on folder (named after the add-on id)."""
    zip_path = _build_module().build(work / "dist")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(work / "unpacked")
        top = {name.split("/", 1)[0] for name in archive.namelist()}
    if len(top) != 1:
        raise RuntimeError(f"the zip must hold one top folder, found {sorted(top)}")
    yield work / "unpacked" / top.pop()


def checker_env(proxy_url: str) -> dict[str, str]:
    """The environment for the checker: every request goes through the local proxy."""
    env = {key: value for key, value in os.environ.items() if key not in NO_PROXY_ENV}
    env.update({key: proxy_url for key in PROXY_ENV})
    return env


def run_checker(addon_dir: Path, branch: str, proxy_url: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `kodi-addon-checker --branch BRANCH ADDON_DIR` (its log file lands in `cwd`)."""
    command = [sys.executable, "-m", "kodi_addon_checker", "--branch", branch, str(addon_dir)]
    return subprocess.run(
        command, cwd=cwd, env=checker_env(proxy_url), capture_output=True, text=True, timeout=300
    )


def problems_in(output: str) -> list[str]:
    """The checker's problem lines ('ERROR: ...', once its ANSI colour codes are removed)."""
    lines = (ANSI_CODE.sub("", line).strip() for line in output.splitlines())
    return [line for line in lines if line.startswith("ERROR")]


def main(argv: Sequence[str] | None = None) -> int:
    """Build, unpack and check for each branch; print the reports; 0 only when no branch has a problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--branch", action="append", choices=BRANCHES, help="branch to check (repeatable; default: all)"
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("kodi_addon_checker") is None:
        print("kodi-addon-checker is not installed (pip install kodi-addon-checker)", file=sys.stderr)
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix="addon-check-") as tmp, IndexProxy() as proxy:
        work = Path(tmp)
        with unpacked_zip(work) as addon_dir:
            for branch in args.branch or BRANCHES:
                result = run_checker(addon_dir, branch, proxy.url, work)
                output = result.stdout + result.stderr
                print(f"== kodi-addon-checker --branch {branch} (exit {result.returncode})")
                print(output.rstrip())
                if result.returncode != 0 or problems_in(output):
                    failed.append(branch)
        print("== requests the checker made (offline proxy):")
        for line in sorted(set(proxy.requests)):
            print(f"  {line}")
    if failed:
        print(f"kodi-addon-checker found problems for: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("kodi-addon-checker: no problems for " + ", ".join(args.branch or BRANCHES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
