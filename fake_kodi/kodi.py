"""`Kodi`: one fake Kodi home and everything a test or the CLI does with it.

kodi = Kodi(tmp_path / "kodi")
kodi.install("dist/plugin.video.example.zip", dependencies=module_addon_zips("requests"))
result = kodi.run("plugin://plugin.video.example/", answers=["yesno=true"])
assert result.status == "directory"
service = kodi.service("plugin.video.example", virtual_seconds=3600, events=["600:wake"])
assert service.ok
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fake_kodi.addon_side.dialogs import Answer
from fake_kodi.home.clock import VirtualClock, clock_path, read_epoch
from fake_kodi.home.kodi_home import KodiHome
from fake_kodi.host.call import call_function
from fake_kodi.host.plugin_runner import installed_manifest, run_plugin
from fake_kodi.host.results import PluginResult, ServiceResult
from fake_kodi.host.service_driver import ServiceProcess, run_service

HOME_WINDOW = 10000


class AddonRaisedError(AssertionError):
    """A plugin call raised although the test did not say it expects that (or did not raise although it did).

    An AssertionError, so pytest reports it as a failed check, with the add-on's traceback.
    """


class KodiClock:
    """The virtual clock of a home, as a test sees it (`kodi.clock.set(...)`, `.advance(...)`)."""

    def __init__(self, home: KodiHome):
        self.path = clock_path(home.state_dir)
        self.on_advance: Any = None

    @property
    def virtual(self) -> bool:
        """True once the home has a virtual clock (plugin calls then see virtual time)."""
        return read_epoch(self.path) is not None

    def now(self) -> float | None:
        """The virtual now, or None when the home runs on real time."""
        return read_epoch(self.path)

    def set(self, epoch: float) -> float:
        """Start (or move) the virtual clock at `epoch` seconds."""
        VirtualClock(self.path).set(epoch)
        return float(epoch)

    def advance(self, seconds: float) -> float:
        """Move the virtual clock forward (not while a service runs: use ServiceProcess.advance)."""
        if self.on_advance is not None:
            self.on_advance(seconds)
        # Locked like a plugin call's wait, so a plugin call waiting meanwhile is not lost.
        return VirtualClock(self.path, persist=False).advance_shared(seconds)


class Kodi:
    """A fake Kodi on disk: install zips, run plugin:// calls, run services, call add-on functions."""

    def __init__(
        self,
        home: str | Path,
        kodi_version: int = 20,
        *,
        system_packages: bool | None = None,
        language_addon: str | Path | None = None,
        fail_on_exception: bool = False,
    ):
        """`system_packages=True`: Debian's Kodi, the interpreter's site-packages importable by add-ons
        (False: only the standard library and declared dependencies, the default; None: keep the
        home's stored choice). `language_addon`: a resource.language.* folder for Kodi's own strings.
        `fail_on_exception`: a plugin call that raised raises AddonRaisedError (the pytest plugin's choice).
        """
        self.home = KodiHome(home, kodi_version).create()
        self.clock = KodiClock(self.home)
        # The pytest plugin turns this on: a plugin call that raised fails the test unless expected.
        self.fail_on_exception = fail_on_exception
        # What was driven, as trakt_cassettes steps (addon_steps.py): a cassette recorded by the
        # pytest plugin keeps them as replay_steps, so `trakt-cassettes replay` re-runs the test's calls.
        # Steps have no form for a service's events or a start_service() driven by hand: those are not logged.
        self.steps: list[list[Any]] = []
        self.clock.on_advance = lambda seconds: self.steps.append(["wait", seconds])
        self._services: list[ServiceProcess] = []
        from fake_kodi.home.options import write_option

        if system_packages is not None:
            write_option(self.home.state_dir, "system_packages", bool(system_packages))
        if language_addon is not None:
            write_option(self.home.state_dir, "language_addon", str(Path(language_addon).resolve()))

    @property
    def kodi_version(self) -> int:
        return self.home.kodi_version

    def install(self, source: str | Path, dependencies: Iterable[str | Path] = ()) -> Any:
        """Install and enable an add-on zip or source folder, with the zips (or folders of zips) it depends on.

        All go in as one request, dependencies first, each `<requires>` checked as Kodi does; returns
        the AddonManifest of `source` (InstallError when refused, and then nothing is installed).
        """
        from fake_kodi.home.addons import InstallError, install_zips

        source = Path(source)
        if source.is_dir() and not (source / "addon.xml").is_file():
            raise InstallError(f"{source} is not an add-on folder (no addon.xml)")
        with tempfile.TemporaryDirectory(prefix="fake-kodi-zip-") as tmp:
            zip_path = self._as_zip(source, Path(tmp))
            manifests = install_zips(self.home, [zip_path, *dependencies])
            return next(m for m in manifests if m.id == _zip_root(zip_path))

    def install_many(self, sources: Iterable[str | Path]) -> list[Any]:
        """Install several zips, folders of zips or add-on source folders as one request, in dependency order."""
        from fake_kodi.home.addons import install_zips

        with tempfile.TemporaryDirectory(prefix="fake-kodi-zip-") as tmp:
            zips = [self._as_zip(Path(source), Path(tmp)) for source in sources]
            return install_zips(self.home, zips)

    @staticmethod
    def _as_zip(source: Path, tmp: Path) -> Path:
        """A zip as given; a folder of zips as given; an add-on source folder zipped the way Kodi wants it."""
        if not (source / "addon.xml").is_file():
            return source
        # A source folder goes through the same checks as a zip: zipped as Kodi wants it, then installed.
        from fake_kodi.host.addon_folder import build_addon_zip

        return build_addon_zip(source, tmp / f"src-{len(list(tmp.iterdir()))}")

    def enable(self, addon_id: str) -> Any:
        """Enable an add-on folder copied into addons/ by hand (Addons.SetAddonEnabled in Kodi).

        No `<requires>` refusal here, as in Kodi 20/21: a missing required dependency only logs
        `CAddonMgr: '<dep>' required by '<id>' is missing. Add-on may not function correctly`;
        returns the AddonManifest. Use install() for Kodi's zip-installer checks.
        """
        from fake_kodi.home.addons import enable_addon

        return enable_addon(self.home, addon_id)

    def installed(self) -> dict[str, Any]:
        """id -> AddonManifest of every installed add-on."""
        from fake_kodi.home.addons import load_installed

        return load_installed(self.home)

    def run(
        self,
        url: str,
        answers: Iterable[str | Answer] = (),
        debug_log: bool = False,
        *,
        strict: bool = True,
        follow_run_plugin: bool = False,
        expect_error: bool | None = None,
    ) -> PluginResult:
        """Run one plugin:// call in a fresh interpreter.

        `expect_error=True`: the call must raise (AddonRaisedError when it does not). Otherwise, with
        `fail_on_exception` on (the pytest plugin's `kodi`), a call that raised is AddonRaisedError.
        """
        self.steps.append(["run", url])
        result = run_plugin(
            self.home, url, answers, debug_log=debug_log, strict=strict, follow_run_plugin=follow_run_plugin
        )
        raised = result.status == "exception"
        if expect_error and not raised:
            raise AddonRaisedError(f"{url}: expected the call to raise, it ended as {result.status!r}")
        if raised and expect_error is None and self.fail_on_exception:
            error = result.error or {}
            raise AddonRaisedError(
                f"{url} raised {error.get('type')}: {error.get('message')} (pass expect_error=True or mark "
                f"the test @pytest.mark.kodi_expect_error if that is what it checks)\n{error.get('traceback', '')}"
            )
        return result

    def service(
        self,
        addon_id: str,
        virtual_seconds: float,
        events: Iterable[tuple[float, str, str | None] | str] = (),
        *,
        debug_log: bool = False,
    ) -> ServiceResult:
        """Run the add-on's service for `virtual_seconds` with events (`'600:wake'` or (600, 'wake', None)), then abort."""
        self.steps.append(["service", virtual_seconds])
        return run_service(self.home, addon_id, virtual_seconds, events, debug_log=debug_log)

    def start_service(self, addon_id: str, *, debug_log: bool = False) -> ServiceProcess:
        """Start the service and return it waiting in its first wait; drive it with advance()/abort()."""
        service = ServiceProcess(self.home, addon_id, debug_log=debug_log)
        self._services.append(service)
        service.start()
        return service

    def close(self) -> None:
        """Stop the services started with start_service that are still running (Kodi quitting)."""
        for service in self._services:
            if service.state in ("idle", "running"):
                service.abort()
            service.close()
        self._services.clear()

    def __enter__(self) -> Kodi:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def call(
        self,
        addon_id: str,
        target: str,
        args: Iterable[Any] | dict[str, Any] = (),
        *,
        debug_log: bool = False,
    ) -> Any:
        """Call 'module:function' of the add-on in a fresh interpreter; its JSON-ready return value."""
        self.steps.append(["call", target, args if isinstance(args, dict) else list(args)])
        return call_function(self.home, addon_id, target, args, debug_log=debug_log)

    # network ----------------------------------------------------------------------------
    def block_network(self, *allow: str) -> None:
        """From the next interpreter on, the add-on reaches only loopback and `allow` (HOST or HOST:PORT)."""
        from fake_kodi.home.network_policy import NetworkPolicy, write_policy

        write_policy(self.home.state_dir, NetworkPolicy(block=True, allow=list(allow)))

    def allow_network(self, *entries: str) -> None:
        """Let the add-on reach these HOST or HOST:PORT entries too (no effect while nothing is blocked)."""
        from fake_kodi.home.network_policy import read_policy, write_policy

        policy = read_policy(self.home.state_dir)
        policy.allow.extend(entry for entry in entries if entry not in policy.allow)
        write_policy(self.home.state_dir, policy)

    def unblock_network(self) -> None:
        """Interpreters started from now on may reach any host."""
        from fake_kodi.home.network_policy import NetworkPolicy, write_policy

        write_policy(self.home.state_dir, NetworkPolicy(block=False))

    def blocked_connections(self, clear: bool = False) -> list[dict]:
        """Every connection the guard refused so far: {addon_id, mode, host, port}; `clear` forgets them
        (a test that checks a refusal takes it, so the plugin's teardown check does not fail it)."""
        from fake_kodi.home.network_policy import BLOCKED_FILE, read_blocked

        blocked = read_blocked(self.home.state_dir)
        if clear:
            (self.home.state_dir / BLOCKED_FILE).unlink(missing_ok=True)
        return blocked

    # settings ---------------------------------------------------------------------------
    def set_settings(self, addon_id: str, **values: Any) -> None:
        """Set user settings as the settings dialog would (a running service gets onSettingsChanged)."""
        from fake_kodi.home.event_journal import EventJournal
        from fake_kodi.home.settings import AddonSettings

        manifest = installed_manifest(self.home, addon_id)
        settings = AddonSettings(self.home, manifest)
        for setting_id, value in values.items():
            settings.setSetting(setting_id, _setting_text(value))
            EventJournal(self.home.state_dir).append(
                {"type": "settings_saved", "addon_id": addon_id, "pid": 0}
            )

    def get_setting(self, addon_id: str, setting_id: str) -> str:
        """getSetting as the add-on would see it now (always a string)."""
        from fake_kodi.home.settings import AddonSettings

        return AddonSettings(self.home, installed_manifest(self.home, addon_id)).getSetting(setting_id)

    def settings(self, addon_id: str) -> dict[str, str]:
        """All settings of the add-on as strings (defaults and user values)."""
        from fake_kodi.home.settings import AddonSettings

        return AddonSettings(self.home, installed_manifest(self.home, addon_id)).values()

    # shared state and log -------------------------------------------------------------------
    def window_property(self, key: str, window_id: int = HOME_WINDOW) -> str:
        """Window(10000).getProperty(key) as every process of this home sees it."""
        from fake_kodi.home.shared_state import SharedState

        with SharedState(self.home) as shared:
            return shared.get_property(window_id, key)

    def set_window_property(self, key: str, value: str, window_id: int = HOME_WINDOW) -> None:
        """Window(10000).setProperty(key, value) ('' clears)."""
        from fake_kodi.home.shared_state import SharedState

        with SharedState(self.home) as shared:
            shared.set_property(window_id, key, value)

    def log_text(self) -> str:
        """The whole kodi.log of this home."""
        try:
            return self.home.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def notify_all(self, sender: str, message: str, data: Any = None) -> None:
        """JSONRPC.NotifyAll: a running service gets onNotification(sender, 'Other.<message>', data) in its next wait."""
        from fake_kodi.home.event_journal import EventJournal

        text = "null" if data is None else json.dumps(data, separators=(",", ":"))
        EventJournal(self.home.state_dir).append(
            {"type": "notify", "sender": sender, "method": f"Other.{message}", "data": text}
        )


def _zip_root(zip_path: Path) -> str:
    """The add-on id a zip holds (its one top-level folder); '' when it is a folder of zips."""
    import zipfile

    if zip_path.is_dir():
        return ""
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()[0].split("/", 1)[0]


def _setting_text(value: Any) -> str:
    # Kodi stores every setting as text; booleans the way Kodi writes them.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "|".join(str(item) for item in value)
    return str(value)
