"""Measure fake_kodi against real Kodi on public add-ons fetched to this machine (a tool, not part of CI).

The add-ons and their script.module.* dependencies are read from local git snapshots (`--mirror`, one
`owner+name/repo` folder per repository, as the search tool's fetch leaves them) or built from pip packages
with `fake-kodi module-addon` (`--pip-python`, a Python that has them installed). None of their code is kept in
this repository: the zips are built into `--out` on every run.

For each add-on: its root in real Kodi, then the first two folders of real Kodi's root listing that stay in the
add-on; every URL also in fake_kodi (one home with everything installed, like the real Kodi). Writes
`measure.json` (per URL: items of both, field differences, errors, JSON-RPC methods the fake did not emulate)
and `measure.md` (the table), and prints the table.

    python tools/public_addons/measure.py --mirror /work/.mirror --out /tmp/public-addons \\
        --pip-python /work/venv-public/bin/python [--kodi 20]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fake_kodi.kodi import Kodi
from fake_kodi.real.driver import RealKodi, RealKodiError
from fake_kodi.real.fidelity import FIELDS, fake_item_view, real_item_view
from fake_kodi.real.install import ensure_kodi
from fake_kodi.real.jsonrpc import JsonRpcError, JsonRpcTimeout
from fake_kodi.real.logs import python_tracebacks


@dataclass(frozen=True)
class GitSource:
    """An add-on in a local git snapshot: the folder under --mirror, and the add-on's folder in the repository."""

    mirror: str
    subdir: str = ""


@dataclass(frozen=True)
class Measured:
    """A public add-on to measure: id, author (addon.xml provider-name) and repository."""

    addon_id: str
    author: str
    source: GitSource
    why: str


# The add-ons measured (different authors; two use script.module.routing; vrt.nu and twitch keep their entry
# script in resources/lib/, TMDb Helper in resources/).
ADDONS = (
    Measured(
        "plugin.video.vrt.nu",
        "Martijn Moreel, dagwieers, mediaminister",
        GitSource("add-ons+plugin.video.vrt.nu"),
        "routing library, entry in resources/lib/",
    ),
    Measured(
        "plugin.video.viervijfzes",
        "Michaël Arnauts",
        GitSource("add-ons+plugin.video.viervijfzes"),
        "routing library",
    ),
    Measured(
        "plugin.video.ted.talks",
        "moreginger",
        GitSource("moreginger+xbmc-plugin.video.ted.talks"),
        "query-string menus, entry at the root",
    ),
    Measured(
        "plugin.video.themoviedb.helper",
        "jurialmunkey",
        GitSource("jurialmunkey+plugin.video.themoviedb.helper"),
        "settings-driven menus, entry in resources/, own module path",
    ),
    Measured(
        "plugin.video.twitch",
        "anxdpanic",
        GitSource("anxdpanic+plugin.video.twitch"),
        "entry in resources/lib/, query-string menus",
    ),
)

# Dependencies that are Kodi add-ons of their own (their repositories).
GIT_DEPENDENCIES = {
    "script.module.routing": GitSource("tamland+kodi-plugin-routing"),
    "script.module.inputstreamhelper": GitSource("emilsvennesson+script.module.inputstreamhelper"),
    "script.module.jurialmunkey": GitSource("jurialmunkey+script.module.jurialmunkey"),
    "script.module.infotagger": GitSource("jurialmunkey+script.module.infotagger"),
    "script.module.addon.signals": GitSource("ruuk+script.module.addon.signals"),
    "script.module.python.twitch": GitSource("anxdpanic+script.module.python.twitch"),
}
# Dependencies Kodi's repository packages from PyPI distributions: built with `fake-kodi module-addon`.
PIP_DEPENDENCIES = ("python-dateutil", "requests", "html5lib", "m3u8", "beautifulsoup4", "pillow", "six")
# Kodi's id where it is not module-addon's script.module.<distribution>.
PIP_ALIASES = {"script.module.pillow": "script.module.pil"}
# Dialogs that do not block a plugin (no answer is given to them).
NON_MODAL = ("progress", "progressbg", "notification")
# Non-Python dependencies: a resource add-on of images, stood in for by an addon.xml without the images.
RESOURCE_STANDINS = {"resource.images.studios.white": ("0.0.30", "kodi.resource.images")}
# The Kodi 19+ builds of old module add-ons (Kodi's repository) declare xbmc.python 3.0.0; their git
# snapshots still say 2.x, which Kodi 19+ refuses to load.
OLD_XBMC_PYTHON = re.compile(r'(<import\s+addon="xbmc\.python"\s+version=")2\.[0-9.]+(")')


def git_zip(mirror: Path, source: GitSource, addon_id: str, target_dir: Path) -> Path:
    """Zip the add-on folder of a git snapshot's HEAD as `<addon_id>/...` (dot-folders left out)."""
    repo = mirror / source.mirror / "repo"
    git_dir = repo / ".git" if (repo / ".git").is_dir() else repo
    tree = f"HEAD:{source.subdir}" if source.subdir else "HEAD"
    tar_bytes = subprocess.run(
        ["git", "--git-dir", str(git_dir), "archive", "--format=tar", tree], check=True, capture_output=True
    ).stdout
    target = target_dir / f"{addon_id}.zip"
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar, zipfile.ZipFile(target, "w") as archive:
        for member in tar.getmembers():
            if not member.isfile() or member.name.split("/")[0].startswith("."):
                continue
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "addon.xml":
                data = OLD_XBMC_PYTHON.sub(r"\g<1>3.0.0\g<2>", data.decode("utf-8")).encode("utf-8")
            archive.writestr(f"{addon_id}/{member.name}", data)
    return target


def resource_standin(addon_id: str, version: str, point: str, target_dir: Path) -> Path:
    """A resource add-on with only its addon.xml: satisfies the <requires> of an add-on that shows its images."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<addon id="{addon_id}" name="{addon_id} (stand-in)" version="{version}" provider-name="measure.py">\n'
        f'  <extension point="{point}" compile="false" type="" />\n'
        '  <extension point="xbmc.addon.metadata"><platform>all</platform></extension>\n</addon>\n'
    )
    target = target_dir / f"{addon_id}.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(f"{addon_id}/addon.xml", xml)
    return target


def pip_zips(pip_python: str, target_dir: Path) -> list[Path]:
    """The PyPI-built module add-ons (with what they require), renamed where Kodi's id differs."""
    out = subprocess.run(
        [pip_python, "-m", "fake_kodi.cli", "module-addon", "-o", str(target_dir), *PIP_DEPENDENCIES],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    zips = []
    for line in out.split():
        path = Path(line)
        old_id = path.name.rsplit("-", 1)[0]
        new_id = PIP_ALIASES.get(old_id)
        zips.append(rename_addon(path, old_id, new_id) if new_id else path)
    return zips


def rename_addon(path: Path, old_id: str, new_id: str) -> Path:
    """The same module add-on under Kodi's id (folder and addon.xml id)."""
    target = path.with_name(path.name.replace(old_id, new_id, 1))
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            name = new_id + info.filename[len(old_id) :]
            if name == f"{new_id}/addon.xml":
                data = data.replace(f'id="{old_id}"'.encode(), f'id="{new_id}"'.encode(), 1)
            archive.writestr(name, data, compress_type=info.compress_type)
    path.unlink()
    return target


def build_zips(mirror: Path, pip_python: str, target_dir: Path) -> list[Path]:
    """Every zip, dependencies first."""
    target_dir.mkdir(parents=True, exist_ok=True)
    zips = pip_zips(pip_python, target_dir)
    zips += [git_zip(mirror, source, addon_id, target_dir) for addon_id, source in GIT_DEPENDENCIES.items()]
    zips += [resource_standin(i, v, p, target_dir) for i, (v, p) in RESOURCE_STANDINS.items()]
    zips += [git_zip(mirror, addon.source, addon.addon_id, target_dir) for addon in ADDONS]
    return zips


@dataclass
class UrlResult:
    """One URL in both Kodis."""

    addon_id: str
    url: str
    real_items: list[dict[str, Any]] = field(default_factory=list)
    real_error: str | None = None
    real_tracebacks: list[str] = field(default_factory=list)
    fake_items: list[dict[str, Any]] = field(default_factory=list)
    fake_status: str = ""
    fake_error: dict[str, str] | None = None
    fake_dialogs: list[str] = field(default_factory=list)
    unemulated: list[str] = field(default_factory=list)
    differences: list[dict[str, Any]] = field(default_factory=list)
    # When the fake failed on an import: the same URL with the Debian switch (system packages visible).
    debian_status: str = ""
    debian_items: list[dict[str, Any]] = field(default_factory=list)
    debian_differences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """identical / differing / failing (real, fake or both) for the table."""
        if self.real_error and self.fake_status in ("exception", "no_response"):
            return "failing in both"
        if self.real_error:
            return "failing in real only"
        if self.fake_status in ("exception", "no_response"):
            return "failing in fake only"
        return "differing" if self.differences else "identical"


def real_root_folders(addon_id: str, items: list[dict[str, Any]], count: int = 2) -> list[str]:
    """The first `count` folder URLs of a root listing that stay in the add-on."""
    urls = []
    for item in items:
        path = item.get("file", "")
        if (
            item.get("filetype") == "directory"
            and path.startswith(f"plugin://{addon_id}/")
            and path not in urls
        ):
            urls.append(path)
    return urls[:count]


def run_real(kodi: RealKodi, result: UrlResult, timeout: float) -> None:
    """Files.GetDirectory in real Kodi, each modal dialog the fake saw answered with Back (the fake cancelled it).

    When the route opens fewer dialogs in real Kodi than in the fake, the answering gives up: the run is
    repeated without answers, and a dialog that then blocks it is closed with Back after the timeout.
    """
    answers = ["Back"] * sum(1 for kind in result.fake_dialogs if kind not in NON_MODAL)
    mark = kodi.log_mark()
    for attempt in (answers, []) if answers else ([],):
        try:
            result.real_items = kodi.run(result.url, answers=attempt, timeout=timeout)["files"]
            result.real_error = None
            break
        except (RealKodiError, JsonRpcError, JsonRpcTimeout) as error:
            result.real_error = str(error).splitlines()[0]
            for _ in range(3):
                kodi.answer_dialog("Back")
                time.sleep(0.5)
    time.sleep(1.0)
    print(f"real: {result.url}: {result.real_error or len(result.real_items)}", file=sys.stderr, flush=True)
    result.real_tracebacks = [t[-2000:] for t in python_tracebacks(kodi.log_since(mark))]


def unemulated_names(fake_result: Any) -> list[str]:
    """JSON-RPC methods the fake answered -32601 and xbmc* names an add-on missed (from its error)."""
    names = []
    for call in fake_result.jsonrpc:
        response = json.loads(call.get("response") or "{}")
        if (response.get("error") or {}).get("code") == -32601:
            request = json.loads(call.get("request") or "{}")
            names.append(f"JSON-RPC {request.get('method')}")
    for line in fake_result.log:
        # The fake's own warnings: a Kodi setting it has no value for, a JSON-RPC method it does not answer.
        setting = re.search(r"fake_kodi: Kodi setting '([^']+)' is not emulated", line)
        if setting:
            names.append(f"setting {setting.group(1)}")
    error = fake_result.error or {}
    missing = re.search(r"module '(xbmc\w*)' has no attribute '(\w+)'", error.get("message", ""))
    if missing:
        names.append(f"{missing.group(1)}.{missing.group(2)}")
    missing = re.search(r"'(\w+)' object has no attribute '(\w+)'", error.get("message", ""))
    if missing:
        names.append(f"{missing.group(1)}.{missing.group(2)}")
    return sorted(set(names))


def run_fake(fake: Kodi, result: UrlResult) -> None:
    """The same URL in fake_kodi, unscripted dialogs answered with cancel."""
    run = fake.run(result.url, strict=False)
    result.fake_items = run.items
    result.fake_status = run.status
    result.fake_error = run.error
    result.fake_dialogs = [str(dialog.get("kind", dialog)) for dialog in run.dialogs]
    result.unemulated = unemulated_names(run)


def run_fake_debian(pip_python: str, home: Path, result: UrlResult) -> None:
    """The URL again in fake_kodi with FAKE_KODI_SYSTEM_PACKAGES=1, from a Python whose site-packages play
    Debian's dist-packages (--pip-python: it has six, requests, ... installed, as Debian's python3-* do)."""
    import os

    env = dict(os.environ, FAKE_KODI_SYSTEM_PACKAGES="1")
    env.pop("PYTHONPATH", None)
    command = [
        pip_python,
        "-m",
        "fake_kodi.cli",
        "run",
        "--home",
        str(home),
        "--json",
        "--lenient",
        result.url,
    ]
    answer = json.loads(subprocess.run(command, capture_output=True, text=True, env=env).stdout or "{}")
    result.debian_status = answer.get("status", "failed to run")
    result.debian_items = answer.get("items", [])


def _without_home(view: dict[str, Any], addons_dir: Path) -> dict[str, Any]:
    """The view with the add-ons folder (plain, or URL-encoded inside image://) written as <addons>."""
    text = json.dumps(view)
    for form in (str(addons_dir), quote(str(addons_dir), safe=""), quote(str(addons_dir), safe="").lower()):
        text = text.replace(form, "<addons>")
    return json.loads(text)


def compare(result: UrlResult, addons_dirs: tuple[Path, Path]) -> None:
    """Field differences item by item (and a count difference) in the fidelity report's view.

    The two Kodis have their homes in different folders; paths into them are compared from the add-ons folder on.
    """
    fake_dir, real_dir = addons_dirs
    fake = [_without_home(fake_item_view(item), fake_dir) for item in result.fake_items]
    real = [_without_home(real_item_view(item), real_dir) for item in result.real_items]
    if len(fake) != len(real):
        result.differences.append({"field": "count", "fake": len(fake), "real": len(real)})
    for index, (one, other) in enumerate(zip(fake, real, strict=False)):
        for name in FIELDS:
            if one[name] != other[name]:
                result.differences.append(
                    {"item": index, "field": name, "fake": one[name], "real": other[name]}
                )


def table(results: list[UrlResult], version: int) -> str:
    """The Markdown table of the measurement."""
    authors = {addon.addon_id: addon.author for addon in ADDONS}
    lines = [
        f"| add-on | author | URL | real Kodi {version} | fake_kodi | result | differing fields | not emulated "
        "| fake, Debian switch |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        real = f"error: {result.real_error[:60]}" if result.real_error else f"{len(result.real_items)} items"
        fake = f"{result.fake_status}, {len(result.fake_items)} items"
        if result.fake_error:
            fake += f" ({result.fake_error.get('type')}: {result.fake_error.get('message', '')[:60]})"
        fields = sorted({str(d["field"]) for d in result.differences})
        debian = ""
        if result.debian_status:
            same = "identical" if not result.debian_differences else "differing"
            debian = f"{result.debian_status}, {len(result.debian_items)} items: {same}"
        lines.append(
            f"| {result.addon_id} | {authors[result.addon_id]} | `{result.url}` | {real} | {fake} | "
            f"{result.verdict} | {', '.join(fields)} | {', '.join(result.unemulated)} | {debian} |"
        )
    return "\n".join(lines)


def measure(mirror: Path, out: Path, pip_python: str, version: int, timeout: float) -> list[UrlResult]:
    """Build, install in both Kodis, run every add-on's root and two sub-folders; write the report files."""
    zips = build_zips(mirror, pip_python, out / "zips")
    install = ensure_kodi(allow_install=False, version=version)
    results: list[UrlResult] = []
    fake = Kodi(out / "fake-home", kodi_version=version)
    fake.install_many(zips)
    with RealKodi(out / f"real-home-{version}", install=install, preinstall=zips) as kodi:
        homes = (fake.home.addons_dir, kodi.paths.addons_dir)
        for addon in ADDONS:
            root = UrlResult(addon.addon_id, f"plugin://{addon.addon_id}/")
            run_fake(fake, root)
            run_real(kodi, root, timeout)
            results.append(root)
            for url in real_root_folders(addon.addon_id, root.real_items):
                sub = UrlResult(addon.addon_id, url)
                run_fake(fake, sub)
                run_real(kodi, sub, timeout)
                results.append(sub)
    for result in results:
        if result.fake_error and result.fake_error.get("type") == "ModuleNotFoundError":
            run_fake_debian(pip_python, fake.home.root, result)
        compare(result, homes)
    (out / "measure.json").write_text(
        json.dumps(
            [result.__dict__ | {"verdict": result.verdict} for result in results], indent=1, default=repr
        ),
        encoding="utf-8",
    )
    (out / "measure.md").write_text(table(results, version) + "\n", encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True, help="folder of owner+name/repo git snapshots")
    parser.add_argument("--out", type=Path, required=True, help="folder for the zips, homes and reports")
    parser.add_argument("--pip-python", required=True, help="a Python with the pip dependencies installed")
    parser.add_argument("--kodi", type=int, choices=(20, 21), default=20)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per real Files.GetDirectory")
    args = parser.parse_args(argv)
    results = measure(args.mirror, args.out.resolve(), args.pip_python, args.kodi, args.timeout)
    print(table(results, args.kodi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
