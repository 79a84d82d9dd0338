"""The demo (`python -m fake_kodi.demo`) runs the example add-on end to end."""

from __future__ import annotations

from fake_kodi.demo import main


def test_demo_runs_every_route_and_the_service_as_expected(tmp_path, capsys):
    code = main(["--home", str(tmp_path / "kodi")])
    out = capsys.readouterr().out
    assert (code, "== done: all as expected" in out, "Service wakes: 1" in out) == (0, True, True)
