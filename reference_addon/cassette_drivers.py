"""Recording drivers that run the reference add-on's REAL sync (SyncEngine + TraktClient) in this process.

The reference add-on's own tooling, outside its zip and outside trakt_cassettes: the project names
this file in pyproject.toml (`[tool.trakt-cassettes] drivers`), so `trakt-cassettes record --driver
addon-sync` and the cassette catalog find these drivers by name, as any add-on project's would be.

The sync is Kodi-free, so vcrpy sees its requests here; the mirror is a temporary SQLite file and
every wait goes to the driver's clock (the simulator's virtual clock when recording a scenario).
Each driver also writes `replay_steps` into the cassette metadata: what `trakt-cassettes replay`
must do (sync, wait, a scripted write, a device login) to make the same requests again.
"""

from __future__ import annotations

import importlib
import random
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from trakt_cassettes.driver_context import Driver, DriverContext
from trakt_cassettes.recorded_time import DEFAULT_TOKEN_LIFETIME
from trakt_cassettes.standin import standin_device_login

ADDON_LIB = Path(__file__).resolve().parent / "plugin.video.aiostreams" / "resources" / "lib"
# Seeded so the retry jitter, hence every virtual wait, is the same on every recording.
JITTER_SEED = 0


def addon_module(name: str) -> Any:
    """A module of the reference add-on's library (resources/lib on sys.path, as Kodi puts it)."""
    if str(ADDON_LIB) not in sys.path:
        sys.path.insert(0, str(ADDON_LIB))
    return importlib.import_module(name)


class AddonSyncSession:
    """The add-on's TraktClient and SyncEngine over a temporary mirror, waiting on the driver's clock."""

    def __init__(self, context: DriverContext, workdir: Path):
        tokens_module = addon_module("aiostreams.tokens")
        client_module = addon_module("aiostreams.trakt_client")
        self.context = context
        self.runs = 0
        # Recorded relative to the start, never as a date: a replay applies it to its own clock.
        lifetime = context.metadata.setdefault("token_expires_in", DEFAULT_TOKEN_LIFETIME)
        expires_at = context.clock() + lifetime
        tokens = None
        if context.access_token:
            tokens = tokens_module.Tokens(
                context.access_token, context.refresh_token or "", float(expires_at)
            )
        self.client = client_module.TraktClient(
            base_url=context.base_url,
            client_id=context.client_id,
            client_secret=context.client_secret,
            token_store=tokens_module.MemoryTokenStore(tokens),
            clock=context.clock,
            sleep=self._wait,
            abort_check=lambda: False,
            session=context.session,
            rng=random.Random(JITTER_SEED),
            timeout=(context.timeout, context.timeout),
        )
        self.db = addon_module("database.connection").Database(str(workdir / "trakt_sync.db"))

    def _wait(self, seconds: float) -> bool:
        # The client reads True as "Kodi asked to stop"; the recorder never aborts.
        self.context.sleep(seconds)
        return False

    def sync(self) -> None:
        """One SyncEngine.run(), as the add-on's service runs it; failed areas become driver notes."""
        engine = addon_module("aiostreams.sync").SyncEngine(
            self.db, self.client, self.context.clock, log=lambda message: None
        )
        report = engine.run()
        self.runs += 1
        for area, reason in sorted(report.failed.items()):
            self.context.notes.append(f"sync {self.runs}: {area} failed: {reason}")
        self.context.metadata.setdefault("replay_steps", []).append(["sync"])

    def wait(self, seconds: float) -> None:
        """Let virtual time pass between syncs."""
        self.context.sleep(seconds)
        self.context.metadata.setdefault("replay_steps", []).append(["wait", seconds])

    def post(self, path: str, body: object) -> None:
        """A write made on Trakt by someone else (another device): the add-on's sync never writes."""
        self.context.call("POST", path, body=body)
        self.context.metadata.setdefault("replay_steps", []).append(["post", path, body])


def run_addon_steps(context: DriverContext, steps: tuple[tuple, ...]) -> None:
    """Run ("sync",), ("wait", s), ("post", path, body) steps against one add-on mirror."""
    with tempfile.TemporaryDirectory(prefix="trakt-cassettes-addon-") as workdir:
        session = AddonSyncSession(context, Path(workdir))
        for step in steps:
            getattr(session, step[0])(*step[1:])


def addon_sync_driver(context: DriverContext) -> None:
    """The reference add-on's sync (SyncEngine.run on a fresh mirror)."""
    run_addon_steps(context, (("sync",),))


def addon_incremental_driver(context: DriverContext) -> None:
    """The add-on's sync, ten virtual minutes, the add-on's sync again (what an unchanged account costs)."""
    run_addon_steps(context, (("sync",), ("wait", 600), ("sync",)))


def addon_device_auth_driver(context: DriverContext) -> None:
    """Device login (STAND-IN polling: the add-on's auth.py needs Kodi), then the add-on's sync."""
    context.metadata.setdefault("replay_steps", []).append(["device_login"])
    if standin_device_login(context):
        addon_sync_driver(context)


def addon_scripted_driver(name: str, *steps: tuple) -> Driver:
    """A driver of add-on steps: ("sync",), ("wait", seconds), ("post", path, body), in order."""

    def driver(context: DriverContext) -> None:
        run_addon_steps(context, steps)

    driver.__name__ = f"addon_scripted_{name}"
    driver.__doc__ = f"the add-on's sync in steps: {', '.join(step[0] for step in steps)}"
    return driver


# What `trakt-cassettes record --driver NAME` and `--list-drivers` know from this project.
DRIVERS: Mapping[str, Driver] = MappingProxyType(
    {
        "addon-sync": addon_sync_driver,
        "addon-incremental": addon_incremental_driver,
        "addon-device-auth": addon_device_auth_driver,
    }
)
# Drivers built from arguments (the catalog's scripted recordings): name -> function(*args) -> driver.
DRIVER_FACTORIES: Mapping[str, Callable[..., Driver]] = MappingProxyType(
    {"addon-scripted": addon_scripted_driver}
)
