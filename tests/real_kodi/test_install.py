"""The lane is skipped with a one-line reason when Kodi is missing and cannot be installed; which Kodi it drives."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.real.install import KodiInstall, KodiUnavailable, ensure_kodi, version_from_environment


def test_missing_kodi_without_permission_to_install_gives_the_reason(tmp_path: Path) -> None:
    nowhere = str(tmp_path / "no-kodi.bin")
    with pytest.raises(KodiUnavailable, match=r"^missing kodi(, [\w-]+)* and installing is not allowed$"):
        ensure_kodi(allow_install=False, kodi_candidates=(nowhere,))


@pytest.mark.parametrize(("text", "version"), [("", 20), ("20", 20), ("21", 21), (" 21 ", 21)])
def test_version_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, text: str, version: int) -> None:
    monkeypatch.setenv("FAKE_KODI_REAL_VERSION", text)
    assert version_from_environment() == version


@pytest.mark.parametrize("text", ["19", "22", "omega"])
def test_unsupported_version_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("FAKE_KODI_REAL_VERSION", text)
    with pytest.raises(KodiUnavailable, match=r"supported versions are 20 and 21$"):
        version_from_environment()


def test_kodi_21_without_its_root_and_permission_to_build_gives_the_reason(tmp_path: Path) -> None:
    with pytest.raises(
        KodiUnavailable, match=r"^no complete trixie root at .* and building it is not allowed$"
    ):
        ensure_kodi(allow_install=False, version=21, root=tmp_path / "kodi21-root")


def test_paths_of_a_rooted_kodi_lie_inside_its_root(tmp_path: Path) -> None:
    install = KodiInstall(
        Path("/usr/lib/kodi/kodi.bin"), Path("/usr/bin/Xvfb"), 0.0, version=21, root=tmp_path
    )
    assert install.host_path(install.requests_dir) == tmp_path / "usr" / "lib" / "python3" / "dist-packages"
    assert KodiInstall(Path("/k"), Path("/x"), 0.0).host_path(Path("/usr/lib")) == Path("/usr/lib")
