"""Kodi's `xbmcvfs` module, emulated on the local file system of the fake Kodi home.

special:// paths are translated by the session (KODI_BEHAVIOUR.md section 4); other local
paths are used as they are. Network URLs (http://, smb://, ...) are not emulated.
"""

import os as _os
import shutil as _shutil

from _fk_args import bool_arg as _bool_arg
from _fk_args import int_arg as _int_arg
from _fk_args import str_arg as _str_arg
from _fk_notemulated import NotEmulatedError as _NotEmulatedError

from fake_kodi.addon_side.session import current as _current

# Characters Kodi replaces in a file name on Linux (CUtil::MakeLegalFileName, non-Windows rules).
_ILLEGAL_FILENAME_CHARS = '/\\:*?"<>|'


def _real_path(path: object, method: str) -> str:
    text = _str_arg(path, "path", method)
    if text.startswith("special://"):
        return _current().translate_path(text)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise _NotEmulatedError(f"xbmcvfs.{method} on '{scheme}://' URLs is not emulated by fake_kodi")
    return text


class File:
    """A file opened for reading (default) or writing ('w', truncating)."""

    def __init__(self, filepath: str, mode: str | None = None) -> None:
        self._path = _real_path(filepath, "File")
        self._writing = mode == "w"
        try:
            self._handle = open(self._path, "wb" if self._writing else "rb")
        except OSError:
            # Kodi does not raise for a file it cannot open: reads give '' and size() gives -1.
            self._handle = None

    def __enter__(self) -> "File":
        return self

    def __exit__(self, exc_type, exc_val, exc_tb) -> None:
        self.close()

    def read(self, numBytes: int = 0) -> str:
        """Read `numBytes` bytes (0: all) and decode them as UTF-8."""
        return bytes(self.readBytes(numBytes)).decode("utf-8", errors="replace")

    def readBytes(self, numBytes: int = 0) -> bytearray:
        """Read `numBytes` bytes (0: all)."""
        count = _int_arg(numBytes)
        if self._handle is None or self._writing:
            return bytearray()
        return bytearray(self._handle.read(count if count > 0 else -1))

    def write(self, buffer: str | bytes | bytearray) -> bool:
        """Write text (UTF-8) or bytes; False when the file is not open for writing."""
        if self._handle is None or not self._writing:
            return False
        data = buffer.encode("utf-8") if isinstance(buffer, str) else bytes(buffer)
        self._handle.write(data)
        return True

    def size(self) -> int:
        """Size in bytes (-1 when the file could not be opened)."""
        if self._handle is None:
            return -1
        self._handle.flush()
        return _os.fstat(self._handle.fileno()).st_size

    def seek(self, seekBytes: int, iWhence: int = 0) -> int:
        """Move the position (whence 0 start, 1 current, 2 end); the new position."""
        if self._handle is None:
            return -1
        return self._handle.seek(_int_arg(seekBytes), _int_arg(iWhence))

    def tell(self) -> int:
        """Current position."""
        return -1 if self._handle is None else self._handle.tell()

    def close(self) -> None:
        """Close the file."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class Stat:
    """os.stat of a path, with Kodi's method-style accessors."""

    def __init__(self, path: str) -> None:
        try:
            self._stat = _os.stat(_real_path(path, "Stat"))
        except OSError:
            self._stat = None

    def _field(self, name: str) -> int:
        return int(getattr(self._stat, name)) if self._stat is not None else 0

    def st_mode(self) -> int:
        """File mode."""
        return self._field("st_mode")

    def st_ino(self) -> int:
        """Inode number."""
        return self._field("st_ino")

    def st_dev(self) -> int:
        """Device."""
        return self._field("st_dev")

    def st_nlink(self) -> int:
        """Number of links."""
        return self._field("st_nlink")

    def st_uid(self) -> int:
        """Owner user id."""
        return self._field("st_uid")

    def st_gid(self) -> int:
        """Owner group id."""
        return self._field("st_gid")

    def st_size(self) -> int:
        """Size in bytes."""
        return self._field("st_size")

    def st_atime(self) -> int:
        """Last access time."""
        return self._field("st_atime")

    def st_mtime(self) -> int:
        """Last modification time."""
        return self._field("st_mtime")

    def st_ctime(self) -> int:
        """Metadata change time."""
        return self._field("st_ctime")


def copy(strSource: str, strDestination: str) -> bool:
    """Copy a file; False on failure."""
    try:
        _shutil.copyfile(_real_path(strSource, "copy"), _real_path(strDestination, "copy"))
    except OSError:
        return False
    return True


def delete(file: str) -> bool:
    """Delete a file; False on failure."""
    try:
        _os.remove(_real_path(file, "delete"))
    except OSError:
        return False
    return True


def rename(file: str, newFile: str) -> bool:
    """Rename (move) a file; False on failure."""
    try:
        _os.replace(_real_path(file, "rename"), _real_path(newFile, "rename"))
    except OSError:
        return False
    return True


def exists(path: str) -> bool:
    """True when the file exists; a path ending in '/' is checked as a folder."""
    real = _real_path(path, "exists")
    if real.endswith(("/", "\\")):
        return _os.path.isdir(real)
    return _os.path.exists(real)


def makeLegalFilename(filename: str) -> str:
    """Replace characters that are illegal in the file name part with '_'."""
    text = _str_arg(filename, "filename", "makeLegalFilename")
    folder, _, name = text.rpartition("/")
    legal = "".join("_" if ch in _ILLEGAL_FILENAME_CHARS else ch for ch in name)
    return f"{folder}/{legal}" if folder or text.startswith("/") else legal


def translatePath(path: str) -> str:
    """Translate special:// paths to real paths ('' for unknown special roots)."""
    text = _str_arg(path, "path", "translatePath")
    return _current().translate_path(text) if text.startswith("special://") else text


def validatePath(path: str) -> str:
    """Use the platform's path separators (Linux: '/')."""
    text = _str_arg(path, "path", "validatePath")
    return text if "://" in text else text.replace("\\", "/")


def mkdir(path: str) -> bool:
    """Create one folder; False on failure (also when it exists)."""
    try:
        _os.mkdir(_real_path(path, "mkdir"))
    except OSError:
        return False
    return True


def mkdirs(path: str) -> bool:
    """Create a folder and its parents; True when it exists afterwards."""
    real = _real_path(path, "mkdirs")
    try:
        _os.makedirs(real, exist_ok=True)
    except OSError:
        return False
    return True


def rmdir(path: str, force: bool = False) -> bool:
    """Remove an empty folder, or a whole tree with force=True."""
    real = _real_path(path, "rmdir")
    try:
        if _bool_arg(force):
            _shutil.rmtree(real)
        else:
            _os.rmdir(real)
    except OSError:
        return False
    return True


def listdir(path: str) -> tuple[list[str], list[str]]:
    """(folders, files) directly inside `path`."""
    real = _real_path(path, "listdir")
    folders: list[str] = []
    files: list[str] = []
    try:
        names = sorted(_os.listdir(real))
    except OSError:
        return folders, files
    for name in names:
        (folders if _os.path.isdir(_os.path.join(real, name)) else files).append(name)
    return folders, files
