"""Kodi's `xbmcaddon` module, emulated: Addon (info, strings, settings) and Settings.

Argument conversions happen here, as in Kodi's Python bindings; what the setting's type allows
(and the exact TypeErrors) is decided by the session's settings snapshot (fake_kodi/home/settings.py).
"""

from _fk_args import bool_arg as _bool_arg
from _fk_args import float_arg as _float_arg
from _fk_args import int_arg as _int_arg
from _fk_args import str_arg as _str_arg

from fake_kodi.addon_side.session import current as _current


def _list_arg(values: object, name: str, method: str, convert) -> list:
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise TypeError(f'argument "{name}" for method "{method}" must be a list')
    return [convert(v) for v in values]


class Addon:
    """An installed add-on: its info, strings and a snapshot of its settings."""

    def __init__(self, id: str | None = None) -> None:
        session = _current()
        if id is None:
            if not session.addon_id:
                raise RuntimeError(
                    "No valid addon id could be obtained. None was passed and the script wasn't invoked from an addon"
                )
            addon_id = session.addon_id
        else:
            addon_id = _str_arg(id, "id", "Addon")
            if not session.addon_exists(addon_id):
                raise RuntimeError(f"Unknown addon id '{addon_id}'.")
        self._id = addon_id
        self._settings = session.settings_for(addon_id)

    def __del__(self) -> None:
        settings = getattr(self, "_settings", None)
        if settings is None:
            return
        try:
            _current().release_settings(settings)
        except Exception:  # the session may be gone at interpreter shutdown
            pass

    def getLocalizedString(self, id: int) -> str:
        """A string of the add-on's strings.po ('' when missing)."""
        return _current().localized_string(self._id, _int_arg(id))

    def getSettings(self) -> "Settings":
        """The typed settings view of this Addon's snapshot."""
        return Settings._fake_for(self._settings)

    def getSetting(self, id: str) -> str:
        """A setting as text ('' for an unknown id)."""
        return self._settings.getSetting(_str_arg(id, "id", "getSetting"))

    def getSettingBool(self, id: str) -> bool:
        """A boolean setting; TypeError on another type."""
        return self._settings.getSettingBool(_str_arg(id, "id", "getSettingBool"))

    def getSettingInt(self, id: str) -> int:
        """An integer setting; TypeError on another type."""
        return self._settings.getSettingInt(_str_arg(id, "id", "getSettingInt"))

    def getSettingNumber(self, id: str) -> float:
        """A number setting; TypeError on another type."""
        return self._settings.getSettingNumber(_str_arg(id, "id", "getSettingNumber"))

    def getSettingString(self, id: str) -> str:
        """A string setting; TypeError on another type."""
        return self._settings.getSettingString(_str_arg(id, "id", "getSettingString"))

    def setSetting(self, id: str, value: str) -> None:
        """Store a setting given as text (unknown ids are created)."""
        self._settings.setSetting(_str_arg(id, "id", "setSetting"), _str_arg(value, "value", "setSetting"))

    def setSettingBool(self, id: str, value: bool) -> bool:
        """Store a boolean setting."""
        return self._settings.setSettingBool(_str_arg(id, "id", "setSettingBool"), _bool_arg(value))

    def setSettingInt(self, id: str, value: int) -> bool:
        """Store an integer setting."""
        return self._settings.setSettingInt(_str_arg(id, "id", "setSettingInt"), _int_arg(value))

    def setSettingNumber(self, id: str, value: float) -> bool:
        """Store a number setting."""
        return self._settings.setSettingNumber(_str_arg(id, "id", "setSettingNumber"), _float_arg(value))

    def setSettingString(self, id: str, value: str) -> bool:
        """Store a string setting."""
        return self._settings.setSettingString(
            _str_arg(id, "id", "setSettingString"), _str_arg(value, "value", "setSettingString")
        )

    def openSettings(self) -> None:
        """Open the add-on's settings dialog; returns when it is closed (script it with `addonsettings`).

        Real Kodi 20.1 blocks the calling script on DialogAddonSettings until the user closes it, and
        returns None; the values changed there are saved as by setSetting.
        """
        _current().answer_dialog("addonsettings", {"addon_id": self._id})

    def getAddonInfo(self, id: str) -> str:
        """Add-on info: 'id', 'name', 'version', 'path', 'profile', 'type', ..."""
        return _current().addon_info(self._id, _str_arg(id, "id", "getAddonInfo"))


class Settings:
    """Typed access to an add-on's settings (from Addon.getSettings())."""

    @classmethod
    def _fake_for(cls, snapshot: object) -> "Settings":
        settings = cls.__new__(cls)
        settings._snapshot = snapshot
        return settings

    def getBool(self, id: str) -> bool:
        """A boolean setting."""
        return self._snapshot.getBool(_str_arg(id, "id", "getBool"))

    def getInt(self, id: str) -> int:
        """An integer setting."""
        return self._snapshot.getInt(_str_arg(id, "id", "getInt"))

    def getNumber(self, id: str) -> float:
        """A number setting."""
        return self._snapshot.getNumber(_str_arg(id, "id", "getNumber"))

    def getString(self, id: str) -> str:
        """A string setting."""
        return self._snapshot.getString(_str_arg(id, "id", "getString"))

    def getBoolList(self, id: str) -> list[bool]:
        """A list of booleans."""
        return self._snapshot.getBoolList(_str_arg(id, "id", "getBoolList"))

    def getIntList(self, id: str) -> list[int]:
        """A list of integers."""
        return self._snapshot.getIntList(_str_arg(id, "id", "getIntList"))

    def getNumberList(self, id: str) -> list[float]:
        """A list of numbers."""
        return self._snapshot.getNumberList(_str_arg(id, "id", "getNumberList"))

    def getStringList(self, id: str) -> list[str]:
        """A list of strings."""
        return self._snapshot.getStringList(_str_arg(id, "id", "getStringList"))

    def setBool(self, id: str, value: bool) -> None:
        """Store a boolean."""
        self._snapshot.setBool(_str_arg(id, "id", "setBool"), _bool_arg(value))

    def setInt(self, id: str, value: int) -> None:
        """Store an integer."""
        self._snapshot.setInt(_str_arg(id, "id", "setInt"), _int_arg(value))

    def setNumber(self, id: str, value: float) -> None:
        """Store a number."""
        self._snapshot.setNumber(_str_arg(id, "id", "setNumber"), _float_arg(value))

    def setString(self, id: str, value: str) -> None:
        """Store a string."""
        self._snapshot.setString(_str_arg(id, "id", "setString"), _str_arg(value, "value", "setString"))

    def setBoolList(self, id: str, values: list[bool]) -> None:
        """Store a list of booleans."""
        self._snapshot.setBoolList(
            _str_arg(id, "id", "setBoolList"), _list_arg(values, "values", "setBoolList", _bool_arg)
        )

    def setIntList(self, id: str, values: list[int]) -> None:
        """Store a list of integers."""
        self._snapshot.setIntList(
            _str_arg(id, "id", "setIntList"), _list_arg(values, "values", "setIntList", _int_arg)
        )

    def setNumberList(self, id: str, values: list[float]) -> None:
        """Store a list of numbers."""
        converted = _list_arg(values, "values", "setNumberList", _float_arg)
        self._snapshot.setNumberList(_str_arg(id, "id", "setNumberList"), converted)

    def setStringList(self, id: str, values: list[str]) -> None:
        """Store a list of strings."""
        convert = lambda v: _str_arg(v, "values", "setStringList")  # noqa: E731
        self._snapshot.setStringList(
            _str_arg(id, "id", "setStringList"), _list_arg(values, "values", "setStringList", convert)
        )
