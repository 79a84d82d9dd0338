"""Scripted GUI answers: the dialogs a test expects, in order, with what the user "clicks".

An answer is written `KIND=VALUE` (the CLI's `--answer`), e.g. `yesno=true`, `ok`, `select=2`,
`input=some text`, `textviewer`, `keyboard=text`, `progress_cancel=3`, `addonsettings` (closes
Addon.openSettings' dialog unchanged). Strict by default: a
modal dialog the script did not expect raises `UnexpectedDialog` naming it and what was expected.

Values handed back to the xbmcgui/xbmc modules (Kodi's return values):
  ok -> True; yesno -> bool; yesnocustom/select/contextmenu -> int (-1 = cancelled);
  multiselect -> list[int] or None (cancelled: `multiselect=cancel`); input/numeric/browse* -> str
  ('' = cancelled); textviewer -> None; keyboard -> str (confirmed) or None (`keyboard_cancel`);
  progress_iscanceled -> bool (True from the Nth update on when `progress_cancel=N` was scripted).
Progress dialogs need no script: without `progress_cancel` they are never cancelled.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fake_kodi.addon_side.session import UnexpectedDialog

INT_KINDS = {"select", "yesnocustom", "contextmenu"}
TEXT_KINDS = {"input", "numeric", "browse", "browsesingle", "browsemultiple", "keyboard", "colorpicker"}
NO_VALUE_KINDS = {"ok", "textviewer", "keyboard_cancel", "addonsettings"}
BOOL_KINDS = {"yesno"}
ANSWER_KINDS = INT_KINDS | TEXT_KINDS | NO_VALUE_KINDS | BOOL_KINDS | {"multiselect", "progress_cancel"}

# What a dialog returns when it is cancelled (used when not strict).
CANCEL_VALUES: dict[str, Any] = {
    "ok": True,
    "yesno": False,
    "yesnocustom": -1,
    "select": -1,
    "contextmenu": -1,
    "multiselect": None,
    "input": "",
    "numeric": "",
    "browse": "",
    "browsesingle": "",
    "browsemultiple": [],
    "colorpicker": "",
    "textviewer": None,
    "keyboard": None,
    "addonsettings": None,
}
PROGRESS_PREFIXES = ("progress_", "progressbg_")


@dataclass(frozen=True)
class Answer:
    """One scripted answer: the dialog kind it is for and the value the user gives."""

    kind: str
    value: Any = None

    def __str__(self) -> str:
        if self.kind in NO_VALUE_KINDS:
            return self.kind
        if self.value is None:
            return f"{self.kind}=cancel"
        if isinstance(self.value, bool):
            return f"{self.kind}={str(self.value).lower()}"
        if isinstance(self.value, list):
            return f"{self.kind}={','.join(str(v) for v in self.value)}"
        return f"{self.kind}={self.value}"


def parse_answer(text: str) -> Answer:
    """Parse `KIND=VALUE` (or a bare `KIND` for ok/textviewer) into an Answer; ValueError if invalid."""
    kind, sep, raw = text.partition("=")
    kind = kind.strip().lower()
    if kind not in ANSWER_KINDS:
        raise ValueError(
            f"unknown dialog answer kind {kind!r} in {text!r}; known: {', '.join(sorted(ANSWER_KINDS))}"
        )
    if kind in NO_VALUE_KINDS:
        return Answer(kind)
    if not sep:
        raise ValueError(f"dialog answer {text!r} needs a value: {kind}=VALUE")
    if kind in BOOL_KINDS:
        lowered = raw.strip().lower()
        if lowered not in ("true", "false", "yes", "no", "1", "0"):
            raise ValueError(f"dialog answer {text!r}: {kind} takes true or false")
        return Answer(kind, lowered in ("true", "yes", "1"))
    if kind in INT_KINDS or kind == "progress_cancel":
        try:
            number = int(raw)
        except ValueError:
            raise ValueError(f"dialog answer {text!r}: {kind} takes an integer") from None
        if kind == "progress_cancel" and number < 1:
            raise ValueError(f"dialog answer {text!r}: progress_cancel counts updates from 1")
        return Answer(kind, number)
    if kind == "multiselect":
        if raw.strip().lower() == "cancel":
            return Answer(kind, None)
        try:
            return Answer(kind, [int(part) for part in raw.split(",") if part.strip()])
        except ValueError:
            raise ValueError(
                f"dialog answer {text!r}: multiselect takes indexes like 0,2 or cancel"
            ) from None
    if kind == "browsemultiple":
        return Answer(kind, [part for part in raw.split("|") if part])
    return Answer(kind, raw)


def to_answers(items: Iterable[str | Answer]) -> list[Answer]:
    """Normalise a mix of `KIND=VALUE` strings and Answer objects."""
    return [item if isinstance(item, Answer) else parse_answer(item) for item in items]


@dataclass
class _Progress:
    """A progress dialog that a `progress_cancel=N` answer was attached to."""

    cancel_at: int | None
    updates: int = 0


@dataclass
class DialogScript:
    """The queue of expected dialogs of one add-on interpreter, and the record of those shown."""

    answers: list[Answer] = field(default_factory=list)
    strict: bool = True
    shown: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: deque[Answer] = deque(self.answers)
        self._progress: dict[Any, _Progress] = {}
        self._last_progress: Any = None

    @property
    def unused(self) -> list[str]:
        """Answers the add-on never asked for (tests usually want this empty)."""
        return [str(answer) for answer in self._queue]

    def answer(self, kind: str, details: dict[str, Any]) -> Any:
        """The scripted answer to a dialog of `kind`; raises UnexpectedDialog when unscripted and strict."""
        if kind.startswith(PROGRESS_PREFIXES):
            return self._progress_step(kind, details)
        expected = self._queue[0] if self._queue else None
        wanted = "keyboard" if expected is not None and expected.kind == "keyboard_cancel" else None
        if expected is not None and (expected.kind == kind or wanted == kind):
            self._queue.popleft()
            value = None if expected.kind == "keyboard_cancel" else self._value_for(expected)
            if kind == "browse" and details.get("multiple") and isinstance(value, str):
                value = [path for path in value.split("|") if path]  # browse=a|b for several files
            self._record(kind, details, value)
            return value
        if self.strict:
            self._record(kind, details, "<unexpected>")
            raise UnexpectedDialog(self._unexpected_message(kind, details, expected))
        value = CANCEL_VALUES.get(kind)
        self._record(kind, details, value)
        return value

    @staticmethod
    def _value_for(answer: Answer) -> Any:
        if answer.kind == "ok":
            return True
        return answer.value

    def _record(self, kind: str, details: dict[str, Any], answer: Any) -> None:
        self.shown.append({"kind": kind, **details, "answer": answer})

    def _unexpected_message(self, kind: str, details: dict[str, Any], expected: Answer | None) -> str:
        heading = details.get("heading", "")
        what = f"unexpected {kind} dialog (heading {heading!r})"
        if expected is None:
            return f"{what}: no scripted answer is left; script one with answer {kind}=VALUE"
        return f"{what}: the script expected {expected} next"

    def _progress_step(self, kind: str, details: dict[str, Any]) -> Any:
        key = details.get("dialog_id", "current")
        action = kind.split("_", 1)[1]
        if action == "create":
            cancel_at = None
            if self._queue and self._queue[0].kind == "progress_cancel" and kind.startswith("progress_"):
                cancel_at = self._queue.popleft().value
            self._progress[key] = _Progress(cancel_at)
            self._last_progress = key
            self._record(kind, details, None)
            return None
        progress = self._progress.get(key) or self._progress.get(self._last_progress)
        if progress is None:
            progress = self._progress.setdefault(key, _Progress(None))
        if action == "update":
            progress.updates += 1
            self._record(kind, details, None)
            return None
        if action == "iscanceled":
            cancelled = progress.cancel_at is not None and progress.updates >= progress.cancel_at
            if cancelled:
                # Recorded once, the first time the add-on sees the cancel.
                if not any(d["kind"] == kind and d.get("answer") is True for d in self.shown):
                    self._record(kind, details, True)
            return cancelled
        self._record(kind, details, None)
        return None
