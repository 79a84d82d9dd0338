"""xbmcaddon: Addon identity, info, strings and settings delegation with Kodi's conversions."""

import pytest


def test_addon_without_id_is_the_running_addon(kodi_api):
    assert kodi_api.xbmcaddon.Addon().getAddonInfo("id") == "plugin.video.example"


def test_unknown_addon_id_raises_like_kodi(kodi_api):
    with pytest.raises(RuntimeError, match=r"^Unknown addon id 'no\.such'\.$"):
        kodi_api.xbmcaddon.Addon("no.such")


def test_getsetting_reads_the_snapshot(kodi_api):
    assert kodi_api.xbmcaddon.Addon().getSetting("user") == "alice"


def test_setsetting_rejects_a_non_string_value(kodi_api):
    with pytest.raises(TypeError, match=r'^argument "value" for method "setSetting" must be unicode or str$'):
        kodi_api.xbmcaddon.Addon().setSetting("user", 5)


def test_setsetting_none_stores_empty_string(kodi_api, session):
    kodi_api.xbmcaddon.Addon().setSetting("user", None)
    assert session.settings_values["user"] == ""


def test_setsettingint_with_text_raises_like_kodi(kodi_api):
    with pytest.raises(TypeError, match=r"^'str' object cannot be interpreted as an integer$"):
        kodi_api.xbmcaddon.Addon().setSettingInt("count", "3")


def test_getlocalizedstring_asks_for_the_addons_strings(kodi_api):
    assert kodi_api.xbmcaddon.Addon().getLocalizedString(30001) == "plugin.video.example:30001"


def test_getsettings_reads_lists(kodi_api):
    assert kodi_api.xbmcaddon.Addon().getSettings().getStringList("tags") == ["a", "b"]


def test_settings_setstringlist_rejects_a_plain_string(kodi_api):
    with pytest.raises(TypeError, match=r'^argument "values" for method "setStringList" must be a list$'):
        kodi_api.xbmcaddon.Addon().getSettings().setStringList("tags", "a|b")


def test_collected_addon_releases_its_snapshot(kodi_api, session):
    addon = kodi_api.xbmcaddon.Addon()
    del addon
    assert len(session.released) == 1


def test_opensettings_is_a_modal_dialog_returning_none(kodi_api, session):
    # Real Kodi 20.1 blocks the script on DialogAddonSettings until it is closed, then returns None.
    assert kodi_api.xbmcaddon.Addon().openSettings() is None
    assert session.dialogs == [("addonsettings", {"addon_id": "plugin.video.example"})]
