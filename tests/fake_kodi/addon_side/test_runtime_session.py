"""The concrete Session, in-process: JSON-RPC, info labels, conditions, builtins, settings snapshots."""

from __future__ import annotations

import json

import pytest

from fake_kodi.addon_side.kodi_info import parse_builtin
from fake_kodi.addon_side.runtime import PluginTime, Runtime
from fake_kodi.addon_side.session import FakeKodiError
from fake_kodi.home.clock import RealClock
from fake_kodi.home.event_journal import EventJournal

from ..conftest import EXAMPLE_ID


@pytest.fixture
def runtime(example_kodi):
    return Runtime(
        example_kodi.home, EXAMPLE_ID, mode="plugin", time_source=PluginTime(RealClock()), handle=1
    )


def test_jsonrpc_version_matches_kodi_20_bytes(runtime):
    request = '{"jsonrpc":"2.0","method":"JSONRPC.Version","id":1}'
    assert (
        runtime.execute_jsonrpc(request)
        == '{"id":1,"jsonrpc":"2.0","result":{"version":{"major":13,"minor":0,"patch":0}}}'
    )


def test_jsonrpc_invalid_json_is_a_parse_error(runtime):
    assert json.loads(runtime.execute_jsonrpc("{nope"))["error"] == {
        "code": -32700,
        "message": "Parse error.",
    }


def test_jsonrpc_unknown_method_is_method_not_found(runtime):
    response = json.loads(runtime.execute_jsonrpc('{"jsonrpc":"2.0","method":"Foo.Bar","id":7}'))
    assert response["error"] == {"code": -32601, "message": "Method not found."}


def test_jsonrpc_notify_all_with_null_data_is_invalid_params(runtime):
    request = '{"jsonrpc":"2.0","method":"JSONRPC.NotifyAll","params":{"sender":"t","message":"m","data":null},"id":1}'
    assert json.loads(runtime.execute_jsonrpc(request))["error"]["code"] == -32602


def test_jsonrpc_notify_all_reaches_the_event_journal_as_other_message(runtime, example_kodi):
    journal = EventJournal(example_kodi.home.state_dir)
    journal.skip_to_end()
    request = '{"jsonrpc":"2.0","method":"JSONRPC.NotifyAll","params":{"sender":"tester","message":"hello","data":{"a":1,"b":[1,2]}},"id":1}'
    runtime.execute_jsonrpc(request)
    assert journal.read_new() == [
        {"type": "notify", "sender": "tester", "method": "Other.hello", "data": '{"a":1,"b":[1,2]}'}
    ]


def test_unknown_info_label_echoes_its_text(runtime):
    assert runtime.info_label("Foo.Bar") == "Foo.Bar"


def test_info_label_reads_home_window_property_case_insensitively(runtime):
    runtime.set_property(10000, "MyKey", "v")
    assert runtime.info_label("Window(Home).Property(mykey)") == "v"


def test_condition_platform_linux_is_true(runtime):
    assert runtime.cond_visibility("System.Platform.Linux") is True


def test_condition_unknown_is_false(runtime):
    assert runtime.cond_visibility("Foo.Bar") is False


def test_condition_unmatched_parentheses_is_false_and_logged(runtime):
    runtime.kodi_log.min_level = 0
    assert runtime.cond_visibility("nonsense((") is False
    assert "unmatched parentheses" in runtime.log_lines[-1]


def test_condition_string_is_empty_of_cleared_property(runtime):
    runtime.set_property(10000, "k", "x")
    runtime.set_property(10000, "k", "")
    assert runtime.cond_visibility("String.IsEmpty(Window(Home).Property(k))") is True


def test_condition_combines_not_and_or(runtime):
    assert runtime.cond_visibility("!Foo.Bar + [System.Platform.Windows | System.Platform.Linux]") is True


def test_builtin_params_split_like_kodi():
    assert parse_builtin('RunPlugin("plugin://x/?a=1,b=2")') == ("RunPlugin", ["plugin://x/?a=1,b=2"])


def test_run_plugin_builtin_is_recorded_with_its_url(runtime):
    runtime.execute_builtin("RunPlugin(plugin://plugin.video.example/?action=ping)", False)
    assert runtime.records[-1][1]["url"] == "plugin://plugin.video.example/?action=ping"


def test_window_12345_does_not_exist(runtime):
    assert (runtime.window_exists(10000), runtime.window_exists(12345)) == (True, False)


def test_unknown_addon_id_raises_kodis_runtime_error(runtime):
    with pytest.raises(RuntimeError, match=r"^Unknown addon id 'no.such'.$"):
        runtime.settings_for("no.such")


def test_plugin_wait_for_abort_without_timeout_fails_instead_of_hanging(runtime):
    with pytest.raises(FakeKodiError, match="blocks until Kodi quits"):
        runtime.wait_for_abort(None)


def test_save_reloads_only_the_first_live_snapshot(runtime):
    first, second, writer = (runtime.settings_for(EXAMPLE_ID) for _ in range(3))
    writer.setSetting("greeting", "Hi")
    assert (first.getSetting("greeting"), second.getSetting("greeting")) == ("Hi", "Hello")


def test_save_is_announced_in_the_event_journal(runtime, example_kodi):
    journal = EventJournal(example_kodi.home.state_dir)
    journal.skip_to_end()
    runtime.settings_for(EXAMPLE_ID).setSetting("greeting", "Hi")
    assert [(e["type"], e["addon_id"]) for e in journal.read_new()] == [("settings_saved", EXAMPLE_ID)]


def test_add_on_string_comes_from_its_strings_po(runtime):
    assert runtime.localized_string(EXAMPLE_ID, 30001) == "Movies"


def test_kodi_core_strings_come_from_the_shipped_table(runtime):
    assert (
        runtime.localized_string("resource.language.en_gb", 106),
        runtime.localized_string("x.y", 106),
    ) == (
        "No",
        "",
    )
