"""Fidelity report: the same routes listed by fake_kodi and by real Kodi, compared item by item and field by field.

Both sides are brought to one view first: the fake's item records (xbmcplugin) and the items real Kodi returns
from Files.GetDirectory. Every difference fails the report unless an allow rule names its field (and, optionally,
a route) with the reason the difference is expected.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# The fields compared for every item, in report order.
FIELDS = (
    "label", "path", "is_folder", "title", "mediatype", "year", "season", "episode", "plot",
    "playcount", "uniqueids", "resume", "properties", "context_menu", "art",
)  # fmt: skip
# Values that mean "nothing set" in the compared view (False counts as data: a file is not a folder).
_EMPTY = ("", 0, -1, [], {}, [0.0, 0.0])
_CONTEXT_KEY = re.compile(r"contextmenu(label|action)\((\d+)\)")
# Characters Kodi's URL encoder (CURL::Encode) leaves alone; everything else becomes %xx in lowercase hex.
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!()~")


def kodi_image_url(url: str) -> str:
    """The art URL as Kodi's JSON-RPC returns it: image://<url-encoded, lowercase hex>/ ('' stays '')."""
    if not url:
        return ""
    encoded = "".join(chr(byte) if chr(byte) in _URL_SAFE else f"%{byte:02x}" for byte in url.encode("utf-8"))
    return f"image://{encoded}/"


def _split_properties(properties: Mapping[str, str]) -> tuple[dict[str, str], list[list[str]]]:
    """Plain properties, and the context menu Kodi keeps as contextmenulabel(i)/contextmenuaction(i) properties."""
    plain: dict[str, str] = {}
    entries: dict[int, dict[str, str]] = {}
    for key, value in properties.items():
        found = _CONTEXT_KEY.fullmatch(key.lower())
        if found:
            entries.setdefault(int(found.group(2)), {})[found.group(1)] = value
        else:
            plain[key.lower()] = value
    menu = [[entries[i].get("label", ""), entries[i].get("action", "")] for i in sorted(entries)]
    return plain, menu


# The video media types Files.GetDirectory names in an item's `type`; it says "unknown" for the others a
# plugin may set (video, season, set; measured in Kodi 20.1 with setMediaType), which the view reads as "".
JSONRPC_VIDEO_TYPES = frozenset({"movie", "tvshow", "episode", "musicvideo"})


def fake_item_view(item: Mapping[str, Any]) -> dict[str, Any]:
    """One fake_kodi item record (PluginResult.items) in the compared view."""
    info = item.get("info") or {}
    resume = info.get("resume") or {}
    properties, menu = _split_properties(item.get("properties") or {})
    return {
        "label": item.get("label", ""),
        "path": item.get("url", ""),
        "is_folder": bool(item.get("is_folder")),
        "title": info.get("title", ""),
        "mediatype": info.get("mediatype", "") if info.get("mediatype") in JSONRPC_VIDEO_TYPES else "",
        "year": int(info.get("year") or 0),
        "season": int(info.get("season", -1)),
        "episode": int(info.get("episode", -1)),
        "plot": info.get("plot", ""),
        "playcount": int(info.get("playcount") or 0),
        "uniqueids": dict(info.get("uniqueids") or {}),
        "resume": [float(resume.get("position") or 0.0), float(resume.get("total") or 0.0)],
        "properties": properties,
        "context_menu": menu,
        "art": {key: kodi_image_url(value) for key, value in (item.get("art") or {}).items() if value},
    }


def real_item_view(item: Mapping[str, Any]) -> dict[str, Any]:
    """One Files.GetDirectory item from real Kodi in the compared view (absent keys read as Kodi's defaults)."""
    resume = item.get("resume") or {}
    properties, menu = _split_properties(item.get("customproperties") or {})
    mediatype = item.get("type", "")
    return {
        "label": item.get("label", ""),
        "path": item.get("file", ""),
        "is_folder": item.get("filetype") == "directory",
        "title": item.get("title", ""),
        "mediatype": "" if mediatype == "unknown" else mediatype,
        "year": int(item.get("year") or 0),
        "season": int(item.get("season", -1)),
        "episode": int(item.get("episode", -1)),
        "plot": item.get("plot", ""),
        "playcount": int(item.get("playcount") or 0),
        "uniqueids": dict(item.get("uniqueid") or {}),
        "resume": [float(resume.get("position") or 0.0), float(resume.get("total") or 0.0)],
        "properties": properties,
        "context_menu": menu,
        "art": {key: value for key, value in (item.get("art") or {}).items() if value},
    }


@dataclass(frozen=True)
class AllowRule:
    """An expected difference: in `field` (on routes whose URL contains `route_part`), with the reason."""

    field: str
    reason: str
    route_part: str = ""

    def covers(self, route: str, field_name: str) -> bool:
        """Whether this rule allows a difference in `field_name` on `route`."""
        return self.field == field_name and self.route_part in route


@dataclass
class Difference:
    """One field of one item that the two Kodis answered differently."""

    route: str
    index: int
    label: str
    field: str
    fake: Any
    real: Any
    allowed: str = ""  # the allow rule's reason; '' means the difference fails the report


@dataclass
class RouteComparison:
    """The counts for one route."""

    route: str
    fake_items: int
    real_items: int
    fields_compared: int


@dataclass
class FidelityReport:
    """Routes, items and fields compared, and every difference (allowed ones with their reason)."""

    fields: list[str] = field(default_factory=lambda: list(FIELDS))
    routes: list[RouteComparison] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    allow_rules: list[AllowRule] = field(default_factory=list)
    # field -> compared items where the fake's value is not the empty default (shows what was really tested)
    items_with_data: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    # route -> {"fake": seconds, "real": seconds}, filled in by whoever timed the listings
    seconds: dict[str, dict[str, float]] = field(default_factory=dict)
    # which real Kodi answered, e.g. "21 (2:21.2+dfsg-4)"; filled in by the lane
    kodi: str = ""

    @property
    def items_compared(self) -> int:
        """Item pairs compared (the shorter side of each route)."""
        return sum(min(route.fake_items, route.real_items) for route in self.routes)

    @property
    def fields_compared(self) -> int:
        """Field comparisons made over all routes."""
        return sum(route.fields_compared for route in self.routes)

    @property
    def failures(self) -> list[Difference]:
        """Differences no allow rule covers."""
        return [difference for difference in self.differences if not difference.allowed]

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (what fidelity.json holds)."""
        return {
            "kodi": self.kodi,
            "routes_compared": len(self.routes),
            "items_compared": self.items_compared,
            "fields_compared": self.fields_compared,
            "differences": len(self.differences),
            "failing_differences": len(self.failures),
            "fields": self.fields,
            "items_with_data": self.items_with_data,
            "seconds": self.seconds,
            "routes": [asdict(route) for route in self.routes],
            "allow_rules": [asdict(rule) for rule in self.allow_rules],
            "difference_list": [asdict(difference) for difference in self.differences],
        }

    def write_json(self, target: Path) -> Path:
        """Write the report as JSON to `target`."""
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n", encoding="utf-8")
        return target

    def table(self) -> str:
        """A plain-text table: one row per route, then the totals and every difference."""
        width = max([len(route.route) for route in self.routes] + [5])
        lines = [f"{'route':<{width}}  fake  real  fields  differences  fake s  real s"]
        for route in self.routes:
            count = sum(1 for difference in self.differences if difference.route == route.route)
            timing = self.seconds.get(route.route, {})
            lines.append(
                f"{route.route:<{width}}  {route.fake_items:>4}  {route.real_items:>4}"
                f"  {route.fields_compared:>6}  {count:>11}  {timing.get('fake', 0.0):>6.3f}  {timing.get('real', 0.0):>6.3f}"
            )
        lines.append(
            f"routes compared {len(self.routes)}, items compared {self.items_compared}, fields per item "
            f"{len(self.fields)}, fields compared {self.fields_compared}, differences {len(self.differences)} "
            f"({len(self.failures)} failing)"
        )
        lines.append(
            "items with data per field: " + ", ".join(f"{k} {v}" for k, v in self.items_with_data.items())
        )
        for difference in self.differences:
            verdict = f"allowed: {difference.allowed}" if difference.allowed else "FAILS"
            lines.append(
                f"  {difference.route} #{difference.index} {difference.label!r} {difference.field}: "
                f"fake={difference.fake!r} real={difference.real!r} ({verdict})"
            )
        return "\n".join(lines)


def _allowed(rules: Iterable[AllowRule], route: str, field_name: str) -> str:
    return next((rule.reason for rule in rules if rule.covers(route, field_name)), "")


def compare_routes(
    pages: Sequence[tuple[str, Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]]],
    allow_rules: Sequence[AllowRule] = (),
) -> FidelityReport:
    """Compare (route, fake items, real items) triples; items are paired by position, as Kodi lists them."""
    report = FidelityReport(allow_rules=list(allow_rules))
    for route, fake_items, real_items in pages:
        fake_views = [fake_item_view(item) for item in fake_items]
        real_views = [real_item_view(item) for item in real_items]
        pairs = list(zip(fake_views, real_views, strict=False))
        report.routes.append(
            RouteComparison(route, len(fake_views), len(real_views), len(pairs) * len(FIELDS))
        )
        if len(fake_views) != len(real_views):
            report.differences.append(
                Difference(
                    route,
                    -1,
                    "",
                    "item_count",
                    len(fake_views),
                    len(real_views),
                    _allowed(allow_rules, route, "item_count"),
                )  # fmt: skip
            )
        for index, (fake, real) in enumerate(pairs):
            for name in FIELDS:
                if isinstance(fake[name], bool) or fake[name] not in _EMPTY:
                    report.items_with_data[name] += 1
                if fake[name] != real[name]:
                    report.differences.append(
                        Difference(
                            route,
                            index,
                            fake["label"],
                            name,
                            fake[name],
                            real[name],
                            _allowed(allow_rules, route, name),
                        )  # fmt: skip
                    )
    return report


def versions_table(reports: Sequence[Mapping[str, Any]]) -> str:
    """One row per route, one column per Kodi version: real items and differences (failing ones marked !).

    `reports` are fidelity.json contents of the lanes (one per version), in column order.
    """
    routes: list[str] = []
    for report in reports:
        routes += [route["route"] for route in report["routes"] if route["route"] not in routes]
    width = max([len(route) for route in routes] + [5])
    heads = [f"Kodi {report.get('kodi') or '?'}" for report in reports]
    lines = [f"{'route':<{width}}  fake  " + "  ".join(f"{head:>24}" for head in heads)]
    for route in routes:
        fake = next((r["fake_items"] for rep in reports for r in rep["routes"] if r["route"] == route), 0)
        cells = []
        for report in reports:
            found = [r for r in report["routes"] if r["route"] == route]
            differences = [d for d in report["difference_list"] if d["route"] == route]
            failing = sum(1 for d in differences if not d["allowed"])
            text = "not compared"
            if found:
                text = f"{found[0]['real_items']} items, {len(differences)} diff" + (
                    f" ({failing}!)" if failing else ""
                )
            cells.append(f"{text:>24}")
        lines.append(f"{route:<{width}}  {fake:>4}  " + "  ".join(cells))
    totals = [
        f"Kodi {report.get('kodi') or '?'}: {report['fields_compared']} fields, {report['differences']} "
        f"differences, {report['failing_differences']} failing"
        for report in reports
    ]
    lines.append("; ".join(totals))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m fake_kodi.real.fidelity A.json B.json [-o OUT]`: the lanes' reports side by side.

    Exit 1 when a report is missing or has a failing difference.
    """
    parser = argparse.ArgumentParser(prog="python -m fake_kodi.real.fidelity", description=main.__doc__)
    parser.add_argument("reports", nargs="+", type=Path, help="fidelity.json of each lane, one per version")
    parser.add_argument("-o", "--output", type=Path, help="also write the table to this text file")
    args = parser.parse_args(argv)
    missing = [str(path) for path in args.reports if not path.is_file()]
    if missing:
        print(f"fidelity: no report at {', '.join(missing)} (run the real-Kodi lanes first)", file=sys.stderr)
        return 1
    reports = [json.loads(path.read_text(encoding="utf-8")) for path in args.reports]
    table = versions_table(reports)
    print(table)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(table + "\n", encoding="utf-8")
    return 1 if any(report["failing_differences"] for report in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
