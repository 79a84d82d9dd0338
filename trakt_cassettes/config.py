"""The project's vcrpy defaults in one place: cassette dir, YAML format, matchers, scrubbing, record mode."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import vcr
import yaml
from vcr.cassette import CassetteContextDecorator
from vcr.request import Request
from vcr.serialize import serialize
from vcr.serializers import yamlserializer

from trakt_cassettes.filters import Scrubber
from trakt_cassettes.matchers import MATCH_ON, PROJECT_MATCHERS

CASSETTE_DIR = Path(__file__).parent / "cassettes"
SERIALIZER_NAME = "trakt_yaml"
CASSETTE_SUFFIX = ".cassette.yaml"
# Tests replay only: a missing interaction is an error, never a silent call to the real Trakt.
DEFAULT_RECORD_MODE = "none"
# The top-level keys in the order a reader wants them; everything below is sorted.
TOP_LEVEL_ORDER = ("metadata", "version", "interactions")


class _CassetteDumper(yaml.SafeDumper):
    """Safe YAML with readable unicode; vcrpy's safe loader reads it back."""


def _sorted_deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_deep(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_sorted_deep(item) for item in value]
    return value


class CassetteSerializer:
    """vcrpy serializer: deterministic YAML (fixed top-level order, sorted keys, unicode as is)."""

    @staticmethod
    def serialize(cassette_dict: dict) -> str:
        """Dump a vcrpy cassette dict to YAML text."""
        ordered = {key: _sorted_deep(cassette_dict[key]) for key in TOP_LEVEL_ORDER if key in cassette_dict}
        ordered.update({key: _sorted_deep(val) for key, val in cassette_dict.items() if key not in ordered})
        # A very wide line keeps each JSON body on one greppable line instead of folding it.
        return yaml.dump(
            ordered, Dumper=_CassetteDumper, allow_unicode=True, sort_keys=False, width=1_000_000
        )

    @staticmethod
    def deserialize(cassette_string: str) -> dict:
        """Load YAML text with vcrpy's safe cassette loader."""
        return yamlserializer.deserialize(cassette_string)


def make_vcr(
    record_mode: str = DEFAULT_RECORD_MODE, cassette_dir: str | os.PathLike = CASSETTE_DIR
) -> vcr.VCR:
    """A fresh VCR with the project's defaults (no scrubber: use_cassette adds one per cassette)."""
    project_vcr = vcr.VCR(
        cassette_library_dir=os.fspath(cassette_dir),
        serializer=SERIALIZER_NAME,
        record_mode=record_mode,
        match_on=MATCH_ON,
        decode_compressed_response=True,
    )
    project_vcr.register_serializer(SERIALIZER_NAME, CassetteSerializer())
    for name, matcher in PROJECT_MATCHERS:
        project_vcr.register_matcher(name, matcher)
    return project_vcr


def use_cassette(
    path: str | os.PathLike,
    record_mode: str = DEFAULT_RECORD_MODE,
    scrubber: Scrubber | None = None,
    cassette_dir: str | os.PathLike = CASSETTE_DIR,
    **vcr_options: Any,
) -> CassetteContextDecorator:
    """Apply a cassette (context manager or decorator); a relative path is under cassette_dir."""
    scrubber = scrubber or Scrubber()
    project_vcr = make_vcr(record_mode=record_mode, cassette_dir=cassette_dir)
    return project_vcr.use_cassette(
        os.fspath(path),
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
        **vcr_options,
    )


def cassette_config(
    path: str | os.PathLike, record_mode: str = DEFAULT_RECORD_MODE, scrubber: Scrubber | None = None
) -> dict[str, Any]:
    """The keyword arguments of vcr.cassette.Cassette for path, as use_cassette would build them."""
    scrubber = scrubber or Scrubber()
    config = make_vcr(record_mode=record_mode).get_merged_config(
        path=os.fspath(Path(path).resolve()),
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
    )
    for not_a_cassette_option in ("path_transformer", "func_path_generator", "record_on_exception"):
        config.pop(not_a_cassette_option, None)
    return config


def record_filters(scrubber: Scrubber) -> tuple[Callable[[Request], Any], Callable[[dict], Any]]:
    """(before_record_request, before_record_response) exactly as use_cassette applies them when recording:
    the scrubber's, behind vcrpy's own (decoding gzip bodies first), for recorders that are not vcrpy's stubs."""
    config = make_vcr(record_mode="all").get_merged_config(
        before_record_request=scrubber.request, before_record_response=scrubber.response
    )
    return config["before_record_request"], config["before_record_response"]


def write_cassette(
    path: str | os.PathLike, interactions: Sequence[tuple[Request, dict]], metadata: dict[str, Any]
) -> None:
    """Write recorded (request, response) pairs and metadata in the format use_cassette writes."""
    text = serialize(
        {
            "requests": [request for request, _ in interactions],
            "responses": [response for _, response in interactions],
            "metadata": metadata,
        },
        CassetteSerializer(),
    )
    Path(path).write_text(text, encoding="utf-8")
