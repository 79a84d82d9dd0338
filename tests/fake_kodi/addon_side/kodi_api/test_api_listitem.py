"""xbmcgui.ListItem and xbmc.InfoTagVideo: what they record and Kodi's type checks."""

import pytest

SETINFO_WARNING = (
    "Setting most video properties through ListItem.setInfo() is deprecated and might be removed "
    "in future Kodi versions. Please use the respective setter in InfoTagVideo."
)


def test_labels_and_path_are_recorded(kodi_api):
    item = kodi_api.xbmcgui.ListItem("Label", "Label2", "plugin://x/")
    record = item._fake_record()
    assert (record["label"], record["label2"], record["path"]) == ("Label", "Label2", "plugin://x/")


def test_property_keys_are_case_insensitive_and_recorded_lowercase(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.setProperty("MyKey", "v")
    assert (item.getProperty("mykey"), item._fake_record()["properties"]) == ("v", {"mykey": "v"})


def test_missing_property_is_empty_string(kodi_api):
    assert kodi_api.xbmcgui.ListItem().getProperty("nope") == ""


def test_isplayable_property_marks_the_item_playable(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.setProperty("IsPlayable", "true")
    assert item._fake_record()["is_playable"] is True


def test_art_is_returned_raw(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.setArt({"thumb": "http://example.invalid/t.jpg"})
    assert item.getArt("thumb") == "http://example.invalid/t.jpg"


def test_context_menu_is_recorded_as_label_action_pairs(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.addContextMenuItems([("Mark watched", "RunPlugin(plugin://x/?w=1)")])
    assert item._fake_record()["context_menu"] == [["Mark watched", "RunPlugin(plugin://x/?w=1)"]]


def test_context_menu_entry_must_be_a_pair(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    with pytest.raises(RuntimeError, match=r"only has 1 elements\.$"):
        item.addContextMenuItems([("only label",)])


def test_getvideoinfotag_returns_the_same_tag(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.getVideoInfoTag().setTitle("Title A")
    assert item.getVideoInfoTag().getTitle() == "Title A"


def test_info_tag_values_are_recorded(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    tag = item.getVideoInfoTag()
    tag.setTitle("Title A")
    tag.setYear(1999)
    tag.setPlaycount(3)
    tag.setUniqueIDs({"imdb": "tt0000001", "tmdb": "42"})
    tag.setResumePoint(30.5, 100)
    tag.setMediaType("movie")
    info = item._fake_record()["info"]
    assert {
        k: info[k] for k in ("title", "year", "playcount", "uniqueids", "resume", "mediatype", "imdbnumber")
    } == {
        "title": "Title A",
        "year": 1999,
        "playcount": 3,
        "uniqueids": {"imdb": "tt0000001", "tmdb": "42"},
        "resume": {"position": 30.5, "total": 100.0},
        "mediatype": "movie",
        "imdbnumber": "tt0000001",
    }


def test_unset_info_has_kodis_defaults(kodi_api):
    info = kodi_api.xbmcgui.ListItem("Label")._fake_record()["info"]
    assert (info["title"], info["year"], info["season"], info["uniqueids"]) == ("", 0, -1, {})


def test_setyear_with_text_raises_typeerror(kodi_api):
    with pytest.raises(TypeError, match=r"^'str' object cannot be interpreted as an integer$"):
        kodi_api.xbmcgui.ListItem().getVideoInfoTag().setYear("2000")


def test_setplaycount_with_text_raises_typeerror(kodi_api):
    with pytest.raises(TypeError, match=r"^'str' object cannot be interpreted as an integer$"):
        kodi_api.xbmcgui.ListItem().getVideoInfoTag().setPlaycount("1")


def test_settitle_with_a_number_raises_typeerror(kodi_api):
    with pytest.raises(TypeError, match=r'^argument "title" for method "setTitle" must be unicode or str$'):
        kodi_api.xbmc.InfoTagVideo().setTitle(1)


def test_setmediatype_bogus_is_ignored(kodi_api):
    tag = kodi_api.xbmc.InfoTagVideo()
    tag.setMediaType("episode")
    tag.setMediaType("bogus")
    assert tag.getMediaType() == "episode"


def test_setter_accepts_keyword_argument_with_kodis_name(kodi_api):
    tag = kodi_api.xbmc.InfoTagVideo()
    tag.setGenres(genre=["Drama", "Crime"])
    assert tag.getGenre() == "Drama / Crime"


def test_setinfo_logs_kodis_deprecation_warning(kodi_api, session):
    kodi_api.xbmcgui.ListItem().setInfo("video", {"title": "T"})
    assert session.logs == [(SETINFO_WARNING, kodi_api.xbmc.LOGWARNING)]


def test_setinfo_fills_the_video_info_tag_leniently(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.setInfo("video", {"title": "T", "year": "2001", "genre": "Drama", "mediatype": "movie"})
    tag = item.getVideoInfoTag()
    assert (tag.getTitle(), tag.getYear(), tag.getGenres(), tag.getMediaType()) == (
        "T",
        2001,
        ["Drama"],
        "movie",
    )


def test_setinfo_with_only_count_logs_no_warning(kodi_api, session):
    kodi_api.xbmcgui.ListItem().setInfo("video", {"count": 3})
    assert session.logs == []


def test_deprecated_setuniqueids_logs_a_warning(kodi_api, session):
    kodi_api.xbmcgui.ListItem().setUniqueIDs({"imdb": "tt1"})
    assert session.logs[0][0].startswith("ListItem.setUniqueIDs() is deprecated")


def test_startoffset_property_is_not_stored_as_a_property(kodi_api):
    item = kodi_api.xbmcgui.ListItem()
    item.setProperty("StartOffset", "12.5")
    assert (item.getProperty("startoffset"), item._fake_record()["properties"]) == ("12.500000", {})


def test_music_info_tag_is_not_emulated(kodi_api):
    with pytest.raises(
        NotImplementedError, match=r"^xbmcgui\.ListItem\.getMusicInfoTag is not emulated by fake_kodi$"
    ):
        kodi_api.xbmcgui.ListItem().getMusicInfoTag()
