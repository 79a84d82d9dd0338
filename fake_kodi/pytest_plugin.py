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
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fake_kodi.host.addon_folder import EXCLUDED_PARTS, build_addon_zip  # noqa: F401 - public here too
from fake_kodi.kodi import Kodi

# The Trakt simulator and cassette fixtures (trakt_sim, trakt_cassette, trakt_replay_server) ship
# in the same plugin, so one install gives an add-on project both halves of the harness.
pytest_plugins = ["trakt_cassettes.pytest_fixtures"]


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
def kodi(kodi_home: Path, request: pytest.FixtureRequest) -> Iterator[Kodi]:
    """A fresh fake Kodi (home in tmp_path) with install/run/service/start_service/call."""
    with Kodi(kodi_home, kodi_version=request.config.getoption("--fake-kodi-version")) as fake:
        yield fake  # services a test left running are aborted at teardown


@pytest.fixture
def addon_zip(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str | Path], Path]:
    """A function: add-on source folder (path or name) -> zip in tmp_path ready for kodi.install()."""
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
