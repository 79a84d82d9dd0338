"""Dialog answers in the fake's syntax turned into the GUI steps the real-Kodi driver sends."""

from __future__ import annotations

import pytest

from fake_kodi.real.dialog_answers import Step, answer_steps

SELECT = Step("action", "Select")
DOWN = Step("action", "Down")
BACK = Step("action", "Back")


@pytest.mark.parametrize(
    ("answer", "steps"),
    [
        ("yesno=true", [Step("builtin", "SendClick(10100,11)")]),
        ("yesno=false", [Step("builtin", "SendClick(10100,10)")]),
        ("yesnocustom=2", [Step("builtin", "SendClick(10100,12)")]),
        ("yesnocustom=-1", [BACK]),
        ("ok", [SELECT]),
        ("select=0", [SELECT]),
        ("select=2", [DOWN, DOWN, SELECT]),
        ("select=-1", [BACK]),
        ("contextmenu=1", [DOWN, SELECT]),
        ("textviewer", [BACK]),
        ("addonsettings", [BACK]),
        ("Select", [SELECT]),  # a Kodi action name passes through as it is
        ("Left", [Step("action", "Left")]),
    ],
)
def test_answer_becomes_gui_steps(answer: str, steps: list[Step]) -> None:
    assert answer_steps([answer]) == [steps]


@pytest.mark.parametrize("answer", ["input=abc", "keyboard=abc", "numeric=1", "multiselect=0,1", "browse=/x"])
def test_answers_that_need_typing_are_refused(answer: str) -> None:
    with pytest.raises(ValueError, match="cannot be given to real Kodi by the driver"):
        answer_steps([answer])


def test_a_misspelt_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown dialog answer kind 'yes' in 'yes=true'; known: "):
        answer_steps(["yes=true"])
