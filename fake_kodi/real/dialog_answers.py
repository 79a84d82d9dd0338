"""Scripted dialog answers for real Kodi, in the fake's syntax (`yesno=true`, `ok`, `select=1`), as GUI steps.

A plugin blocked on a modal dialog also blocks Kodi's JSON-RPC server, so each answer becomes steps sent over
the event server: a Kodi action ("Select", "Down", "Back") or a builtin (`SendClick(<window>,<control>)`).
The button ids are Kodi's: the yes/no dialog (window 10100) has No 10, Yes 11, custom 12; Back cancels.
A bare Kodi action name ("Select", "Back", "Down", ...) is still accepted and sent as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fake_kodi.addon_side.dialogs import NO_VALUE_KINDS, Answer, parse_answer

YESNO_WINDOW = 10100
NO_BUTTON, YES_BUTTON, CUSTOM_BUTTON = 10, 11, 12
# Kinds a keypad cannot answer: they need text typed into Kodi's keyboard, or a file browser.
_NOT_DRIVABLE = ("input", "numeric", "keyboard", "browse", "browsesingle", "browsemultiple", "colorpicker")


@dataclass(frozen=True)
class Step:
    """One thing sent to Kodi's GUI: kind 'action' (a Kodi action name) or 'builtin' (a builtin command)."""

    kind: str
    text: str


def _click(button: int) -> list[Step]:
    return [Step("builtin", f"SendClick({YESNO_WINDOW},{button})")]


def _pick(index: int) -> list[Step]:
    # Select and context-menu lists open with the first entry focused.
    if index < 0:
        return [Step("action", "Back")]
    return [Step("action", "Down")] * index + [Step("action", "Select")]


def steps_for(answer: Answer) -> list[Step]:
    """The GUI steps that give `answer` to the dialog now open; ValueError for kinds real Kodi cannot be driven to."""
    kind, value = answer.kind, answer.value
    if kind == "ok":
        return [Step("action", "Select")]
    if kind in ("textviewer", "addonsettings"):
        return [Step("action", "Back")]
    if kind == "yesno":
        return _click(YES_BUTTON if value else NO_BUTTON)
    if kind == "yesnocustom":
        buttons = {1: YES_BUTTON, 0: NO_BUTTON, 2: CUSTOM_BUTTON}
        return _click(buttons[value]) if value in buttons else [Step("action", "Back")]
    if kind in ("select", "contextmenu"):
        return _pick(value)
    if kind in _NOT_DRIVABLE or kind in ("multiselect", "keyboard_cancel", "progress_cancel"):
        raise ValueError(f"dialog answer {answer} cannot be given to real Kodi by the driver (no text entry)")
    raise ValueError(f"dialog answer {answer}: unknown kind")


def is_fake_syntax(text: str) -> bool:
    """Whether `text` is written in the fake's answer syntax rather than as a Kodi action name."""
    return "=" in text or text in NO_VALUE_KINDS


def answer_steps(answers: Iterable[str]) -> list[list[Step]]:
    """One list of steps per dialog: `yesno=true` style answers translated, Kodi action names kept as they are."""
    return [
        steps_for(parse_answer(text)) if is_fake_syntax(text) else [Step("action", text)] for text in answers
    ]
