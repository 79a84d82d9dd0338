"""The pattern add-ons, their routes (root and sub-folders, with the dialog answers each needs) and zips."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

ADDONS_DIR = Path(__file__).resolve().parent / "addons"
ROUTER_ID = "script.module.fkrouter"
# Not a pattern: the script the builtin/ExecuteAddon argv facts are measured with (tests/patterns/facts.py).
ARGS_SCRIPT_ID = "script.fkargs"
WINDOW_ID = "plugin.video.fkwindow"
# Every add-on of the corpus, dependencies first (Kodi must know the router before the plugin that needs it).
ADDON_IDS = (
    ROUTER_ID,
    "plugin.video.fkrouted",
    "plugin.video.fklibentry",
    WINDOW_ID,
    "plugin.video.fkjsonrpc",
    "plugin.video.fkfirstrun",
    "plugin.video.fkprops",
    "plugin.video.fkundeclared",
    "plugin.video.fkexit",
)

# The dependency cases (tests/patterns/facts.py UNPACKED_DEPENDENCIES): not in the fidelity corpus, since
# the fake's zip installer refuses two of them (as Kodi's does); they are unpacked by hand and enabled.
DEPENDENCY_IDS = (
    "script.module.fkdepold",
    "plugin.video.fkdepmissing",
    "plugin.video.fkdepold",
    "plugin.video.fkdepoptional",
)


@dataclass(frozen=True)
class PatternRoute:
    """One plugin call of the corpus: its pattern letter (the brief's a-h), URL and scripted dialog answers."""

    pattern: str
    url: str
    answers: tuple[str, ...] = ()


# In this order: the first-run route must come before the route that shows the setting it wrote, and
# fkwindow's echo page reads what its root page wrote.
ROUTES = (
    PatternRoute("a", "plugin://plugin.video.fkrouted/"),
    PatternRoute("a", "plugin://plugin.video.fkrouted/folder/alpha"),
    PatternRoute("a", "plugin://plugin.video.fkrouted/folder/beta%20gamma"),
    PatternRoute("b", "plugin://plugin.video.fklibentry/"),
    PatternRoute("b", "plugin://plugin.video.fklibentry/?menu=movies"),
    PatternRoute("b", "plugin://plugin.video.fklibentry/?menu=shows"),
    PatternRoute("c", "plugin://plugin.video.fkwindow/"),
    PatternRoute("c", "plugin://plugin.video.fkwindow/?page=echo"),
    PatternRoute("d", "plugin://plugin.video.fkjsonrpc/"),
    PatternRoute("d", "plugin://plugin.video.fkjsonrpc/?page=more"),
    PatternRoute("e", "plugin://plugin.video.fkfirstrun/", ("yesno=true", "ok")),
    PatternRoute("e", "plugin://plugin.video.fkfirstrun/?page=settings"),
    PatternRoute("e", "plugin://plugin.video.fkfirstrun/?page=open", ("addonsettings",)),
    PatternRoute("f", "plugin://plugin.video.fkprops/"),
    PatternRoute("f", "plugin://plugin.video.fkprops/?page=2"),
    PatternRoute("f", "plugin://plugin.video.fkprops/?page=types"),
    PatternRoute("h", "plugin://plugin.video.fkundeclared/"),
    PatternRoute("h", "plugin://plugin.video.fkundeclared/?page=stdlib"),
    PatternRoute("i", "plugin://plugin.video.fkexit/"),
    PatternRoute("i", "plugin://plugin.video.fkexit/?after=0"),
    PatternRoute("i", "plugin://plugin.video.fkexit/?after=1"),
    PatternRoute("i", "plugin://plugin.video.fkexit/?after=text"),
)


def zip_pattern(addon_id: str, target_dir: Path) -> Path:
    """Zip one pattern add-on as Kodi wants it: one top-level folder named after the id, no bytecode."""
    source = ADDONS_DIR / addon_id
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{addon_id}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, f"{addon_id}/{path.relative_to(source).as_posix()}")
    return target


def zip_corpus(target_dir: Path) -> list[Path]:
    """Every pattern add-on zipped into `target_dir`, dependencies first."""
    return [zip_pattern(addon_id, target_dir) for addon_id in ADDON_IDS]
