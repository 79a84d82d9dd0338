"""AddonSettings getters and setters with Kodi 20's answers and exceptions (section 2)."""

from __future__ import annotations

import pytest

from fake_kodi.home.settings import AddonSettings

from .settings_fixtures import V1, make_addon


@pytest.fixture
def settings(home):
    return AddonSettings(home, make_addon(home, V1))


@pytest.mark.parametrize(
    ("setting_id", "text"),
    [
        ("bool_t", "true"),
        ("int7", "7"),
        ("num", "1.5"),
        ("str", "abc"),
        ("list_int", "1"),
        ("multi", "x|y"),
        ("folder", "/tmp/"),
    ],
)
def test_get_setting_returns_text(settings, setting_id, text):
    assert settings.getSetting(setting_id) == text


def test_get_setting_unknown_id_is_empty(settings):
    assert settings.getSetting("nosuch") == ""


def test_setting_ids_are_case_insensitive(settings):
    assert settings.getSetting("BOOL_T") == "true"


@pytest.mark.parametrize(
    ("method", "setting_id"),
    [
        ("getSettingBool", "int7"),
        ("getSettingInt", "num"),
        ("getSettingNumber", "int7"),
        ("getSettingString", "multi"),
        ("getSettingBool", "nosuch"),
    ],
)
def test_typed_getter_mismatch_raises(settings, method, setting_id):
    with pytest.raises(TypeError, match=r"^Invalid setting type$"):
        getattr(settings, method)(setting_id)


def test_typed_getters_return_python_types(settings):
    assert (
        settings.getSettingBool("bool_t"),
        settings.getSettingInt("list_int"),
        settings.getSettingNumber("num"),
        settings.getSettingString("folder"),
    ) == (True, 1, 1.5, "/tmp/")


def test_settings_getter_mismatch_names_type(settings):
    with pytest.raises(TypeError, match=r'^Invalid setting type "boolean" for "int7"$'):
        settings.getBool("int7")


def test_settings_list_getter_on_scalar_names_list_type(settings):
    with pytest.raises(TypeError, match=r'^Invalid setting type "list\[string\]" for "str"$'):
        settings.getStringList("str")


def test_get_string_list(settings):
    assert settings.getStringList("multi") == ["x", "y"]


def test_set_setting_rejects_non_str(settings):
    with pytest.raises(TypeError, match=r'^argument "value" for method "setSetting" must be unicode or str$'):
        settings.setSetting("str", 5)


def test_set_setting_none_stores_empty(settings):
    settings.setSetting("empty_s", None)
    assert settings.getSetting("empty_s") == ""


def test_set_setting_invalid_text_is_ignored(settings):
    settings.setSetting("int7", "notanint")
    settings.setSetting("bool_t", "yes")
    assert (settings.getSetting("int7"), settings.getSetting("bool_t")) == ("7", "true")


def test_set_setting_outside_constraints_is_ignored(settings):
    settings.setSetting("int7", "11")
    settings.setSetting("list_int", "5")
    assert (settings.getSetting("int7"), settings.getSetting("list_int")) == ("7", "1")


def test_set_setting_empty_string_needs_allowempty(settings):
    settings.setSetting("str", "")
    assert settings.getSetting("str") == "abc"


def test_set_setting_unknown_id_creates_it(settings):
    settings.setSetting("nosuch_w", "v")
    assert settings.getSetting("nosuch_w") == "v"


def test_set_setting_returns_none(settings):
    assert settings.setSetting("str", "new") is None


def test_typed_setter_wrong_type_raises(settings):
    with pytest.raises(TypeError, match=r"^Invalid setting type$"):
        settings.setSettingBool("int7", True)


def test_set_setting_int_with_str_raises_conversion_error(settings):
    with pytest.raises(TypeError, match=r"^'str' object cannot be interpreted as an integer$"):
        settings.setSettingInt("int7", "3")


def test_set_setting_number_with_int_returns_true(settings):
    assert settings.setSettingNumber("num", 3) is True
    assert settings.getSetting("num") == "3"


def test_settings_set_string_unknown_id_raises(settings):
    with pytest.raises(TypeError, match=r'^Invalid setting type "string" for "x"$'):
        settings.setString("x", "v")


def test_settings_set_string_list(settings):
    assert settings.setStringList("multi", ["z", "x"]) is None
    assert settings.getSetting("multi") == "z|x"


def test_settings_set_int_out_of_range_raises(settings):
    with pytest.raises(TypeError, match=r'^Invalid setting type "integer" for "int7"$'):
        settings.setInt("int7", 99)


def test_action_setting_has_no_text(settings):
    assert settings.getSetting("do_it") == ""


def test_unknown_id_logs_at_debug(home):
    lines = []
    settings = AddonSettings(home, make_addon(home, V1), log=lambda msg, level: lines.append((level, msg)))
    settings.getSetting("nosuch")
    assert lines == [(0, "CSettingsManager: requested setting (nosuch) was not found.")]
