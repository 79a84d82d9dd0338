"""Dependencies and core strings in real Kodi (20 or 21, per lane), against the tables the fake is held to.

The lane installs as a developer copying folders does: unpacked before start, then Addons.SetAddonEnabled
(RealKodi.enable_addon fails the run if one stays disabled). Kodi's zip installer is not measured here: its
only headless doors are the InstallFromZip builtin (a file-browser dialog) and InstallAddon (a repository).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.real.driver import RealKodi
from fake_kodi.real.install import KodiInstall
from tests.patterns.corpus import DEPENDENCY_IDS, zip_pattern
from tests.patterns.facts import (
    CORE_STRING_IDS,
    UNPACKED_DEPENDENCIES,
    UNPACKED_DEPENDENCY_LOG,
    dependency_log_view,
)

pytestmark = pytest.mark.real_kodi

CORE_STRINGS_ID = "plugin.video.fkcorestrings"
CORE_STRINGS_URL = f"plugin://{CORE_STRINGS_ID}/?ids=" + ",".join(str(i) for i in CORE_STRING_IDS)
# Kodi's language add-on as Debian's kodi-data installs it (inside the root for Kodi 21).
KODI_LANGUAGE_ADDON = Path("/usr/share/kodi/addons/resource.language.en_gb")


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dep-zips")
    return [zip_pattern(addon_id, folder) for addon_id in (*DEPENDENCY_IDS, CORE_STRINGS_ID)]


@pytest.fixture(scope="module")
def dep_kodi(
    kodi_install: KodiInstall, zips: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealKodi]:
    kodi = RealKodi(tmp_path_factory.mktemp("dep-kodi"), install=kodi_install, preinstall=zips)
    with kodi:
        yield kodi
    assert kodi.python_tracebacks() == []
    assert kodi.quit_report is not None and not kodi.quit_report.killed, kodi.quit_report


def test_enabling_logs_only_the_missing_required_dependency(dep_kodi: RealKodi) -> None:
    assert dependency_log_view(dep_kodi.log_text()) == UNPACKED_DEPENDENCY_LOG


def test_each_is_enabled_not_broken_and_lists_the_table(dep_kodi: RealKodi) -> None:
    listed = {}
    for addon_id in UNPACKED_DEPENDENCIES:
        details = dep_kodi.request(
            "Addons.GetAddonDetails", {"addonid": addon_id, "properties": ["enabled", "broken"]}
        )["addon"]
        assert (details["enabled"], details["broken"]) == (True, False), addon_id
        listed[addon_id] = [item["label"] for item in dep_kodi.run(f"plugin://{addon_id}/")["files"]]
    assert listed == UNPACKED_DEPENDENCIES


def test_core_strings_are_the_fakes(
    dep_kodi: RealKodi, kodi_install: KodiInstall, zips: list[Path], tmp_path: Path
) -> None:
    real = [item["label"] for item in dep_kodi.run(CORE_STRINGS_URL)["files"]]
    # The fake reads the same kodi-data file this Kodi reads (the root's copy for Kodi 21).
    language = kodi_install.host_path(KODI_LANGUAGE_ADDON)
    with Kodi(tmp_path / "fake", kodi_version=kodi_install.version, language_addon=language) as fake:
        fake.install(zips[-1])
        fake_labels = [item["label"] for item in fake.run(CORE_STRINGS_URL).items]
    assert [label.split("=", 1)[0] for label in real] == [str(i) for i in CORE_STRING_IDS]
    assert all(label.split("=", 1)[1] for label in real), real  # none of them '' in real Kodi
    assert fake_labels == real
