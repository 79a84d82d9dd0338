"""Fixtures of the reliability suite: served simulators, the crash driver, and the figures file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from trakt_cassettes.sim import Simulator

from .support import FIGURES

DRIVER = Path(__file__).resolve().parent / "crash_driver.py"


class Figures:
    """Numbers the suite measured; merged into artifacts/reliability/figures.json at the session's end."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, key: str, amount: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + amount

    def append(self, key: str, value: Any) -> None:
        self.values.setdefault(key, []).append(value)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value

    def save(self, path: Path = FIGURES) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        merged.update(self.values)
        path.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def figures() -> Iterator[Figures]:
    collected = Figures()
    yield collected
    if collected.values:
        collected.save()


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
