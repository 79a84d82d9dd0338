"""apt_install's check of what dpkg already has, on this machine's real dpkg (lanes ask for apt at once)."""

from __future__ import annotations

import shutil

import pytest

from fake_kodi.real.apt import is_installed

pytestmark = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs dpkg (Debian)")


def test_dpkg_itself_is_installed_and_a_made_up_package_is_not() -> None:
    assert is_installed("dpkg") is True
    assert is_installed("fake-kodi-no-such-package") is False
