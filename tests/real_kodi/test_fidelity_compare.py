"""The fidelity comparison on hand-made items: views, art encoding, differences, allow rules, the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_kodi.real.fidelity import (
    FIELDS,
    AllowRule,
    compare_routes,
    fake_item_view,
    kodi_image_url,
    real_item_view,
    versions_table,
)
from fake_kodi.real.fidelity import main as fidelity_main

ROUTE = "plugin://plugin.video.x/?action=list"
FAKE_MOVIE = {
    "label": "Movie",
    "url": "plugin://plugin.video.x/?action=play&id=1",
    "is_folder": False,
    "properties": {"isplayable": "true", "contextmenulabel(0)": "Mark", "contextmenuaction(0)": "RunPlugin(x)"},
    "art": {"poster": "http://127.0.0.1:8080/p 1.jpg"},
    "info": {
        "title": "Movie", "mediatype": "movie", "year": 2005, "season": -1, "episode": -1, "plot": "",
        "playcount": 1, "uniqueids": {"imdb": "tt1"}, "resume": {"position": 35.5, "total": 100.0},
    },
}  # fmt: skip
REAL_MOVIE = {
    "label": "Movie",
    "file": "plugin://plugin.video.x/?action=play&id=1",
    "filetype": "file",
    "title": "Movie",
    "type": "movie",
    "year": 2005,
    "season": -1,
    "episode": -1,
    "plot": "",
    "playcount": 1,
    "uniqueid": {"imdb": "tt1"},
    "resume": {"position": 35.5, "total": 100.0},
    "customproperties": {
        "isplayable": "true",
        "contextmenulabel(0)": "Mark",
        "contextmenuaction(0)": "RunPlugin(x)",
    },
    "art": {"poster": "image://http%3a%2f%2f127.0.0.1%3a8080%2fp%201.jpg/"},
}


def test_art_url_is_wrapped_like_kodi_with_lowercase_hex() -> None:
    assert kodi_image_url("http://a.b/C~(1)!.jpg?x=1") == "image://http%3a%2f%2fa.b%2fC~(1)!.jpg%3fx%3d1/"


def test_fake_and_real_views_of_the_same_item_are_equal() -> None:
    assert fake_item_view(FAKE_MOVIE) == real_item_view(REAL_MOVIE)


def test_context_menu_is_split_from_the_properties() -> None:
    view = real_item_view(REAL_MOVIE)
    assert (view["properties"], view["context_menu"]) == ({"isplayable": "true"}, [["Mark", "RunPlugin(x)"]])


def test_bare_real_folder_reads_as_kodi_defaults() -> None:
    folder = {"label": "F", "file": "plugin://x/", "filetype": "directory", "title": "", "type": "unknown"}
    view = real_item_view(folder)
    assert (view["is_folder"], view["mediatype"], view["playcount"], view["resume"], view["season"]) == (
        True, "", 0, [0.0, 0.0], -1,
    )  # fmt: skip


def test_different_playcount_is_a_failing_difference() -> None:
    report = compare_routes([(ROUTE, [FAKE_MOVIE], [{**REAL_MOVIE, "playcount": 0}])])
    assert [(d.field, d.fake, d.real, d.allowed) for d in report.failures] == [("playcount", 1, 0, "")]


def test_allow_rule_covers_only_its_field_on_its_routes() -> None:
    rules = [AllowRule("playcount", "because", route_part="action=list"), AllowRule("title", "other")]
    report = compare_routes([(ROUTE, [FAKE_MOVIE], [{**REAL_MOVIE, "playcount": 0, "label": "X"}])], rules)
    assert [(d.field, d.allowed) for d in report.differences] == [("label", ""), ("playcount", "because")]


def test_missing_item_is_an_item_count_difference() -> None:
    report = compare_routes([(ROUTE, [FAKE_MOVIE, FAKE_MOVIE], [REAL_MOVIE])])
    assert [(d.field, d.fake, d.real) for d in report.failures] == [("item_count", 2, 1)]
    assert (report.items_compared, report.fields_compared) == (1, len(FIELDS))


def test_report_json_holds_the_counts_and_differences(tmp_path: Path) -> None:
    report = compare_routes([(ROUTE, [FAKE_MOVIE], [{**REAL_MOVIE, "year": 2006}])])
    data = json.loads(report.write_json(tmp_path / "fidelity.json").read_text())
    assert {
        key: data[key] for key in ("routes_compared", "items_compared", "fields_compared", "differences")
    } == {
        "routes_compared": 1,
        "items_compared": 1,
        "fields_compared": len(FIELDS),
        "differences": 1,
    }
    assert data["difference_list"][0]["field"] == "year"


def test_table_names_route_totals_and_each_difference() -> None:
    table = compare_routes([(ROUTE, [FAKE_MOVIE], [{**REAL_MOVIE, "year": 2006}])]).table()
    assert "routes compared 1, items compared 1" in table
    assert f"{ROUTE} #0 'Movie' year: fake=2005 real=2006 (FAILS)" in table


def lane_report(kodi: str, real_year: int, tmp_path: Path) -> Path:
    report = compare_routes([(ROUTE, [FAKE_MOVIE], [{**REAL_MOVIE, "year": real_year}])])
    report.kodi = kodi
    return report.write_json(tmp_path / kodi.split()[0] / "fidelity.json")


def test_versions_table_has_a_column_per_kodi_version(tmp_path: Path) -> None:
    reports = [json.loads(lane_report(kodi, 2005, tmp_path).read_text()) for kodi in ("20 (a)", "21 (b)")]
    header, row, totals = versions_table(reports).splitlines()
    assert "Kodi 20 (a)" in header and "Kodi 21 (b)" in header
    assert row.split() == [ROUTE, "1", "1", "items,", "0", "diff", "1", "items,", "0", "diff"]
    assert (
        totals
        == "Kodi 20 (a): 15 fields, 0 differences, 0 failing; Kodi 21 (b): 15 fields, 0 differences, 0 failing"
    )


def test_merging_fails_on_a_failing_difference_in_any_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [lane_report("20 (a)", 2005, tmp_path), lane_report("21 (b)", 2006, tmp_path)]
    assert fidelity_main([str(path) for path in paths] + ["-o", str(tmp_path / "versions.txt")]) == 1
    assert "1 items, 1 diff (1!)" in capsys.readouterr().out
    assert (tmp_path / "versions.txt").read_text().startswith("route")


def test_merging_without_a_lanes_report_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fidelity_main([str(tmp_path / "nowhere.json")]) == 1
    assert capsys.readouterr().err == (
        f"fidelity: no report at {tmp_path / 'nowhere.json'} (run the real-Kodi lanes first)\n"
    )
