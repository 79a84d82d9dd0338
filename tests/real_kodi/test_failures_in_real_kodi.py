"""Failures in real Kodi are loud: a raising route, a traceback in kodi.log, a clean quit otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.real.driver import RealKodi, RealKodiError
from fake_kodi.real.install import KodiInstall

pytestmark = pytest.mark.real_kodi

PROBE = "plugin://plugin.video.fakekodiprobe/"


@pytest.fixture(scope="module")
def failing_kodi(kodi_install: KodiInstall, probe_zip: Path, tmp_path_factory: pytest.TempPathFactory):
    """A Kodi of its own, so the tracebacks provoked here do not fail the other module's clean-run check."""
    with RealKodi(tmp_path_factory.mktemp("kodi-failing"), install=kodi_install) as kodi:
        kodi.install_zip(probe_zip)
        yield kodi


def test_raising_route_fails_run_with_the_log_tail(failing_kodi: RealKodi) -> None:
    with pytest.raises(
        RealKodiError, match=r"Files.GetDirectory .*route=fail failed: -32602 Invalid params"
    ) as error:
        failing_kodi.run(PROBE + "?route=fail")
    assert "--- kodi.log (last lines) ---" in str(error.value)


def test_raising_route_leaves_its_traceback_in_the_log(failing_kodi: RealKodi) -> None:
    mark = failing_kodi.log_mark()
    failing_kodi.run_for_side_effects(PROBE + "?route=fail")
    tracebacks = failing_kodi.python_tracebacks(since=mark)
    assert len(tracebacks) == 1
    assert "ValueError: probe failure on purpose" in tracebacks[0]


def test_zip_installed_into_running_kodi_gets_empty_localized_strings(failing_kodi: RealKodi) -> None:
    # Pins the Kodi 20 limitation that RealKodi(preinstall=...) works around.
    files = failing_kodi.run(PROBE + "?route=strings")["files"]
    assert [item["label"] for item in files] == ["<empty>"]


def test_kodi_quits_cleanly_after_a_session(
    kodi_install: KodiInstall, probe_zip: Path, tmp_path: Path
) -> None:
    kodi = RealKodi(tmp_path, install=kodi_install)
    with kodi:
        kodi.install_zip(probe_zip)
        kodi.run(PROBE + "?route=listing")
        kodi.notify("tester", "bye")
    report = kodi.quit_report
    assert report is not None
    assert (report.killed, report.exit_code, report.killed_scripts) == (False, 0, [])
    assert kodi.python_tracebacks() == []
