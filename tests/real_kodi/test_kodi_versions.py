"""What differs between Kodi 20.1 and 21.2 as an add-on sees it, pinned on whichever the lane drives.

`tox -e kodi` runs these on Kodi 20, `tox -e kodi21` on Kodi 21 ($FAKE_KODI_REAL_VERSION); each table row
says what both versions answer, so a change in either shows up as a failure on that version only.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from fake_kodi.real.driver import RealKodi, RealKodiError

pytestmark = pytest.mark.real_kodi

PROBE = "plugin://plugin.video.fakekodiprobe/"
# Per Kodi version: the Python its add-ons run on, JSON-RPC's version, python3-requests' version.
ENVIRONMENT = {
    20: {"python": [3, 11], "jsonrpc": {"major": 13, "minor": 0, "patch": 0}, "requests": "2.28.1"},
    21: {"python": [3, 13], "jsonrpc": {"major": 13, "minor": 5, "patch": 0}, "requests": "2.32.3"},
}
# How Kodi 20.1 and 21.2 start Python for an add-on, measured alike on both: optimised (PYTHONOPTIMIZE=1 in
# the environment, so asserts are stripped) and writing bytecode caches into the add-on's own folder.
PYTHON_FLAGS = {
    "optimize": 1,
    "dont_write_bytecode": False,
    "PYTHONOPTIMIZE": "1",
    "PYTHONDONTWRITEBYTECODE": None,
    "asserts_run": False,
    "cache_written": True,
    "cache_name": "probe_imported.TAG.opt-1.pyc",
}
# (dependency, version asked for) -> whether Kodi 20 and Kodi 21 enable an add-on that imports it.
# xbmc.python is 3.0.1 (ABI 3.0.0) in both; xbmc.addon is 20.1.0 and 21.2.0.
REQUIREMENTS = [
    ("xbmc.python", "3.0.0", {20: True, 21: True}),
    ("xbmc.python", "3.0.1", {20: True, 21: True}),
    ("xbmc.python", "3.1.0", {20: False, 21: False}),
    ("xbmc.addon", "21.0.0", {20: False, 21: True}),
]


@pytest.fixture(scope="module")
def environment(probe_kodi: RealKodi) -> dict:
    probe_kodi.run(PROBE + "?route=environment")
    recorded = probe_kodi.paths.userdata / "addon_data" / "plugin.video.fakekodiprobe" / "environment.json"
    return json.loads(recorded.read_text(encoding="utf-8"))


def test_addons_run_on_the_python_of_their_kodi(probe_kodi: RealKodi, environment: dict) -> None:
    assert environment["python"][:2] == ENVIRONMENT[probe_kodi.version]["python"]


def test_jsonrpc_version_from_python_and_over_tcp(probe_kodi: RealKodi, environment: dict) -> None:
    expected = ENVIRONMENT[probe_kodi.version]["jsonrpc"]
    assert environment["jsonrpc_version"] == {"id": 1, "jsonrpc": "2.0", "result": {"version": expected}}
    assert probe_kodi.request("JSONRPC.Version") == {"version": expected}


def test_build_version_names_the_kodi_and_its_debian_package(probe_kodi: RealKodi, environment: dict) -> None:
    version = probe_kodi.request("Application.GetProperties", {"properties": ["version"]})["version"]
    assert (version["major"], version["tag"]) == (probe_kodi.version, "stable")
    package = probe_kodi.install.package_version
    assert (
        environment["build_version"]
        == f"{version['major']}.{version['minor']} Debian package version: {package}"
    )


def test_standard_modules_removed_by_python_3_12_and_3_13_are_gone_in_kodi_21(
    probe_kodi: RealKodi, environment: dict
) -> None:
    # Add-ons that still import imp, asyncore, cgi or telnetlib run on Kodi 20 and fail on Kodi 21.
    present = probe_kodi.version == 20
    assert environment["stdlib"] == dict.fromkeys(("imp", "asyncore", "cgi", "telnetlib"), present)


def test_addons_run_optimised_and_leave_bytecode_caches_in_their_folder(environment: dict) -> None:
    assert environment["python_flags"] == PYTHON_FLAGS


def test_script_module_requests_is_the_systems_python3_requests(
    probe_kodi: RealKodi, environment: dict
) -> None:
    assert environment["requests"] == ENVIRONMENT[probe_kodi.version]["requests"]


def requirement_zip(folder: Path, addon_id: str, dependency: str, version: str) -> Path:
    addon_xml = (
        f'<addon id="{addon_id}" name="requires {dependency} {version}" version="1.0.0" provider-name="t">\n'
        f'  <requires><import addon="{dependency}" version="{version}"/></requires>\n'
        '  <extension point="xbmc.python.pluginsource" library="plugin.py"><provides>video</provides></extension>\n'
        '  <extension point="xbmc.addon.metadata"><platform>all</platform></extension>\n'
        "</addon>\n"
    )
    plugin = "import sys, xbmcplugin\nxbmcplugin.endOfDirectory(int(sys.argv[1]))\n"
    target = folder / f"{addon_id}.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(f"{addon_id}/addon.xml", addon_xml)
        archive.writestr(f"{addon_id}/plugin.py", plugin)
    return target


@pytest.mark.parametrize(("dependency", "version", "enabled"), REQUIREMENTS)
def test_which_dependency_versions_kodi_accepts(
    probe_kodi: RealKodi, tmp_path: Path, dependency: str, version: str, enabled: dict[int, bool]
) -> None:
    addon_id = f"plugin.video.requires.{dependency.replace('.', '')}.{version.replace('.', '')}"
    archive = requirement_zip(tmp_path, addon_id, dependency, version)
    mark = probe_kodi.log_mark()
    if enabled[probe_kodi.version]:
        probe_kodi.install_zip(archive)
        assert probe_kodi.run(f"plugin://{addon_id}/")["files"] == []
    else:
        with pytest.raises(RealKodiError, match="stayed disabled after Addons.SetAddonEnabled"):
            probe_kodi.install_zip(archive)
        assert f"Add-on '{addon_id}' is not compatible with Kodi" in probe_kodi.log_since(mark)
