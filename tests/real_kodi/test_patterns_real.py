"""The pattern corpus in real Kodi (20 or 21, per lane): every route against the expected table, a fidelity report
of fake_kodi vs real Kodi route by route and field by field, and the builtin/JSON-RPC facts the fake is held to.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_kodi.kodi import Kodi
from fake_kodi.real.driver import RealKodi, RealKodiError
from fake_kodi.real.fidelity import AllowRule, FidelityReport, compare_routes, real_item_view
from fake_kodi.real.install import KodiInstall
from fake_kodi.real.jsonrpc import JsonRpcError
from tests.patterns.corpus import ADDON_IDS, ARGS_SCRIPT_ID, ROUTES, WINDOW_ID, zip_corpus, zip_pattern
from tests.patterns.exits import EXIT_BEFORE_ROUTES, exit_log_view, expected_exit_log
from tests.patterns.expected import EXPLAINED, UNDECLARED_ROUTE, expected_views
from tests.patterns.facts import BUILTIN_ARGV, EXECUTE_ADDON_ARGV, JSONRPC_CASES, NOT_A_BUILTIN
from tests.real_kodi.reference_world import wait_for

pytestmark = pytest.mark.real_kodi

ALLOW_RULES = tuple(
    AllowRule(field_name, reason, route_part=url)
    for url, fields in EXPLAINED.items()
    for field_name, reason in fields.items()
)


class PatternRun:
    """What one lane saw: real Kodi's raw items per route, the fidelity report, and the running Kodi."""

    def __init__(
        self, kodi: RealKodi, real_pages: dict[str, list[dict]], report: FidelityReport, logs: dict[str, str]
    ) -> None:
        self.kodi = kodi
        self.real_pages = real_pages
        self.report = report
        # kodi.log written while each route ran (from its start to the next route's).
        self.logs = logs


def _fake_pages(
    home: Path, zips: list[Path], version: int, seconds: dict[str, float]
) -> dict[str, list[dict]]:
    pages = {}
    with Kodi(home, kodi_version=version) as fake:
        for zip_path in zips:
            fake.install(zip_path)
        fake.start_service(WINDOW_ID)
        for route in ROUTES:
            started = time.monotonic()
            result = fake.run(route.url, answers=route.answers)
            seconds[route.url] = round(time.monotonic() - started, 3)
            assert result.error is None, (route.url, result.error)
            pages[route.url] = result.items
    return pages


@pytest.fixture(scope="module")
def pattern_run(
    kodi_install: KodiInstall, tmp_path_factory: pytest.TempPathFactory, artifacts_dir: Path
) -> Iterator[PatternRun]:
    """One real Kodi with the whole corpus installed before start; every route listed by it and by the fake."""
    scratch = tmp_path_factory.mktemp("patterns")
    zips = [*zip_corpus(scratch / "zips"), zip_pattern(ARGS_SCRIPT_ID, scratch / "zips")]
    fake_seconds: dict[str, float] = {}
    fake_pages = _fake_pages(scratch / "fake", zips, kodi_install.version, fake_seconds)
    kodi = RealKodi(scratch / "kodi", install=kodi_install, preinstall=zips)
    with kodi:
        # The service publishes before its first wait; the plugin's root page reads what it published.
        wait_for(lambda: kodi.window_property("fkwindow.heartbeat"), 20.0, "fkwindow's service")
        real_pages, real_seconds, logs = {}, {}, {}
        for route in ROUTES:
            started, mark = time.monotonic(), kodi.log_mark()
            real_pages[route.url] = kodi.run(route.url, answers=route.answers)["files"]
            real_seconds[route.url] = round(time.monotonic() - started, 3)
            logs[route.url] = _log_after_invoker(kodi, mark)
        report = compare_routes([(r.url, fake_pages[r.url], real_pages[r.url]) for r in ROUTES], ALLOW_RULES)
        report.seconds = {r.url: {"fake": fake_seconds[r.url], "real": real_seconds[r.url]} for r in ROUTES}
        report.kodi = f"{kodi_install.version} ({kodi_install.package_version})"
        report.write_json(artifacts_dir / "patterns_fidelity.json")
        (artifacts_dir / "patterns_fidelity.txt").write_text(report.table() + "\n", encoding="utf-8")
        yield PatternRun(kodi, real_pages, report, logs)
    assert kodi.python_tracebacks() == []
    assert kodi.quit_report is not None and not kodi.quit_report.killed, kodi.quit_report


@pytest.mark.parametrize("route", ROUTES, ids=[route.url for route in ROUTES])
def test_real_kodi_lists_the_expected_table(
    pattern_run: PatternRun, kodi_install: KodiInstall, route
) -> None:
    got = [real_item_view(item) for item in pattern_run.real_pages[route.url]]
    assert got == expected_views(route.url, kodi_install.version)


def test_fidelity_report_covers_every_route_with_no_unexplained_difference(pattern_run: PatternRun) -> None:
    report = pattern_run.report
    assert [route.route for route in report.routes] == [route.url for route in ROUTES]
    assert all(route.real_items > 0 and route.fake_items == route.real_items for route in report.routes)
    assert report.fields_compared == sum(len(report.fields) * route.real_items for route in report.routes)
    assert report.failures == [], report.table()
    assert {route.url.split("/")[2] for route in ROUTES} == set(ADDON_IDS[1:])


def test_undeclared_system_import_works_in_debian_kodi(pattern_run: PatternRun) -> None:
    # Debian's Kodi has dist-packages on sys.path (KODI_BEHAVIOUR.md §11); the fake's default does not.
    assert [item["label"] for item in pattern_run.real_pages[UNDECLARED_ROUTE]] == ["chardet: imported"]


def _log_after_invoker(kodi: RealKodi, mark: int) -> str:
    """kodi.log since `mark`, once the route's interpreter stopped (Kodi logs an exit just before that)."""
    wait_for(
        lambda: "Python interpreter stopped" in kodi.log_since(mark), 10.0, "the plugin's interpreter to stop"
    )
    return kodi.log_since(mark)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.pattern == "i"], ids=lambda route: route.url)
def test_sys_exit_after_the_listing_logs_the_table(
    pattern_run: PatternRun, kodi_install: KodiInstall, route
) -> None:
    # The listing stood (the expected table above); the log holds `script aborted` (+ Kodi 20's traceback).
    assert exit_log_view(pattern_run.logs[route.url]) == expected_exit_log(route.url, kodi_install.version)


@pytest.mark.parametrize("url", EXIT_BEFORE_ROUTES)
def test_sys_exit_before_the_listing_fails_the_directory(
    pattern_run: PatternRun, kodi_install: KodiInstall, url: str
) -> None:
    kodi = pattern_run.kodi
    mark = kodi.log_mark()
    with pytest.raises(RealKodiError, match="Files.GetDirectory .* failed"):
        kodi.run(url)
    assert exit_log_view(_log_after_invoker(kodi, mark)) == expected_exit_log(url, kodi_install.version)


def _ask(kodi: RealKodi, method: str, params: dict) -> dict:
    try:
        return {"result": kodi.request(method, params)}
    except JsonRpcError as error:
        return {"error": error.code}


def test_jsonrpc_answers_match_the_table_the_fake_is_held_to(pattern_run: PatternRun) -> None:
    answers = [
        (method, params, _ask(pattern_run.kodi, method, params)) for method, params, _ in JSONRPC_CASES
    ]
    assert answers == JSONRPC_CASES


def _argv_file(kodi: RealKodi, case: str) -> Path:
    return kodi.paths.temp_dir / f"fkargs-{case}.json"


def test_script_builtins_split_their_arguments_as_the_table_says(pattern_run: PatternRun) -> None:
    kodi = pattern_run.kodi
    kodi.builtin(NOT_A_BUILTIN[1])
    for command, _ in BUILTIN_ARGV.values():
        kodi.builtin(command)
    seen = {}
    for case in BUILTIN_ARGV:
        path = _argv_file(kodi, case)
        wait_for(path.exists, 10.0, f"script.fkargs to record {case}")
        seen[case] = json.loads(path.read_text(encoding="utf-8"))
    assert seen == {case: argv for case, (_, argv) in BUILTIN_ARGV.items()}
    # Sent first, so it would have run by now: ExecuteAddon(...) is no builtin.
    assert not _argv_file(kodi, NOT_A_BUILTIN[0]).exists()


def test_execute_addon_over_jsonrpc_splits_its_params_as_the_table_says(pattern_run: PatternRun) -> None:
    kodi = pattern_run.kodi
    seen = {}
    for case, (params, _) in EXECUTE_ADDON_ARGV.items():
        request = {"addonid": ARGS_SCRIPT_ID, "wait": False} | ({} if params is None else {"params": params})
        answer = kodi.request("Addons.ExecuteAddon", request)
        path = _argv_file(kodi, case)
        wait_for(path.exists, 10.0, f"script.fkargs to record {case}")
        seen[case] = (answer, json.loads(path.read_text(encoding="utf-8")))
    assert seen == {case: ("OK", argv) for case, (_, argv) in EXECUTE_ADDON_ARGV.items()}
