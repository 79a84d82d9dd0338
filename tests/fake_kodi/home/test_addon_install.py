"""install_zip: what is installed, what is rejected, and that a rejection writes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from fake_kodi.home.addons import InstallError, install_zip, is_enabled, load_installed, python_paths
from fake_kodi.home.kodi_home import KodiHome

from .conftest import addon_entries, addon_xml, make_zip, tree

ID = "plugin.video.example"


def test_install_extracts_addon_folder(home, tmp_path):
    manifest = install_zip(home, make_zip(tmp_path / "a.zip", addon_entries()))
    assert (home.addons_dir / ID / "resources" / "lib" / "routes.py").read_text() == "ROUTES = {}\n"
    assert manifest.path == home.addons_dir / ID


def test_install_enables_addon(home, tmp_path):
    install_zip(home, make_zip(tmp_path / "a.zip", addon_entries()))
    assert is_enabled(home, ID) and load_installed(home)[ID].enabled


def test_unzipped_by_hand_is_disabled(home):
    folder = home.addons_dir / ID
    folder.mkdir()
    (folder / "addon.xml").write_text(addon_xml())
    assert load_installed(home)[ID].enabled is False


def test_bytecode_caches_are_ignored(home, tmp_path):
    entries = addon_entries() | {f"{ID}/__pycache__/main.cpython-311.pyc": b"\0", f"{ID}/old.pyc": b"\0"}
    install_zip(home, make_zip(tmp_path / "a.zip", entries))
    assert not list((home.addons_dir / ID).rglob("*.pyc"))


def test_reinstall_replaces_whole_folder(home, tmp_path):
    install_zip(home, make_zip(tmp_path / "v1.zip", addon_entries() | {f"{ID}/gone.py": "x"}))
    manifest = install_zip(home, make_zip(tmp_path / "v2.zip", addon_entries(version="2.0.0")))
    assert manifest.version == "2.0.0"
    assert not (home.addons_dir / ID / "gone.py").exists()
    assert sorted(p.name for p in home.addons_dir.iterdir()) == ["packages", ID]


def test_failed_reinstall_keeps_previous_version(home, tmp_path):
    install_zip(home, make_zip(tmp_path / "v1.zip", addon_entries()))
    with pytest.raises(InstallError):
        install_zip(home, make_zip(tmp_path / "bad.zip", addon_entries(version="2.0.0", xbmc_python="3.1.0")))
    assert load_installed(home)[ID].version == "1.0.0"


def test_kodi_21_accepts_python_3_0_1(tmp_path):
    home = KodiHome(tmp_path / "k21", kodi_version=21).create()
    assert install_zip(home, make_zip(tmp_path / "a.zip", addon_entries())).xbmc_python == "3.0.1"


# ---- rejections: each leaves the home exactly as it was -----------------------------------


def _bomb_entries() -> dict[str, bytes]:
    return addon_entries() | {f"{ID}/zeros.bin": b"\0" * (4 * 1024 * 1024)}


REJECTIONS = {
    "zip_slip": (
        addon_entries() | {f"{ID}/../../evil.py": "x"},
        r"unsafe entry 'plugin.video.example/../../evil.py': path escapes the add-on folder \(zip-slip\)",
    ),
    "absolute": (addon_entries() | {"/tmp/evil.py": "x"}, r"unsafe entry '/tmp/evil.py': absolute path"),
    "backslash": (addon_entries() | {f"{ID}\\..\\evil.py": "x"}, r"backslash in path"),
    "several_roots": (
        addon_entries() | {"other.addon/addon.xml": "x"},
        r"zip has several top-level entries \['other.addon', 'plugin.video.example'\]",
    ),
    "file_at_root": (addon_entries() | {"README.md": "x"}, r"entry 'README.md' is outside the add-on folder"),
    "wrong_root": (
        {f"plugin.video.other/{k.split('/', 1)[1]}": v for k, v in addon_entries().items()},
        r"top-level folder 'plugin.video.other' does not match the add-on id 'plugin.video.example'",
    ),
    "missing_addon_xml": (
        {f"{ID}/main.py": "x"},
        r"plugin.video.example/addon.xml is missing from the zip",
    ),
    "malformed_addon_xml": (
        addon_entries() | {f"{ID}/addon.xml": "<addon id="},
        r"plugin.video.example/addon.xml: addon.xml is not valid XML",
    ),
    "python_too_new": (
        addon_entries(xbmc_python="3.1.0"),
        r"Add-on 'plugin.video.example' is not compatible with Kodi: it requires xbmc.python 3.1.0, "
        r"Kodi 20 provides 3.0.0 to 3.0.1",
    ),
    "python_too_old": (
        addon_entries(xbmc_python="2.25.0"),
        r"not compatible with Kodi: it requires xbmc.python 2.25.0",
    ),
    "ratio_bomb": (
        _bomb_entries(),
        r"entry 'plugin.video.example/zeros.bin' has a suspicious compression ratio",
    ),
    "empty": ({}, r"zip is empty"),
}


@pytest.mark.parametrize("case", sorted(REJECTIONS))
def test_rejected_zip_writes_nothing(home, tmp_path, case):
    entries, message = REJECTIONS[case]
    zip_path = make_zip(tmp_path / f"{case}.zip", entries)
    before = tree(tmp_path)
    with pytest.raises(InstallError, match=message):
        install_zip(home, zip_path)
    assert tree(tmp_path) == before
    assert not (tmp_path / "evil.py").exists() and not Path("/tmp/evil.py").exists()


def test_symlink_entry_is_rejected(home, tmp_path):
    zip_path = make_zip(tmp_path / "l.zip", addon_entries(), symlinks={f"{ID}/link": "/etc/passwd"})
    before = tree(tmp_path)
    with pytest.raises(InstallError, match=r"^unsafe entry 'plugin.video.example/link': symbolic link$"):
        install_zip(home, zip_path)
    assert tree(tmp_path) == before


def test_total_size_limit_is_enforced(home, tmp_path):
    zip_path = make_zip(tmp_path / "big.zip", addon_entries() | {f"{ID}/data.bin": b"x" * 5000})
    with pytest.raises(
        InstallError,
        match=r"zip expands to more than 4000 bytes \(at entry 'plugin.video.example/data.bin'\)",
    ):
        install_zip(home, zip_path, max_total_bytes=4000)
    assert tree(home.addons_dir) == {"packages"}


def test_duplicate_entry_is_rejected(home, tmp_path):
    zip_path = tmp_path / "dup.zip"
    make_zip(zip_path, addon_entries())
    with pytest.warns(UserWarning), zipfile.ZipFile(zip_path, "a") as zf:
        zf.writestr(f"{ID}/main.py", "again")
    with pytest.raises(InstallError, match=r"^duplicate entry 'plugin.video.example/main.py'$"):
        install_zip(home, zip_path)


def test_not_a_zip_is_rejected(home, tmp_path):
    path = tmp_path / "nope.zip"
    path.write_text("plain text")
    with pytest.raises(InstallError, match=r"^nope.zip is not a valid zip file"):
        install_zip(home, path)


# ---- dependencies --------------------------------------------------------------------------


def test_missing_required_dependency_is_refused_with_kodis_line(home, tmp_path):
    entries = addon_entries(imports='<import addon="script.module.foo" version="1.0.0"/>')
    expected = "CAddonInstallJob[plugin.video.example]: The dependency on script.module.foo version 1.0.0 could not be satisfied."
    with pytest.raises(InstallError) as refused:
        install_zip(home, make_zip(tmp_path / "a.zip", entries))
    assert str(refused.value) == expected
    assert home.log_path.read_text().endswith(f" error <general>: {expected}\n")
    assert tree(home.addons_dir) == {"packages"}


def test_missing_optional_dependency_is_silent(home, tmp_path):
    entries = addon_entries(imports='<import addon="script.module.foo" version="1.0.0" optional="true"/>')
    manifest = install_zip(home, make_zip(tmp_path / "a.zip", entries))
    assert manifest.warnings == [] and python_paths(home, manifest) == []


def test_the_test_virtualenv_does_not_satisfy_a_module_dependency(home, tmp_path):
    import requests  # noqa: F401 - importable here, and still no script.module.requests for Kodi

    entries = addon_entries(imports='<import addon="script.module.requests" version="2.22.0"/>')
    with pytest.raises(InstallError, match=r"dependency on script.module.requests version 2.22.0"):
        install_zip(home, make_zip(tmp_path / "a.zip", entries))


def test_installed_module_addon_is_on_python_path(home, tmp_path):
    module_xml = addon_xml(
        "script.module.helper",
        xbmc_python="3.0.0",
        extensions='<extension point="xbmc.python.module" library="lib"/>',
    )
    module_zip = make_zip(
        tmp_path / "m.zip",
        {"script.module.helper/addon.xml": module_xml, "script.module.helper/lib/helper.py": "X = 1\n"},
    )
    install_zip(home, module_zip)
    entries = addon_entries(imports='<import addon="script.module.helper" version="1.0.0"/>')
    manifest = install_zip(home, make_zip(tmp_path / "a.zip", entries))
    assert python_paths(home, manifest) == [str(home.addons_dir / "script.module.helper" / "lib")]


def test_obsolete_service_start_attribute_warns(home, tmp_path):
    entries = addon_entries(extensions='<extension point="xbmc.service" library="main.py" start="login"/>')
    manifest = install_zip(home, make_zip(tmp_path / "a.zip", entries))
    assert manifest.warnings == [
        "'plugin.video.example': the xbmc.service start=\"login\" attribute is obsolete since Kodi 18 and "
        "ignored (the service starts on enable and at every Kodi start)"
    ]


def test_a_damaged_zip_in_a_request_installs_none_of_it(home, tmp_path):
    from fake_kodi.home.addons import install_zips

    module_xml = addon_xml(
        "script.module.helper",
        xbmc_python="3.0.0",
        extensions='<extension point="xbmc.python.module" library="lib"/>',
    )
    helper = make_zip(
        tmp_path / "m.zip",
        {"script.module.helper/addon.xml": module_xml, "script.module.helper/lib/helper.py": "X = 1\n"},
    )
    entries = addon_entries(imports='<import addon="script.module.helper" version="1.0.0"/>')
    entries[f"{ID}/data.txt"] = "PAYLOAD-" * 64
    with zipfile.ZipFile(tmp_path / "a.zip", "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    raw = (tmp_path / "a.zip").read_bytes()
    at = raw.index(b"PAYLOAD-")
    # One flipped byte of stored data: only its CRC, checked when the data is read, finds it.
    (tmp_path / "a.zip").write_bytes(raw[:at] + b"X" + raw[at + 1 :])
    with pytest.raises(InstallError, match=r"data.txt' is damaged"):
        install_zips(home, [tmp_path / "a.zip", helper])
    assert tree(home.addons_dir) == {"packages"} and load_installed(home) == {}
