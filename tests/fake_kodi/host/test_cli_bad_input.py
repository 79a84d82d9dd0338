"""`fake-kodi` on damaged zips, odd settings values and bad numbers: one line, the right exit code, nothing lost."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..conftest import PLUGIN_ONLY_XML
from .test_cli import fake_kodi

ADDON_ID = "plugin.video.damaged"
REPO = Path(__file__).resolve().parents[3]


def _zip(path: Path, files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _good_files() -> dict[str, bytes]:
    return {
        f"{ADDON_ID}/addon.xml": PLUGIN_ONLY_XML.format(id=ADDON_ID).encode(),
        f"{ADDON_ID}/main.py": b"x = 1\n" * 400,
    }


def _flip_in_data(path: Path, entry: str) -> Path:
    data = bytearray(path.read_bytes())
    start = data.find(entry.encode()) + len(entry) + 8  # inside that entry's data, after its local header
    data[start] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _lie_about_size(path: Path, entry: str) -> Path:
    """The central directory claims a size far beyond the entry's real data."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length].decode() == entry:
            data[at + 20 : at + 28] = (10**6).to_bytes(4, "little") * 2
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def damaged_zip(tmp_path: Path, case: str) -> Path:
    path = tmp_path / f"{case}.zip"
    if case == "bad crc":
        return _flip_in_data(_zip(path, _good_files(), zipfile.ZIP_STORED), f"{ADDON_ID}/main.py")
    if case == "corrupt deflate data":
        return _flip_in_data(_zip(path, _good_files()), f"{ADDON_ID}/main.py")
    if case == "lying size header":
        return _lie_about_size(_zip(path, _good_files(), zipfile.ZIP_STORED), f"{ADDON_ID}/main.py")
    assert case == "addon.xml is a folder"
    return _zip(path, {f"{ADDON_ID}/addon.xml/": b"", f"{ADDON_ID}/main.py": b""})


@pytest.mark.parametrize(
    "case", ["bad crc", "corrupt deflate data", "lying size header", "addon.xml is a folder"]
)
def test_a_damaged_zip_is_refused_in_one_line_and_the_installed_version_stays(
    tmp_path: Path, case: str
) -> None:
    home = tmp_path / "home"
    good = _zip(tmp_path / "good.zip", _good_files())
    assert fake_kodi("install", str(good), "--home", str(home)).returncode == 0
    before = (home / "addons" / ADDON_ID / "main.py").read_bytes()
    done = fake_kodi("install", str(damaged_zip(tmp_path, case)), "--home", str(home))
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
    assert (home / "addons" / ADDON_ID / "main.py").read_bytes() == before
    assert [p.name for p in (home / "addons").iterdir() if p.name.startswith(".install-")] == []


@pytest.fixture
def aiostreams_home(tmp_path: Path) -> Path:
    spec_dir = tmp_path / "dist"
    build = subprocess.run([sys.executable, str(REPO / "reference_addon" / "build.py"), str(spec_dir)], check=True,
                           capture_output=True, text=True)  # fmt: skip
    assert build.returncode == 0
    home = tmp_path / "home"
    zip_path = next(spec_dir.glob("*.zip"))
    from fake_kodi.module_addon import module_addon_zips

    deps = map(str, module_addon_zips("requests", out_dir=tmp_path / "deps"))
    assert fake_kodi("install", str(zip_path), *deps, "--home", str(home)).returncode == 0
    return home


def test_a_control_character_in_a_value_loses_no_setting(aiostreams_home: Path) -> None:
    home = str(aiostreams_home)
    fake_kodi("settings", "plugin.video.aiostreams", "--home", home, "--set", "trakt_access_token=tok-123")
    done = fake_kodi("settings", "plugin.video.aiostreams", "--home", home, "--show-secrets",
                     "--set", "aiostreams_manifest_url=x\x01y")  # fmt: skip
    assert done.returncode == 0, done.stderr
    again = fake_kodi("settings", "plugin.video.aiostreams", "--home", home, "--show-secrets")
    assert '"aiostreams_manifest_url": "x\\u0001y"' in again.stdout
    assert '"trakt_access_token": "tok-123"' in again.stdout


def test_settings_masks_secrets_unless_asked(aiostreams_home: Path) -> None:
    home = str(aiostreams_home)
    done = fake_kodi(
        "settings", "plugin.video.aiostreams", "--home", home, "--set", "trakt_client_secret=s3cr3t-value"
    )
    assert "s3cr3t-value" not in done.stdout + done.stderr
    assert '"trakt_client_secret": "<secret, 12 chars>"' in done.stdout
    assert done.stderr.strip() == "fake-kodi: 1 secret setting(s) masked; --show-secrets prints them"
    shown = fake_kodi("settings", "plugin.video.aiostreams", "--home", home, "--show-secrets")
    assert '"trakt_client_secret": "s3cr3t-value"' in shown.stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--virtual-seconds", "nan"], "must be a finite number of seconds >= 0"),
        (["--virtual-seconds", "inf"], "must be a finite number of seconds >= 0"),
        (
            ["--virtual-seconds", "10", "--event", "nan:wake"],
            "T must be a finite number of virtual seconds >= 0",
        ),
        (["--virtual-seconds", "10", "--event", "20:wake"], "is after the run ends (--virtual-seconds 10)"),
    ],
)
def test_service_numbers_that_cannot_run_are_usage_errors(
    tmp_path: Path, options: list[str], message: str
) -> None:
    done = fake_kodi("service", ADDON_ID, "--home", str(tmp_path / "h"), *options)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("target", ["::", "nomodule", "a:b:c"])
def test_call_with_a_bad_target_is_one_line(tmp_path: Path, target: str) -> None:
    home = tmp_path / "home"
    fake_kodi("install", str(_zip(tmp_path / "good.zip", _good_files())), "--home", str(home))
    done = fake_kodi("call", ADDON_ID, target, "--home", str(home))
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("--cassette", None, "no such cassette"),
        ("--cassette", "- 1\n", "a cassette is a mapping"),
        ("--scenario", None, "cannot read the file"),
        ("--scenario", "- 1\n", "scenario"),
        (
            "--cassette",
            "metadata: {scenario: s.yaml, token_expires_at: soon}\ninteractions: []\n",
            "must be a number",
        ),
    ],
)
def test_real_debug_with_an_unusable_backend_file_is_one_line(
    tmp_path: Path, option: str, content: str | None, message: str
) -> None:
    path = tmp_path / ("c.cassette.yaml" if option == "--cassette" else "scenario.yaml")
    (tmp_path / "s.yaml").write_text("now: '2026-11-01T12:00:00Z'\n", encoding="utf-8")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    zip_path = _zip(tmp_path / "good.zip", _good_files())
    done = fake_kodi(
        "real", "debug", "--zip", str(zip_path), option, str(path), "--home", str(tmp_path / "k")
    )
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and message in done.stderr, done.stderr


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs as the Kodi home (root only: a real full disk, unmounted afterwards)."""
    mount_point = tmp_path / "home"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _example_zip(tmp_path: Path, *, small: bool = False) -> str:
    """A folder of zips: the example add-on's and the module add-ons it requires (install arguments).

    `small`: a 2 MB disk cannot hold requests and its four dependencies unpacked (2.2 MB), so a
    stand-in script.module.requests 2.22.0 with an empty lib/ satisfies the import (the example
    add-on declares it but never imports requests).
    """
    from fake_kodi.module_addon import module_addon_xml, module_addon_zips
    from fake_kodi.pytest_plugin import build_addon_zip

    zip_path = build_addon_zip(
        REPO / "tests" / "fake_kodi" / "addons" / "plugin.video.example", tmp_path / "dist"
    )
    if small:
        xml = module_addon_xml("script.module.requests", "requests", "2.22.0", "stand-in", [])
        _zip(
            zip_path.parent / "script.module.requests.zip", {"script.module.requests/addon.xml": xml.encode()}
        )
    else:
        module_addon_zips("requests", out_dir=zip_path.parent)
    return str(zip_path.parent)


def test_a_run_on_a_full_disk_names_the_cause_and_works_once_space_is_back(
    small_disk: Path, tmp_path: Path
) -> None:
    home = str(small_disk)
    assert fake_kodi("install", _example_zip(tmp_path, small=True), "--home", home).returncode == 0
    filler = small_disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    full = fake_kodi("run", "plugin://plugin.video.example/", "--home", home)
    assert full.returncode == 1, full.stdout + full.stderr
    assert len(full.stderr.splitlines()) == 1 and "no space left" in full.stderr.lower(), full.stderr
    filler.unlink()
    again = fake_kodi("run", "plugin://plugin.video.example/", "--home", home)
    assert again.returncode == 0 and "->  directory" in again.stdout, again.stderr


def test_a_read_only_home_names_the_cause(small_disk: Path, tmp_path: Path) -> None:
    home = str(small_disk)
    assert fake_kodi("install", _example_zip(tmp_path, small=True), "--home", home).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", home], check=True)
    done = fake_kodi("settings", "plugin.video.example", "--home", home, "--set", "x=1")
    assert done.returncode == 1 and done.stderr.strip().startswith("fake-kodi: Read-only file system"), (
        done.stderr
    )


def test_a_folder_where_the_settings_file_should_be_names_the_cause(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert fake_kodi("install", str(_example_zip(tmp_path)), "--home", str(home)).returncode == 0
    settings_file = home / "userdata" / "addon_data" / "plugin.video.example" / "settings.xml"
    settings_file.mkdir(parents=True)
    done = fake_kodi("settings", "plugin.video.example", "--home", str(home), "--set", "x=1")
    assert (done.returncode, done.stderr.strip()) == (1, f"fake-kodi: Is a directory ({settings_file})")
