"""Dependencies as Kodi has them: what an add-on can import, and which installs Kodi refuses.

Each test writes its small add-ons, installs them through the library or the CLI and runs them in
real add-on interpreters (subprocesses).
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fake_kodi.home.addons import InstallError
from fake_kodi.kodi import Kodi

from ..conftest import write_addon_zip
from .test_cli import fake_kodi

PLUGIN_ID = "plugin.video.deps"
# The plugin lists one item whose label is what `expression` gives (after importing `module`).
MAIN = """import sys
import xbmcgui
import xbmcplugin

import {module}

handle = int(sys.argv[1])
xbmcplugin.addDirectoryItem(handle, "plugin://{id}/x", xbmcgui.ListItem(str({expression})), False)
xbmcplugin.endOfDirectory(handle)
"""


def plugin_xml(imports: str = "", addon_id: str = PLUGIN_ID) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<addon id="{addon_id}" name="deps" version="1.0.0" '
        f'provider-name="tests"><requires><import addon="xbmc.python" version="3.0.1"/>{imports}</requires>'
        '<extension point="xbmc.python.pluginsource" library="main.py"><provides>video</provides></extension>'
        "</addon>"
    )


def plugin_zip(tmp_path: Path, module: str, expression: str, imports: str = "") -> Path:
    main = MAIN.format(module=module, expression=expression, id=PLUGIN_ID)
    return write_addon_zip(tmp_path, PLUGIN_ID, {"addon.xml": plugin_xml(imports), "main.py": main})


def module_zip(
    folder: Path, addon_id: str, version: str, files: dict[str, str], extra: str = "", imports: str = ""
) -> Path:
    """A script.module.* add-on: files go under lib/ (extra: more elements of <addon>)."""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<addon id="{addon_id}" name="m" version="{version}" '
        f'provider-name="tests">{extra}<requires><import addon="xbmc.python" version="3.0.0"/>{imports}'
        '</requires><extension point="xbmc.python.module" library="lib"/></addon>'
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{addon_id}-{version}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{addon_id}/addon.xml", xml)
        for name, text in files.items():
            archive.writestr(f"{addon_id}/lib/{name}", text)
    return path


def helper_zip(folder: Path, version: str = "1.2.0", extra: str = "") -> Path:
    return module_zip(
        folder, "script.module.helper", version, {"helper.py": f"VERSION = {version!r}\n"}, extra
    )


def refusal(addon_id: str, dependency: str, version: str) -> str:
    return f"CAddonInstallJob[{addon_id}]: The dependency on {dependency} version {version} could not be satisfied."


# ---- what the add-on can import ----------------------------------------------------------------


def test_an_undeclared_import_fails_as_on_android_windows_and_libreelec(kodi, tmp_path):
    pytest.importorskip("yaml")  # present in the test's Python: the add-on must still not see it
    kodi.install(plugin_zip(tmp_path, "yaml", "yaml.safe_load('a: 1')"))
    result = kodi.run(f"plugin://{PLUGIN_ID}/", expect_error=True)
    assert result.status == "exception"
    assert (result.error["type"], result.error["message"]) == (
        "ModuleNotFoundError",
        "No module named 'yaml'",
    )


def test_the_debian_switch_makes_system_packages_importable(tmp_path):
    pytest.importorskip("yaml")
    kodi = Kodi(tmp_path / "kodi", system_packages=True)
    kodi.install(plugin_zip(tmp_path, "yaml", "yaml.safe_load('a: 1')"))
    result = kodi.run(f"plugin://{PLUGIN_ID}/")
    assert (result.status, result.labels) == ("directory", ["{'a': 1}"])


def test_the_debian_switch_by_environment_variable(kodi, tmp_path, monkeypatch):
    pytest.importorskip("yaml")
    kodi.install(plugin_zip(tmp_path, "yaml", "yaml.__name__"))
    monkeypatch.setenv("FAKE_KODI_SYSTEM_PACKAGES", "1")
    assert kodi.run(f"plugin://{PLUGIN_ID}/").labels == ["yaml"]
    monkeypatch.setenv("FAKE_KODI_SYSTEM_PACKAGES", "0")
    assert kodi.run(f"plugin://{PLUGIN_ID}/", expect_error=True).status == "exception"


def test_the_harness_packages_are_not_importable(kodi, tmp_path):
    kodi.install(plugin_zip(tmp_path, "trakt_cassettes", "1"))
    result = kodi.run(f"plugin://{PLUGIN_ID}/", expect_error=True)
    assert result.error["message"] == "No module named 'trakt_cassettes'"


def test_a_declared_dependency_lib_is_importable_recursively(kodi, tmp_path):
    base = module_zip(tmp_path / "deps", "script.module.base", "2.0.0", {"base.py": "NAME = 'base'\n"})
    helper = module_zip(
        tmp_path / "deps",
        "script.module.helper",
        "1.2.0",
        {"helper.py": "import base\nNAME = 'helper+' + base.NAME\n"},
        imports='<import addon="script.module.base" version="2.0.0"/>',
    )
    addon = plugin_zip(
        tmp_path, "helper", "helper.NAME", '<import addon="script.module.helper" version="1.0.0"/>'
    )
    kodi.install(addon, dependencies=[helper, base])
    assert kodi.run(f"plugin://{PLUGIN_ID}/").labels == ["helper+base"]


def test_a_missing_optional_dependency_installs_and_runs(kodi, tmp_path):
    imports = '<import addon="script.module.absent" version="1.0.0" optional="true"/>'
    manifest = kodi.install(plugin_zip(tmp_path, "json", "json.dumps(1)", imports))
    assert manifest.warnings == []
    assert kodi.run(f"plugin://{PLUGIN_ID}/").labels == ["1"]


# ---- which installs Kodi refuses ---------------------------------------------------------------


def test_a_missing_required_dependency_is_refused_with_kodis_line(kodi, tmp_path):
    imports = '<import addon="script.module.helper" version="1.0.0"/>'
    with pytest.raises(InstallError) as refused:
        kodi.install(plugin_zip(tmp_path, "helper", "1", imports))
    assert str(refused.value) == refusal(PLUGIN_ID, "script.module.helper", "1.0.0")
    assert f"error <general>: {refusal(PLUGIN_ID, 'script.module.helper', '1.0.0')}" in kodi.log_text()
    assert kodi.installed() == {}


def test_a_too_old_dependency_is_refused_and_nothing_of_the_request_is_installed(kodi, tmp_path):
    imports = '<import addon="script.module.helper" version="1.3.0"/>'
    with pytest.raises(
        InstallError, match="^" + re.escape(refusal(PLUGIN_ID, "script.module.helper", "1.3.0")) + "$"
    ):
        kodi.install(
            plugin_zip(tmp_path, "helper", "1", imports), dependencies=[helper_zip(tmp_path, "1.2.0")]
        )
    assert kodi.installed() == {}
    assert not [p for p in kodi.home.addons_dir.iterdir() if p.name.startswith(".install-")]


def test_an_installed_too_old_dependency_refuses_even_an_optional_import(kodi, tmp_path):
    kodi.install_many([helper_zip(tmp_path, "1.2.0")])
    imports = '<import addon="script.module.helper" version="2.0.0" optional="true"/>'
    with pytest.raises(InstallError, match=r"dependency on script.module.helper version 2.0.0"):
        kodi.install(plugin_zip(tmp_path, "helper", "1", imports))


def test_backwards_compatibility_abi_refuses_an_import_older_than_it(kodi, tmp_path):
    # helper 3.0.0 no longer serves add-ons written against a version before 2.0.0.
    kodi.install_many([helper_zip(tmp_path, "3.0.0", '<backwards-compatibility abi="2.0.0"/>')])
    with pytest.raises(InstallError, match=r"dependency on script.module.helper version 1.5.0"):
        kodi.install(
            plugin_zip(tmp_path, "helper", "1", '<import addon="script.module.helper" version="1.5.0"/>')
        )
    manifest = kodi.install(
        plugin_zip(
            tmp_path, "helper", "helper.VERSION", '<import addon="script.module.helper" version="2.1.0"/>'
        )
    )
    assert manifest.id == PLUGIN_ID and kodi.run(f"plugin://{PLUGIN_ID}/").labels == ["3.0.0"]


def test_minversion_is_the_minimum_when_given(kodi, tmp_path):
    kodi.install_many([helper_zip(tmp_path, "1.2.0")])
    imports = '<import addon="script.module.helper" minversion="1.0.0" version="1.5.0"/>'
    assert kodi.install(plugin_zip(tmp_path, "helper", "helper.VERSION", imports)).id == PLUGIN_ID
    assert kodi.run(f"plugin://{PLUGIN_ID}/").labels == ["1.2.0"]


def test_a_refused_update_keeps_the_installed_version(kodi, tmp_path):
    kodi.install(plugin_zip(tmp_path, "json", "'v1'"))
    (tmp_path / "v2").mkdir()
    update = write_addon_zip(
        tmp_path / "v2",
        PLUGIN_ID,
        {"addon.xml": plugin_xml('<import addon="script.module.helper" version="1.0.0"/>'), "main.py": ""},
    )
    with pytest.raises(InstallError):
        kodi.install(update)
    assert kodi.run(f"plugin://{PLUGIN_ID}/").labels == ["v1"]


# ---- the CLI: several zips, a folder of zips, module-addon -------------------------------------


@pytest.mark.parametrize("order", ["dependencies first", "dependencies last"])
def test_cli_installs_several_zips_in_dependency_order_whatever_the_order_given(tmp_path, order):
    base = module_zip(tmp_path / "deps", "script.module.base", "2.0.0", {"base.py": "X = 1\n"})
    helper = module_zip(
        tmp_path / "deps",
        "script.module.helper",
        "1.2.0",
        {"helper.py": "import base\nVERSION = '1.2.0'\n"},
        imports='<import addon="script.module.base" version="2.0.0"/>',
    )
    addon = plugin_zip(
        tmp_path, "helper", "helper.VERSION", '<import addon="script.module.helper" version="1.2.0"/>'
    )
    zips = [helper, base, addon] if order == "dependencies first" else [addon, helper, base]
    home = tmp_path / "home"
    done = fake_kodi("install", *map(str, zips), "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert [line.split()[1] for line in done.stdout.splitlines()] == [
        "script.module.base",
        "script.module.helper",
        PLUGIN_ID,
    ]
    run = fake_kodi("run", f"plugin://{PLUGIN_ID}/", "--home", str(home))
    assert run.returncode == 0 and "1.2.0  ->" in run.stdout, run.stdout + run.stderr


def test_cli_installs_a_folder_of_zips(tmp_path):
    folder = tmp_path / "zips"
    helper_zip(folder)
    plugin_zip(folder, "helper", "helper.VERSION", '<import addon="script.module.helper" version="1.0.0"/>')
    home = tmp_path / "home"
    done = fake_kodi("install", str(folder), "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert {line.split()[1] for line in done.stdout.splitlines()} == {"script.module.helper", PLUGIN_ID}


def test_cli_refuses_a_missing_dependency_in_one_line(tmp_path):
    addon = plugin_zip(tmp_path, "helper", "1", '<import addon="script.module.helper" version="1.0.0"/>')
    done = fake_kodi("install", str(addon), "--home", str(tmp_path / "home"))
    assert (done.returncode, done.stderr) == (
        1,
        f"fake-kodi: {refusal(PLUGIN_ID, 'script.module.helper', '1.0.0')}\n",
    )


def test_module_addon_builds_a_zip_whose_package_imports_in_a_plugin_call(tmp_path):
    idna = pytest.importorskip("idna")
    from importlib.metadata import version

    out = tmp_path / "modules"
    built = fake_kodi("module-addon", "idna", "-o", str(out))
    assert built.returncode == 0, built.stderr
    zip_path = out / f"script.module.idna-{version('idna')}.zip"
    assert built.stdout.splitlines() == [str(zip_path)]
    with zipfile.ZipFile(zip_path) as archive:
        xml = archive.read("script.module.idna/addon.xml").decode()
        names = archive.namelist()
    assert '<import addon="xbmc.python" version="3.0.0"/>' in xml
    assert '<extension point="xbmc.python.module" library="lib"/>' in xml
    assert "script.module.idna/lib/idna/__init__.py" in names
    assert not [n for n in names if ".dist-info" in n or n.endswith(".pyc")]

    addon = plugin_zip(tmp_path, "idna", "idna.encode('bücher.example').decode()",
                       '<import addon="script.module.idna" version="2.5"/>')  # fmt: skip
    home = tmp_path / "home"
    assert fake_kodi("install", str(addon), str(zip_path), "--home", str(home)).returncode == 0
    run = fake_kodi("run", f"plugin://{PLUGIN_ID}/", "--home", str(home), "--json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert idna.encode("bücher.example").decode() in run.stdout  # xn--bcher-kva.example


def test_module_addon_of_requests_brings_its_required_distributions(tmp_path):
    from fake_kodi.module_addon import build_module_addon

    zips = build_module_addon("requests", tmp_path)
    ids = [z.name.rsplit("-", 1)[0] for z in zips]
    assert ids[0] == "script.module.requests"
    assert {"script.module.urllib3", "script.module.idna", "script.module.certifi"} <= set(ids)
    with zipfile.ZipFile(zips[0]) as archive:
        xml = archive.read("script.module.requests/addon.xml").decode()
    assert '<import addon="script.module.urllib3"' in xml
    # Built once: a second call reuses the zips it finds.
    stamps = [z.stat().st_mtime_ns for z in zips]
    assert [z.stat().st_mtime_ns for z in build_module_addon("requests", tmp_path)] == stamps


def test_module_addon_of_an_unknown_distribution_is_a_usage_error(tmp_path):
    done = fake_kodi("module-addon", "no-such-distribution-here", "-o", str(tmp_path))
    assert done.returncode == 2
    assert "'no-such-distribution-here' is not installed in this Python" in done.stderr


def test_module_addon_from_the_command_line_module(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "fake_kodi.cli", "module-addon", "certifi", "--no-deps", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).name.startswith("script.module.certifi-")
