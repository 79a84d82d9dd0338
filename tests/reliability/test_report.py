"""The RELIABILITY.md generator."""

from __future__ import annotations

import json

from .report import main, render


def test_render_puts_each_figure_in_its_row():
    text = render({"crash_kill_points": 58, "fuzz_plugin_calls": 2011, "abort_latency_ms_max": 210.5})
    assert "| 1 Crash consistency |" in text and "58 kill points" in text
    assert "2011 calls" in text
    assert "max 210.5 ms" in text


def test_missing_figures_show_a_dash():
    assert "- kill points" in render({})


def test_main_writes_the_markdown_from_the_figures_file(tmp_path):
    figures, out = tmp_path / "figures.json", tmp_path / "RELIABILITY.md"
    figures.write_text(json.dumps({"secrets_scanned": 7}), encoding="utf-8")
    assert main(["--figures", str(figures), "--out", str(out)]) == 0
    assert "7 secrets, 0 hits" in out.read_text(encoding="utf-8")
