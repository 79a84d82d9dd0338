"""xbmcgui windows: shared Window(10000) properties and Kodi's argument checks."""

import pytest


def test_home_window_property_goes_to_the_session(kodi_api, session):
    kodi_api.xbmcgui.Window(10000).setProperty("MyKey", "v")
    assert session.properties == {(10000, "mykey"): "v"}


def test_home_window_property_is_seen_by_another_window_object(kodi_api):
    kodi_api.xbmcgui.Window(10000).setProperty("MyKey", "v")
    assert kodi_api.xbmcgui.Window(10000).getProperty("MYKEY") == "v"


def test_empty_value_clears_the_property(kodi_api):
    window = kodi_api.xbmcgui.Window(10000)
    window.setProperty("k", "v")
    window.setProperty("k", "")
    assert window.getProperty("k") == ""


def test_non_string_property_value_raises_typeerror(kodi_api):
    with pytest.raises(TypeError, match=r"must be unicode or str$"):
        kodi_api.xbmcgui.Window(10000).setProperty("k", 1)


def test_unknown_window_id_raises_runtimeerror(kodi_api):
    with pytest.raises(RuntimeError, match=r"^Window id does not exist$"):
        kodi_api.xbmcgui.Window(12345)


def test_new_window_properties_stay_private(kodi_api, session):
    kodi_api.xbmcgui.Window().setProperty("k", "v")
    assert (kodi_api.xbmcgui.Window().getProperty("k"), session.properties) == ("", {})


def test_clear_properties_clears_only_that_window(kodi_api, session):
    kodi_api.xbmcgui.Window(10000).setProperty("a", "1")
    kodi_api.xbmcgui.Window(10025).setProperty("b", "2")
    kodi_api.xbmcgui.Window(10000).clearProperties()
    assert session.properties == {(10025, "b"): "2"}


def test_windowxmldialog_properties_work(kodi_api):
    dialog = kodi_api.xbmcgui.WindowXMLDialog("script-dialog.xml", "/addon/path")
    dialog.setProperty("Title", "x")
    assert dialog.getProperty("title") == "x"


def test_windowxml_doModal_is_not_emulated(kodi_api):
    dialog = kodi_api.xbmcgui.WindowXMLDialog("script-dialog.xml", "/addon/path")
    with pytest.raises(NotImplementedError, match=r"^xbmcgui\.Window\.doModal is not emulated by fake_kodi$"):
        dialog.doModal()
