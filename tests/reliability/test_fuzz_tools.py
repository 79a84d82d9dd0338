"""Issue 17: hypothesis fuzzes the harness's own tools, not the add-on.

Raw HTTP requests (methods, paths, control calls, Content-Length, Host, bodies) against the simulator
and the replay server on real sockets; mutated cassettes against the cassette reader and lint; mutated
scenarios against the scenario loader; odd settings values against the settings file; mutated zips
against the installer. Every case must end in an answer or the tool's own error type, never a crash:
servers answer every request (never a 500) and keep serving, nothing is written outside the target,
and an installed add-on or a saved setting is never damaged by a failed attempt.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_kodi.home.addons import InstallError, install_zip
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.home.settings import AddonSettings, user_file_path
from fake_kodi.kodi import Kodi
from tests.trakt_cassettes.raw_http import exchange, status_of
from trakt_cassettes.cassette_file import CassetteError, check_document
from trakt_cassettes.lint import SchemaSet, lint_cassette
from trakt_cassettes.replay_server import ReplayServer
from trakt_cassettes.sim import Scenario, ScenarioError, Simulator

from .support import ROOT, SMALL_LIBRARY

CASSETTE = ROOT / "trakt_cassettes" / "cassettes" / "first_sync_small.cassette.yaml"
# The lint cases mutate a small cassette: each case writes and lints a whole file.
SMALL_CASSETTE = ROOT / "trakt_cassettes" / "cassettes" / "no_imdb_titles.cassette.yaml"
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
TOOL_CASES = "fuzz_tool_cases"

# ---- raw HTTP against both servers -----------------------------------------------------------

PATHS = [
    "/sync/last_activities", "/sync/history", "/sync/history/remove", "/sync/watchlist", "/sync/watched/shows",
    "/sync/watched/movies?extended=min", "/users/hidden/progress_watched", "/oauth/token", "/oauth/device/code",
    "/shows/1/seasons?extended=full,episodes", "/_sim/advance", "/_sim/faults", "/_sim/reset", "/_sim/state",
    "/_sim/device/ABCD", "/manifest.json", "/stremio/cfg/catalog/movie/top.json", "/%00", "/..%2f..%2fetc",
]  # fmt: skip
LENGTHS = ["", "abc", "-5", "0", "1", "99999999999", "9" * 30, " 12", "1e3", "0x10", "١٢"]
JSON_BODIES = [
    b'{"seconds": NaN}', b'{"seconds": Infinity}', b'{"seconds": 1e308}', b'{"to": "9999-99-99"}',
    b'{"movies": [{"ids": {"trakt": {"a": 1}}}]}', b'{"ids": [{"a": 1}]}', b'{"movies": "x"}',
    b'{"status": "x", "path": "("}', b'{"outcome": 7}', b"[]", b"null", b'"text"', b"{", b"\xff\xfe",
]  # fmt: skip
token = st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="\r\n"), max_size=12)


@st.composite
def raw_requests(draw) -> bytes:
    """One HTTP/1.1 request as bytes, often malformed on purpose."""
    method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"]) | token.filter(bool))
    path = draw(st.sampled_from(PATHS) | token.map(lambda text: "/" + text))
    body = draw(st.sampled_from(JSON_BODIES) | st.binary(max_size=64))
    length = draw(st.sampled_from([*LENGTHS, str(len(body))]))
    host = draw(st.sampled_from(["127.0.0.1", "", "a b/c?d", "[::1]:80", "x" * 300]) | token)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "trakt-api-version: 2", "trakt-api-key: sim-client-id",
             "Authorization: Bearer test-token", "Content-Type: application/json"]  # fmt: skip
    if length:
        lines.append(f"Content-Length: {length}")
    head = "\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n\r\n"
    return head + body


@pytest.fixture(scope="module", params=["simulator", "replay"])
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    server = (
        Simulator.from_file(SMALL_LIBRARY).serve()
        if request.param == "simulator"
        else ReplayServer(CASSETTE).start()
    )
    try:
        yield server.url
    finally:
        server.stop()


@FUZZ
@given(request=raw_requests())
def test_raw_requests_always_get_an_answer_and_the_server_keeps_serving(server_url, figures, request) -> None:
    answer = exchange(server_url, request)
    figures.add(TOOL_CASES)
    if answer:  # http.server closes silently on a request line it cannot parse; the next one must work
        assert status_of(answer) != 500, answer[:400]
    health = exchange(server_url, b"GET /manifest.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert status_of(health) in (200, 501)


# ---- cassettes and scenarios --------------------------------------------------------------------

ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=10),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)  # fmt: skip


def mutate(document: object, draw) -> object:
    """Replace one value anywhere in the document (or drop a key) with something odd."""
    document = copy.deepcopy(document)
    path: list = []
    node = document
    for _ in range(draw(st.integers(0, 6))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(0, len(node) - 1))
        else:
            break
        path.append((node, key))
        node = node[key]
    if not path:
        return draw(ODD_VALUES)
    parent, key = path[-1]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[key]
    else:
        parent[key] = draw(ODD_VALUES)
    return document


CASSETTE_DOCUMENT = yaml.safe_load(SMALL_CASSETTE.read_text(encoding="utf-8"))
SCENARIO_DOCUMENT = yaml.safe_load(SMALL_LIBRARY.read_text(encoding="utf-8"))
SCHEMAS = SchemaSet(ROOT / "contracts" / "schemas")


@FUZZ
@given(data=st.data())
def test_mutated_cassettes_are_read_or_refused_with_the_tools_error(tmp_path_factory, figures, data) -> None:
    document = mutate(CASSETTE_DOCUMENT, data.draw)
    try:
        check_document(document, "fuzzed.cassette.yaml")
    except CassetteError as exc:
        assert str(exc).startswith("fuzzed.cassette.yaml")
    folder = tmp_path_factory.mktemp("cassette")
    scenario = SMALL_CASSETTE.with_name("no_imdb_titles.yaml")
    (folder / scenario.name).write_text(scenario.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "fuzzed.cassette.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    lint_cassette(path, SCHEMAS)  # problems are fine; an exception is not
    figures.add(TOOL_CASES)


@FUZZ
@given(data=st.data())
def test_mutated_scenarios_load_or_name_the_bad_key(figures, data) -> None:
    document = mutate(SCENARIO_DOCUMENT, data.draw)
    try:
        Scenario.from_dict(document if isinstance(document, dict) else {"now": document}, "fuzzed.yaml")
    except ScenarioError as exc:
        assert str(exc).startswith("fuzzed.yaml")
    figures.add(TOOL_CASES)


# ---- settings values and zips -------------------------------------------------------------------

SETTINGS_XML = """<settings version="1"><section id="s"><category id="c" label="1"><group id="1">
<setting id="text" type="string" label="1"><level>0</level><default/><constraints><allowempty>true</allowempty></constraints><control type="edit" format="string"/></setting>
<setting id="token" type="string" label="1"><level>0</level><default/><constraints><allowempty>true</allowempty></constraints><control type="edit" format="string"/></setting>
</group></category></section></settings>"""
ADDON_XML = """<?xml version="1.0" encoding="UTF-8"?>
<addon id="plugin.video.fuzz" name="fuzz" version="{version}" provider-name="tests">
    <requires><import addon="xbmc.python" version="3.0.1"/></requires>
    <extension point="xbmc.python.pluginsource" library="main.py"><provides>video</provides></extension>
</addon>
"""


def addon_zip(version: str = "1.0.0") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("plugin.video.fuzz/addon.xml", ADDON_XML.format(version=version))
        archive.writestr("plugin.video.fuzz/main.py", "print('hello')\n" * 40)
        archive.writestr("plugin.video.fuzz/resources/settings.xml", SETTINGS_XML)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def fuzz_home(tmp_path_factory: pytest.TempPathFactory) -> KodiHome:
    folder = tmp_path_factory.mktemp("fuzz-home")
    zip_path = folder / "good.zip"
    zip_path.write_bytes(addon_zip())
    kodi = Kodi(folder / "home")
    kodi.install(zip_path)
    return kodi.home


@FUZZ
@given(value=st.text(st.characters(codec="utf-8"), max_size=40))
def test_any_settings_value_reads_back_and_loses_no_other_setting(fuzz_home, figures, value) -> None:
    from fake_kodi.host.plugin_runner import installed_manifest

    manifest = installed_manifest(fuzz_home, "plugin.video.fuzz")
    AddonSettings(fuzz_home, manifest).setSetting("token", "tok-kept")
    AddonSettings(fuzz_home, manifest).setSetting("text", value)
    again = AddonSettings(fuzz_home, manifest)
    assert again.getSetting("text") == value
    assert again.getSetting("token") == "tok-kept", user_file_path(fuzz_home, "plugin.video.fuzz").read_text()
    figures.add(TOOL_CASES)


GOOD_ZIP = addon_zip("2.0.0")


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(GOOD_ZIP) - 1), st.integers(1, 255)), min_size=1, max_size=4),
       cut=st.none() | st.integers(0, len(GOOD_ZIP)))  # fmt: skip
def test_a_damaged_zip_installs_or_is_refused_and_the_old_version_stays(
    fuzz_home, tmp_path_factory, figures, flips, cut
) -> None:
    data = bytearray(GOOD_ZIP)
    for at, mask in flips:
        data[at] ^= mask
    folder = tmp_path_factory.mktemp("zip")
    path = folder / "damaged.zip"
    path.write_bytes(bytes(data[:cut] if cut is not None else data))
    installed = fuzz_home.addons_dir / "plugin.video.fuzz"
    before = {p.relative_to(installed): p.read_bytes() for p in installed.rglob("*") if p.is_file()}
    outside = sorted(p.name for p in fuzz_home.addons_dir.iterdir())
    try:
        install_zip(fuzz_home, path)
    except InstallError:
        after = {p.relative_to(installed): p.read_bytes() for p in installed.rglob("*") if p.is_file()}
        assert after == before
    assert sorted(p.name for p in fuzz_home.addons_dir.iterdir()) == outside  # no staging folder left
    assert sorted(p.name for p in folder.iterdir()) == ["damaged.zip"]
    figures.add(TOOL_CASES)
