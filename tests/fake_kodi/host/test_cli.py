"""The `fake-kodi` command line (a public contract), run as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fake_kodi.cli import build_parser

from ..conftest import EXAMPLE_ID, write_addon_zip

ROOT = f"plugin://{EXAMPLE_ID}/"


def fake_kodi(*args: str) -> subprocess.CompletedProcess:
    """Run the installed console script when there is one, else the module."""
    script = Path(sys.executable).with_name("fake-kodi")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "fake_kodi.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def home(tmp_path, example_zip, example_deps):
    home = tmp_path / "home"
    assert (
        fake_kodi("install", str(example_zip), *map(str, example_deps), "--home", str(home)).returncode == 0
    )
    return str(home)


def test_install_reports_the_installed_add_on(tmp_path, example_zip, example_deps):
    done = fake_kodi("install", str(example_zip), *map(str, example_deps), "--home", str(tmp_path / "h"))
    # Dependencies go in first: the add-on that requires them is the last one reported.
    assert (done.returncode, done.stdout.splitlines()[-1]) == (
        0,
        f"installed {EXAMPLE_ID} 1.0.0 into {tmp_path / 'h' / 'addons' / EXAMPLE_ID}",
    )
    assert done.stdout.splitlines()[0].startswith("installed script.module.")


def test_install_refusal_is_one_line_and_exit_1(tmp_path):
    bad = write_addon_zip(tmp_path, "plugin.video.bad", {"../evil.py": ""})
    done = fake_kodi("install", str(bad), "--home", str(tmp_path / "h"))
    assert (done.returncode, len(done.stderr.splitlines())) == (1, 1)
    assert done.stderr.startswith("fake-kodi: unsafe entry 'plugin.video.bad/../evil.py'")


def test_run_json_has_the_contract_keys(home):
    done = fake_kodi("run", ROOT, "--home", home, "--json")
    data = json.loads(done.stdout)
    assert {"status", "argv", "items", "dialogs", "notifications", "builtins", "log", "error"} <= set(data)
    assert (done.returncode, data["status"], data["argv"]) == (
        0,
        "directory",
        [ROOT, "1", "", "resume:false"],
    )


def test_run_json_items_carry_url_label_folder_info_properties_art(home):
    item = json.loads(fake_kodi("run", ROOT, "--home", home, "--json").stdout)["items"][2]
    assert {"url", "label", "is_folder", "info", "properties", "art"} <= set(item)
    assert (item["info"]["uniqueids"], item["info"]["resume"]) == (
        {"imdb": "tt0000001", "tmdb": "1"},
        {"position": 30.5, "total": 100.0},
    )


def test_run_answers_dialogs_in_order(home):
    done = fake_kodi("run", ROOT + "?action=delete&id=3", "--home", home, "--json", "--answer", "yesno=true")
    data = json.loads(done.stdout)
    assert ([d["answer"] for d in data["dialogs"]], data["notifications"][0]["message"]) == (
        [True],
        "Deleted movie 3",
    )


def test_run_of_a_raising_route_exits_1_with_the_error_in_json(home):
    done = fake_kodi("run", ROOT + "?action=boom", "--home", home, "--json")
    data = json.loads(done.stdout)
    assert (done.returncode, data["status"], data["error"]["message"]) == (1, "exception", "boom route")


def test_run_of_an_add_on_not_installed_exits_2_with_one_line(home):
    done = fake_kodi("run", "plugin://plugin.video.nothing/", "--home", home)
    assert (done.returncode, done.stderr) == (
        2,
        f"fake-kodi: add-on plugin.video.nothing is not installed in {home}\n",
    )


def test_run_rejects_a_malformed_answer(home):
    done = fake_kodi("run", ROOT, "--home", home, "--answer", "select=two")
    assert (done.returncode, done.stderr) == (
        2,
        "fake-kodi: dialog answer 'select=two': select takes an integer\n",
    )


def test_run_without_json_prints_a_readable_listing(home):
    done = fake_kodi("run", ROOT, "--home", home)
    assert done.stdout.splitlines()[1:] == [
        f"  [dir] Movies  ->  {ROOT}?action=movies",
        f"  [dir] Tools  ->  {ROOT}?action=tools",
        f"        Movie 1  ->  {ROOT}?action=play&id=1",
    ]


def test_service_json_reports_return_and_latency(home):
    done = fake_kodi(
        "service", EXAMPLE_ID, "--home", home, "--virtual-seconds", "3600", "--event", "600:wake", "--json"
    )
    data = json.loads(done.stdout)
    assert (
        done.returncode,
        data["returned"],
        data["exception"],
        isinstance(data["abort_latency_ms"], float),
    ) == (
        0,
        True,
        None,
        True,
    )
    assert any("System.OnWake" in line for line in data["log"])


def test_service_rejects_a_malformed_event(home):
    done = fake_kodi("service", EXAMPLE_ID, "--home", home, "--virtual-seconds", "10", "--event", "soon:wake")
    assert (done.returncode, done.stderr) == (
        2,
        "fake-kodi: event 'soon:wake': T must be a number of virtual seconds\n",
    )


def test_call_prints_the_return_value_as_json(home):
    done = fake_kodi("call", EXAMPLE_ID, "example.queries:add", "[20, 22]", "--home", home)
    assert (done.returncode, json.loads(done.stdout)) == (0, 42)


def test_call_that_raises_exits_1_with_the_reason_last(home):
    done = fake_kodi("call", EXAMPLE_ID, "example.queries:fail", "--home", home)
    assert (done.returncode, done.stderr.splitlines()[-1]) == (1, "fake-kodi: KeyError: 'no such thing'")


def test_settings_set_then_show(home):
    done = fake_kodi("settings", EXAMPLE_ID, "--home", home, "--set", "greeting=Yo", "--set", "page_size=9")
    data = json.loads(done.stdout)
    assert (done.returncode, data["greeting"], data["page_size"], data["show_extra"]) == (
        0,
        "Yo",
        "9",
        "false",
    )


@pytest.mark.parametrize("command", ["install", "run", "service", "call", "settings", "module-addon"])
def test_every_subcommand_and_option_has_help(command):
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    parser = subparsers.choices[command]
    assert parser.description and all(action.help for action in parser._actions)
