"""The lane is skipped with a one-line reason when Kodi is missing and cannot be installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_kodi.real.install import KodiUnavailable, ensure_kodi


def test_missing_kodi_without_permission_to_install_gives_the_reason(tmp_path: Path) -> None:
    nowhere = str(tmp_path / "no-kodi.bin")
    with pytest.raises(KodiUnavailable, match=r"^missing kodi(, [\w-]+)* and installing is not allowed$"):
        ensure_kodi(allow_install=False, kodi_candidates=(nowhere,))
