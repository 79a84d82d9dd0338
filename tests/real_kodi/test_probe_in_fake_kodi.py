"""The probe add-on in fake_kodi: the facts its real-Kodi twin pins (test_probe_in_real_kodi.py) hold here too."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import dependency_zips
from tests.real_kodi.test_kodi_versions import ENVIRONMENT, PYTHON_FLAGS, REQUIREMENTS, requirement_zip

PROBE = "plugin://plugin.video.fakekodiprobe/"


def test_episode_year_comes_from_first_aired_in_fake_kodi(probe_zip: Path, tmp_path: Path) -> None:
    with Kodi(tmp_path) as fake:
        fake.install(probe_zip, dependencies=dependency_zips(probe_zip))
        episode = fake.run(PROBE + "?route=tags").items[0]
    assert (episode["label"], episode["info"]["year"]) == ("Episode of 2008", 2008)


def _fake_environment(probe_zip: Path, home: Path, version: int) -> dict:
    import json

    with Kodi(home, kodi_version=version) as fake:
        fake.install(probe_zip, dependencies=dependency_zips(probe_zip))
        assert fake.run(PROBE + "?route=environment").status == "directory"
        recorded = fake.home.addon_data_dir("plugin.video.fakekodiprobe") / "environment.json"
        return json.loads(recorded.read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", [20, 21])
def test_the_fake_answers_as_the_kodi_version_it_emulates(
    probe_zip: Path, tmp_path: Path, version: int
) -> None:
    # The same table the real lanes pin on Kodi 20.1 and 21.2 (the Python and requests versions are the
    # test machine's: not emulated).
    environment = _fake_environment(probe_zip, tmp_path, version)
    expected = ENVIRONMENT[version]["jsonrpc"]
    assert environment["jsonrpc_version"] == {"id": 1, "jsonrpc": "2.0", "result": {"version": expected}}
    package = {20: "2:20.1+dfsg-1", 21: "2:21.2+dfsg-4"}[version]
    assert (
        environment["build_version"]
        == f"{version}.{1 if version == 20 else 2} Debian package version: {package}"
    )
    assert environment["stdlib"] == dict.fromkeys(("imp", "asyncore", "cgi", "telnetlib"), version == 20)
    # Optimised, asserts stripped, caches written beside the add-on's modules: even under tox's
    # PYTHONDONTWRITEBYTECODE, which is the harness's setting, not the add-on's.
    assert environment["python_flags"] == PYTHON_FLAGS


@pytest.mark.parametrize(("dependency", "wanted", "enabled"), REQUIREMENTS)
@pytest.mark.parametrize("version", [20, 21])
def test_the_fake_accepts_core_requirements_as_its_kodi_version_does(
    tmp_path: Path, version: int, dependency: str, wanted: str, enabled: dict
) -> None:
    from fake_kodi.home.addons import InstallError

    zip_path = requirement_zip(tmp_path, "plugin.video.requires", dependency, wanted)
    try:
        Kodi(tmp_path / "home", kodi_version=version).install(zip_path)
        accepted = True
    except InstallError:
        accepted = False
    assert accepted == enabled[version]


def test_realworld_route_sees_in_fake_kodi_what_real_kodi_shows(probe_zip: Path, tmp_path: Path) -> None:
    import json

    from tests.real_kodi.test_probe_in_real_kodi import REALWORLD_LABELS, REALWORLD_SEEN, REALWORLD_URL

    with Kodi(tmp_path) as fake:
        fake.install(probe_zip, dependencies=dependency_zips(probe_zip))
        result = fake.run(REALWORLD_URL)
        recorded = fake.home.addon_data_dir("plugin.video.fakekodiprobe") / "realworld.json"
        seen = json.loads(recorded.read_text(encoding="utf-8"))
    assert (seen, result.labels) == (REALWORLD_SEEN, REALWORLD_LABELS)
    assert result.items[1]["properties"] == {"count": "3"}
    assert [item.get("special_sort") for item in result.items] == ["bottom", None, "top"]
