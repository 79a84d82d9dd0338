"""The cached trixie root for Kodi 21: complete only with its marker, reused, refused without permission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_kodi.real.kodi_root import (
    INCLUDE,
    MARKER,
    RootUnavailable,
    ensure_root,
    installed_version,
    is_complete,
    mounts_under,
)
from fake_kodi.real.processes import make_mountpoint, remove_mountpoint, rooted_command

STATUS = """\
Package: kodi-data
Version: 2:21.2+dfsg-4

Package: kodi
Status: install ok installed
Version: 2:21.2+dfsg-4

Package: xvfb
Version: 2:21.1.16-1.3
"""


def fake_root(tmp_path: Path, include: list[str] | None = None) -> Path:
    root = tmp_path / "kodi21-root"
    (root / "var" / "lib" / "dpkg").mkdir(parents=True)
    (root / "var" / "lib" / "dpkg" / "status").write_text(STATUS)
    if include is not None:
        marker = {"suite": "trixie", "include": include, "kodi": "2:21.2+dfsg-4", "build_seconds": 1.0}
        (root / MARKER).write_text(json.dumps(marker))
    return root


def test_installed_version_comes_from_the_roots_dpkg_status(tmp_path: Path) -> None:
    root = fake_root(tmp_path)
    assert (installed_version(root, "kodi"), installed_version(root, "xvfb")) == (
        "2:21.2+dfsg-4",
        "2:21.1.16-1.3",
    )
    assert installed_version(root, "python3-requests") == ""


def test_a_root_without_its_marker_is_not_complete(tmp_path: Path) -> None:
    assert not is_complete(fake_root(tmp_path))


def test_a_root_built_for_another_package_list_is_not_complete(tmp_path: Path) -> None:
    assert not is_complete(fake_root(tmp_path, include=["kodi", "xvfb"]))


def test_a_complete_root_is_reused_without_building(tmp_path: Path) -> None:
    root = fake_root(tmp_path, include=list(INCLUDE))
    built = ensure_root(root, allow_build=False)
    assert (built.path, built.kodi_package, built.build_seconds) == (root, "2:21.2+dfsg-4", 0.0)


def test_an_unfinished_root_is_not_used_when_building_is_not_allowed(tmp_path: Path) -> None:
    root = fake_root(tmp_path)
    with pytest.raises(
        RootUnavailable, match=r"^no complete trixie root at .* and building it is not allowed$"
    ):
        ensure_root(root, allow_build=False)
    assert (root / "var" / "lib" / "dpkg" / "status").is_file()  # left alone


def test_no_mounts_under_a_plain_folder(tmp_path: Path) -> None:
    assert mounts_under(tmp_path) == []


def test_rooted_command_enters_new_mount_and_pid_namespaces_but_keeps_the_network(tmp_path: Path) -> None:
    command = rooted_command(tmp_path / "root", Path("/home/k"), ["/usr/bin/Xvfb", "-nolisten", "tcp"])
    options = command[1 : command.index(next(part for part in command if part.endswith("/sh")))]
    assert options == [
        "--mount",
        "--pid",
        "--fork",
        "--kill-child",
        f"--mount-proc={tmp_path / 'root' / 'proc'}",
    ]
    assert command[-5:] == ["/home/k", str(tmp_path / "root"), "/usr/bin/Xvfb", "-nolisten", "tcp"]


def test_mountpoint_mirrors_the_home_path_and_goes_away_with_its_empty_parents(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "tmp").mkdir(parents=True)
    (root / "tmp" / "keep").write_text("")
    home = Path("/tmp/pytest-x/kodi-home0")
    assert make_mountpoint(root, home) == root / "tmp" / "pytest-x" / "kodi-home0"
    remove_mountpoint(root, home)
    assert sorted(path.name for path in (root / "tmp").iterdir()) == ["keep"]
