"""The probe add-on in fake_kodi: the facts its real-Kodi twin pins (test_probe_in_real_kodi.py) hold here too."""

from __future__ import annotations

from pathlib import Path

from fake_kodi.kodi import Kodi

PROBE = "plugin://plugin.video.fakekodiprobe/"


def test_episode_year_comes_from_first_aired_in_fake_kodi(probe_zip: Path, tmp_path: Path) -> None:
    with Kodi(tmp_path) as fake:
        fake.install(probe_zip)
        episode = fake.run(PROBE + "?route=tags").items[0]
    assert (episode["label"], episode["info"]["year"]) == ("Episode of 2008", 2008)
