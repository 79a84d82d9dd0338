"""A fresh Kodi home: loopback-only JSON-RPC settings, free ports, the support add-ons."""

from __future__ import annotations

import socket
from pathlib import Path
from xml.etree import ElementTree

import pytest

from fake_kodi.real.home import (
    HELPER_ADDON_ID,
    REQUESTS_ADDON_ID,
    addon_user_settings_xml,
    advancedsettings_xml,
    guisettings_xml,
    port_is_free,
    prepare_home,
    write_addon_user_settings,
)


def settings_of(xml_text: str) -> dict[str, str]:
    return {node.get("id"): node.text for node in ElementTree.fromstring(xml_text).iter("setting")}


def test_guisettings_enable_json_rpc_on_loopback_only_without_webserver(tmp_path: Path) -> None:
    settings = settings_of(guisettings_xml(41234, tmp_path))
    assert {
        key: settings[key] for key in ("services.esenabled", "services.esallinterfaces", "services.webserver")
    } == {
        "services.esenabled": "true",
        "services.esallinterfaces": "false",
        "services.webserver": "false",
    }
    assert settings["services.esport"] == "41234"


def test_guisettings_turn_off_every_service_that_would_listen_on_all_interfaces(tmp_path: Path) -> None:
    settings = settings_of(guisettings_xml(41234, tmp_path))
    services = ("services.wsdiscovery", "services.zeroconf", "services.upnp", "services.airplay")
    assert {key: settings[key] for key in services} == dict.fromkeys(services, "false")


def test_guisettings_never_check_for_updates_and_allow_unknown_sources(tmp_path: Path) -> None:
    settings = settings_of(guisettings_xml(41234, tmp_path))
    assert (settings["general.addonupdates"], settings["addons.unknownsources"]) == ("2", "true")


def test_guisettings_suspend_the_audio_sink_between_sounds(tmp_path: Path) -> None:
    # The default (1 minute) streams silence into the ALSA null device, which spins a thread at ~0.27 core.
    assert settings_of(guisettings_xml(41234, tmp_path))["audiooutput.streamsilence"] == "0"


def test_advancedsettings_set_the_json_rpc_tcp_port() -> None:
    root = ElementTree.fromstring(advancedsettings_xml(40123, debug_log=False))
    assert root.findtext("jsonrpc/tcpport") == "40123"
    assert root.find("loglevel") is None


def test_debug_log_is_on_without_the_screen_overlay() -> None:
    loglevel = ElementTree.fromstring(advancedsettings_xml(40123, debug_log=True)).find("loglevel")
    assert (loglevel.text, loglevel.get("hide")) == ("1", "true")


def test_bound_port_is_not_free() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        assert not port_is_free(holder.getsockname()[1])


def test_prepare_home_refuses_a_taken_json_rpc_port(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        with pytest.raises(
            RuntimeError, match=rf"^JSON-RPC port {port} on 127.0.0.1 is taken \(another Kodi\?\)$"
        ):
            prepare_home(tmp_path, tmp_path / "shots", jsonrpc_port=port)


def test_prepare_home_writes_settings_sound_and_support_addons(tmp_path: Path) -> None:
    home = prepare_home(tmp_path, tmp_path / "shots")
    assert (tmp_path / ".asoundrc").read_text() == "pcm.!default { type null }\n"
    assert ElementTree.parse(home.userdata / "advancedsettings.xml").findtext("jsonrpc/tcpport") == str(
        home.jsonrpc_port
    )
    for addon_id in (REQUESTS_ADDON_ID, HELPER_ADDON_ID):
        assert ElementTree.parse(home.addons_dir / addon_id / "addon.xml").getroot().get("id") == addon_id


def test_requests_module_addon_exposes_a_lib_folder(tmp_path: Path) -> None:
    home = prepare_home(tmp_path, tmp_path / "shots")
    root = ElementTree.parse(home.addons_dir / REQUESTS_ADDON_ID / "addon.xml").getroot()
    module = root.find("extension[@point='xbmc.python.module']")
    assert module is not None and module.get("library") == "lib"
    assert (home.addons_dir / REQUESTS_ADDON_ID / "lib").is_dir()


def test_addon_user_settings_keep_the_given_order_and_escape_text() -> None:
    text = addon_user_settings_xml({"zeta": "a<b", "alpha": 'say "hi" & go'})
    assert text == (
        '<settings version="2">\n'
        '    <setting id="zeta">a&lt;b</setting>\n'
        '    <setting id="alpha">say "hi" &amp; go</setting>\n'
        "</settings>\n"
    )


def test_addon_user_settings_file_goes_under_addon_data(tmp_path: Path) -> None:
    target = write_addon_user_settings(tmp_path, "plugin.video.x", {"k": "v"})
    assert target == tmp_path / "addon_data" / "plugin.video.x" / "settings.xml"
    assert settings_of(target.read_text(encoding="utf-8")) == {"k": "v"}
