"""Writes sys.argv to special://temp/fkargs-<argv[1]>.json, for the test that started the script to read."""

import json
import os
import sys

import xbmcvfs

name = sys.argv[1] if len(sys.argv) > 1 else "none"
folder = xbmcvfs.translatePath("special://temp/")
partial = os.path.join(folder, f"fkargs-{name}.part")
with open(partial, "w", encoding="utf-8") as handle:
    json.dump(sys.argv, handle)
os.replace(partial, os.path.join(folder, f"fkargs-{name}.json"))
