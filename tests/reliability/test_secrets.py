"""Item 6: after auth, refresh, sync and failing runs, no token or client secret is anywhere it should not be."""

from __future__ import annotations

import pytest

from .kodi_world import ADDON_ID, KodiWorld, build_zip
from .support import ACCESS_TOKEN, CLIENT_SECRET, REFRESH_TOKEN, ROOT, state_b

AUTHORIZE = f"plugin://{ADDON_ID}/?action=authorize"
FORCE_SYNC = f"plugin://{ADDON_ID}/?action=force_trakt_sync"
NEXT_UP = f"plugin://{ADDON_ID}/?action=next_up"
EVERY = 1000


@pytest.fixture(scope="module")
def zip_path(tmp_path_factory):
    return build_zip(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def session(kodi, zip_path, served_sim):
    """Device auth, a sync that must refresh, failing runs (5xx, bad JSON, 401), all with debug logging."""
    scenario = state_b()
    sim, server = served_sim(scenario)
    world = KodiWorld(
        kodi, zip_path, sim, server.url, auto_sync=False,
        trakt_access_token="", trakt_refresh_token="", trakt_token_expires="",
    )  # fmt: skip
    sim.state.tokens.device.update({"interval": 0, "pending": 1, "then": "approve"})
    outputs = [world.kodi.run(AUTHORIZE, debug_log=True)]
    issued = [kodi.get_setting(ADDON_ID, key) for key in ("trakt_access_token", "trakt_refresh_token")]
    # Make the issued pair nearly expired: the next request refreshes it first.
    kodi.set_settings(ADDON_ID, trakt_token_expires=str(int(sim.clock.now() + 60)))
    outputs.append(world.kodi.run(FORCE_SYNC, debug_log=True))
    refreshed = [kodi.get_setting(ADDON_ID, key) for key in ("trakt_access_token", "trakt_refresh_token")]
    sim.add_fault(path="^/sync/watched/movies", status=502, times=EVERY)
    sim.add_fault(path="^/sync/playback", kind="truncated_json")
    sim.add_fault(path="^/sync/watchlist", status=401, times=EVERY)
    outputs.append(world.kodi.run(FORCE_SYNC, debug_log=True))
    sim.clear_faults()
    kodi.set_settings(ADDON_ID, auto_sync=True)
    service_result = world.kodi.service(ADDON_ID, virtual_seconds=30, debug_log=True)
    outputs.append(world.kodi.run(NEXT_UP, debug_log=True))
    secrets = {CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, *issued, *refreshed}
    secrets.discard("")
    assert len(secrets) >= 5, "auth and refresh must have issued new pairs for the scan to mean anything"
    return world, outputs, service_result, secrets


def hits(text: str, secrets: set[str]) -> list[str]:
    return sorted(secret for secret in secrets if secret in text)


def test_kodi_log_holds_no_secret(session, figures):
    world, _outputs, _service, secrets = session
    figures.set("secrets_scanned", len(secrets))
    assert "Trakt token refreshed" in world.kodi.log_text()  # the refresh really happened
    assert hits(world.kodi.log_text(), secrets) == []


def test_captured_output_notifications_and_exceptions_hold_no_secret(session):
    _world, outputs, service, secrets = session
    texts = [repr(service)]
    for result in outputs:
        texts += [repr(result.log), repr(result.notifications), repr(result.dialogs), repr(result.error)]
    assert hits("\n".join(texts), secrets) == []


def test_database_files_hold_no_secret(session):
    world, _outputs, _service, secrets = session
    files = [path for path in world.profile.iterdir() if path.name.startswith("trakt_sync.db")]
    assert files, "the mirror was never written"
    blob = b"".join(path.read_bytes() for path in files).decode("latin-1")
    assert hits(blob, secrets) == []


def test_profile_files_other_than_settings_hold_no_secret(session):
    world, _outputs, _service, secrets = session
    leaks = {}
    for path in world.profile.rglob("*"):
        if path.is_file() and path.name != "settings.xml":
            found = hits(path.read_bytes().decode("latin-1"), secrets)
            if found:
                leaks[path.name] = found
    assert leaks == {}


def test_committed_cassettes_hold_no_test_or_simulator_secret():
    cassettes = ROOT / "trakt_cassettes" / "cassettes"
    secrets = {CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN}
    leaks = {
        str(path.relative_to(ROOT)): hits(path.read_text(encoding="utf-8", errors="replace"), secrets)
        for path in cassettes.rglob("*")
        if path.is_file()
    }
    assert {name: found for name, found in leaks.items() if found} == {}
