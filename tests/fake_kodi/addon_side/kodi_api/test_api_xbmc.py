"""xbmc: log, sleep, builtins, JSON-RPC, info, Monitor, Keyboard, not-emulated names."""

import pytest


def test_log_forwards_message_and_level(kodi_api, session):
    kodi_api.xbmc.log("hello", kodi_api.xbmc.LOGWARNING)
    assert session.logs == [("hello", 2)]


def test_log_defaults_to_debug_level(kodi_api, session):
    kodi_api.xbmc.log("quiet")
    assert session.logs == [("quiet", kodi_api.xbmc.LOGDEBUG)]


def test_log_rejects_non_string_message(kodi_api):
    with pytest.raises(TypeError, match=r'^argument "msg" for method "log" must be unicode or str$'):
        kodi_api.xbmc.log(42)


def test_sleep_passes_milliseconds_to_the_session(kodi_api, session):
    kodi_api.xbmc.sleep(250)
    assert session.sleeps == [250]


def test_sleep_rejects_a_float_like_kodis_python(kodi_api):
    with pytest.raises(TypeError, match=r"^'float' object cannot be interpreted as an integer$"):
        kodi_api.xbmc.sleep(0.5)


def test_executebuiltin_forwards_command_and_wait(kodi_api, session):
    assert kodi_api.xbmc.executebuiltin("Container.Refresh", True) is None
    assert session.builtins == [("Container.Refresh", True)]


def test_executejsonrpc_returns_the_session_answer(kodi_api, session):
    answer = kodi_api.xbmc.executeJSONRPC('{"jsonrpc":"2.0","method":"JSONRPC.Ping","id":1}')
    assert answer == '{"id":1,"jsonrpc":"2.0","result":"OK"}'


def test_getcondvisibility_returns_a_bool(kodi_api):
    assert kodi_api.xbmc.getCondVisibility("System.Platform.Linux") is True


def test_getinfolabel_asks_the_session(kodi_api):
    assert kodi_api.xbmc.getInfoLabel("System.BuildVersion") == "20.1"


def test_getlocalizedstring_asks_the_session_for_kodis_own_strings(kodi_api):
    assert kodi_api.xbmc.getLocalizedString(137) == "resource.language.en_gb:137"


def test_getlanguage_iso_639_1_with_region(kodi_api):
    assert kodi_api.xbmc.getLanguage(kodi_api.xbmc.ISO_639_1, True) == "en-gb"


def test_monitor_registers_with_the_session(kodi_api, session):
    monitor = kodi_api.xbmc.Monitor()
    assert session.monitors == [monitor]


def test_waitforabort_none_raises_like_kodi(kodi_api):
    with pytest.raises(TypeError, match=r"^must be real number, not NoneType$"):
        kodi_api.xbmc.Monitor().waitForAbort(None)


def test_waitforabort_zero_waits_forever(kodi_api, session):
    kodi_api.xbmc.Monitor().waitForAbort(0)
    assert session.waits == [None]


def test_waitforabort_default_waits_forever(kodi_api, session):
    kodi_api.xbmc.Monitor().waitForAbort()
    assert session.waits == [None]


def test_waitforabort_positive_timeout_is_passed_in_seconds(kodi_api, session):
    session.aborting = True
    assert kodi_api.xbmc.Monitor().waitForAbort(2) is True
    assert session.waits == [2.0]


def test_abortrequested_reflects_the_session(kodi_api, session):
    session.aborting = True
    assert kodi_api.xbmc.Monitor().abortRequested() is True


def test_keyboard_confirmed_text_comes_from_the_script(kodi_api, session):
    session.answers["keyboard"].append("the matrix")
    keyboard = kodi_api.xbmc.Keyboard("", "Search")
    keyboard.doModal()
    assert (keyboard.isConfirmed(), keyboard.getText()) == (True, "the matrix")
    assert session.dialogs == [("keyboard", {"heading": "Search", "default": "", "hidden": False})]


def test_keyboard_cancel_keeps_the_default_text(kodi_api, session):
    keyboard = kodi_api.xbmc.Keyboard("default")
    keyboard.doModal()
    assert (keyboard.isConfirmed(), keyboard.getText()) == (False, "default")


def test_not_emulated_function_raises_naming_the_api(kodi_api):
    with pytest.raises(NotImplementedError, match=r"^xbmc\.getFreeMem is not emulated by fake_kodi$"):
        kodi_api.xbmc.getFreeMem()


def test_not_emulated_class_raises_on_construction(kodi_api):
    with pytest.raises(NotImplementedError, match=r"^xbmc\.InfoTagMusic is not emulated by fake_kodi$"):
        kodi_api.xbmc.InfoTagMusic()
