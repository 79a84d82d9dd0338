"""The pytest plugin as another add-on project uses it: a test file run by a separate pytest."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from fake_kodi.pytest_plugin import build_addon_zip

from ..conftest import ADDONS, EXAMPLE_ID

OUTSIDE_TEST = """
def test_root_lists_the_folders(kodi, addon_zip, module_addon_zips):
    kodi.install(addon_zip("plugin.video.example"), dependencies=module_addon_zips("requests"))
    result = kodi.run("plugin://plugin.video.example/")
    assert result.status == "directory"
    assert result.labels[:2] == ["Movies", "Tools"]


def test_service_survives_a_wake(kodi, addon_zip, module_addon_zips):
    kodi.install(addon_zip("plugin.video.example"), dependencies=module_addon_zips("requests"))
    service = kodi.service("plugin.video.example", virtual_seconds=3600, events=["600:wake"])
    assert service.ok, service.log
"""


def test_documented_example_passes_in_another_project(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ADDONS / EXAMPLE_ID, project / "tests" / EXAMPLE_ID)
    (project / "tests" / "test_mine.py").write_text(OUTSIDE_TEST)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2 passed" in done.stdout


def test_addon_zip_has_one_root_folder_and_no_bytecode(tmp_path):
    source = tmp_path / EXAMPLE_ID
    shutil.copytree(ADDONS / EXAMPLE_ID, source)
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "addon.cpython-311.pyc").write_bytes(b"x")
    import zipfile

    names = zipfile.ZipFile(build_addon_zip(source, tmp_path / "dist")).namelist()
    assert ({name.split("/")[0] for name in names}, [n for n in names if "pycache" in n]) == (
        {EXAMPLE_ID},
        [],
    )


def test_kodi_fixture_is_a_fresh_home_in_tmp_path(kodi, tmp_path):
    assert (kodi.home.root.parent, kodi.installed(), kodi.kodi_version) == (tmp_path, {}, 20)


def test_kodi_installs_a_source_folder_as_it_would_its_zip(kodi, tmp_path, module_addon_zips):
    source = tmp_path / EXAMPLE_ID
    shutil.copytree(ADDONS / EXAMPLE_ID, source)
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "addon.cpython-311.pyc").write_bytes(b"x")
    manifest = kodi.install(source, dependencies=module_addon_zips("requests"))
    assert (manifest.id, manifest.enabled) == (EXAMPLE_ID, True)
    assert not (kodi.home.addon_dir(EXAMPLE_ID) / "__pycache__").exists()
    assert kodi.run(f"plugin://{EXAMPLE_ID}/").status == "directory"


def test_kodi_refuses_a_folder_without_addon_xml_as_an_install_error(kodi, tmp_path):
    from fake_kodi.home.addons import InstallError

    with pytest.raises(InstallError, match=r"is not an add-on folder \(no addon.xml\)"):
        kodi.install(tmp_path)
