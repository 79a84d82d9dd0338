"""Fixtures of the reliability suite: served simulators, the crash driver, and the figures file."""

from __future__ import annotations

import fcntl
import json
import os
import statistics
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from trakt_cassettes.sim import Simulator

from .support import FIGURES

DRIVER = Path(__file__).resolve().parent / "crash_driver.py"


class Figures:
    """Numbers the suite measured; merged into artifacts/reliability/figures.json at the session's end.

    Under pytest-xdist each worker measures only the tests it ran, so every figure keeps how it
    combines: `add` sums, `sample` pools raw values (written as `<key>_max` and `<key>_median`), `set`
    is one value any worker may give. The workers send theirs to the controller, which writes the
    file once (a read-merge-write per worker would race and keep one worker's counts).
    """

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.kinds: dict[str, str] = {}

    def _kind(self, key: str, kind: str) -> None:
        if self.kinds.setdefault(key, kind) != kind:
            raise ValueError(f"figure {key!r} is a {self.kinds[key]} figure, not a {kind} one")

    def add(self, key: str, amount: int = 1) -> None:
        self._kind(key, "add")
        self.values[key] = self.values.get(key, 0) + amount

    def sample(self, key: str, value: float) -> None:
        self._kind(key, "sample")
        self.values.setdefault(key, []).append(value)

    def set(self, key: str, value: Any) -> None:
        self._kind(key, "set")
        self.values[key] = value

    def dump(self) -> dict[str, Any]:
        """What a worker sends to the controller (plain JSON types, as execnet carries them)."""
        return {"values": self.values, "kinds": self.kinds}

    def merge(self, dumped: dict[str, Any]) -> None:
        """Fold in another process's figures (a worker's `dump()`)."""
        for key, kind in dumped["kinds"].items():
            value = dumped["values"][key]
            if kind == "add":
                self.add(key, value)
            elif kind == "sample":
                for one in value:
                    self.sample(key, one)
            else:
                self.set(key, value)

    def summary(self) -> dict[str, Any]:
        """The figures as written: samples summarised, everything else as measured."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            if self.kinds[key] == "sample":
                out[f"{key}_max"] = round(max(value), 1)
                out[f"{key}_median"] = round(statistics.median(value), 1)
            else:
                out[key] = value
        return out

    def save(self, path: Path = FIGURES) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        merged.update(self.summary())
        path.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")


FIGURES_KEY = pytest.StashKey[Figures]()
WORKER_OUTPUT = "reliability_figures"


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FIGURES_KEY] = Figures()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: tell each worker that its figures are collected here."""
    node.workerinput[WORKER_OUTPUT] = True


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    collected = request.config.stash[FIGURES_KEY]
    yield collected
    # Torn down after every module fixture that reports into it (they depend on it).
    if not collected.values:
        return
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None:
        collected.save()
    elif workerinput.get(WORKER_OUTPUT):
        request.config.workeroutput[WORKER_OUTPUT] = collected.dump()
    else:
        # The controller never loaded this conftest (started on a folder above tests/reliability):
        # this worker's figures are written as they are, so counts cover only its share of the tests.
        with figures_lock():
            collected.save()
        warnings.warn(
            f"reliability figures of {workerinput['workerid']} only: run pytest on tests/reliability "
            "for whole-run figures",
            stacklevel=1,
        )


@contextmanager
def figures_lock() -> Iterator[None]:
    """An exclusive lock beside the figures file (workers of one run save it one at a time)."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with open(FIGURES.with_suffix(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist controller: a worker finished; fold in what it measured."""
    dumped = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
    if dumped:
        node.config.stash[FIGURES_KEY].merge(dumped)


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    distributed = config.pluginmanager.has_plugin("dsession")  # the xdist controller runs no test itself
    if distributed and not hasattr(config, "workerinput") and config.stash[FIGURES_KEY].values:
        config.stash[FIGURES_KEY].save()


@pytest.fixture(scope="module")
def served_sim() -> Iterator:
    """A factory: serve a scenario dict on 127.0.0.1 for the module; returns (sim, server)."""
    servers = []

    def serve(scenario: dict[str, Any]):
        sim = Simulator(scenario)
        server = sim.serve(port=0)
        servers.append(server)
        return sim, server

    yield serve
    for server in servers:
        server.stop()


def run_driver(tmp: Path, **spec: Any) -> subprocess.CompletedProcess:
    """Run crash_driver.py with `spec` in a fresh interpreter (its own process, killed or not)."""
    spec_path = tmp / f"spec-{os.getpid()}-{len(list(tmp.glob('spec-*')))}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(DRIVER), str(spec_path)], capture_output=True, text=True, timeout=120
    )
