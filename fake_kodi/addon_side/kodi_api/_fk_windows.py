"""xbmcgui windows: properties (shared Window ids through the session), XML window item lists.

Drawing, focus and modal loops are not emulated. Interface note: Window(id).clearProperties()
on an existing Kodi window calls `current().clear_properties(window_id)` (SharedState has it;
the Session docstring lists only get/set/clear_property).
"""

from __future__ import annotations

from typing import Any

from _fk_args import int_arg, str_arg
from _fk_listitem import ListItem
from _fk_notemulated import not_emulated

from fake_kodi.addon_side.session import current

_xbmcgui = not_emulated("xbmcgui")


class Action:
    """A user action passed to Window.onAction (the fake never generates one itself)."""

    def __init__(self) -> None:
        self._id = 0
        self._button_code = 0
        self._amounts = (0.0, 0.0)

    def getId(self) -> int:
        """The action id (ACTION_*)."""
        return self._id

    def getButtonCode(self) -> int:
        """The button code."""
        return self._button_code

    def getAmount1(self) -> float:
        """First analog amount."""
        return self._amounts[0]

    def getAmount2(self) -> float:
        """Second analog amount."""
        return self._amounts[1]


class Window:
    """A Kodi window; Window(id) of an existing window shares its properties with all processes."""

    def __init__(self, existingWindowId: int = -1) -> None:
        window_id = int_arg(existingWindowId)
        if window_id != -1 and not current().window_exists(window_id):
            raise RuntimeError("Window id does not exist")
        # A new window (-1) is private to this object, as a new Python window is in Kodi.
        self._window_id: int | None = None if window_id == -1 else window_id
        self._local_properties: dict[str, str] = {}

    @_xbmcgui
    def show(self) -> None: ...

    @_xbmcgui
    def setFocus(self, pControl: Any) -> None: ...

    @_xbmcgui
    def setFocusId(self, iControlId: int) -> None: ...

    @_xbmcgui
    def getFocus(self) -> Any: ...

    @_xbmcgui
    def getFocusId(self) -> int: ...

    @_xbmcgui
    def removeControl(self, pControl: Any) -> None: ...

    @_xbmcgui
    def removeControls(self, pControls: Any) -> None: ...

    @_xbmcgui
    def getHeight(self) -> int: ...

    @_xbmcgui
    def getWidth(self) -> int: ...

    def setProperty(self, key: str, value: str) -> None:
        """Set a property (keys case-insensitive; '' clears)."""
        name = str_arg(key, "key", "setProperty").lower()
        text = str_arg(value, "value", "setProperty")
        if self._window_id is None:
            if text:
                self._local_properties[name] = text
            else:
                self._local_properties.pop(name, None)
        else:
            current().set_property(self._window_id, name, text)

    def getProperty(self, key: str) -> str:
        """A property value, '' when unset."""
        name = str_arg(key, "key", "getProperty").lower()
        if self._window_id is None:
            return self._local_properties.get(name, "")
        return current().get_property(self._window_id, name)

    def clearProperty(self, key: str) -> None:
        """Remove one property."""
        name = str_arg(key, "key", "clearProperty").lower()
        if self._window_id is None:
            self._local_properties.pop(name, None)
        else:
            current().clear_property(self._window_id, name)

    def clearProperties(self) -> None:
        """Remove all properties of this window."""
        if self._window_id is None:
            self._local_properties.clear()
        else:
            current().clear_properties(self._window_id)

    @_xbmcgui
    def close(self) -> None: ...

    @_xbmcgui
    def doModal(self) -> None: ...

    @_xbmcgui
    def addControl(self, pControl: Any) -> None: ...

    @_xbmcgui
    def addControls(self, pControls: Any) -> None: ...

    @_xbmcgui
    def getControl(self, iControlId: int) -> Any: ...

    # Callbacks: Kodi's base class does nothing; add-ons override them.
    def onAction(self, action: Action) -> None:
        """Callback: an action reached the window."""

    def onControl(self, control: Any) -> None:
        """Callback: a control was activated."""

    def onClick(self, controlId: int) -> None:
        """Callback: a control was clicked."""

    def onDoubleClick(self, controlId: int) -> None:
        """Callback: a control was double-clicked."""

    def onFocus(self, controlId: int) -> None:
        """Callback: a control got focus."""

    def onInit(self) -> None:
        """Callback: the window was initialised."""


class WindowDialog(Window):
    """A new Python dialog window (properties private to the object)."""

    def __init__(self) -> None:
        super().__init__(-1)


class WindowXML(Window):
    """A skinned Python window: its item list works, showing it is not emulated."""

    def __init__(
        self,
        xmlFilename: str,
        scriptPath: str,
        defaultSkin: str = "Default",
        defaultRes: str = "720p",
        isMedia: bool = False,
    ) -> None:
        super().__init__(-1)
        self._xml = (
            str_arg(xmlFilename, "xmlFilename", "WindowXML"),
            str_arg(scriptPath, "scriptPath", "WindowXML"),
        )
        self._items: list[ListItem] = []
        self._position = -1
        self._content = ""

    def addItem(self, item: Any, position: int = 2147483647) -> None:
        """Insert a ListItem (or a label) at `position` (default: append)."""
        entry = item if isinstance(item, ListItem) else ListItem(str_arg(item, "item", "addItem"))
        index = int_arg(position)
        self._items.insert(index if index >= 0 else max(len(self._items) + index, 0), entry)

    def addItems(self, items: list[Any]) -> None:
        """Append several items."""
        for item in items:
            self.addItem(item)

    def removeItem(self, position: int) -> None:
        """Remove the item at `position`."""
        del self._items[int_arg(position)]

    def getCurrentListPosition(self) -> int:
        """The selected position (-1 when the list is empty)."""
        return self._position if self._items else -1

    def setCurrentListPosition(self, position: int) -> None:
        """Select a position."""
        self._position = int_arg(position)

    def getListItem(self, position: int) -> ListItem:
        """The item at `position`."""
        index = int_arg(position)
        if not 0 <= index < len(self._items):
            raise RuntimeError(f"Index {index} is out of range")
        return self._items[index]

    def getListSize(self) -> int:
        """Number of items."""
        return len(self._items)

    def clearList(self) -> None:
        """Remove all items."""
        self._items.clear()
        self._position = -1

    def setContainerProperty(self, strProperty: str, strValue: str) -> None:
        """Set a property of the item container."""
        self.setProperty(f"container.{str_arg(strProperty, 'strProperty', 'setContainerProperty')}", strValue)

    def setContent(self, strValue: str) -> None:
        """Set the container's content type."""
        self._content = str_arg(strValue, "strValue", "setContent")

    @_xbmcgui
    def getCurrentContainerId(self) -> int: ...


class WindowXMLDialog(WindowXML):
    """A skinned Python dialog."""

    def __init__(
        self, xmlFilename: str, scriptPath: str, defaultSkin: str = "Default", defaultRes: str = "720p"
    ) -> None:
        super().__init__(xmlFilename, scriptPath, defaultSkin, defaultRes)
