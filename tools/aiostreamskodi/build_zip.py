"""Build an installable zip of the public AIOStreamsKODI add-on from a local fetch (never committed).

The add-on (github.com/shiggsy365/AIOStreamsKODI, folder plugin.video.aiostreams) hard-codes
`API_ENDPOINT = 'https://api.trakt.tv'` in resources/lib/trakt.py and has no setting for it, so
nothing can point it at the recording proxy or the replay server. `--point-setting NAME` rewrites
that one line of the built copy to read the URL from the setting NAME (falling back to the
original host). `--fix-pickle-crash` (a debug build, to see what the sync does past its crash)
moves one late `import pickle` of the watched-episodes sync to the module's top. Without either the
zip is the add-on as published.

    python tools/aiostreamskodi/build_zip.py GIT_DIR_OR_FOLDER -o aio.zip [--point-setting trakt_api_url]
                                             [--fix-pickle-crash]

GIT_DIR_OR_FOLDER is a bare git directory (e.g. what the `fetch` tool returns) or a checkout.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ADDON_DIR = "plugin.video.aiostreams"
ENDPOINT_LINE = "API_ENDPOINT = 'https://api.trakt.tv'"
ACTIVITIES = f"{ADDON_DIR}/resources/lib/database/trakt_sync/activities.py"
# _sync_watched_episodes uses pickle before this function-local import, so pickle is a local name
# unbound at that use: UnboundLocalError on every account with a watched show.
LATE_IMPORT = "        import pickle\n\n        # 2. Process episodes for each show"


def addon_files(source: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every file of the add-on folder, from a git directory or a checkout."""
    folder = source / ADDON_DIR
    if folder.is_dir():
        return {str(p.relative_to(source)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    tar = subprocess.run(
        ["git", "--git-dir", str(source), "archive", "--format=tar", "HEAD", ADDON_DIR],
        check=True,
        capture_output=True,
    ).stdout
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive.getmembers():
            if member.isfile():
                files[member.name] = archive.extractfile(member).read()  # type: ignore[union-attr]
    return files


def point_at_setting(files: dict[str, bytes], setting: str) -> None:
    """Make trakt.py read its base URL from `setting`; SystemExit when the line is not where it was."""
    name = f"{ADDON_DIR}/resources/lib/trakt.py"
    text = files[name].decode("utf-8")
    if text.count(ENDPOINT_LINE) != 1:
        sys.exit(f"{name}: expected one line {ENDPOINT_LINE!r}; the add-on changed, look again")
    replacement = f"API_ENDPOINT = (ADDON.getSetting({setting!r}) or 'https://api.trakt.tv').rstrip('/')"
    files[name] = text.replace(ENDPOINT_LINE, replacement).encode("utf-8")


def fix_pickle_crash(files: dict[str, bytes]) -> None:
    """Debug build only: import pickle at module level and drop the late local import."""
    text = files[ACTIVITIES].decode("utf-8")
    if text.count(LATE_IMPORT) != 1 or text.count("import time\n") != 1:
        sys.exit(f"{ACTIVITIES}: the late 'import pickle' is not where it was; look again")
    text = text.replace(LATE_IMPORT, LATE_IMPORT.split("\n\n", 1)[1]).replace(
        "import time\n", "import time\nimport pickle\n"
    )
    files[ACTIVITIES] = text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write the zip; print its path."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", type=Path, help="bare git directory or checkout of AIOStreamsKODI")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--point-setting", metavar="SETTING", help="read the Trakt base URL from SETTING")
    parser.add_argument(
        "--fix-pickle-crash", action="store_true", help="debug build: the watched-episodes fix"
    )
    args = parser.parse_args(argv)
    files = addon_files(args.source)
    if args.point_setting:
        point_at_setting(files, args.point_setting)
    if args.fix_pickle_crash:
        fix_pickle_crash(files)
    with zipfile.ZipFile(args.output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
