"""Dependencies in fake_kodi as real Kodi 20.1/21.2 showed them (tests/patterns/facts.py, measured in the lane).

Unpacked by hand and enabled: no refusal, one CAddonMgr warning per missing required dependency, no version
check. Through the zip installer (Kodi.install): refused with CAddonInstallJob's line, as Kodi's installer does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fake_kodi.home.addons import InstallError, is_enabled
from fake_kodi.kodi import Kodi
from tests.patterns.corpus import ADDONS_DIR, DEPENDENCY_IDS, zip_pattern
from tests.patterns.facts import UNPACKED_DEPENDENCIES, UNPACKED_DEPENDENCY_LOG, dependency_log_view


def _unpack(fake: Kodi, addon_id: str) -> None:
    shutil.copytree(ADDONS_DIR / addon_id, fake.home.addons_dir / addon_id)


def _log(fake: Kodi) -> str:
    path = fake.home.log_path
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize("version", [20, 21])
def test_unpacked_and_enabled_as_real_kodi(tmp_path: Path, version: int) -> None:
    with Kodi(tmp_path / "kodi", kodi_version=version) as fake:
        for addon_id in DEPENDENCY_IDS:
            _unpack(fake, addon_id)
            assert not is_enabled(fake.home, addon_id)  # found but disabled, as Kodi leaves it
        for addon_id in DEPENDENCY_IDS:
            assert fake.enable(addon_id).enabled
        assert dependency_log_view(_log(fake)) == UNPACKED_DEPENDENCY_LOG
        assert all(is_enabled(fake.home, addon_id) for addon_id in DEPENDENCY_IDS)
        listed = {}
        for addon_id in UNPACKED_DEPENDENCIES:
            result = fake.run(f"plugin://{addon_id}/")
            assert result.error is None, (addon_id, result.error)
            listed[addon_id] = [item["label"] for item in result.items]
    assert listed == UNPACKED_DEPENDENCIES


def test_enabling_enables_the_installed_required_dependencies_too(tmp_path: Path) -> None:
    # Kodi's CAddonMgr::EnableAddon enables every add-on ResolveDependencies found (read in Kodi's
    # AddonManager.cpp; the lane enables each add-on itself, so this one is from the source only).
    with Kodi(tmp_path / "kodi") as fake:
        _unpack(fake, "script.module.fkdepold")
        _unpack(fake, "plugin.video.fkdepold")
        fake.enable("plugin.video.fkdepold")
        assert is_enabled(fake.home, "script.module.fkdepold")
        assert dependency_log_view(_log(fake)) == []
        assert [i["label"] for i in fake.run("plugin://plugin.video.fkdepold/").items] == [
            "fkdepold: imported 1.0.0"
        ]


def test_enabling_a_folder_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    with Kodi(tmp_path / "kodi") as fake:
        with pytest.raises(InstallError, match="no add-on folder"):
            fake.enable("plugin.video.fkdepmissing")


@pytest.mark.parametrize(
    ("addon_id", "dependency", "version"),
    [
        ("plugin.video.fkdepmissing", "script.module.fkdepnosuch", "1.0.0"),
        ("plugin.video.fkdepold", "script.module.fkdepold", "2.0.0"),
    ],
)
def test_the_zip_installer_still_refuses_what_enabling_only_warns_about(
    tmp_path: Path, addon_id: str, dependency: str, version: str
) -> None:
    line = f"CAddonInstallJob[{addon_id}]: The dependency on {dependency} version {version} could not be satisfied."
    with Kodi(tmp_path / "kodi") as fake:
        fake.install(zip_pattern("script.module.fkdepold", tmp_path / "zips"))
        with pytest.raises(InstallError) as refused:
            fake.install(zip_pattern(addon_id, tmp_path / "zips"))
        assert str(refused.value) == line
        assert dependency_log_view(_log(fake)) == [("error", line)]
        assert not (fake.home.addons_dir / addon_id).exists()


def test_the_optional_dependency_installs_from_a_zip_without_a_line(tmp_path: Path) -> None:
    with Kodi(tmp_path / "kodi") as fake:
        fake.install(zip_pattern("plugin.video.fkdepoptional", tmp_path / "zips"))
        assert dependency_log_view(_log(fake)) == []
        labels = [i["label"] for i in fake.run("plugin://plugin.video.fkdepoptional/").items]
    assert labels == UNPACKED_DEPENDENCIES["plugin.video.fkdepoptional"]


def test_the_enable_command_mirrors_kodi_enable(tmp_path: Path) -> None:
    # `fake-kodi enable` is Kodi.enable on the command line: Kodi's warning printed, exit 0; no folder, exit 1.
    from tests.fake_kodi.host.test_cli import fake_kodi

    home = tmp_path / "kodi"
    shutil.copytree(ADDONS_DIR / "plugin.video.fkdepmissing", home / "addons" / "plugin.video.fkdepmissing")
    done = fake_kodi("enable", "plugin.video.fkdepmissing", "--home", str(home))
    assert (done.returncode, done.stdout.splitlines()[1:]) == (
        0,
        [
            "warning: 'script.module.fkdepnosuch' required by 'plugin.video.fkdepmissing' is missing. "
            "Add-on may not function correctly"
        ],
    )
    assert is_enabled(Kodi(home).home, "plugin.video.fkdepmissing")
    missing = fake_kodi("enable", "plugin.video.nothere", "--home", str(home))
    assert (missing.returncode, missing.stderr.startswith("fake-kodi: no add-on folder")) == (1, True)
