"""xbmcvfs on real files under a temporary folder."""

import pytest


def test_file_write_then_read_roundtrip(kodi_api, tmp_path):
    path = str(tmp_path / "a.txt")
    with kodi_api.xbmcvfs.File(path, "w") as handle:
        assert handle.write("héllo") is True
    with kodi_api.xbmcvfs.File(path) as handle:
        assert handle.read() == "héllo"


def test_file_size_and_seek(kodi_api, tmp_path):
    (tmp_path / "b.bin").write_bytes(b"0123456789")
    handle = kodi_api.xbmcvfs.File(str(tmp_path / "b.bin"))
    assert (handle.size(), handle.seek(4), bytes(handle.readBytes(3))) == (10, 4, b"456")
    handle.close()


def test_missing_file_reads_empty(kodi_api, tmp_path):
    handle = kodi_api.xbmcvfs.File(str(tmp_path / "missing"))
    assert (handle.read(), handle.size()) == ("", -1)


def test_exists_with_trailing_slash_checks_a_folder(kodi_api, tmp_path):
    (tmp_path / "f").write_text("x")
    assert (
        kodi_api.xbmcvfs.exists(str(tmp_path) + "/"),
        kodi_api.xbmcvfs.exists(str(tmp_path / "f") + "/"),
    ) == (
        True,
        False,
    )


def test_mkdirs_then_rmdir_force(kodi_api, tmp_path):
    deep = tmp_path / "a" / "b"
    assert kodi_api.xbmcvfs.mkdirs(str(deep)) is True
    (deep / "f").write_text("x")
    assert kodi_api.xbmcvfs.rmdir(str(tmp_path / "a"), force=True) is True
    assert not (tmp_path / "a").exists()


def test_rmdir_of_non_empty_folder_without_force_fails(kodi_api, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_text("x")
    assert kodi_api.xbmcvfs.rmdir(str(tmp_path / "d")) is False


def test_listdir_splits_folders_and_files(kodi_api, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "f.txt").write_text("x")
    assert kodi_api.xbmcvfs.listdir(str(tmp_path)) == (["sub"], ["f.txt"])


def test_copy_rename_delete(kodi_api, tmp_path):
    (tmp_path / "a").write_text("x")
    vfs = kodi_api.xbmcvfs
    assert vfs.copy(str(tmp_path / "a"), str(tmp_path / "b")) is True
    assert vfs.rename(str(tmp_path / "b"), str(tmp_path / "c")) is True
    assert vfs.delete(str(tmp_path / "a")) is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


def test_stat_reports_size(kodi_api, tmp_path):
    (tmp_path / "a").write_bytes(b"12345")
    assert kodi_api.xbmcvfs.Stat(str(tmp_path / "a")).st_size() == 5


def test_translatepath_uses_the_session_for_special_paths(kodi_api, tmp_path):
    assert kodi_api.xbmcvfs.translatePath("special://profile/addon_data/x/") == str(
        tmp_path / "userdata/addon_data/x/"
    )


def test_file_functions_translate_special_paths(kodi_api, tmp_path):
    (tmp_path / "userdata").mkdir()
    assert kodi_api.xbmcvfs.mkdir("special://profile/addon_data") is True
    assert (tmp_path / "userdata" / "addon_data").is_dir()


def test_network_urls_are_not_emulated(kodi_api):
    with pytest.raises(
        NotImplementedError, match=r"^xbmcvfs\.File on 'http://' URLs is not emulated by fake_kodi$"
    ):
        kodi_api.xbmcvfs.File("http://example.invalid/x")


def test_makelegalfilename_replaces_illegal_characters(kodi_api):
    assert kodi_api.xbmcvfs.makeLegalFilename("/tmp/a:b?.txt") == "/tmp/a_b_.txt"
