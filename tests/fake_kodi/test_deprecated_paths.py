"""Module paths moved by issue 16 still import for one release, warning the importer and naming the new path."""

from __future__ import annotations

import importlib
import re
import sys

import pytest

import fake_kodi.home
from fake_kodi._moved import MOVED_MODULES
from fake_kodi.home import OLD_HOME_NAMES, kodi_home


@pytest.mark.parametrize(("old", "new"), sorted(MOVED_MODULES.items()), ids=str)
def test_old_module_path_warns_and_is_the_new_module(old: str, new: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delitem(sys.modules, old, raising=False)  # import it afresh, as a user's first import
    with pytest.warns(DeprecationWarning, match=rf"^{re.escape(old)} moved to {re.escape(new)} "):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


@pytest.mark.parametrize("name", OLD_HOME_NAMES)
def test_names_of_the_old_home_module_warn_and_resolve(name: str):
    with pytest.warns(
        DeprecationWarning, match=rf"^fake_kodi\.home\.{name} moved to fake_kodi\.home\.kodi_home"
    ):
        value = getattr(fake_kodi.home, name)
    assert value is getattr(kodi_home, name)


def test_an_unknown_name_of_home_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        fake_kodi.home.nothing  # noqa: B018 - the attribute access is the test
