"""reference_addon/check_addon.py: kodi-addon-checker runs offline against a local index proxy."""

from __future__ import annotations

import gzip
import importlib.util
import shutil
from pathlib import Path

import pytest
import requests

CHECK_SCRIPT = Path(__file__).resolve().parents[3] / "reference_addon" / "check_addon.py"


@pytest.fixture(scope="module")
def check_addon():
    spec = importlib.util.spec_from_file_location("aiostreams_check_addon", CHECK_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def proxy(check_addon):
    with check_addon.IndexProxy() as server:
        yield server


def through(proxy) -> dict[str, str]:
    return {"http": proxy.url, "https": proxy.url}


def test_the_proxy_serves_a_branch_index_listing_the_imported_modules(proxy):
    answer = requests.get(
        "http://mirrors.kodi.tv/addons/omega/addons.xml.gz", proxies=through(proxy), timeout=10
    )
    assert answer.status_code == 200
    index = gzip.decompress(answer.content).decode()
    assert '<addon id="script.module.requests" name="script.module.requests" version="2.31.0"' in index
    assert proxy.requests == ["GET http://mirrors.kodi.tv/addons/omega/addons.xml.gz"]


def test_the_proxy_refuses_every_other_url(proxy):
    answer = requests.get("http://example.org/", proxies=through(proxy), timeout=10)
    assert (answer.status_code, answer.text) == (502, "offline: only the Kodi repository index is served")


def test_problem_lines_are_found_through_colour_codes(check_addon):
    output = "\x1b[34mINFO: fine\x1b[0m\n\x1b[31mERROR: icon missing\x1b[0m\n\x1b[35mWARN: slow\x1b[0m\n"
    assert check_addon.problems_in(output) == ["ERROR: icon missing"]


def test_the_checker_env_routes_everything_through_the_proxy(check_addon, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")
    env = check_addon.checker_env("http://127.0.0.1:9")
    assert "NO_PROXY" not in env
    assert env["HTTP_PROXY"] == env["https_proxy"] == "http://127.0.0.1:9"


def test_the_built_addon_passes_the_checker_for_nexus_and_omega(check_addon, capsys):
    pytest.importorskip("kodi_addon_checker")
    assert check_addon.main([]) == 0, capsys.readouterr().out
    assert "no problems for nexus, omega" in capsys.readouterr().out


def test_a_broken_addon_fails_the_checker(check_addon, proxy, tmp_path):
    pytest.importorskip("kodi_addon_checker")
    with check_addon.unpacked_zip(tmp_path) as addon_dir:
        broken = tmp_path / "broken" / addon_dir.name
        shutil.copytree(addon_dir, broken)
    (broken / "resources" / "icon.png").unlink()
    result = check_addon.run_checker(broken, "nexus", proxy.url, tmp_path)
    assert result.returncode == 1
    assert "ERROR: icon does not exist at specified path." in check_addon.problems_in(
        result.stdout + result.stderr
    )
