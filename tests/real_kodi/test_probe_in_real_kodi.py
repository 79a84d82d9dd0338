"""The probe add-on in real Kodi 20: listings, notifications, dialogs, RunPlugin, settings, screenshots."""

from __future__ import annotations

import json
import struct
import time
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from fake_kodi.real import framecap
from fake_kodi.real.driver import RealKodi
from fake_kodi.real.processes import SCREEN_SIZE

pytestmark = pytest.mark.real_kodi

PROBE = "plugin://plugin.video.fakekodiprobe/"


def listing(kodi: RealKodi) -> list[dict]:
    return kodi.run(PROBE + "?route=listing")["files"]


def test_idle_kodi_uses_almost_no_cpu(probe_kodi: RealKodi) -> None:
    # First in the module, before any event-client toast. A toast animates for ~5 s and Kodi renders it
    # (at the frame cap's rate: no vsync under Xvfb): wait until none is up.
    toast = "Window.IsVisible(notification)"
    deadline = time.monotonic() + 15.0
    while probe_kodi.info_booleans(toast)[toast] and time.monotonic() < deadline:
        time.sleep(0.2)
    before = probe_kodi.cpu_seconds()
    time.sleep(2.0)
    after = probe_kodi.cpu_seconds()
    assert before is not None and after is not None
    # Measured ~0.02 core; an audio sink streaming silence into the null device spun at ~0.27 core.
    assert (after - before) / 2.0 < 0.1


def test_kodi_draws_through_the_frame_cap(probe_kodi: RealKodi) -> None:
    fps = framecap.frames_per_second()
    if fps == 0:
        pytest.skip(f"{framecap.FPS_VARIABLE}=0: Kodi renders uncapped")
    assert probe_kodi.pid is not None
    assert framecap.LIBRARY_NAME in Path(f"/proc/{probe_kodi.pid}/maps").read_text()
    # The library announces its first paced swap: Kodi's own glXSwapBuffers calls go through it.
    stderr = (probe_kodi.home / "kodi-stdout.log").read_text(errors="replace")
    assert f"framecap: glXSwapBuffers paced to {fps} fps" in stderr


def test_movie_item_comes_back_with_its_info_tag(probe_kodi: RealKodi) -> None:
    movie = listing(probe_kodi)[0]
    assert {key: movie[key] for key in ("label", "title", "year", "playcount", "type", "imdbnumber")} == {
        "label": "Label A",
        "title": "Title A",
        "year": 1999,
        "playcount": 3,
        "type": "movie",
        "imdbnumber": "tt0000001",
    }


def test_unique_ids_and_resume_point_come_back_as_set(probe_kodi: RealKodi) -> None:
    movie = listing(probe_kodi)[0]
    assert movie["uniqueid"] == {"imdb": "tt0000001", "tmdb": "42"}
    assert movie["resume"] == {"position": 30.5, "total": 100.0}


def test_property_keys_come_back_lowercased(probe_kodi: RealKodi) -> None:
    assert listing(probe_kodi)[0]["customproperties"] == {"probekey": "probe value"}


def test_art_urls_come_back_wrapped_as_image_urls(probe_kodi: RealKodi) -> None:
    assert listing(probe_kodi)[0]["art"] == {"thumb": "image://http%3a%2f%2fexample.invalid%2ft.jpg/"}


def test_folder_without_info_tag_has_empty_title_and_unknown_type(probe_kodi: RealKodi) -> None:
    folder = listing(probe_kodi)[1]
    assert (folder["label"], folder["title"], folder["type"], folder["filetype"]) == (
        "Folder B",
        "",
        "unknown",
        "directory",
    )
    assert "uniqueid" not in folder


def test_service_gets_notifyall_as_other_message(probe_kodi: RealKodi) -> None:
    probe_kodi.notify("tester", "hello", {"a": 1})
    deadline = time.monotonic() + 10
    seen = ""
    while not seen and time.monotonic() < deadline:
        seen = probe_kodi.window_property("fakekodiprobe.notification")
        time.sleep(0.05)
    assert json.loads(seen) == ["tester", "Other.hello", '{"a":1}']


def test_select_dialog_is_answered_while_the_route_blocks(probe_kodi: RealKodi) -> None:
    files = probe_kodi.run(PROBE + "?route=dialog", answers=["select=1"])["files"]
    assert [item["label"] for item in files] == ["chose 1"]


def test_cancelled_select_dialog_gives_minus_one(probe_kodi: RealKodi) -> None:
    files = probe_kodi.run(PROBE + "?route=dialog", answers=["Back"])["files"]
    assert [item["label"] for item in files] == ["chose -1"]


def test_run_for_side_effects_runs_the_route_with_handle_minus_one(probe_kodi: RealKodi) -> None:
    probe_kodi.run_for_side_effects(PROBE + "?route=side_effect&x=1,2")
    recorded = probe_kodi.paths.userdata / "addon_data" / "plugin.video.fakekodiprobe" / "side_effect.json"
    assert json.loads(recorded.read_text())["argv"] == [
        PROBE,
        "-1",
        "?route=side_effect&x=1,2",
        "resume:false",
    ]


# What the probe's realworld route sees in real Kodi 20.1 (KODI_BEHAVIOUR.md §11); the fake is held
# to the same table in test_probe_in_fake_kodi.py.
REALWORLD_URL = PROBE + "pod-0?route=realworld"
REALWORLD_SEEN = {
    "argv0": PROBE + "pod-0",
    "script_folder_on_path": True,
    "thread_read": "from-main",
    "count_property": "3",
    "special_sort_property": "",
    "language": {"value": "resource.language.en_gb"},
    "unknown_setting": -32602,
    "application": {
        "version": {"major": 20, "minor": 1, "revision": "20230312-nogitfound", "tag": "stable"},
        "name": "Kodi",
        "volume": 100,
        "muted": False,
        "language": "en_GB",
    },
    "movies": {"limits": {"start": 0, "end": 0, "total": 0}, "movies": []},
    "tags": {"limits": {"start": 0, "end": 0, "total": 0}, "tags": []},
    "dialog_id": 9999,
}
# Added as bottom, plain, top: unsorted, Kodi lists them as added; any sort puts the SpecialSort top
# item first and the bottom one last (label descending too).
REALWORLD_LABELS = ["Next page", "Resumable", "Search"]


def test_realworld_route_sees_what_public_add_ons_rely_on(probe_kodi: RealKodi) -> None:
    files = probe_kodi.run(REALWORLD_URL)["files"]
    recorded = probe_kodi.paths.userdata / "addon_data" / "plugin.video.fakekodiprobe" / "realworld.json"
    seen = json.loads(recorded.read_text())
    if probe_kodi.version != 20:
        seen["application"]["version"] = REALWORLD_SEEN["application"]["version"]  # pinned for 20.1 only
    assert seen == REALWORLD_SEEN
    assert [item["label"] for item in files] == REALWORLD_LABELS
    assert files[1]["customproperties"] == {"count": "3"}
    params = {
        "directory": REALWORLD_URL,
        "media": "files",
        "sort": {"method": "label", "order": "descending"},
    }
    sorted_files = probe_kodi.request("Files.GetDirectory", params)["files"]
    assert [item["label"] for item in sorted_files] == ["Search", "Resumable", "Next page"]


def test_setting_written_inside_kodi_reads_back_unchanged(probe_kodi: RealKodi) -> None:
    value = 'bonjour, (monde) "quoted" é'
    probe_kodi.set_setting("plugin.video.fakekodiprobe", "greeting", value)
    assert probe_kodi.get_setting("plugin.video.fakekodiprobe", "greeting") == value


def test_user_settings_file_lists_settings_in_definition_order(probe_kodi: RealKodi) -> None:
    probe_kodi.set_setting("plugin.video.fakekodiprobe", "greeting", "ordered")
    user_file = probe_kodi.paths.userdata / "addon_data" / "plugin.video.fakekodiprobe" / "settings.xml"
    ids = [setting.get("id") for setting in ElementTree.parse(user_file).getroot()]
    assert ids == ["greeting", "zulu_order", "alpha_order"]


def test_preinstalled_addon_gets_its_localized_strings(probe_kodi: RealKodi) -> None:
    files = probe_kodi.run(PROBE + "?route=strings")["files"]
    assert [item["label"] for item in files] == ["Probe string loaded"]


def test_unknown_setting_reads_as_empty_string(probe_kodi: RealKodi) -> None:
    assert probe_kodi.get_setting("plugin.video.fakekodiprobe", "no_such_setting") == ""


def test_screenshot_is_a_full_size_png_that_is_not_blank(probe_kodi: RealKodi, artifacts_dir: Path) -> None:
    target = probe_kodi.screenshot(artifacts_dir / "kodi_home.png")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == SCREEN_SIZE
    # The driver writes one IDAT chunk: sample its rows and count colours (a blank screen has one).
    idat_length = struct.unpack(">I", data[33:37])[0]
    raw = zlib.decompress(data[41 : 41 + idat_length])
    pixels = {raw[i : i + 3] for i in range(1, len(raw) - 3, 3 * 97)}
    assert len(pixels) > 20


def test_episode_year_comes_from_first_aired(probe_kodi: RealKodi) -> None:
    episode = probe_kodi.run(PROBE + "?route=tags")["files"][0]
    assert (episode["label"], episode["year"]) == ("Episode of 2008", 2008)


def test_season_media_type_comes_back_unknown(probe_kodi: RealKodi) -> None:
    season = probe_kodi.run(PROBE + "?route=tags")["files"][1]
    assert (season["label"], season["type"]) == ("Season", "unknown")
