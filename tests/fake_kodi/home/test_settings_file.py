"""The user settings file, snapshots and the legacy format (KODI_BEHAVIOUR.md section 2)."""

from __future__ import annotations

import pytest

from fake_kodi.home.settings import AddonSettings, write_user_settings

from .settings_fixtures import LEGACY, V1, make_addon

KODI_EXCERPT_DEFINITION = """<settings version="1"><section id="plugin.video.example"><category id="c"><group id="1">
<setting id="bool_t" type="boolean"><default>true</default></setting>
<setting id="empty_s" type="string"><default/><constraints><allowempty>true</allowempty></constraints></setting>
<setting id="list_int" type="integer"><default>1</default>
  <constraints><options><option label="1">0</option><option label="2">1</option></options></constraints></setting>
<setting id="multi" type="list[string]"><default>x|y</default><control type="list" format="string"/></setting>
</group></category></section></settings>"""

KODI_EXCERPT_FILE = """<settings version="2">
    <setting id="bool_t">false</setting>
    <setting id="empty_s" default="true" />
    <setting id="list_int" default="true">1</setting>
    <setting id="multi">y|z</setting>
    <setting id="nosuch_w" default="true">v</setting>
</settings>
"""


def test_user_file_matches_kodi_bytes(home):
    settings = AddonSettings(home, make_addon(home, KODI_EXCERPT_DEFINITION))
    settings.setSetting("bool_t", "false")
    settings.setSetting("multi", "y|z")
    settings.setSetting("nosuch_w", "v")
    assert settings.user_path.read_text() == KODI_EXCERPT_FILE


def test_user_file_keeps_definition_order_not_alphabetical(home):
    # Real Kodi 20.1 wrote greeting, zulu_order, alpha_order in that (definition) order.
    definition = """<settings version="1"><section id="plugin.video.example"><category id="c"><group id="1">
<setting id="zulu_order" type="string"><default>z</default></setting>
<setting id="alpha_order" type="string"><default>a</default></setting>
</group></category></section></settings>"""
    settings = AddonSettings(home, make_addon(home, definition))
    settings.setSetting("alpha_order", "b")
    ids = [line.split('"')[1] for line in settings.user_path.read_text().splitlines()[1:-1]]
    assert ids == ["zulu_order", "alpha_order"]


def test_reads_do_not_create_user_file(home):
    settings = AddonSettings(home, make_addon(home, V1))
    settings.getSetting("str")
    assert not settings.user_path.exists()


def test_action_settings_are_not_written(home):
    settings = AddonSettings(home, make_addon(home, V1))
    settings.setSetting("str", "new")
    assert 'id="do_it"' not in settings.user_path.read_text()


def test_special_characters_are_escaped_and_read_back(home):
    manifest = make_addon(home, V1)
    AddonSettings(home, manifest).setSetting("str", "a&b <c> \"d\" 'e'\nf")
    assert '<setting id="str">a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;&#x0A;f</setting>' in (
        AddonSettings(home, manifest).user_path.read_text()
    )
    assert AddonSettings(home, manifest).getSetting("str") == "a&b <c> \"d\" 'e'\nf"


def test_each_snapshot_keeps_its_own_copy(home):
    manifest = make_addon(home, V1)
    first, second = AddonSettings(home, manifest), AddonSettings(home, manifest)
    second.setSetting("str", "changed")
    assert (first.getSetting("str"), AddonSettings(home, manifest).getSetting("str")) == ("abc", "changed")


def test_reload_sees_saved_values(home):
    manifest = make_addon(home, V1)
    first, second = AddonSettings(home, manifest), AddonSettings(home, manifest)
    second.setSetting("str", "changed")
    first.reload()
    assert first.getSetting("str") == "changed"


def test_every_set_calls_on_saved_once(home):
    saved = []
    settings = AddonSettings(home, make_addon(home, V1), on_saved=saved.append)
    settings.setSetting("str", "a")
    settings.setSettingBool("bool_t", False)
    settings.setStringList("multi", ["z"])
    assert saved == [settings, settings, settings]


def test_failed_typed_set_does_not_save(home):
    saved = []
    settings = AddonSettings(home, make_addon(home, V1), on_saved=saved.append)
    with pytest.raises(TypeError):
        settings.setSettingBool("str", True)
    assert saved == [] and not settings.user_path.exists()


def test_stale_snapshot_save_overwrites_newer_values(home):
    # Kodi writes the whole snapshot: an instance that never reloaded puts its old values back.
    manifest = make_addon(home, V1)
    stale, fresh = AddonSettings(home, manifest), AddonSettings(home, manifest)
    fresh.setSetting("str", "fresh")
    stale.setSetting("int7", "3")
    assert AddonSettings(home, manifest).getSetting("str") == "abc"


def test_default_flag_follows_changed_default(home):
    manifest = make_addon(home, V1)
    write_user_settings(home, manifest, {"str": "abc"})
    definition = manifest.path / "resources" / "settings.xml"
    definition.write_text(V1.replace("<default>abc</default>", "<default>new default</default>"))
    assert AddonSettings(home, manifest).getSetting("str") == "new default"


def test_write_user_settings_presets_values(home):
    manifest = make_addon(home, V1)
    write_user_settings(home, manifest, {"int7": "9", "token": "secret"})
    settings = AddonSettings(home, manifest)
    assert (settings.getSettingInt("int7"), settings.getSetting("token")) == (9, "secret")


def test_write_user_settings_rejects_invalid_value(home):
    with pytest.raises(ValueError, match=r"^invalid value 'abc' for setting 'int7' of type integer$"):
        write_user_settings(home, make_addon(home, V1), {"int7": "abc"})


def test_old_value_format_user_file_is_read(home):
    manifest = make_addon(home, V1)
    path = home.addon_data_dir(manifest.id) / "settings.xml"
    path.parent.mkdir(parents=True)
    path.write_text('<settings>\n    <setting id="str" value="old style" />\n</settings>\n')
    assert AddonSettings(home, manifest).getSetting("str") == "old style"


def test_addon_without_settings_xml_still_stores_values(home):
    settings = AddonSettings(home, make_addon(home, None))
    settings.setSetting("k", "v")
    assert (
        settings.user_path.read_text()
        == '<settings version="2">\n    <setting id="k" default="true">v</setting>\n</settings>\n'
    )


# ---- legacy definitions ----------------------------------------------------------------------


@pytest.fixture
def legacy(home):
    return AddonSettings(home, make_addon(home, LEGACY))


@pytest.mark.parametrize(
    ("getter", "setting_id", "value"),
    [
        ("getSettingBool", "l_bool", True),
        ("getSettingInt", "l_number", 5),
        ("getSettingNumber", "l_slider", 2.5),
        ("getSettingInt", "l_islider", 3),
        ("getSettingInt", "l_enum", 1),
        ("getSettingString", "l_labelenum", "b"),
        ("getSettingString", "l_select", "x"),
        ("getSettingString", "l_text", "hello"),
    ],
)
def test_legacy_types_map_like_kodi(legacy, getter, setting_id, value):
    assert getattr(legacy, getter)(setting_id) == value


def test_legacy_enum_rejects_index_out_of_values(legacy):
    legacy.setSetting("l_enum", "3")
    assert legacy.getSetting("l_enum") == "1"


def test_legacy_user_file_omits_default_on_numbers(legacy):
    legacy.setSetting("l_text", "changed")
    text = legacy.user_path.read_text()
    assert '<setting id="l_number">5</setting>' in text
    assert '<setting id="l_slider">2.5</setting>' in text
    assert '<setting id="l_bool" default="true">true</setting>' in text


def test_legacy_hours_enum_accepts_23(home):
    xml = '<settings><setting id="hour" type="enum" values="$HOURS" default="0"/></settings>'
    settings = AddonSettings(home, make_addon(home, xml))
    settings.setSetting("hour", "23")
    assert settings.getSettingInt("hour") == 23
