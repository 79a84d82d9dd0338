"""RealKodi: Debian's Kodi (20 here, 21 from a trixie root) under Xvfb, driven over one JSON-RPC connection."""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fake_kodi.real import logs
from fake_kodi.real.addon_zip import addon_id_of_zip
from fake_kodi.real.dialog_answers import Step, answer_steps
from fake_kodi.real.eventclient import EventClient
from fake_kodi.real.home import (
    HELPER_ADDON_ID,
    REQUESTS_ADDON_ID,
    KodiHome,
    prepare_home,
    write_addon_user_settings,
)
from fake_kodi.real.install import HOST_VERSION, KodiInstall, ensure_kodi
from fake_kodi.real.jsonrpc import JsonRpcClient, JsonRpcError
from fake_kodi.real.processes import (
    peak_rss_kib,
    process_cpu_seconds,
    program_pid,
    remove_mountpoint,
    start_kodi,
    start_xvfb,
    stop_process,
)
from fake_kodi.real.screenshot import capture_framebuffer
from fake_kodi.real.sockets import InetSocket, process_sockets, process_tree

# What Files.GetDirectory returns per item when asked; enough to compare items with the fake's.
ITEM_PROPERTIES = (
    "title", "file", "playcount", "uniqueid", "resume", "art", "year", "imdbnumber", "customproperties",
    "season", "episode", "showtitle", "plot", "genre", "duration", "premiered", "rating", "mpaa",
    "lastplayed", "dateadded", "originaltitle", "tagline", "studio", "votes",
)  # fmt: skip
_ABSENT = object()
# Dialog windows that open without blocking a plugin: toasts and busy/volume bars. The event client's first
# packet itself pops a DialogNotification ("Incoming connection"), which must not be taken for the dialog
# a route opened (an answer sent then lands on the closing dialog and Kodi drops it).
NON_MODAL_DIALOGS = frozenset(
    ("DialogNotification", "DialogBusy", "DialogBusyNoCancel", "DialogExtendedProgressBar", "DialogVolumeBar",
     "DialogSeekBar", "DialogKaiToast")
)  # fmt: skip
T = TypeVar("T")


class RealKodiError(RuntimeError):
    """Something in real Kodi went wrong; the message ends with the tail of kodi.log."""


@dataclass
class QuitReport:
    """How Kodi stopped: clean quit or killed, and the scripts Kodi itself had to kill."""

    seconds: float
    killed: bool
    exit_code: int | None
    killed_scripts: list[str]


@dataclass
class Measurements:
    """Figures for the issue note: install, start, directory round trips, peak RSS, Kodi's CPU time."""

    install_seconds: float = 0.0
    start_seconds: float = 0.0
    directory_seconds: list[float] = field(default_factory=list)
    peak_rss_kib: int | None = None
    cpu_seconds: float | None = None


class RealKodi:
    """Start Kodi in a fresh home under `home`, drive it, stop it: `with RealKodi(tmp_path) as kodi: ...`.

    `install` says which Kodi (ensure_kodi(version=20|21)); without one, `version` picks it (default 20).

    `preinstall` zips are unpacked before Kodi starts and enabled once it answers: only add-ons Kodi finds at
    start get their strings.po loaded (install_zip() on a running Kodi gives '' from getLocalizedString).
    `user_settings` ({addon_id: {setting_id: text}}) become addon_data/<id>/settings.xml before start, so a
    service sees them on its first run.
    """

    def __init__(
        self,
        home: Path,
        *,
        install: KodiInstall | None = None,
        version: int | None = None,
        debug_log: bool = True,
        start_timeout: float = 60.0,
        request_timeout: float = 30.0,
        quit_timeout: float = 20.0,
        preinstall: Sequence[Path] = (),
        user_settings: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        # Absolute: a Kodi in a root gets this folder bind-mounted at the same path.
        self.home = Path(home).resolve()
        self.preinstall = [Path(zip_path) for zip_path in preinstall]
        self.user_settings = {key: dict(values) for key, values in (user_settings or {}).items()}
        self.debug_log = debug_log
        self.start_timeout = start_timeout
        self.request_timeout = request_timeout
        self.quit_timeout = quit_timeout
        self.measurements = Measurements()
        if install is not None and version is not None and install.version != version:
            raise ValueError(f"install is Kodi {install.version}, not {version}")
        self._install = install
        self._version = version
        self._kodi_home: KodiHome | None = None
        self._xvfb = self._kodi = None
        self._client: JsonRpcClient | None = None
        self._events: EventClient | None = None
        self.quit_report: QuitReport | None = None
        # Where kodi.log stood just before the support and preinstalled add-ons were enabled (their services start).
        self.enabled_log_mark = 0

    # ----- lifecycle -----------------------------------------------------------------------------------
    def __enter__(self) -> RealKodi:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def paths(self) -> KodiHome:
        """Paths and ports of this Kodi's home (after start)."""
        if self._kodi_home is None:
            raise RealKodiError("Kodi has not been started")
        return self._kodi_home

    def start(self) -> None:
        """Install if needed, prepare the home, start Xvfb and Kodi, wait for JSON-RPC, enable support add-ons."""
        if self._install is None:
            self._install = ensure_kodi(version=self._version or HOST_VERSION)
        install = self._install
        self.measurements.install_seconds = install.install_seconds
        self.home.mkdir(parents=True, exist_ok=True)
        self._kodi_home = prepare_home(
            self.home,
            self.home / "kodi-screenshots",
            debug_log=self.debug_log,
            requests_dir=install.host_path(install.requests_dir),
        )
        preinstalled = [self._unpack(zip_path) for zip_path in self.preinstall]
        for addon_id, values in self.user_settings.items():
            write_addon_user_settings(self._kodi_home.userdata, addon_id, values)
        started = time.monotonic()
        try:
            self._xvfb, display = start_xvfb(
                install.xvfb_bin, self.home / "xvfb.log", self._fbdir, root=install.root, home=self.home
            )
            self._kodi = start_kodi(
                install.kodi_bin, self.home, display, self.home / "kodi-stdout.log", root=install.root
            )
            self._client = self._connect(started + self.start_timeout)
            self._check_it_is_our_kodi()
            self.measurements.start_seconds = time.monotonic() - started
            self._dismiss_startup_prompts()
            self.enabled_log_mark = self.log_mark()
            for addon_id in (REQUESTS_ADDON_ID, HELPER_ADDON_ID, *preinstalled):
                self.enable_addon(addon_id)
        except BaseException:
            self._kill_everything()
            raise

    @property
    def install(self) -> KodiInstall:
        """Which Kodi this is (version, root, package version); known once started."""
        if self._install is None:
            raise RealKodiError("Kodi has not been started")
        return self._install

    @property
    def version(self) -> int:
        """The Kodi major version driven: 20 or 21."""
        return self.install.version

    @property
    def running(self) -> bool:
        """Whether kodi.bin is still running."""
        return self._kodi is not None and self._kodi.poll() is None

    @property
    def pid(self) -> int | None:
        """kodi.bin's pid as this machine sees it; None when not running."""
        return program_pid(self._kodi) if self.running else None

    def cpu_seconds(self) -> float | None:
        """CPU time kodi.bin (all its threads, rendering included) has used so far; None when not running."""
        pid = self.pid
        return process_cpu_seconds(pid) if pid is not None else None

    def sockets(self) -> list[InetSocket]:
        """The TCP and UDP sockets Kodi and Xvfb (and any children of theirs) hold right now."""
        pids = [
            pid
            for process in (self._kodi, self._xvfb)
            if process is not None and process.poll() is None
            for pid in process_tree(process.pid)
        ]
        return process_sockets(pids)

    def stop(self) -> QuitReport:
        """Quit Kodi (Application.Quit, then by pid after quit_timeout) and Xvfb; report how it went."""
        if self.quit_report is not None:
            return self.quit_report
        started = time.monotonic()
        killed, exit_code = False, None
        if self._kodi is not None:
            pid = program_pid(self._kodi)
            self.measurements.peak_rss_kib = peak_rss_kib(pid) if pid is not None else None
            self.measurements.cpu_seconds = self.cpu_seconds()
            if self._client is not None and self._kodi.poll() is None:
                try:
                    self._client.send("Application.Quit")
                except OSError:
                    pass  # the connection is gone; the pid is still there to stop
            killed = stop_process(self._kodi, self.quit_timeout)
            exit_code = self._kodi.returncode
        self._kill_everything()
        text = self.log_text()
        self.quit_report = QuitReport(
            time.monotonic() - started, killed, exit_code, logs.killed_scripts(text)
        )
        return self.quit_report

    def _kill_everything(self) -> None:
        for closer in (self._client, self._events):
            if closer is not None:
                try:
                    closer.close()
                except OSError:
                    pass
        self._client = self._events = None
        for process in (self._kodi, self._xvfb):
            if process is not None and process.poll() is None:
                stop_process(process, grace=0.0)
        if self._install is not None and self._install.root is not None:
            remove_mountpoint(self._install.root, self.home)

    @property
    def _fbdir(self) -> Path:
        return self.home / "xvfb-framebuffer"

    def _connect(self, deadline: float) -> JsonRpcClient:
        while True:
            if self._kodi is not None and self._kodi.poll() is not None:
                raise self._error(f"kodi.bin exited with {self._kodi.returncode} before JSON-RPC was ready")
            try:
                client = JsonRpcClient(self.paths.jsonrpc_port)
                if client.request("JSONRPC.Ping", timeout=5.0) == "pong":
                    return client
                client.close()
            except (OSError, JsonRpcError):
                pass
            if time.monotonic() > deadline:
                raise self._error(
                    f"no JSON-RPC answer on 127.0.0.1:{self.paths.jsonrpc_port} in {self.start_timeout:.0f} s"
                )
            time.sleep(0.1)

    def _check_it_is_our_kodi(self) -> None:
        # Another Kodi on this machine could own the port; only ours has this event-server port.
        answer = self.request("Settings.GetSettingValue", {"setting": "services.esport"})
        if answer.get("value") != self.paths.es_port:
            raise self._error(f"JSON-RPC port {self.paths.jsonrpc_port} answers for another Kodi ({answer})")

    def _dismiss_startup_prompts(self, quiet_seconds: float = 0.8) -> None:
        # Kodi asks "Would you like to enable this add-on?" for add-ons it finds unpacked at start, one dialog
        # after the other (the next opens ~50 ms after the previous closes); we enable them over JSON-RPC
        # instead, and an open modal dialog would also keep Kodi alive after Quit and hide the windows we show.
        modal = "System.HasActiveModalDialog | Window.IsVisible(yesnodialog)"
        quiet_since = time.monotonic()
        deadline = quiet_since + 15.0
        while time.monotonic() - quiet_since < quiet_seconds and time.monotonic() < deadline:
            if self.info_booleans(modal)[modal]:
                self.request("Input.Back")
                quiet_since = time.monotonic()
            time.sleep(0.05)

    # ----- JSON-RPC ------------------------------------------------------------------------------------
    def request(self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
        """Send one JSON-RPC request over the run's single connection and return its result."""
        if self._client is None:
            raise RealKodiError("Kodi is not running")
        return self._client.request(method, params, timeout or self.request_timeout)

    def info_labels(self, *labels: str) -> dict[str, str]:
        """XBMC.GetInfoLabels, e.g. info_labels("Window(Home).Property(key)")."""
        return self.request("XBMC.GetInfoLabels", {"labels": list(labels)})

    def info_booleans(self, *conditions: str) -> dict[str, bool]:
        """XBMC.GetInfoBooleans."""
        return self.request("XBMC.GetInfoBooleans", {"booleans": list(conditions)})

    def window_property(self, key: str) -> str:
        """A Home window (10000) property as the add-ons see it; '' when unset."""
        label = f"Window(Home).Property({key})"
        return self.info_labels(label)[label]

    def notify(self, sender: str, message: str, data: Any = _ABSENT) -> None:
        """JSONRPC.NotifyAll: services get onNotification(sender, 'Other.<message>', json(data))."""
        params: dict[str, Any] = {"sender": sender, "message": message}
        if data is not _ABSENT:
            params["data"] = data
        self.request("JSONRPC.NotifyAll", params)

    # ----- add-ons -------------------------------------------------------------------------------------
    def install_zip(self, zip_path: Path) -> str:
        """Unzip an add-on into a running Kodi, let Kodi find it and enable it; return its id.

        Kodi loads an add-on's strings.po only at start (or through its own zip installer, which JSON-RPC
        cannot reach), so getLocalizedString() answers '' here: use RealKodi(..., preinstall=[zip]) for that.
        """
        addon_id = self._unpack(zip_path)
        self.builtin("UpdateLocalAddons")
        self._wait(
            lambda: self._addon_known(addon_id), 15.0, f"Kodi to find {addon_id} after UpdateLocalAddons"
        )
        self.enable_addon(addon_id)
        return addon_id

    def _unpack(self, zip_path: Path) -> str:
        addon_id = addon_id_of_zip(zip_path)
        target = self.paths.addons_dir / addon_id
        if target.exists():
            shutil.rmtree(target)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(self.paths.addons_dir)
        return addon_id

    def enable_addon(self, addon_id: str) -> None:
        """Addons.SetAddonEnabled, then check it took (an incompatible add-on answers OK but stays off)."""
        self.request("Addons.SetAddonEnabled", {"addonid": addon_id, "enabled": True})
        details = self.request("Addons.GetAddonDetails", {"addonid": addon_id, "properties": ["enabled"]})
        if not details["addon"]["enabled"]:
            raise self._error(f"{addon_id} stayed disabled after Addons.SetAddonEnabled")

    def _addon_known(self, addon_id: str) -> bool:
        try:
            self.request("Addons.GetAddonDetails", {"addonid": addon_id})
        except JsonRpcError:
            return False
        return True

    # ----- plugin calls --------------------------------------------------------------------------------
    def run(
        self,
        url: str,
        properties: Sequence[str] = ITEM_PROPERTIES,
        answers: Sequence[str] = (),
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Run a plugin:// URL through Files.GetDirectory and return its result ({"files": [...], ...}).

        `answers` are for the modal dialogs the route opens, one per dialog, in the fake's syntax (`yesno=true`,
        `ok`, `select=1`; see dialog_answers.py) or as Kodi action names ("Select", "Back"); each is given once
        a new dialog window is up. They go over the event server because a plugin blocked on a dialog also
        blocks the JSON-RPC server.
        """
        params = {"directory": url, "media": "files", "properties": list(properties)}
        started = time.monotonic()
        try:
            result = self.request_answering("Files.GetDirectory", params, answers, timeout)
        except JsonRpcError as error:
            raise self._error(f"Files.GetDirectory {url} failed: {error.code} {error.message}") from error
        self.measurements.directory_seconds.append(time.monotonic() - started)
        return result

    def request_answering(
        self,
        method: str,
        params: dict[str, Any],
        answers: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Any:
        """Send a JSON-RPC request, answer the dialogs it opens (see run), then return its result."""
        if self._client is None:
            raise RealKodiError("Kodi is not running")
        timeout = timeout or self.request_timeout
        dialogs = answer_steps(answers)  # a typo fails here, before a plugin blocks on its dialog
        mark = self.log_mark()
        request_id = self._client.send(method, params)
        for steps in dialogs:
            mark = self._wait_for_dialog(mark, timeout)
            self._give_steps(steps)
        return self._client.wait_for_answer(method, request_id, timeout)

    def answer_dialog(self, action: str) -> None:
        """Send one Kodi action ("Select", "Back", "Down", "Left", ...) to whatever has focus."""
        if self._events is None:
            self._events = EventClient(self.paths.es_port)
        self._events.action(action)

    def _give_steps(self, steps: Sequence[Step]) -> None:
        if self._events is None:
            self._events = EventClient(self.paths.es_port)
        for step in steps:
            if step.kind == "builtin":
                self._events.builtin(step.text)
            else:
                self._events.action(step.text)
            # The event server queues packets, but a focus move must land before the next press reads it.
            time.sleep(0.1)

    def run_for_side_effects(self, url: str, timeout: float | None = None) -> None:
        """Run a plugin:// URL the way RunPlugin does (handle '-1') and wait until its script has finished."""
        self._require_debug_log("run_for_side_effects")
        mark = self.log_mark()
        self.builtin(f'RunPlugin("{url}")')  # quoted: a comma in the URL would split the parameter
        addon_id = url.removeprefix("plugin://").split("/", 1)[0].split("?", 1)[0]
        query = url.partition("?")[2]
        self._wait(
            lambda: logs.finished_plugin_run(self._log_since(mark), addon_id, query),
            timeout or self.request_timeout,
            f"RunPlugin({url}) to finish",
        )

    def _wait_for_dialog(self, mark: int, timeout: float) -> int:
        self._require_debug_log("answering dialogs")
        pattern = re.compile(r"------ Window Init \((Dialog\w+)\.xml\) ------")

        def dialog_up() -> int | None:
            text = self._log_bytes_since(mark)
            for found in pattern.finditer(text.decode("utf-8", errors="replace")):
                if found.group(1) not in NON_MODAL_DIALOGS:
                    return mark + len(text)
            return None

        return self._wait(dialog_up, timeout, "a modal dialog to open")

    # ----- builtins, settings (through the helper script add-on) ---------------------------------------
    def builtin(self, command: str, timeout: float | None = None) -> None:
        """Run a Kodi builtin with xbmc.executebuiltin(command, wait=True) inside Kodi."""
        self._helper("builtin", [command], timeout)

    def get_setting(self, addon_id: str, setting_id: str) -> str:
        """xbmcaddon.Addon(addon_id).getSetting(setting_id) inside the running Kodi."""
        return self._helper("get_setting", [addon_id, setting_id])

    def set_setting(self, addon_id: str, setting_id: str, value: str) -> None:
        """xbmcaddon.Addon(addon_id).setSetting(...) inside Kodi: saved at once, service gets onSettingsChanged."""
        self._helper("set_setting", [addon_id, setting_id, value])

    def _helper(self, command: str, args: list[str], timeout: float | None = None) -> Any:
        # Addons.ExecuteAddon returns once the script is dispatched; its answer file says when it is done.
        token = uuid.uuid4().hex
        # Hex, because Kodi splits builtin parameters on commas and drops quotes on the way to argv.
        payload = json.dumps({"command": command, "args": args}).encode("utf-8").hex()
        self.request(
            "Addons.ExecuteAddon", {"addonid": HELPER_ADDON_ID, "params": [token, payload], "wait": False}
        )
        answer_file = self.paths.helper_results / f"{token}.json"
        self._wait(answer_file.exists, timeout or self.request_timeout, f"the helper to run {command} {args}")
        answer = json.loads(answer_file.read_text(encoding="utf-8"))
        answer_file.unlink()
        if not answer["ok"]:
            raise self._error(f"helper {command} {args} failed: {answer['error']}")
        return answer["value"]

    # ----- log and pictures ----------------------------------------------------------------------------
    def log_text(self) -> str:
        """The whole kodi.log so far."""
        path = self.paths.log_path
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def log_mark(self) -> int:
        """A position in kodi.log; pass it to python_tracebacks(since=...) to look only at what follows."""
        path = self.paths.log_path
        return path.stat().st_size if path.exists() else 0

    def log_since(self, mark: int) -> str:
        """kodi.log from a log_mark() on."""
        return self._log_since(mark)

    def python_tracebacks(self, since: int = 0) -> list[str]:
        """Python error reports in kodi.log (after the `since` mark); any of them fails a run."""
        return logs.python_tracebacks(self._log_since(since))

    def screenshot(self, target: Path) -> Path:
        """Save what the X display shows now as a PNG (from Xvfb's framebuffer, so it works mid-dialog)."""
        colours = capture_framebuffer(self._fbdir, Path(target))
        if colours < 2:
            raise self._error(f"screenshot {target} is blank (one colour)")
        return Path(target)

    def _log_bytes_since(self, mark: int) -> bytes:
        path = self.paths.log_path
        if not path.exists():
            return b""
        with path.open("rb") as handle:
            handle.seek(mark)
            return handle.read()

    def _log_since(self, mark: int) -> str:
        return self._log_bytes_since(mark).decode("utf-8", errors="replace")

    def _require_debug_log(self, what: str) -> None:
        if not self.debug_log:
            raise RealKodiError(f"{what} reads Kodi's debug log: start RealKodi with debug_log=True")

    def _wait(self, condition: Callable[[], T], timeout: float, what: str) -> T:
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise self._error(f"timed out after {timeout:.0f} s waiting for {what}")
            if self._kodi is not None and self._kodi.poll() is not None:
                raise self._error(f"kodi.bin exited with {self._kodi.returncode} while waiting for {what}")
            time.sleep(0.05)

    def _error(self, message: str) -> RealKodiError:
        tail = logs.log_tail(self.log_text()) if self._kodi_home is not None else ""
        return RealKodiError(f"{message}\n--- kodi.log (last lines) ---\n{tail}")
