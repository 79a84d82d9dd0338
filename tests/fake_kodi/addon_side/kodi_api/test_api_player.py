"""xbmc.Player and PlayList over the session's player state."""

import pytest


def test_play_url_sets_the_playing_file(kodi_api, session):
    player = kodi_api.xbmc.Player()
    player.play("http://example.invalid/v.mkv")
    assert (player.isPlaying(), player.isPlayingVideo(), player.getPlayingFile()) == (
        True,
        True,
        "http://example.invalid/v.mkv",
    )


def test_play_listitem_starts_at_its_resume_point(kodi_api, session):
    item = kodi_api.xbmcgui.ListItem("Movie", path="http://example.invalid/m.mkv")
    item.getVideoInfoTag().setResumePoint(30.5, 100.0)
    player = kodi_api.xbmc.Player()
    player.play("http://example.invalid/m.mkv", item)
    assert (player.getTime(), player.getTotalTime()) == (30.5, 0.0)


def test_seektime_moves_the_position(kodi_api, session):
    player = kodi_api.xbmc.Player()
    player.play("file.mkv")
    player.seekTime(42.0)
    assert player.getTime() == 42.0


def test_stop_records_and_ends_playback(kodi_api, session):
    player = kodi_api.xbmc.Player()
    player.play("file.mkv")
    player.stop()
    assert player.isPlaying() is False
    assert [p["action"] for p in session.recorded("player")] == ["play", "stop"]


def test_getplayingfile_when_idle_raises_like_kodi(kodi_api):
    with pytest.raises(RuntimeError, match=r"^Kodi is not playing any file$"):
        kodi_api.xbmc.Player().getPlayingFile()


def test_gettime_when_idle_raises_like_kodi(kodi_api):
    with pytest.raises(RuntimeError, match=r"^Kodi is not playing any media file$"):
        kodi_api.xbmc.Player().getTime()


def test_getplayingitem_returns_the_items_info(kodi_api):
    item = kodi_api.xbmcgui.ListItem("Movie")
    item.getVideoInfoTag().setTitle("The Title")
    player = kodi_api.xbmc.Player()
    player.play("file.mkv", item)
    assert player.getPlayingItem().getVideoInfoTag().getTitle() == "The Title"


def test_playlist_is_shared_between_objects_of_the_same_id(kodi_api):
    kodi_api.xbmc.PlayList(kodi_api.xbmc.PLAYLIST_VIDEO).add("a.mkv")
    assert kodi_api.xbmc.PlayList(kodi_api.xbmc.PLAYLIST_VIDEO).size() == 1


def test_playing_a_playlist_plays_its_first_entry(kodi_api):
    playlist = kodi_api.xbmc.PlayList(kodi_api.xbmc.PLAYLIST_VIDEO)
    playlist.add("a.mkv")
    playlist.add("b.mkv")
    player = kodi_api.xbmc.Player()
    player.play(playlist)
    assert (player.getPlayingFile(), playlist.getposition()) == ("a.mkv", 0)
