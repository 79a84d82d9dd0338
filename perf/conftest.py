"""Perf fixtures: one large world per session (built in a tmp dir), the mirror and API configurations, guards.

Figures that are not pytest-benchmark timings (request budgets, virtual time, memory) go to
`figures.json` next to the benchmark JSON (`PERF_ARTIFACTS`, default `artifacts/perf`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from perf.limits import LimitBook, Pair
from perf.support import ROOT, SYNC_INTERVAL, PerfWorld, build_world, make_client, perf_scale, trakt


def artifacts_dir() -> Path:
    """Where figures.json is written."""
    return Path(os.environ.get("PERF_ARTIFACTS", ROOT / "artifacts" / "perf"))


def guard_factor() -> float:
    """How far above its target a median may be before a benchmark fails (`PERF_GUARD_FACTOR`, 0 = off)."""
    return float(os.environ.get("PERF_GUARD_FACTOR", "10"))


def guard(benchmark, target_seconds: float) -> None:
    """Record the target with the benchmark and fail only far above it (noise must never fail CI).

    With `--benchmark-disable` (benchmarks run once as plain tests) nothing was timed: the target
    is recorded and there is no median to hold against it."""
    benchmark.extra_info["target_s"] = target_seconds
    if benchmark.stats is None:
        return
    factor = guard_factor()
    median = benchmark.stats.stats.median
    if factor > 0:
        assert median < target_seconds * factor, f"median {median * 1e3:.3f} ms > {factor}x the target"


@pytest.fixture(scope="session")
def figures() -> Iterator[dict]:
    """Non-timing figures collected by the tests, written to figures.json at the end of the session."""
    collected: dict = {"scale": perf_scale()}
    yield collected
    target = artifacts_dir()
    target.mkdir(parents=True, exist_ok=True)
    (target / "figures.json").write_text(
        json.dumps(collected, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory, figures: dict) -> PerfWorld:
    """The large library, its simulator and a fully synced mirror: built once per session."""
    built = build_world(tmp_path_factory.mktemp("perf-world"))
    figures["world_build_s"] = {name: round(value, 3) for name, value in built.build_seconds.items()}
    return built


@pytest.fixture(scope="session")
def server(world: PerfWorld):
    """The session's simulator over real HTTP on 127.0.0.1."""
    with world.sim.serve() as running:
        yield running


@pytest.fixture
def mirror_api(world: PerfWorld, server, fresh_window) -> Iterator[None]:
    """The public API reading the synced mirror; any fallback would reach the simulator (and be counted)."""
    trakt.configure(db_path=world.db_path, client_factory=lambda: make_client(world.sim, server.url),
                    clock=world.sim.clock.now)  # fmt: skip
    yield
    trakt.reset()


@pytest.fixture
def api_only(world: PerfWorld, server, fresh_window, tmp_path: Path) -> Iterator[None]:
    """The public API with no mirror: every answer comes from the simulator over real HTTP."""
    trakt.configure(db_path=str(tmp_path / "no-mirror.db"), client_factory=lambda: make_client(world.sim, server.url),
                    clock=world.sim.clock.now)  # fmt: skip
    yield
    trakt.reset()


@pytest.fixture
def fresh_window(world: PerfWorld) -> Iterator[None]:
    """Move the session simulator past Trakt's 5-minute window before and after: no test inherits a 429."""
    world.sim.clock.advance(SYNC_INTERVAL + 1)
    yield
    world.sim.clock.advance(SYNC_INTERVAL + 1)


@pytest.fixture(scope="session")
def limits(world: PerfWorld) -> LimitBook:
    """Each lookup timed side by side with its bare sqlite3 read, once per session, on first request."""
    return LimitBook(world)


def record_limit(benchmark, measured: Pair) -> None:
    """Put the side-by-side figures (limit, ratio, target) in a benchmark's extra_info for the report."""
    benchmark.extra_info.update(measured.extra_info())
