"""Scripted dialog answers: parsing, order, strictness, progress cancellation."""

from __future__ import annotations

import pytest

from fake_kodi.addon_side.dialogs import DialogScript, parse_answer, to_answers
from fake_kodi.addon_side.session import UnexpectedDialog


def test_yesno_answer_parses_to_bool():
    assert parse_answer("yesno=false").value is False


def test_select_answer_parses_to_int():
    assert parse_answer("select=2").value == 2


def test_unknown_answer_kind_is_rejected_with_the_known_kinds():
    with pytest.raises(ValueError, match=r"unknown dialog answer kind 'dance' in 'dance=1'; known: .*yesno"):
        parse_answer("dance=1")


def test_answer_without_value_is_rejected():
    with pytest.raises(ValueError, match=r"dialog answer 'select' needs a value: select=VALUE"):
        parse_answer("select")


def test_answers_are_given_in_order():
    script = DialogScript(to_answers(["yesno=true", "input=abc"]))
    assert [script.answer("yesno", {"heading": "A"}), script.answer("input", {"heading": "B"})] == [
        True,
        "abc",
    ]


def test_unexpected_dialog_names_kind_heading_and_expected_answer():
    script = DialogScript(to_answers(["select=1"]))
    with pytest.raises(UnexpectedDialog) as caught:
        script.answer("yesno", {"heading": "Delete?"})
    assert (
        str(caught.value) == "unexpected yesno dialog (heading 'Delete?'): the script expected select=1 next"
    )


def test_dialog_with_empty_script_says_how_to_script_it():
    with pytest.raises(
        UnexpectedDialog, match=r"no scripted answer is left; script one with answer ok=VALUE"
    ):
        DialogScript().answer("ok", {"heading": "Hi"})


def test_lenient_script_cancels_unscripted_select():
    assert DialogScript(strict=False).answer("select", {"heading": "Pick"}) == -1


def test_every_dialog_shown_is_recorded_with_its_answer():
    script = DialogScript(to_answers(["ok"]))
    script.answer("ok", {"heading": "Done", "message": "m"})
    assert script.shown == [{"kind": "ok", "heading": "Done", "message": "m", "answer": True}]


def test_progress_cancel_turns_iscanceled_true_at_the_nth_update():
    script = DialogScript(to_answers(["progress_cancel=2"]))
    script.answer("progress_create", {"heading": "Sync"})
    seen = []
    for _step in range(3):
        seen.append(script.answer("progress_iscanceled", {}))
        script.answer("progress_update", {"percent": 10})
    assert seen + [script.answer("progress_iscanceled", {})] == [False, False, True, True]


def test_unscripted_progress_dialog_is_never_cancelled():
    script = DialogScript()
    script.answer("progress_create", {"heading": "Sync"})
    script.answer("progress_update", {"percent": 50})
    assert script.answer("progress_iscanceled", {}) is False


def test_unused_answers_are_reported():
    assert DialogScript(to_answers(["yesno=true", "ok"])).unused == ["yesno=true", "ok"]


def test_keyboard_cancel_answers_a_keyboard_with_none():
    assert DialogScript(to_answers(["keyboard_cancel"])).answer("keyboard", {"heading": "Name"}) is None


def test_browse_for_several_files_splits_the_answer_on_bars():
    script = DialogScript(to_answers(["browse=/a.nfo|/b.nfo"]))
    assert script.answer("browse", {"heading": "Files", "multiple": True}) == ["/a.nfo", "/b.nfo"]
