"""Fixtures for the real-Kodi lane: Kodi installed (or the lane skipped), the probe add-on zipped, Kodi running.

$FAKE_KODI_REAL_VERSION picks the Kodi the whole session drives: 20 (default, this machine's Debian 12 package)
or 21 (Debian 13's, from a trixie root); `tox -e kodi` and `tox -e kodi21` run the same tests on each.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_kodi.real.driver import RealKodi
from fake_kodi.real.install import KodiInstall, KodiUnavailable, ensure_kodi, version_from_environment
from tests.real_kodi.reference_world import FIDELITY_TABLE, build_zip

PROBE_ID = "plugin.video.fakekodiprobe"
PROBE_SOURCE = Path(__file__).parent / "addons" / PROBE_ID
REPO_ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_kodi: needs Debian's Kodi and Xvfb (installed with apt when root)"
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    table = config.stash.get(FIDELITY_TABLE, None)
    if table is not None:
        terminalreporter.write_sep("=", f"fidelity: fake_kodi vs real Kodi {_version_or_none()}")
        terminalreporter.write_line(table)


def zip_addon(source: Path, target: Path) -> Path:
    """Zip an add-on folder the way Kodi expects: one top-level folder named after the id, no bytecode."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, f"{source.name}/{path.relative_to(source).as_posix()}")
    return target


def _version_or_none() -> int | None:
    try:
        return version_from_environment()
    except KodiUnavailable:
        return None


@pytest.fixture(scope="session")
def kodi_version() -> int:
    """The Kodi major version this session drives (20 or 21)."""
    try:
        return version_from_environment()
    except KodiUnavailable as reason:
        pytest.fail(str(reason))  # a typo in the variable must not pass as a skipped lane


@pytest.fixture(scope="session")
def kodi_install(kodi_version: int) -> KodiInstall:
    """That Kodi and Xvfb, installed when missing; the lane is skipped with the reason otherwise."""
    try:
        return ensure_kodi(version=kodi_version)
    except KodiUnavailable as reason:
        pytest.skip(f"real Kodi {kodi_version} unavailable: {reason}")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots go (git-ignored; kept by CI as artifacts)."""
    folder = Path(os.environ.get("FAKE_KODI_ARTIFACTS", REPO_ROOT / "artifacts")) / "real_kodi"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def reference_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference add-on zip, built by reference_addon/build.py."""
    return build_zip(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def probe_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The probe add-on, zipped fresh from its source folder."""
    return zip_addon(PROBE_SOURCE, tmp_path_factory.mktemp("zip") / f"{PROBE_ID}.zip")


@pytest.fixture(scope="module")
def probe_kodi(
    kodi_install: KodiInstall, probe_zip: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealKodi]:
    """One real Kodi per test module with the probe preinstalled; it must quit cleanly with no Python tracebacks."""
    kodi = RealKodi(tmp_path_factory.mktemp("kodi-home"), install=kodi_install, preinstall=[probe_zip])
    with kodi:
        yield kodi
    tracebacks = kodi.python_tracebacks()
    assert tracebacks == [], "Python tracebacks in kodi.log:\n" + "\n\n".join(tracebacks)
    assert kodi.quit_report is not None and not kodi.quit_report.killed, (
        f"Kodi had to be killed: {kodi.quit_report}"
    )
