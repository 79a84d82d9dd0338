"""The pattern corpus and the measured Kodi facts in fake_kodi: held to what real Kodi 20.1 and 21.2 showed.

The tables (tests/patterns/expected.py, tests/patterns/facts.py) are the ones the real-Kodi lane checks real
Kodi against; here the fake answers the same routes, builtins and JSON-RPC requests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_kodi.addon_side.runtime import PluginTime, Runtime
from fake_kodi.home.clock import RealClock
from fake_kodi.kodi import AddonRaisedError, Kodi
from fake_kodi.real.fidelity import fake_item_view
from tests.patterns.corpus import ADDON_IDS, ROUTES, WINDOW_ID, zip_corpus, zip_pattern
from tests.patterns.exits import EXIT_BEFORE_ROUTES, EXIT_ID, exit_log_view, expected_exit_log
from tests.patterns.expected import expected_views, explained_fake_differences
from tests.patterns.facts import (
    ARGS_SCRIPT_ID,
    BUILTIN_ARGV,
    EXECUTE_ADDON_ARGV,
    JSONRPC_CASES,
    NOT_A_BUILTIN,
)


@pytest.fixture(scope="module", params=[20, 21])
def pattern_pages(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, dict]:
    """Every corpus route listed by one fake Kodi (per emulated version), the fkwindow service running.

    About 7 s per version on this machine: 16 plugin calls, each a fresh interpreter as in Kodi (~0.4 s), plus
    nine installs; shared by the module's tests so that it is paid once.
    """
    version = request.param
    home = tmp_path_factory.mktemp(f"patterns-fake-{version}")
    pages: dict[str, list[dict]] = {}
    with Kodi(home / "kodi", kodi_version=version) as fake:
        for zip_path in zip_corpus(home / "zips"):
            fake.install(zip_path)
        fake.start_service(WINDOW_ID)
        for route in ROUTES:
            # Debug logging for the exit pattern: Kodi's `script aborted` line is a debug one.
            result = fake.run(route.url, answers=route.answers, debug_log=route.pattern == "i")
            assert result.error is None, (route.url, result.error)
            assert result.status == "directory", (route.url, result.status)
            pages[route.url] = [fake_item_view(item) for item in result.items]
            if route.pattern == "i":
                pages[route.url + "#log"] = exit_log_view("\n".join(result.log))
    return version, pages


@pytest.mark.parametrize("route", ROUTES, ids=[route.url for route in ROUTES])
def test_pattern_route_lists_what_real_kodi_listed(pattern_pages: tuple[int, dict], route) -> None:
    version, pages = pattern_pages
    expected = expected_views(route.url, version)
    explained = explained_fake_differences(route.url)
    got = pages[route.url]
    assert len(got) == len(expected)
    for index, (fake, real) in enumerate(zip(got, expected, strict=True)):
        differing = {name for name in real if fake[name] != real[name]}
        # Only differences documented in expected.EXPLAINED may remain, and only in their field.
        assert differing <= set(explained), (route.url, index, {n: (fake[n], real[n]) for n in differing})


@pytest.mark.parametrize("route", [r for r in ROUTES if r.pattern == "i"], ids=lambda route: route.url)
def test_sys_exit_after_the_listing_logs_what_real_kodi_logged(
    pattern_pages: tuple[int, dict], route
) -> None:
    # The listing stands (checked above, status "directory"); Kodi 20 adds a SystemExit traceback, 21 does not.
    version, pages = pattern_pages
    assert pages[route.url + "#log"] == expected_exit_log(route.url, version)


@pytest.mark.parametrize("version", [20, 21])
def test_sys_exit_before_the_listing_is_no_listing_and_no_error(tmp_path: Path, version: int) -> None:
    # Real Kodi's GetDirectory fails for these (no endOfDirectory): the fake's status for that is no_response.
    fake = Kodi(tmp_path / "kodi", kodi_version=version, fail_on_exception=True)
    fake.install(zip_pattern(EXIT_ID, tmp_path / "zips"))
    for url in EXIT_BEFORE_ROUTES:
        result = fake.run(url, debug_log=True)
        assert (result.status, result.error) == ("no_response", None), url
        assert exit_log_view("\n".join(result.log)) == expected_exit_log(url, version)


def test_sys_exit_with_an_error_code_is_not_a_raised_call(tmp_path: Path) -> None:
    # Kodi shows the listing and no error for sys.exit(1): the kodi fixture's raise check lets it pass and
    # expect_error=True, which asks for a raise, fails.
    fake = Kodi(tmp_path / "kodi", fail_on_exception=True)
    fake.install(zip_pattern(EXIT_ID, tmp_path / "zips"))
    assert fake.run(f"plugin://{EXIT_ID}/?after=1").labels == ["after 1: one", "after 1: two"]
    with pytest.raises(AddonRaisedError, match="expected the call to raise, it ended as 'directory'"):
        fake.run(f"plugin://{EXIT_ID}/?after=text", expect_error=True)


def test_corpus_covers_every_pattern_with_a_root_and_a_sub_folder() -> None:
    by_addon: dict[str, list[str]] = {}
    for route in ROUTES:
        by_addon.setdefault(route.url.split("/")[2], []).append(route.url)
    assert sorted({route.pattern for route in ROUTES}) == list("abcdefhi")  # g is a's declared dependency
    assert set(by_addon) == set(ADDON_IDS[1:])
    for urls in by_addon.values():
        assert any(url.endswith("/") for url in urls) and any(not url.endswith("/") for url in urls), urls


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    """An in-process plugin Runtime over a fake home with the argv-recording script installed."""
    fake = Kodi(tmp_path / "kodi")
    fake.install(zip_pattern(ARGS_SCRIPT_ID, tmp_path / "zips"))
    return Runtime(fake.home, ARGS_SCRIPT_ID, mode="plugin", time_source=PluginTime(RealClock()), handle=1)


def _rpc(runtime: Runtime, method: str, params: dict) -> dict:
    answer = json.loads(
        runtime.execute_jsonrpc(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
    )
    return {"error": answer["error"]["code"]} if "error" in answer else {"result": answer["result"]}


def test_jsonrpc_answers_are_real_kodis(runtime: Runtime) -> None:
    answers = [(method, params, _rpc(runtime, method, params)) for method, params, _ in JSONRPC_CASES]
    assert answers == JSONRPC_CASES


def test_a_setting_kodi_hides_is_refused_without_the_not_emulated_warning(runtime: Runtime) -> None:
    # Kodi answers -32602 for it too (facts.py): not a gap of the fake, so no warning; an unknown one warns.
    assert _rpc(runtime, "Settings.GetSettingValue", {"setting": "debug.showloginfo"}) == {"error": -32602}
    assert not any("not emulated" in line for line in runtime.log_lines)
    assert _rpc(runtime, "Settings.GetSettingValue", {"setting": "no.such"}) == {"error": -32602}
    assert any("Kodi setting 'no.such' is not emulated" in line for line in runtime.log_lines)


def test_setting_changed_over_jsonrpc_is_seen_by_the_next_interpreter(tmp_path: Path) -> None:
    # Kodi keeps it in guisettings.xml: a later plugin call (a fresh interpreter here) reads the new value.
    fake = Kodi(tmp_path / "kodi")
    fake.install(zip_pattern(ARGS_SCRIPT_ID, tmp_path / "zips"))
    first = Runtime(fake.home, ARGS_SCRIPT_ID, mode="plugin", time_source=PluginTime(RealClock()), handle=1)
    assert _rpc(
        first, "Settings.SetSettingValue", {"setting": "locale.language", "value": "resource.language.de_de"}
    ) == {"result": True}
    second = Runtime(fake.home, ARGS_SCRIPT_ID, mode="plugin", time_source=PluginTime(RealClock()), handle=2)
    assert _rpc(second, "Settings.GetSettingValue", {"setting": "locale.language"}) == {
        "result": {"value": "resource.language.de_de"}
    }


@pytest.mark.parametrize("case", sorted(BUILTIN_ARGV))
def test_script_builtin_gives_the_argv_real_kodi_gives(runtime: Runtime, case: str) -> None:
    command, argv = BUILTIN_ARGV[case]
    runtime.execute_builtin(command, False)
    assert runtime.records[-1][1]["argv"] == argv


def test_execute_addon_is_no_builtin(runtime: Runtime) -> None:
    runtime.execute_builtin(NOT_A_BUILTIN[1], False)
    assert "argv" not in runtime.records[-1][1]


@pytest.mark.parametrize("case", sorted(EXECUTE_ADDON_ARGV))
def test_execute_addon_over_jsonrpc_gives_the_argv_real_kodi_gives(runtime: Runtime, case: str) -> None:
    params, argv = EXECUTE_ADDON_ARGV[case]
    request = {"addonid": ARGS_SCRIPT_ID, "wait": False} | ({} if params is None else {"params": params})
    answer = _rpc(runtime, "Addons.ExecuteAddon", request)
    builtins = [payload for kind, payload in runtime.records if kind == "builtin"]
    assert (answer, builtins[-1]["argv"]) == ({"result": "OK"}, argv)
