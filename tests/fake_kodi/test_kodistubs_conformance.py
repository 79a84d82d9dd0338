"""fake_kodi's Kodi API surface against Kodistubs 21.0.0: every public name, kind, signature, value.

Kodistubs is loaded by file path under other module names so it can never shadow the fake; our
modules are loaded by file path too. Run with KODISTUBS_DIR (tox installs Kodistubs there) or let
the test pip-install it into a temporary folder.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

KODI_API_DIR = Path(__file__).resolve().parents[2] / "fake_kodi" / "addon_side" / "kodi_api"
MODULES = ["xbmc", "xbmcaddon", "xbmcgui", "xbmcplugin", "xbmcvfs", "xbmcdrm"]
KODISTUBS_VERSION = "21.0.0"

# Reviewed deviations: public names of Kodistubs that are not Kodi's API (name -> reason).
IGNORED_STUB_NAMES = {
    "Union": "typing import of the stub file, not part of Kodi's module",
    "List": "typing import of the stub file, not part of Kodi's module",
    "Dict": "typing import of the stub file, not part of Kodi's module",
    "Tuple": "typing import of the stub file, not part of Kodi's module",
    "Optional": "typing import of the stub file, not part of Kodi's module",
}
# Reviewed deviations of single members ("module.Class.member" -> reason). Empty: none needed so far.
ALLOWED_MEMBER_DEVIATIONS: dict[str, str] = {}

# What a video add-on uses: each of these must have real behaviour (issue 2, item 1).
VIDEO_ADDON_SURFACE = [
    "xbmcaddon.Addon", "xbmcaddon.Addon.getSetting", "xbmcaddon.Addon.getSettingBool",
    "xbmcaddon.Addon.getSettingInt", "xbmcaddon.Addon.getSettingNumber", "xbmcaddon.Addon.getSettingString",
    "xbmcaddon.Addon.setSetting", "xbmcaddon.Addon.setSettingBool", "xbmcaddon.Addon.setSettingInt",
    "xbmcaddon.Addon.setSettingNumber", "xbmcaddon.Addon.setSettingString", "xbmcaddon.Addon.getAddonInfo",
    "xbmcaddon.Addon.getLocalizedString", "xbmcaddon.Addon.getSettings", "xbmcaddon.Settings.getBool",
    "xbmcaddon.Settings.getStringList", "xbmcaddon.Settings.setString", "xbmcaddon.Settings.setStringList",
    "xbmc.log", "xbmc.sleep", "xbmc.executebuiltin", "xbmc.executeJSONRPC", "xbmc.getCondVisibility",
    "xbmc.getInfoLabel", "xbmc.getLocalizedString", "xbmc.getSkinDir", "xbmc.getLanguage",
    "xbmc.Monitor", "xbmc.Monitor.waitForAbort", "xbmc.Monitor.abortRequested", "xbmc.Monitor.onSettingsChanged",
    "xbmc.Monitor.onNotification", "xbmc.Player", "xbmc.Player.play", "xbmc.Player.stop", "xbmc.Player.isPlaying",
    "xbmc.Player.getTime", "xbmc.Player.getTotalTime", "xbmc.Player.seekTime", "xbmc.Player.getPlayingFile",
    "xbmc.Keyboard", "xbmc.Keyboard.doModal", "xbmc.Keyboard.getText", "xbmc.Keyboard.isConfirmed",
    "xbmc.InfoTagVideo", "xbmc.InfoTagVideo.setTitle", "xbmc.InfoTagVideo.setYear",
    "xbmc.InfoTagVideo.setPlaycount", "xbmc.InfoTagVideo.setUniqueIDs", "xbmc.InfoTagVideo.setResumePoint",
    "xbmc.InfoTagVideo.setMediaType", "xbmc.InfoTagVideo.getTitle", "xbmc.InfoTagVideo.getYear",
    "xbmcgui.ListItem", "xbmcgui.ListItem.setLabel", "xbmcgui.ListItem.setArt", "xbmcgui.ListItem.setProperty",
    "xbmcgui.ListItem.getProperty", "xbmcgui.ListItem.setPath", "xbmcgui.ListItem.addContextMenuItems",
    "xbmcgui.ListItem.setInfo", "xbmcgui.ListItem.getVideoInfoTag", "xbmcgui.Dialog.ok", "xbmcgui.Dialog.yesno",
    "xbmcgui.Dialog.yesnocustom", "xbmcgui.Dialog.select", "xbmcgui.Dialog.multiselect",
    "xbmcgui.Dialog.contextmenu", "xbmcgui.Dialog.input", "xbmcgui.Dialog.numeric", "xbmcgui.Dialog.browse",
    "xbmcgui.Dialog.browseSingle", "xbmcgui.Dialog.browseMultiple", "xbmcgui.Dialog.textviewer",
    "xbmcgui.Dialog.notification", "xbmcgui.DialogProgress.create", "xbmcgui.DialogProgress.update",
    "xbmcgui.DialogProgress.iscanceled", "xbmcgui.DialogProgress.close", "xbmcgui.DialogProgressBG.create",
    "xbmcgui.DialogProgressBG.update", "xbmcgui.DialogProgressBG.close", "xbmcgui.Window",
    "xbmcgui.Window.setProperty", "xbmcgui.Window.getProperty", "xbmcgui.Window.clearProperty",
    "xbmcgui.WindowXMLDialog", "xbmcgui.WindowXMLDialog.setProperty", "xbmcplugin.addDirectoryItem",
    "xbmcplugin.addDirectoryItems", "xbmcplugin.endOfDirectory", "xbmcplugin.setResolvedUrl",
    "xbmcplugin.setContent", "xbmcplugin.addSortMethod", "xbmcplugin.setPluginCategory", "xbmcvfs.File",
    "xbmcvfs.File.read", "xbmcvfs.File.write", "xbmcvfs.File.size", "xbmcvfs.File.seek", "xbmcvfs.exists",
    "xbmcvfs.mkdir", "xbmcvfs.mkdirs", "xbmcvfs.rmdir", "xbmcvfs.delete", "xbmcvfs.rename", "xbmcvfs.copy",
    "xbmcvfs.listdir", "xbmcvfs.Stat", "xbmcvfs.translatePath", "xbmcvfs.makeLegalFilename", "xbmcvfs.validatePath",
]  # fmt: skip


def _load(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stubs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("KODISTUBS_DIR")
    if configured and (Path(configured) / "xbmc.py").exists():
        return Path(configured)
    target = tmp_path_factory.mktemp("kodistubs")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
         "--target", str(target), f"kodistubs=={KODISTUBS_VERSION}"],
        check=True,
    )  # fmt: skip
    return target


@pytest.fixture(scope="module")
def surfaces(stubs_dir: Path) -> dict[str, tuple[types.ModuleType, types.ModuleType]]:
    """{module name: (kodistubs module, fake module)}, both loaded under private names."""
    sys.path.insert(0, str(KODI_API_DIR))
    before = set(sys.modules)
    try:
        pairs = {}
        for name in MODULES:
            stub = _load(stubs_dir / f"{name}.py", f"_kodistubs_{name}")
            fake = _load(KODI_API_DIR / f"{name}.py", f"_fake_kodi_api_{name}")
            pairs[name] = (stub, fake)
        yield pairs
    finally:
        sys.path.remove(str(KODI_API_DIR))
        for added in set(sys.modules) - before:
            if added.startswith("_fk_") or added.startswith(("_kodistubs_", "_fake_kodi_api_")):
                del sys.modules[added]


def _public(module: types.ModuleType) -> dict[str, object]:
    return {
        name: value
        for name, value in vars(module).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name not in IGNORED_STUB_NAMES
    }


def _kind(value: object) -> str:
    if inspect.isclass(value):
        return "class"
    if callable(value):
        return "function"
    return "constant"


def _params(func: object) -> list[tuple[str, str, object]]:
    return [
        (p.name, p.kind.name, "<none>" if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(func).parameters.values()
    ]


def _members(cls: type) -> dict[str, object]:
    """Public methods (and __init__) visible on `cls`, inherited ones included, object's excluded."""
    found = {}
    for klass in reversed(cls.__mro__[:-1]):
        for name, value in vars(klass).items():
            if (name == "__init__" or not name.startswith("_")) and callable(value):
                found[name] = getattr(cls, name)
    return found


def _differences(name: str, stub: object, fake: object) -> list[str]:
    problems = []
    if _kind(stub) != _kind(fake):
        return [f"{name}: kind {_kind(fake)} != Kodistubs {_kind(stub)}"]
    if _kind(stub) == "constant":
        if type(stub) is not type(fake) or stub != fake:
            problems.append(f"{name}: value {fake!r} != Kodistubs {stub!r}")
    elif _kind(stub) == "function":
        if _params(stub) != _params(fake):
            problems.append(f"{name}: signature {_params(fake)} != Kodistubs {_params(stub)}")
    else:
        stub_bases = [b.__name__ for b in stub.__bases__]
        fake_bases = [b.__name__ for b in fake.__bases__]
        if stub_bases != fake_bases:
            problems.append(f"{name}: bases {fake_bases} != Kodistubs {stub_bases}")
        stub_members, fake_members = _members(stub), _members(fake)
        for member in sorted(set(stub_members) | set(fake_members)):
            key = f"{name}.{member}"
            if key in ALLOWED_MEMBER_DEVIATIONS:
                continue
            if member not in fake_members:
                problems.append(f"{key}: missing")
            elif member not in stub_members:
                problems.append(f"{key}: not in Kodistubs")
            elif _params(stub_members[member]) != _params(fake_members[member]):
                problems.append(
                    f"{key}: signature {_params(fake_members[member])} != Kodistubs {_params(stub_members[member])}"
                )
    return problems


@pytest.mark.parametrize("module_name", MODULES)
def test_public_names_match_kodistubs(surfaces, module_name: str) -> None:
    stub, fake = surfaces[module_name]
    stub_names, fake_names = set(_public(stub)), set(_public(fake))
    assert sorted(stub_names - fake_names) == [], "names missing from fake_kodi"
    assert sorted(fake_names - stub_names) == [], "public names that Kodi does not have"


@pytest.mark.parametrize("module_name", MODULES)
def test_kinds_signatures_values_and_methods_match_kodistubs(surfaces, module_name: str) -> None:
    stub, fake = surfaces[module_name]
    fake_public = _public(fake)
    problems = []
    for name, value in sorted(_public(stub).items()):
        if name in fake_public:
            problems += _differences(f"{module_name}.{name}", value, fake_public[name])
    assert problems == []


def _surface(surfaces) -> dict[str, bool]:
    """Every callable of the fake surface ('module.name' / 'module.Class.method') -> emulated?"""
    result = {}
    for module_name, (_, fake) in surfaces.items():
        for name, value in _public(fake).items():
            if _kind(value) == "constant":
                continue
            class_emulated = getattr(value, "__fake_kodi_emulated__", True)
            result[f"{module_name}.{name}"] = class_emulated
            if inspect.isclass(value):
                for member, method in _members(value).items():
                    if member != "__init__":
                        emulated = class_emulated and getattr(method, "__fake_kodi_emulated__", True)
                        result[f"{module_name}.{name}.{member}"] = emulated
    return result


def test_video_addon_surface_has_real_behaviour(surfaces) -> None:
    surface = _surface(surfaces)
    emulated = sum(surface.values())
    print(
        f"\nfake_kodi emulates {emulated} of {len(surface)} Kodi API callables ({100 * emulated / len(surface):.0f}%)"
    )
    assert [name for name in VIDEO_ADDON_SURFACE if not surface.get(name, False)] == []


def test_not_emulated_names_raise_naming_the_api(surfaces) -> None:
    xbmcgui = surfaces["xbmcgui"][1]
    with pytest.raises(NotImplementedError, match=r"^xbmcgui\.ControlButton is not emulated by fake_kodi$"):
        xbmcgui.ControlButton(0, 0, 10, 10, "label")


def test_api_modules_import_fast_and_light() -> None:
    code = (
        "import sys, time; t = time.perf_counter();"
        "import xbmc, xbmcaddon, xbmcgui, xbmcplugin, xbmcvfs, xbmcdrm;"
        "print(round((time.perf_counter() - t) * 1000, 1));"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('yaml', 'requests', 'sqlite3', 'vcr', 'jsonschema', 'sqlite_utils', 'urllib3', 'xml'))))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(KODI_API_DIR), str(KODI_API_DIR.parents[2])])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    import_ms, heavy = (out.stdout.splitlines() + [""])[:2]
    print(f"\nimporting the six fake Kodi modules took {import_ms} ms")
    assert heavy == ""
