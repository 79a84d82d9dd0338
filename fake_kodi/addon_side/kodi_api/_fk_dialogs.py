"""xbmcgui.Dialog, DialogProgress and DialogProgressBG over the session's scripted answers.

Modal dialogs ask `current().answer_dialog(kind, details)`: the test's script decides what the
user does (the runtime records the dialog). Kodi 19+ return conventions apply: select -> -1 and
input -> '' on cancel, multiselect -> None on cancel, yesno -> bool.
"""

from __future__ import annotations

from typing import Any

from _fk_args import bool_arg, int_arg, str_arg
from _fk_notemulated import not_emulated

from fake_kodi.addon_side.session import current

_xbmcgui = not_emulated("xbmcgui")

NOTIFICATION_INFO = "info"
DLG_YESNO_NO_BTN = 10


def _option_label(option: Any) -> str:
    """Select/multiselect options are strings or ListItems; the script sees their labels."""
    if isinstance(option, str):
        return option
    if hasattr(option, "getLabel"):
        return option.getLabel()
    raise TypeError('argument "list" for method "select" must be a list of strings or ListItems')


def _ask(kind: str, **details: Any) -> Any:
    return current().answer_dialog(kind, details)


def _texts(method: str, **values: Any) -> dict[str, str]:
    """String arguments of `method`, converted (and refused) as Kodi does, in their given order."""
    return {name: str_arg(value, name, method) for name, value in values.items()}


def _ask_yesno(kind: str, autoclose: Any, defaultbutton: Any, **labels: Any) -> Any:
    """yesno and yesnocustom: the same dialog, with or without the custom button."""
    return _ask(
        kind, **_texts(kind, **labels), autoclose=int_arg(autoclose), defaultbutton=int_arg(defaultbutton)
    )


def _ask_progress_create(kind: str, dialog: object, heading: Any, message: Any) -> None:
    """DialogProgress and DialogProgressBG open the same way."""
    _ask(kind, dialog_id=id(dialog), **_texts("create", heading=heading, message=message))


class Dialog:
    """Kodi's modal dialogs and notifications."""

    def __init__(self) -> None:
        pass

    def yesno(
        self,
        heading: str,
        message: str,
        nolabel: str = "",
        yeslabel: str = "",
        autoclose: int = 0,
        defaultbutton: int = DLG_YESNO_NO_BTN,
    ) -> bool:
        """Ask yes or no; True for yes."""
        answer = _ask_yesno(
            "yesno",
            autoclose,
            defaultbutton,
            heading=heading,
            message=message,
            nolabel=nolabel,
            yeslabel=yeslabel,
        )
        return bool(answer)

    def yesnocustom(
        self,
        heading: str,
        message: str,
        customlabel: str,
        nolabel: str = "",
        yeslabel: str = "",
        autoclose: int = 0,
        defaultbutton: int = DLG_YESNO_NO_BTN,
    ) -> int:
        """Ask yes, no or custom: 1 yes, 0 no, 2 custom, -1 cancelled."""
        answer = _ask_yesno(
            "yesnocustom", autoclose, defaultbutton, heading=heading, message=message,
            customlabel=customlabel, nolabel=nolabel, yeslabel=yeslabel,
        )  # fmt: skip
        return int(answer)

    @_xbmcgui
    def info(self, item: Any) -> bool: ...

    def select(
        self, heading: str, list: list, autoclose: int = 0, preselect: int = -1, useDetails: bool = False
    ) -> int:
        """Pick one option; the index, or -1 when cancelled."""
        answer = _ask(
            "select", heading=str_arg(heading, "heading", "select"), options=[_option_label(o) for o in list],
            autoclose=int_arg(autoclose), preselect=int_arg(preselect), use_details=bool_arg(useDetails),
        )  # fmt: skip
        return -1 if answer is None else int(answer)

    def contextmenu(self, list: list) -> int:
        """Pick one context menu entry; the index, or -1 when cancelled."""
        answer = _ask("contextmenu", options=[str_arg(o, "list", "contextmenu") for o in list])
        return -1 if answer is None else int(answer)

    def multiselect(
        self,
        heading: str,
        options: list,
        autoclose: int = 0,
        preselect: list[int] | None = None,
        useDetails: bool = False,
    ) -> list[int] | None:
        """Pick several options; the indexes, or None when cancelled."""
        answer = _ask(
            "multiselect", heading=str_arg(heading, "heading", "multiselect"),
            options=[_option_label(o) for o in options], autoclose=int_arg(autoclose),
            preselect=[int_arg(i) for i in (preselect or [])], use_details=bool_arg(useDetails),
        )  # fmt: skip
        return None if answer is None else [int(i) for i in answer]

    def ok(self, heading: str, message: str) -> bool:
        """Show a message with an OK button."""
        answer = _ask("ok", **_texts("ok", heading=heading, message=message))
        return True if answer is None else bool(answer)

    def textviewer(self, heading: str, text: str, usemono: bool = False) -> None:
        """Show a long text."""
        _ask("textviewer", **_texts("textviewer", heading=heading, text=text), usemono=bool_arg(usemono))

    def browse(
        self,
        type: int,
        heading: str,
        shares: str,
        mask: str = "",
        useThumbs: bool = False,
        treatAsFolder: bool = False,
        defaultt: str = "",
        enableMultiple: bool = False,
    ) -> str | list[str]:
        """Browse for a file or folder; the scripted path(s), or `defaultt` when cancelled."""
        multiple = bool_arg(enableMultiple)
        kind = "browsemultiple" if multiple else "browse"
        answer = self._browse(kind, type, heading, shares, mask, defaultt, multiple)
        if multiple:
            return [str(p) for p in answer] if answer else []
        return str(answer) if answer else defaultt

    def browseSingle(
        self,
        type: int,
        heading: str,
        shares: str,
        mask: str = "",
        useThumbs: bool = False,
        treatAsFolder: bool = False,
        defaultt: str = "",
    ) -> str:
        """Browse for one file or folder; `defaultt` when cancelled."""
        answer = self._browse("browsesingle", type, heading, shares, mask, defaultt, False)
        # Kodi hands back the default path when the user cancels.
        return str(answer) if answer else defaultt

    def browseMultiple(
        self,
        type: int,
        heading: str,
        shares: str,
        mask: str = "",
        useThumbs: bool = False,
        treatAsFolder: bool = False,
        defaultt: str = "",
    ) -> list[str]:
        """Browse for several files; [] when cancelled."""
        answer = self._browse("browsemultiple", type, heading, shares, mask, defaultt, True)
        return [str(p) for p in answer] if answer else []

    def _browse(
        self, kind: str, type: Any, heading: Any, shares: Any, mask: Any, default: Any, multiple: bool
    ) -> Any:
        return _ask(
            kind, type=int_arg(type), heading=str_arg(heading, "heading", "browse"),
            shares=str_arg(shares, "shares", "browse"), mask=str_arg(mask, "mask", "browse"),
            default=str_arg(default, "defaultt", "browse"), multiple=multiple,
        )  # fmt: skip

    def numeric(self, type: int, heading: str, defaultt: str = "", bHiddenInput: bool = False) -> str:
        """Ask for a number, date, time or IP address; '' when cancelled."""
        answer = _ask(
            "numeric", type=int_arg(type), heading=str_arg(heading, "heading", "numeric"),
            default=str_arg(defaultt, "defaultt", "numeric"), hidden=bool_arg(bHiddenInput),
        )  # fmt: skip
        return "" if answer is None else str(answer)

    def notification(
        self, heading: str, message: str, icon: str = "", time: int = 0, sound: bool = True
    ) -> None:
        """Show a toast; Kodi's defaults are the info icon and 5000 ms."""
        current().record(
            "notification",
            {
                "heading": str_arg(heading, "heading", "notification"),
                "message": str_arg(message, "message", "notification"),
                "icon": str_arg(icon, "icon", "notification") or NOTIFICATION_INFO,
                "time": int_arg(time) or 5000,
                "sound": bool_arg(sound),
            },
        )

    def input(
        self, heading: str, defaultt: str = "", type: int = 0, option: int = 0, autoclose: int = 0
    ) -> str:
        """Ask for text; '' when cancelled."""
        answer = _ask(
            "input", heading=str_arg(heading, "heading", "input"), default=str_arg(defaultt, "defaultt", "input"),
            type=int_arg(type), option=int_arg(option), autoclose=int_arg(autoclose),
        )  # fmt: skip
        return "" if answer is None else str(answer)

    @_xbmcgui
    def colorpicker(
        self, heading: str, selectedcolor: str = "", colorfile: str = "", colorlist: Any = ()
    ) -> str: ...


class DialogProgress:
    """A modal progress dialog; the script decides at which step the user cancels."""

    def __init__(self) -> None:
        self._open = False

    def create(self, heading: str, message: str = "") -> None:
        """Open the dialog."""
        self._open = True
        _ask_progress_create("progress_create", self, heading, message)

    def update(self, percent: int, message: str = "") -> None:
        """Update percent and message."""
        _ask(
            "progress_update",
            dialog_id=id(self),
            percent=int_arg(percent),
            message=str_arg(message, "message", "update"),
        )

    def close(self) -> None:
        """Close the dialog."""
        if self._open:
            self._open = False
            _ask("progress_close", dialog_id=id(self))

    def iscanceled(self) -> bool:
        """True once the user pressed Cancel."""
        return bool(_ask("progress_iscanceled", dialog_id=id(self)))


class DialogProgressBG:
    """A background (non-modal) progress bar."""

    def __init__(self) -> None:
        self._finished = True

    def deallocating(self) -> None:
        """Kodi-internal cleanup hook; nothing to release in the fake."""

    def create(self, heading: str, message: str = "") -> None:
        """Show the bar."""
        self._finished = False
        _ask_progress_create("progressbg_create", self, heading, message)

    def update(self, percent: int = 0, heading: str = "", message: str = "") -> None:
        """Update percent, heading and message."""
        _ask(
            "progressbg_update", dialog_id=id(self), percent=int_arg(percent), heading=str_arg(heading, "heading", "update"),
            message=str_arg(message, "message", "update"),
        )  # fmt: skip

    def close(self) -> None:
        """Hide the bar."""
        if not self._finished:
            self._finished = True
            _ask("progressbg_close", dialog_id=id(self))

    def isFinished(self) -> bool:
        """True when closed (or never created)."""
        return self._finished
