"""Markdown tables from one perf run: `python -m perf.report artifacts/perf/benchmarks.json [--readme perf/README.md]`.

Reads the pytest-benchmark JSON and the `figures.json` written next to it. With `--readme`, the
text between the figures markers of that file is replaced (the README's tables are this output).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

START, END = "<!-- figures:start -->", "<!-- figures:end -->"
MIRROR, API, BASELINE = "_mirror", "_api", "_baseline"


def _duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def _name(benchmark: dict) -> str:
    return benchmark["name"].removeprefix("test_")


def benchmark_table(benchmarks: list[dict]) -> list[str]:
    """One row per benchmark: min / median / max, rounds, target and whether the median meets it.

    Lookups on the mirror also show their limit (the same read with bare sqlite3 on the same file,
    timed side by side with the add-on's call: perf/limits.py) and the add-on/limit ratio of that
    side-by-side run against its target."""
    lines = [
        "| benchmark | group | min | median | max | rounds | target | met | limit (bare) | ratio | ratio target |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for bench in sorted(benchmarks, key=lambda b: (b.get("group") or "", b["name"])):
        stats, extra = bench["stats"], bench.get("extra_info", {})
        target = extra.get("target_s")
        met = "" if target is None else ("yes" if stats["median"] < target else "**no**")
        lines.append(
            f"| {_name(bench)} | {bench.get('group') or ''} | {_duration(stats['min'])} | {_duration(stats['median'])} "
            f"| {_duration(stats['max'])} | {stats['rounds']} | {'' if target is None else _duration(target)} | {met} "
            f"| {_limit(extra)} |"
        )
    return lines


def _limit(extra: dict) -> str:
    """The limit, ratio and ratio-target cells (empty for benchmarks without a limit)."""
    if "limit_s" not in extra:
        return " | |"
    ratio, target = extra["ratio"], extra.get("ratio_target")
    verdict = (
        "" if target is None else (f"≤ {target:g}x" if ratio <= target else f"≤ {target:g}x **not met**")
    )
    return f"{_duration(extra['limit_s'])} | {ratio:.2f}x (add-on {_duration(extra['paired_project_s'])}) | {verdict}"


def ratio_table(benchmarks: list[dict]) -> list[str]:
    """Per group: the mirror's median; the add-on against its limit (bare sqlite3) side by side; the API's and pre-2.8's."""
    by_group: dict[str, dict[str, float]] = {}
    limits: dict[str, dict] = {}
    for bench in benchmarks:
        for suffix in (MIRROR, API, BASELINE):
            if bench["name"].endswith(suffix):
                by_group.setdefault(bench.get("group") or "", {})[suffix] = bench["stats"]["median"]
        if bench["name"].endswith(MIRROR) and "limit_s" in bench.get("extra_info", {}):
            limits[bench.get("group") or ""] = bench["extra_info"]
    lines = ["| question | mirror median | side by side: add-on | limit (bare sqlite3) | add-on / limit | API median "
             "| API / mirror | pre-2.8 median | pre-2.8 / mirror |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for group, medians in sorted(by_group.items()):
        mirror = medians.get(MIRROR)
        if mirror is None:
            continue
        api, base, limit = medians.get(API), medians.get(BASELINE), limits.get(group)
        limit_cells = (
            f"{_duration(limit['paired_project_s'])} | {_duration(limit['limit_s'])} | {limit['ratio']:.2f}x"
            if limit
            else " |  | "
        )
        lines.append(
            f"| {group} | {_duration(mirror)} | {limit_cells} "
            f"| {_duration(api) if api else ''} | {f'{api / mirror:,.0f}x' if api else ''} "
            f"| {_duration(base) if base else ''} | {f'{base / mirror:,.0f}x' if base else ''} |"
        )
    return lines


def figures_table(figures: dict) -> list[str]:
    """The request budgets, the backfill in virtual time, memory and the baseline, as measured."""
    rows: list[tuple[str, str, str]] = []
    if "browse_10_pages" in figures:
        shown = figures["browse_10_pages"]
        rows.append(("Trakt requests, 10 catalog pages, fresh mirror", f"{shown['requests']} "
                     f"({shown['progress_calls']} show progress reads)", "0"))  # fmt: skip
    if "no_change_sync_requests" in figures:
        rows.append(("requests, no-change sync", str(figures["no_change_sync_requests"]), "1"))
    if "day_later_sync" in figures:
        later = figures["day_later_sync"]
        rows.append(("requests, no-change sync 25 h later (daily metadata re-read)",
                     f"{later['requests']} ({later['shows_re_read_daily']} of {later['watched_shows']:,} watched shows may "
                     f"still change; the dormant rest is re-read every 30 days, 100 per sync); before: "
                     f"{later.get('old_policy_requests')} requests, {later.get('old_policy_due', 0):,} shows due", ""))  # fmt: skip
    if "one_new_play" in figures:
        play = figures["one_new_play"]
        rows.append(
            (
                "requests, sync after one new play",
                f"{play['requests']} ({', '.join(play['synced'])}: last_activities + {play.get('map_pages', 1)} page(s) "
                f"of the shows' min map at 1,000 shows a page); {play.get('seconds', 0):.2f} s in-process (with copying "
                f"the mirror; {play.get('seconds_in_simulator', 0):.2f} s of it in the simulator), the min map "
                f"{play.get('min_map_kb', 0):,} KB / "
                f"{play.get('min_map_plays', 0):,} plays",
                "≤ 3",
            )  # fmt: skip
        )
    if "heavy_account_new_play" in figures:
        heavy = figures["heavy_account_new_play"]
        rows.append(("heavy account (every episode watched): sync after one new play",
                     f"{heavy.get('requests')} requests, {heavy.get('seconds', 0):.2f} s ({heavy.get('seconds_in_simulator', 0):.2f} s in the simulator), peak RSS {heavy.get('peak_rss_mb')} MB; "
                     f"the min map {heavy.get('min_map_kb', 0):,} KB / {heavy.get('plays', 0):,} plays; a full re-read: "
                     f"{heavy.get('full_read_requests')} requests, {heavy.get('full_read_seconds', 0):.2f} s", "≤ 3"))  # fmt: skip
    if "status_usable" in figures:
        usable = figures["status_usable"]
        pages = ", ".join(f"{area} {count}" for area, count in usable["pages"].items())
        rows.append(
            (
                "requests until watched + watchlist usable",
                f"{usable['requests']} (1 + pages: {pages})",
                "≤ 10",
            )
        )
        rows.append(("time until usable (first sync, real HTTP)",
                     f"{usable['seconds']:.2f} s, of which {usable.get('seconds_in_simulator', 0):.2f} s in the simulator", ""))  # fmt: skip
        for question, mark in usable.get("by_question", {}).items():
            rows.append((f"first sync: {question} usable after", f"{mark['requests']} requests, {mark['seconds']:.2f} s",
                         "≤ 10"))  # fmt: skip
    if "backfill" in figures:
        fill = figures["backfill"]
        rows.append(("metadata backfill", f"{fill['requests']} requests in {fill['runs']} syncs every "
                     f"{fill['sync_interval'] / 60:.0f} min: {fill['virtual_seconds'] / 3600:.2f} h virtual", ""))  # fmt: skip
        rows.append(("backfill: busiest 5-min window / 429s", f"{fill['busiest_5min_window']} / {fill['status_429']}",
                     "≤ 500 / 0"))  # fmt: skip
    if "first_sync_memory" in figures:
        memory = figures["first_sync_memory"]
        rows.append(("peak RSS, first sync (fresh interpreter)", f"{memory['peak_rss_mb']} MB "
                     f"({memory['before_sync_mb']} MB before the sync)", f"< {memory['target_mb']} MB"))  # fmt: skip
    if "baseline_10_pages" in figures:
        base = figures["baseline_10_pages"]
        rows.append(("pre-2.8: 10 catalog pages", f"{base['requests']} requests, {base['status_429']} × 429, "
                     f"{base['wall_seconds']:.1f} s wall + {base['virtual_seconds']:.0f} s waiting (virtual)", ""))  # fmt: skip
    lines = ["| figure | measured | target |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    return lines


def render(benchmark_json: Path) -> str:
    """The whole Markdown block for one run."""
    data = json.loads(benchmark_json.read_text(encoding="utf-8"))
    figures_path = benchmark_json.with_name("figures.json")
    figures = json.loads(figures_path.read_text(encoding="utf-8")) if figures_path.exists() else {}
    machine = data.get("machine_info", {})
    header = (f"Run {data.get('datetime', '?')[:19]} on {machine.get('cpu', {}).get('brand_raw', machine.get('machine', '?'))}, "
              f"Python {machine.get('python_version', '?')}, library scale {figures.get('scale', '?')}.")  # fmt: skip
    parts = [header, "", *benchmark_table(data["benchmarks"]), "", *ratio_table(data["benchmarks"]), "",
             *figures_table(figures)]  # fmt: skip
    return "\n".join(parts) + "\n"


def replace_between_markers(text: str, block: str) -> str:
    """`text` with everything between START and END replaced by `block`."""
    head, found, rest = text.partition(START)
    if not found or END not in rest:
        raise ValueError(f"the file has no {START} ... {END} section")
    return f"{head}{START}\n{block}{END}{rest.partition(END)[2]}"


def main(argv: list[str] | None = None) -> int:
    """Print the tables, or write them into a README between the figures markers."""
    parser = argparse.ArgumentParser(prog="python -m perf.report", description=__doc__.splitlines()[0])
    parser.add_argument("benchmark_json", type=Path)
    parser.add_argument("--readme", type=Path, help="replace the figures section of this Markdown file")
    args = parser.parse_args(argv)
    block = render(args.benchmark_json)
    if args.readme:
        args.readme.write_text(
            replace_between_markers(args.readme.read_text(encoding="utf-8"), block), encoding="utf-8"
        )
    else:
        sys.stdout.write(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
