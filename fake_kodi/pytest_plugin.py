"""pytest plugin (entry point `pytest11`): a fresh fake Kodi per test, plus an add-on zip builder.

Example (tests/test_my_addon.py of any Kodi add-on project):

    def test_root_lists_two_folders(kodi, addon_zip, module_addon_zips):
        # folder next to the tests, zipped; its <requires> script.module.requests built from pip's requests
        kodi.install(addon_zip("plugin.video.mine"), dependencies=module_addon_zips("requests"))
        result = kodi.run("plugin://plugin.video.mine/")
        assert result.status == "directory"
        assert result.labels == ["Movies", "Shows"]

    def test_service_survives_a_wake(kodi, addon_zip):
        kodi.install(addon_zip("plugin.video.mine"))
        service = kodi.service("plugin.video.mine", virtual_seconds=3600, events=["600:wake"])
        assert service.ok, service.log

Fixtures: `kodi` (a `fake_kodi.kodi.Kodi` in tmp_path, Kodi 20; `--fake-kodi-version 21` for
21), `kodi_home` (its folder) and `addon_zip(source)` (zips an add-on source folder, given as
a path or a folder name under `--fake-kodi-addons` / the test's directory, the way Kodi wants
it: one top-level folder named after the id, no __pycache__ or .pyc) and `module_addon_zips(*dists)`
(session-cached `script.module.*` zips built from the named pip distributions and what they require,
for `kodi.install(..., dependencies=...)`: add-ons import nothing from the test's virtualenv).

What the `kodi` fixture enforces, as vcrpy/pytest-recording users expect:
- The add-on's interpreters (plugin calls, the service, `call`) reach no network but loopback:
  a connection elsewhere raises NetworkBlockedError in the add-on and fails the test, even when the
  add-on caught it. `@pytest.mark.kodi_allow_network` (everything) or
  `@pytest.mark.kodi_allow_network("api.example.org", "10.0.0.5:8080")`, `kodi.allow_network(...)`,
  or `--kodi-allow-network` for the whole run switch it off.
- A plugin call that raised fails the test (AddonRaisedError with the add-on's traceback) unless
  the test says it expects it: `kodi.run(url, expect_error=True)` or `@pytest.mark.kodi_expect_error`.

This module imports only pytest at load: every pytest run of a project that has the harness
installed loads it, so fake_kodi's runtime, vcrpy, yaml and requests are imported by the
fixtures that need them (tests/package_lane/test_plugin_import.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The Trakt simulator and cassette fixtures (trakt_sim, trakt_cassette, trakt_replay_server,
# trakt_vcr) ship in the same plugin, so one install gives an add-on project both halves.
pytest_plugins = ["trakt_cassettes.pytest_fixtures"]

MARKERS = (
    "kodi_allow_network(*hosts): the add-on may reach these HOST[:PORT] (none given: any host)",
    "kodi_expect_error: plugin calls of this test may raise without failing it",
)


def __getattr__(name: str) -> Any:
    # Kept importable from here (older tests use them) without loading them at plugin load.
    if name in ("build_addon_zip", "EXCLUDED_PARTS"):
        from fake_kodi.host import addon_folder

        return getattr(addon_folder, name)
    raise AttributeError(name)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake_kodi")
    group.addoption(
        "--fake-kodi-version",
        type=int,
        choices=(20, 21),
        default=20,
        help="Kodi version the `kodi` fixture emulates",
    )
    group.addoption(
        "--fake-kodi-addons", default=None, help="folder holding add-on source folders for `addon_zip`"
    )
    group.addoption(
        "--kodi-allow-network",
        action="store_true",
        default=False,
        help="let add-ons under test reach any host (the `kodi` fixture blocks all but loopback)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


@pytest.fixture(scope="session")
def module_addon_zips(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., list[Path]]:
    """A function: pip distribution names -> their script.module.* add-on zips (built once a session)."""
    from fake_kodi.module_addon import module_addon_zips as build

    out_dir = tmp_path_factory.mktemp("module-addons")
    built: dict[tuple[str, ...], list[Path]] = {}

    def make(*names: str) -> list[Path]:
        if names not in built:
            built[names] = build(*names, out_dir=out_dir)
        return list(built[names])

    return make


@pytest.fixture
def kodi_home(tmp_path: Path) -> Path:
    """The folder of the `kodi` fixture's home (special://home)."""
    return tmp_path / "kodi"


@pytest.fixture
def kodi(kodi_home: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh fake Kodi (home in tmp_path) with install/run/service/start_service/call."""
    from fake_kodi.kodi import Kodi

    expect_error = request.node.get_closest_marker("kodi_expect_error") is not None
    with Kodi(
        kodi_home,
        kodi_version=request.config.getoption("--fake-kodi-version"),
        fail_on_exception=not expect_error,
    ) as fake:
        allowed = request.node.get_closest_marker("kodi_allow_network")
        blocking = not request.config.getoption("--kodi-allow-network") and not (
            allowed is not None and not allowed.args
        )
        if blocking:
            fake.block_network(*(allowed.args if allowed is not None else ()))
        yield fake  # services a test left running are aborted at teardown
    blocked = fake.blocked_connections() if blocking else []
    if blocked:
        where = ", ".join(f"{entry['host']}:{entry['port']} ({entry['mode']})" for entry in blocked)
        pytest.fail(
            f"the add-on tried to reach the network: {where}; allow it with "
            "@pytest.mark.kodi_allow_network(HOST) if the test means it",
            pytrace=False,
        )


@pytest.fixture
def addon_zip(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str | Path], Path]:
    """A function: add-on source folder (path or name) -> zip in tmp_path ready for kodi.install()."""
    from fake_kodi.host.addon_folder import build_addon_zip

    configured = request.config.getoption("--fake-kodi-addons")
    search = [Path(configured)] if configured else []
    search.append(Path(str(request.node.fspath)).parent)

    def make(source: str | Path) -> Path:
        candidate = Path(source)
        if not candidate.is_absolute() and not candidate.exists():
            found = [base / candidate for base in search if (base / candidate / "addon.xml").is_file()]
            candidate = found[0] if found else candidate
        return build_addon_zip(candidate, tmp_path / "zips")

    return make
