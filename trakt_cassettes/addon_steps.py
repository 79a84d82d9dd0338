"""What a recording or a replay does with the add-on: steps, run through fake_kodi's public API (`Kodi`).

A step is a JSON-ready list, stored as is in a cassette's `metadata.replay_steps`:

    ["run", "plugin://plugin.video.mine/?action=watchlist"]   one plugin call (a fresh interpreter)
    ["service", 600]                 the add-on's service for 600 virtual seconds, then abort
    ["wait", 60]                     the home's virtual clock moves on
    ["call", "mine.debug:sync", []]  `fake-kodi call`: one add-on function in its own interpreter
    ["post", "/sync/history", {...}] a write made on Trakt by someone else (sent by the tool, not the add-on)

A project may name steps (`[tool.trakt-cassettes.steps]`, e.g. `sync = ["call", ...]`); a cassette
then says `["sync"]` and the name shows in the replay's timeline.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import requests

KINDS = ("run", "service", "wait", "call", "post")


class StepError(ValueError):
    """A step that cannot be run (unknown kind or name, bad arguments); the message names it."""


def expand(step: Sequence[Any], names: Mapping[str, Sequence[Any]]) -> list[Any]:
    """The step as one of KINDS: a project's step name replaced by what it names; StepError when unusable."""
    if not isinstance(step, (list, tuple)) or not step or not isinstance(step[0], str):
        raise StepError(f"a step is a list starting with its kind, got {step!r}")
    kind = step[0]
    if kind not in KINDS and kind in names:
        step = list(names[kind]) + list(step[1:])
        kind = step[0]
    if kind not in KINDS:
        known = ", ".join([*KINDS, *sorted(names)])
        raise StepError(f"unknown step {kind!r} (known: {known})")
    _check(list(step))
    return list(step)


def _check(step: list[Any]) -> None:
    kind, args = step[0], step[1:]
    if kind == "run" and (len(args) != 1 or not str(args[0]).startswith("plugin://")):
        raise StepError(f"a run step names one plugin:// URL, got {step!r}")
    if kind in ("service", "wait") and (len(args) != 1 or not _seconds(args[0])):
        raise StepError(f"a {kind} step names a finite number of seconds >= 0, got {step!r}")
    if kind == "call" and (not args or ":" not in str(args[0]) or len(args) > 2):
        raise StepError(f"a call step names MODULE:FUNCTION and optional arguments, got {step!r}")
    if kind == "post" and (len(args) != 2 or not str(args[0]).startswith("/")):
        raise StepError(f"a post step names a path and a JSON body, got {step!r}")


def _seconds(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def run_step(
    kodi: Any, addon_id: str, step: Sequence[Any], base_url: str, access_token: str = ""
) -> dict[str, Any]:
    """Run one expanded step; what it did, JSON-ready (`describe`, and `error` when the add-on failed)."""
    kind = step[0]
    if kind == "run":
        result = kodi.run(step[1])
        error = result.error and f"{result.error.get('type')}: {result.error.get('message')}"
        if result.status == "no_response":
            error = "neither endOfDirectory nor setResolvedUrl succeeded"
        return {"describe": step[1], "status": result.status, "items": len(result.items), "error": error}
    if kind == "service":
        result = kodi.service(addon_id, virtual_seconds=float(step[1]))
        error = result.exception and f"{result.exception.get('type')}: {result.exception.get('message')}"
        if error is None and not result.ok:
            error = "did not return within 5 s of abort" if result.returned else "killed: ignored abort"
        return {"describe": f"{float(step[1]):.0f} virtual s", "ok": result.ok, "error": error}
    if kind == "wait":
        kodi.clock.advance(float(step[1]))
        return {"describe": f"{float(step[1]):.0f} s"}
    if kind == "call":
        value = kodi.call(addon_id, step[1], step[2] if len(step) > 2 else [])
        return dict(value) if isinstance(value, dict) else {"value": value}
    # post: a write someone made on Trakt between the add-on's runs, sent as recorded.
    headers = {"Content-Type": "application/json", "trakt-api-version": "2", "trakt-api-key": "replay",
               "Authorization": f"Bearer {access_token}"}  # fmt: skip
    answer = requests.post(base_url + step[1], data=json.dumps(step[2]), headers=headers, timeout=10)
    return {"describe": f"{step[1]} (scripted, not the add-on): HTTP {answer.status_code}"}


class AppendStep(argparse.Action):
    """argparse: --url/--service/--wait/--call add a step to `steps` in command-line order."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:  # fmt: skip
        steps = list(getattr(namespace, "steps", None) or [])
        kind = {"--url": "run", "--service": "service", "--wait": "wait", "--call": "call"}[
            option_string or ""
        ]
        if kind in ("service", "wait"):
            step: list[Any] = [kind, _parse_seconds(parser, option_string, values)]
        elif kind == "call":
            step = ["call", values[0], _parse_json_args(parser, values[1:])]
        else:
            step = [kind, values]
        steps.append(step)
        namespace.steps = steps


def _parse_seconds(parser: argparse.ArgumentParser, option: str | None, text: str) -> float | int:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not _seconds(seconds):
        parser.error(f"{option} needs a finite number of seconds >= 0, got {text!r}")
    return int(seconds) if seconds.is_integer() else seconds


def _parse_json_args(parser: argparse.ArgumentParser, rest: Sequence[str]) -> list[Any]:
    if len(rest) > 1:
        parser.error("--call takes MODULE:FUNCTION and at most one JSON list of arguments")
    try:
        args = json.loads(rest[0]) if rest else []
    except ValueError:
        parser.error(f"--call arguments must be a JSON list, got {rest[0]!r}")
    if not isinstance(args, list):
        parser.error(f"--call arguments must be a JSON list, got {rest[0]!r}")
    return args
