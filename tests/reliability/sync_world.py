"""An in-process mirror + TraktClient + SyncEngine against a served simulator whose clock the client drives."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

from aiostreams.sync import SyncEngine
from aiostreams.tokens import MemoryTokenStore, Tokens
from aiostreams.trakt_client import TraktClient
from database.connection import Database

from .support import ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN


class SyncWorld:
    """One mirror file and a client whose sleeps advance the simulator's virtual clock."""

    def __init__(self, sim: Any, url: str, db_path: Path, seed: int = 7, **client_options: Any):
        self.sim = sim
        self.db = Database(str(db_path))
        self.tokens = MemoryTokenStore(Tokens(ACCESS_TOKEN, REFRESH_TOKEN, sim.clock.now() + 86400 * 30))
        self.sleeps: list[float] = []
        self.client = TraktClient(
            url, CLIENT_ID, CLIENT_SECRET, self.tokens, sim.clock.now, self._sleep, lambda: False,
            rng=random.Random(seed), **client_options,
        )  # fmt: skip
        self.log: list[str] = []
        self.engine = SyncEngine(self.db, self.client, sim.clock.now, log=self.log.append)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.sim.clock.advance(seconds)

    def close(self) -> None:
        self.db.close()


def copy_mirror(source: Path, target: Path) -> Path:
    """A private copy of a (closed, checkpointed) mirror file."""
    shutil.copy(source, target)
    return target
