"""Plugin calls of the example add-on, each in a fresh interpreter, through the Python API."""

from __future__ import annotations

import json

import pytest

from fake_kodi.host.plugin_runner import PluginCallError, parse_plugin_url
from fake_kodi.kodi import Kodi

from ..conftest import EXAMPLE_ID

ROOT = f"plugin://{EXAMPLE_ID}/"


def test_root_lists_two_folders_and_a_playable_movie(example_kodi):
    result = example_kodi.run(ROOT)
    assert (result.status, result.labels, [i["is_folder"] for i in result.items]) == (
        "directory",
        ["Movies", "Tools", "Movie 1"],
        [True, True, False],
    )


def test_first_call_gets_kodis_argv_with_handle_1(example_kodi):
    assert example_kodi.run(ROOT).argv == [ROOT, "1", "", "resume:false"]


def test_handles_count_up_across_calls_including_failed_ones(example_kodi):
    handles = [
        example_kodi.run(ROOT + query, expect_error=query == "?action=boom").argv[1]
        for query in ("?action=boom", "?action=silent", "")
    ]
    assert handles == ["1", "2", "3"]


def test_query_keeps_its_question_mark_and_percent_encoding(example_kodi):
    result = example_kodi.run(ROOT + "?action=movies&x=a%20b%2Fc")
    assert result.argv[2] == "?action=movies&x=a%20b%2Fc"


def test_url_without_path_gets_a_trailing_slash():
    assert parse_plugin_url("plugin://plugin.video.example?x=1") == (EXAMPLE_ID, ROOT, "?x=1")


def test_movie_info_tag_is_captured_like_jsonrpc_returns_it(example_kodi):
    info = example_kodi.run(ROOT).items[2]["info"]
    assert {k: info[k] for k in ("title", "year", "playcount", "uniqueids", "mediatype", "resume")} == {
        "title": "Movie 1",
        "year": 2001,
        "playcount": 3,
        "uniqueids": {"imdb": "tt0000001", "tmdb": "1"},
        "mediatype": "movie",
        "resume": {"position": 30.5, "total": 100.0},
    }


def test_item_art_and_lowercased_properties_are_captured(example_kodi):
    item = example_kodi.run(ROOT).items[2]
    assert (item["art"]["thumb"], item["properties"]["isplayable"]) == (
        "https://example.invalid/1.jpg",
        "true",
    )


def test_context_menu_is_captured(example_kodi):
    menu = example_kodi.run(ROOT).items[2]["context_menu"]
    assert menu == [["Delete", f"RunPlugin({ROOT}?action=delete&id=1)"]]


def test_content_sort_methods_and_category_are_captured(example_kodi):
    movies = example_kodi.run(ROOT + "?action=movies")
    root = example_kodi.run(ROOT)
    assert (movies.content, len(movies.sort_methods), root.category) == ("movies", 1, "Example")


def test_end_of_directory_arguments_are_captured(example_kodi):
    assert example_kodi.run(ROOT + "?action=movies").end_of_directory["cache_to_disc"] is False


def test_play_route_resolves_a_url(example_kodi):
    result = example_kodi.run(ROOT + "?action=play&id=4")
    assert (result.status, result.resolved_url) == ("resolved", "https://example.invalid/movie/4.mp4")


def test_raising_route_is_an_exception_with_traceback(example_kodi):
    result = example_kodi.run(ROOT + "?action=boom", expect_error=True)
    assert (result.status, result.error["type"], result.error["message"]) == (
        "exception",
        "ValueError",
        "boom route",
    )
    assert result.error["traceback"].startswith("Traceback (most recent call last):\n  File ")
    assert "runpy" not in result.error["traceback"]


def test_uncaught_exception_is_logged_the_way_kodi_does(example_kodi):
    example_kodi.run(ROOT + "?action=boom", expect_error=True)
    log = example_kodi.log_text()
    assert (
        "error <general>: EXCEPTION Thrown (PythonToCppException) : -->Python callback/script returned" in log
    )
    assert "Error Contents: boom route" in log


def test_route_without_end_of_directory_is_no_response(example_kodi):
    assert example_kodi.run(ROOT + "?action=silent").status == "no_response"


def test_end_of_directory_not_succeeded_is_no_response(example_kodi):
    assert example_kodi.run(ROOT + "?action=search", answers=["input="]).status == "no_response"


def test_yes_answer_deletes_notifies_and_refreshes(example_kodi):
    result = example_kodi.run(ROOT + "?action=delete&id=7", answers=["yesno=true"])
    assert (result.notifications[0]["message"], result.builtins[0]["command"]) == (
        "Deleted movie 7",
        "Container.Refresh",
    )
    assert example_kodi.window_property("example.deleted") == "7"


def test_dialogs_shown_are_recorded_with_heading_and_answer(example_kodi):
    result = example_kodi.run(ROOT + "?action=delete&id=7", answers=["yesno=false"])
    assert [(d["kind"], d["heading"], d["answer"]) for d in result.dialogs] == [("yesno", "Delete?", False)]


def test_unscripted_dialog_fails_the_call_naming_the_dialog(example_kodi):
    result = example_kodi.run(ROOT + "?action=delete&id=7", expect_error=True)
    assert (result.status, result.error["type"]) == ("exception", "UnexpectedDialog")
    assert result.error["message"].startswith(
        "unexpected yesno dialog (heading 'Delete?'): no scripted answer is left"
    )


def test_lenient_run_cancels_unscripted_dialogs(example_kodi):
    result = example_kodi.run(ROOT + "?action=choose", strict=False)
    assert (result.status, result.dialogs[0]["answer"]) == ("no_response", -1)


def test_select_answer_picks_the_option(example_kodi):
    assert (
        example_kodi.run(ROOT + "?action=choose", answers=["select=2"]).resolved_url
        == "https://example.invalid/2160p.mp4"
    )


def test_input_answer_is_the_typed_text(example_kodi):
    assert example_kodi.run(ROOT + "?action=search", answers=["input=dune"]).labels == ["Result for dune"]


def test_keyboard_answer_confirms_the_text(example_kodi):
    assert example_kodi.run(ROOT + "?action=keyboard", answers=["keyboard=Ann"]).labels == ["Ann"]


def test_keyboard_cancel_is_not_confirmed(example_kodi):
    assert example_kodi.run(ROOT + "?action=keyboard", answers=["keyboard_cancel"]).labels == ["cancelled"]


def test_progress_cancel_at_the_third_update(example_kodi):
    result = example_kodi.run(ROOT + "?action=sync", answers=["progress_cancel=3"])
    assert result.notifications[0]["message"] == "Cancelled after step 3"


def test_progress_without_cancel_runs_to_the_end(example_kodi):
    result = example_kodi.run(ROOT + "?action=sync")
    assert (result.notifications[0]["message"], result.dialogs[-1]["kind"]) == (
        "Sync finished",
        "progress_close",
    )


def test_unused_answers_are_reported(example_kodi):
    assert example_kodi.run(ROOT + "?action=movies", answers=["ok"]).unused_answers == ["ok"]


def test_setting_written_by_one_call_is_read_by_the_next(example_kodi):
    example_kodi.run(ROOT + "?action=greet&greeting=Hey")
    assert example_kodi.run(ROOT + "?action=greet").labels == ["Hey -> Hey"]


def test_preset_setting_changes_the_listing(example_kodi):
    example_kodi.set_settings(EXAMPLE_ID, show_extra=True)
    assert example_kodi.run(ROOT).labels[-1] == "Extra"


def test_window_property_set_by_the_service_is_seen_by_a_plugin_call(example_kodi):
    example_kodi.service(EXAMPLE_ID, virtual_seconds=700, events=["600:wake"])
    assert example_kodi.run(ROOT + "?action=tools", answers=["textviewer"]).labels == ["Service wakes: 1"]


def test_run_plugin_is_recorded_and_followed_with_handle_minus_1(example_kodi):
    result = example_kodi.run(ROOT + "?action=tools", answers=["textviewer"], follow_run_plugin=True)
    assert (result.run_plugin_urls, result.followups[0].argv) == (
        [f"{ROOT}?action=ping"],
        [ROOT, "-1", "?action=ping", "resume:false"],
    )
    assert example_kodi.window_property("example.pinged") == "-1"


def test_log_lines_of_the_call_are_captured(example_kodi):
    assert example_kodi.run(ROOT).log[-1].endswith("info <general>: example: root listed with handle 1")


def test_print_goes_to_the_debug_log_only_with_debug_logging(example_kodi):
    quiet = example_kodi.run(ROOT + "?action=greet&greeting=x")
    loud = example_kodi.run(ROOT + "?action=greet&greeting=y", debug_log=True)
    printed = "debug <general>: example: greeting was x"
    assert (any(printed in line for line in quiet.log), any(printed in line for line in loud.log)) == (
        False,
        True,
    )


def test_plugin_sees_the_virtual_clock_of_the_home(example_kodi):
    example_kodi.clock.set(1_700_000_000)
    assert example_kodi.call(EXAMPLE_ID, "example.queries:summary")["now"] == 1_700_000_000


def test_add_on_not_installed_is_refused_without_using_a_handle(example_kodi):
    with pytest.raises(PluginCallError, match=r"^add-on plugin.video.nothing is not installed in "):
        example_kodi.run("plugin://plugin.video.nothing/")
    assert example_kodi.run(ROOT).argv[1] == "1"


def test_non_plugin_url_is_refused(example_kodi):
    with pytest.raises(PluginCallError, match=r"^not a plugin:// URL: 'http://x/'$"):
        example_kodi.run("http://x/")


def test_kodi_21_runs_the_add_on_and_reports_its_jsonrpc_version(tmp_path, example_zip, example_deps):
    kodi21 = Kodi(tmp_path / "kodi21", kodi_version=21)
    kodi21.install(example_zip, dependencies=example_deps)
    result = kodi21.run(ROOT)
    version = kodi21.call(
        EXAMPLE_ID, "xbmc:executeJSONRPC", ['{"jsonrpc":"2.0","method":"JSONRPC.Version","id":1}']
    )
    assert (result.status, json.loads(version)["result"]["version"]) == (
        "directory",
        {"major": 13, "minor": 5, "patch": 0},
    )
