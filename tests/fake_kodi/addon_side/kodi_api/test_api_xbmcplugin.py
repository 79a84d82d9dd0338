"""xbmcplugin: directory calls recorded through the session."""


def test_add_directory_item_records_the_item(kodi_api, session):
    item = kodi_api.xbmcgui.ListItem("Movies")
    assert kodi_api.xbmcplugin.addDirectoryItem(1, "plugin://x/movies", item, True) is True
    recorded = session.recorded("item")[0]
    assert (recorded["url"], recorded["label"], recorded["is_folder"]) == (
        "plugin://x/movies",
        "Movies",
        True,
    )


def test_add_directory_item_with_another_handle_lists_nothing(kodi_api, session):
    item = kodi_api.xbmcgui.ListItem("Movies")
    assert kodi_api.xbmcplugin.addDirectoryItem(-1, "plugin://x/movies", item) is False
    assert session.recorded("item") == []


def test_add_directory_items_records_each_item(kodi_api, session):
    items = [("u1", kodi_api.xbmcgui.ListItem("a"), False), ("u2", kodi_api.xbmcgui.ListItem("b"), True)]
    assert kodi_api.xbmcplugin.addDirectoryItems(1, items) is True
    assert [(r["url"], r["is_folder"]) for r in session.recorded("item")] == [("u1", False), ("u2", True)]


def test_end_of_directory_records_its_arguments(kodi_api, session):
    assert kodi_api.xbmcplugin.endOfDirectory(1, cacheToDisc=False) is None
    assert session.recorded("end_of_directory") == [
        {"succeeded": True, "update_listing": False, "cache_to_disc": False}
    ]


def test_set_resolved_url_records_the_item(kodi_api, session):
    item = kodi_api.xbmcgui.ListItem(path="http://example.invalid/v.mkv")
    kodi_api.xbmcplugin.setResolvedUrl(1, True, item)
    resolved = session.recorded("resolved")[0]
    assert (resolved["succeeded"], resolved["item"]["path"]) == (True, "http://example.invalid/v.mkv")


def test_handle_given_as_string_raises_like_kodi(kodi_api):
    import pytest

    with pytest.raises(TypeError, match=r"^'str' object cannot be interpreted as an integer$"):
        kodi_api.xbmcplugin.endOfDirectory("1")


def test_set_content_and_sort_method_are_recorded(kodi_api, session):
    kodi_api.xbmcplugin.setContent(1, "movies")
    kodi_api.xbmcplugin.addSortMethod(1, kodi_api.xbmcplugin.SORT_METHOD_LABEL)
    assert (session.recorded("content"), session.recorded("sort_method")[0]["sort_method"]) == (
        [{"content": "movies"}],
        1,
    )


def test_plugin_get_setting_reads_and_releases_a_snapshot(kodi_api, session):
    assert kodi_api.xbmcplugin.getSetting(1, "user") == "alice"
    assert len(session.released) == 1
