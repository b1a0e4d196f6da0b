"""Atomic file replacement: a crash at any moment leaves the old or the new file intact.

The new content goes to a temporary file in the same folder (same file system), is
flushed and fsync'ed, and then ``os.replace``-d over the target. The previous version
is kept as ``<name>.bak`` (a hard link, or a copy where links are not supported), made
before the replace so there is never a moment without the target file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

BACKUP_SUFFIX = ".bak"
_TMP_SUFFIX = ".tmp"


def backup_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def fsync_dir(folder: str | Path) -> None:
    """Make a rename in ``folder`` durable (POSIX only; Windows has no directory fsync)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace(src: str | Path, dst: str | Path, attempts: int = 5) -> None:
    """os.replace, retried briefly: on Windows a virus scanner may hold the target open."""
    for attempt in range(attempts):
        try:
            Path(src).replace(dst)
            return
        except PermissionError:
            if os.name != "nt" or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _keep_backup(path: Path) -> None:
    """``path`` -> ``path.bak`` atomically, leaving ``path`` itself in place."""
    bak = backup_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak" + _TMP_SUFFIX,
                               dir=path.parent)
    os.close(fd)
    try:
        Path(tmp).unlink()
        try:
            os.link(path, tmp)
        except OSError:  # no hard links here (FAT, some network shares)
            shutil.copyfile(path, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        _replace(tmp, bak)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def _copy_mode(path: Path, tmp: str) -> None:
    """mkstemp makes owner-only files; give the new file the old one's permissions."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        Path(tmp).chmod(mode)
    except OSError:
        pass


def remove_stale_temporaries(path: str | Path) -> None:
    """Delete temporary files left next to ``path`` by an interrupted save."""
    path = Path(path)
    for tmp in path.parent.glob(f".{path.name}.*{_TMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def resolve_link(path: str | Path) -> Path:
    """The file a symbolic link points to (the link itself stays a link on save)."""
    path = Path(path)
    seen = 0
    while path.is_symlink() and seen < 40:
        target = path.readlink()
        path = target if target.is_absolute() else path.parent / target
        seen += 1
    return path


def atomic_write_bytes(path: str | Path, data: bytes, *, backup: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; keep the old file as ``path.bak``.

    A symbolic link is followed: the file it points to is replaced and the link stays.
    Errors are OSError naming ``path`` (not the temporary file), with nothing changed.
    """
    named = Path(path)
    path = resolve_link(named)
    try:
        return _write(path, data, backup)
    except OSError as exc:
        if exc.filename == str(named) and exc.filename2 is None:
            raise
        if exc.errno is None:
            raise OSError(f"{named}: cannot save: {exc}") from None
        message = exc.strerror or str(exc)
        raise type(exc)(exc.errno, f"cannot save: {message}", str(named)) from None


def _write(path: Path, data: bytes, backup: bool) -> Path:
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(2, "the folder does not exist", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(path, tmp)
        if backup and path.is_file():
            _keep_backup(path)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    fsync_dir(folder)
    return path


def atomic_write_text(path: str | Path, text: str, *, backup: bool = True) -> Path:
    """UTF-8 text, ``\\n`` line ends on every OS (diff-friendly)."""
    return atomic_write_bytes(path, text.encode("utf-8"), backup=backup)
