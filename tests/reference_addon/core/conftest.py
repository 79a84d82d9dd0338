"""Fixtures for the add-on's data core: real SQLite files, an injected clock, a responses-mocked Trakt."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ADDON_LIB = (
    Path(__file__).resolve().parents[3] / "reference_addon" / "plugin.video.aiostreams" / "resources" / "lib"
)
if str(ADDON_LIB) not in sys.path:
    sys.path.insert(0, str(ADDON_LIB))

from aiostreams.tokens import MemoryTokenStore, Tokens  # noqa: E402
from aiostreams.trakt_client import TraktClient  # noqa: E402
from database.connection import Database  # noqa: E402

BASE_URL = "https://api.trakt.tv"
CLIENT_ID = "client-id-1234567890abcdef"
CLIENT_SECRET = "client-secret-SHOULD-NEVER-LEAK-42"
ACCESS_TOKEN = "access-token-SHOULD-NEVER-LEAK-1"
REFRESH_TOKEN = "refresh-token-SHOULD-NEVER-LEAK-1"
START = 1_790_000_000.0  # 2026-09-21, an arbitrary fixed point for the injected clock


class FakeClock:
    """An injected clock: `sleep` advances it and records the waits (no real sleeping)."""

    def __init__(self, now: float = START):
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "trakt_sync.db")


@pytest.fixture
def db(db_path: str):
    database = Database(db_path)
    yield database
    database.close()


@pytest.fixture
def token_store(clock: FakeClock) -> MemoryTokenStore:
    return MemoryTokenStore(Tokens(ACCESS_TOKEN, REFRESH_TOKEN, clock() + 86400))


def make_client(clock: FakeClock, token_store, abort_check=lambda: False, **kwargs) -> TraktClient:
    """A TraktClient wired to the fake clock (sleeps advance it) with seeded jitter."""
    return TraktClient(
        BASE_URL, CLIENT_ID, CLIENT_SECRET, token_store, clock, clock.sleep, abort_check,
        rng=random.Random(7), **kwargs,
    )  # fmt: skip


@pytest.fixture
def client(clock: FakeClock, token_store: MemoryTokenStore) -> TraktClient:
    return make_client(clock, token_store)
