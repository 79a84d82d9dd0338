"""`Kodi.call`: a function of the installed add-on run inside the fake runtime."""

from __future__ import annotations

import pytest

from fake_kodi.host.results import CallError

from ..conftest import EXAMPLE_ID


def test_call_returns_the_functions_value(example_kodi):
    assert example_kodi.call(EXAMPLE_ID, "example.queries:add", [2, 3]) == 5


def test_call_accepts_keyword_arguments(example_kodi):
    assert example_kodi.call(EXAMPLE_ID, "example.queries:add", {"a": "x", "b": "y"}) == "xy"


def test_call_imports_through_the_add_on_folder_too(example_kodi):
    assert example_kodi.call(EXAMPLE_ID, "resources.lib.example.queries:add", [1, 1]) == 2


def test_call_sees_settings_and_properties_of_the_home(example_kodi):
    example_kodi.set_settings(EXAMPLE_ID, greeting="Hi", page_size=7)
    example_kodi.set_window_property("example.wakes", "4")
    summary = example_kodi.call(EXAMPLE_ID, "example.queries:summary")
    assert {k: summary[k] for k in ("id", "greeting", "page_size", "wakes")} == {
        "id": EXAMPLE_ID,
        "greeting": "Hi",
        "page_size": 7,
        "wakes": "4",
    }


def test_call_that_raises_carries_type_message_and_traceback(example_kodi):
    with pytest.raises(CallError, match=r"^KeyError: 'no such thing'$") as caught:
        example_kodi.call(EXAMPLE_ID, "example.queries:fail")
    assert 'in fail\n    raise KeyError("no such thing")' in caught.value.error["traceback"]


def test_call_of_a_missing_module_is_a_module_not_found_error(example_kodi):
    with pytest.raises(CallError, match=r"^ModuleNotFoundError: No module named 'example.nothing'$"):
        example_kodi.call(EXAMPLE_ID, "example.nothing:f")


def test_call_target_must_name_module_and_function(example_kodi):
    with pytest.raises(ValueError, match=r"target 'example.queries' must be MODULE:FUNCTION"):
        example_kodi.call(EXAMPLE_ID, "example.queries")


def test_add_on_sys_path_starts_with_fake_api_then_add_on_then_resources_lib(example_kodi):
    paths = example_kodi.call(EXAMPLE_ID, "example.queries:sys_path")
    addon_dir = str(example_kodi.home.addons_dir / EXAMPLE_ID)
    assert (paths[0].endswith("fake_kodi/addon_side/kodi_api"), paths[1:3]) == (
        True,
        [addon_dir, addon_dir + "/resources/lib"],
    )


def test_harness_checkout_is_not_on_the_add_on_sys_path(example_kodi):
    from fake_kodi.addon_side import interpreter

    paths = example_kodi.call(EXAMPLE_ID, "example.queries:sys_path")
    assert interpreter.PACKAGE_PARENT not in paths or interpreter.PACKAGE_PARENT.endswith("site-packages")
