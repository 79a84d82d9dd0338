"""Trakt device authorisation and revoke, run as plugin calls in a fake Kodi against the simulator.

The simulator's scripted user (`device_auth`) decides the outcome; the simulator keeps its own
clock, so its interval is 0 (the add-on still waits at least a second of virtual time per poll).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

import pytest

from .conftest import ADDON_ID, make_world

AUTHORIZE = f"plugin://{ADDON_ID}/?action=authorize"
REVOKE = f"plugin://{ADDON_ID}/?action=revoke"
TOKEN_PATH = "/oauth/device/token"
EVERY = 1000  # a fault that fires on every matching request (add_fault drops times=None)
LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})")


@pytest.fixture
def unauthorised(kodi, addon_zip_path, sim, served):
    """The add-on with a client id/secret but no tokens yet; auto-sync off."""
    return make_world(
        kodi, addon_zip_path, sim, served, trakt_access_token="", trakt_refresh_token="",
        trakt_token_expires="", auto_sync=False,
    )  # fmt: skip


def script_user(sim, **device) -> None:
    sim.state.tokens.device.update({"interval": 0, **device})


def dialog_messages(result, kind: str) -> list[str]:
    return [
        dialog.get("message") or dialog.get("text") or ""
        for dialog in result.dialogs
        if dialog["kind"] == kind
    ]


def log_seconds(line: str) -> float:
    stamp = LOG_TIME.match(line).group(1)
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()


def test_authorize_saves_tokens_after_two_pending_polls(unauthorised):
    script_user(unauthorised.sim, pending=2, then="approve")
    result = unauthorised.kodi.run(AUTHORIZE)
    assert result.error is None, result.log
    assert len(unauthorised.requests(TOKEN_PATH)) == 3
    access = unauthorised.kodi.get_setting(ADDON_ID, "trakt_access_token")
    issued = unauthorised.sim.state.tokens.by_access[access]
    assert unauthorised.kodi.get_setting(ADDON_ID, "trakt_refresh_token") == issued.refresh_token
    expires = unauthorised.kodi.get_setting(ADDON_ID, "trakt_token_expires")
    assert expires == str(int(issued.created_at) + issued.expires_in)
    assert [note["message"] for note in result.notifications] == ["Trakt authorised"]


def test_authorize_shows_the_code_and_url_in_a_progress_dialog(unauthorised):
    script_user(unauthorised.sim, then="approve", user_code="ABCD1234")
    result = unauthorised.kodi.run(AUTHORIZE)
    created = [dialog for dialog in result.dialogs if dialog["kind"] == "progress_create"]
    assert len(created) == 1
    assert "https://trakt.tv/activate" in created[0]["message"] and "ABCD1234" in created[0]["message"]


def test_slow_down_adds_five_seconds_to_the_interval(unauthorised):
    script_user(unauthorised.sim, pending=1, then="approve")
    unauthorised.sim.add_fault(method="POST", path=TOKEN_PATH, status=429, nth=1, times=1)
    result = unauthorised.kodi.run(AUTHORIZE, debug_log=True)
    assert unauthorised.kodi.get_setting(ADDON_ID, "trakt_access_token")
    slow = [line for line in result.log if "poll more slowly: every 6 s" in line]
    pending = [line for line in result.log if "Trakt authorisation pending" in line]
    assert len(slow) == 1 and len(pending) == 1
    assert log_seconds(pending[0]) - log_seconds(slow[0]) == 6.0


def test_denied_code_stops_with_a_message(unauthorised):
    script_user(unauthorised.sim, pending=1, then="deny")
    result = unauthorised.kodi.run(AUTHORIZE, answers=["ok"])
    assert dialog_messages(result, "ok") == ["The authorisation was denied on Trakt"]
    assert unauthorised.kodi.get_setting(ADDON_ID, "trakt_access_token") == ""
    assert len(unauthorised.requests(TOKEN_PATH)) == 2


def test_expired_code_stops_with_a_message(unauthorised):
    script_user(unauthorised.sim, pending=1, then="expire")
    result = unauthorised.kodi.run(AUTHORIZE, answers=["ok"])
    assert dialog_messages(result, "ok") == [
        "The code expired before it was approved; start the authorisation again"
    ]
    assert unauthorised.kodi.get_setting(ADDON_ID, "trakt_access_token") == ""


def test_code_running_out_while_pending_stops_polling(unauthorised):
    script_user(unauthorised.sim, then="never", expires_in=4)
    result = unauthorised.kodi.run(AUTHORIZE, answers=["ok"])
    assert dialog_messages(result, "ok") == [
        "The code expired before it was approved; start the authorisation again"
    ]
    assert len(unauthorised.requests(TOKEN_PATH)) == 3  # at 1, 2 and 3 s; the code is gone at 4 s


def test_already_used_code_stops_with_a_message(unauthorised):
    script_user(unauthorised.sim, then="approve")
    unauthorised.sim.add_fault(method="POST", path=TOKEN_PATH, status=409, nth=1, times=1)
    result = unauthorised.kodi.run(AUTHORIZE, answers=["ok"])
    assert dialog_messages(result, "ok") == ["This code was already used; start the authorisation again"]


def test_cancel_stops_polling(unauthorised):
    script_user(unauthorised.sim, then="never")
    result = unauthorised.kodi.run(AUTHORIZE, answers=["progress_cancel=5"])
    assert result.error is None, result.log
    assert [note["message"] for note in result.notifications] == ["Trakt authorisation cancelled"]
    assert (
        len(unauthorised.requests(TOKEN_PATH)) == 2
    )  # an update before each wait and each poll: polls at updates 2 and 4
    assert unauthorised.kodi.get_setting(ADDON_ID, "trakt_access_token") == ""


def test_authorize_without_client_credentials_asks_for_them(unauthorised):
    unauthorised.settings(trakt_client_secret="")
    result = unauthorised.kodi.run(AUTHORIZE, answers=["ok"])
    assert dialog_messages(result, "ok") == [
        "Enter the Trakt client ID and client secret in the settings first"
    ]
    assert unauthorised.requests() == []


def test_rejected_client_id_is_reported(unauthorised):
    unauthorised.settings(trakt_client_id="wrong-client")
    result = unauthorised.kodi.run(AUTHORIZE, answers=["ok"])
    assert dialog_messages(result, "ok") == [
        "Trakt authorisation failed: Trakt answered HTTP 401 to the code request"
    ]


def test_authorize_never_logs_the_tokens(unauthorised):
    script_user(unauthorised.sim, then="approve")
    result = unauthorised.kodi.run(AUTHORIZE, debug_log=True)
    access = unauthorised.kodi.get_setting(ADDON_ID, "trakt_access_token")
    refresh = unauthorised.kodi.get_setting(ADDON_ID, "trakt_refresh_token")
    text = "\n".join(result.log) + unauthorised.kodi.log_text()
    assert access and access not in text and refresh not in text
    assert "sim-client-secret" not in text


def test_service_syncs_once_the_user_has_authorised(kodi, addon_zip_path, sim, served):
    world = make_world(kodi, addon_zip_path, sim, served, trakt_access_token="", sync_interval=60)
    script_user(sim, then="approve")
    with world.kodi.start_service(ADDON_ID) as service:
        service.advance(60)
        assert world.syncs() == 0
        world.kodi.run(AUTHORIZE)
        service.advance(2)
        assert world.syncs() == 1


# --- revoke ---------------------------------------------------------------------------------------


@pytest.fixture
def synced(world):
    """The add-on authorised and synced once by its service."""
    world.kodi.service(ADDON_ID, virtual_seconds=1)
    with sqlite3.connect(world.db_path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM watched_movies").fetchone()[0] > 0
    return world


def table_counts(world) -> dict[str, int]:
    with sqlite3.connect(world.db_path) as conn:
        tables = (
            "shows",
            "movies",
            "watched_movies",
            "watched_episodes",
            "watchlist",
            "playback",
            "sync_state",
        )
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables}


def test_revoke_clears_tokens_and_the_mirror(synced):
    result = synced.kodi.run(REVOKE, answers=["yesno=true"])
    assert result.error is None, result.log
    assert len(synced.requests("/oauth/revoke")) == 1
    for setting_id in ("trakt_access_token", "trakt_refresh_token", "trakt_token_expires"):
        assert synced.kodi.get_setting(ADDON_ID, setting_id) == ""
    assert set(table_counts(synced).values()) == {0}  # data AND activities
    assert [note["message"] for note in result.notifications] == ["Trakt authorisation revoked"]


def test_revoke_kills_the_token_on_trakt(synced):
    synced.kodi.run(REVOKE, answers=["yesno=true"])
    assert synced.sim.state.tokens.by_access["test-token"].revoked


def test_revoke_clears_the_local_state_when_trakt_fails(synced):
    synced.sim.add_fault(method="POST", path="/oauth/revoke", status=503, times=EVERY)
    synced.kodi.run(REVOKE, answers=["yesno=true"])
    assert synced.kodi.get_setting(ADDON_ID, "trakt_access_token") == ""
    assert set(table_counts(synced).values()) == {0}


def test_revoke_declined_keeps_everything(synced):
    before = table_counts(synced)
    synced.kodi.run(REVOKE, answers=["yesno=false"])
    assert synced.requests("/oauth/revoke") == []
    assert synced.kodi.get_setting(ADDON_ID, "trakt_access_token") == "test-token"
    assert table_counts(synced) == before
