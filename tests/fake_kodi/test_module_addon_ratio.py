"""A module add-on built from a wheel with a highly compressible file still installs (zip-bomb check)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from fake_kodi.home.addons import MAX_RATIO, RATIO_FLOOR
from fake_kodi.kodi import Kodi
from fake_kodi.module_addon import _write_zip

XML = """<?xml version="1.0" encoding="UTF-8"?>
<addon id="script.module.padded" name="padded" version="1.0.0" provider-name="test">
  <requires><import addon="xbmc.python" version="3.0.0"/></requires>
  <extension point="xbmc.python.module" library="lib"/>
</addon>
"""


def test_a_padded_shared_library_is_stored_and_the_zip_installs(tmp_path: Path) -> None:
    # Like Pillow's libXau: mostly zero padding, far past the installer's ratio when deflated.
    padded = tmp_path / "libpadded.so.6"
    padded.write_bytes(b"\x7fELF" + bytes(2 * RATIO_FLOOR))
    small = tmp_path / "padded.py"
    small.write_text("VALUE = 1\n", encoding="utf-8")
    target = tmp_path / "zips" / "script.module.padded-1.0.0.zip"
    _write_zip(
        target, "script.module.padded", XML, [("padded.libs/libpadded.so.6", padded), ("padded.py", small)]
    )
    with zipfile.ZipFile(target) as archive:
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
        big = archive.getinfo("script.module.padded/lib/padded.libs/libpadded.so.6")
    assert kinds["script.module.padded/lib/padded.libs/libpadded.so.6"] == zipfile.ZIP_STORED
    assert kinds["script.module.padded/lib/padded.py"] == zipfile.ZIP_DEFLATED
    assert big.file_size <= MAX_RATIO * big.compress_size
    manifest = Kodi(tmp_path / "kodi").install(target)
    assert manifest.id == "script.module.padded"
    assert (tmp_path / "kodi" / "addons" / "script.module.padded" / "lib" / "padded.py").is_file()
