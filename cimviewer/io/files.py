"""Opening user-named files without hanging: refuse FIFOs, devices and sockets up front.

Opening a FIFO for reading blocks until a writer appears (forever, for a stray
``mkfifo``); reading a character device such as ``/dev/zero`` never ends. Every path a
user or a file names is checked with :func:`check_regular` before it is opened, and
:func:`read_bounded` reads at most a given number of bytes. The checks use
``os.stat`` and ``stat.S_IS*`` only, so they also run on Windows (where FIFOs do not
appear in the file system and the checks simply pass).
"""

from __future__ import annotations

import stat
from pathlib import Path

from cimviewer.io.errors import ReadError


def special_kind(path: str | Path) -> str | None:
    """"a FIFO", "a device", "a socket" for special files; None otherwise or when missing."""
    try:
        mode = Path(path).stat().st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def check_regular(path: str | Path, error: type[ReadError] = ReadError) -> None:
    """Raise ``error`` when ``path`` is a special file that could block or never end."""
    kind = special_kind(path)
    if kind is not None:
        raise error(f"is {kind}, not a regular file", path)


def read_bounded(path: str | Path, limit: int, what: str = "file",
                 error: type[ReadError] = ReadError) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (special files refused)."""
    check_regular(path, error)
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise error(f"{what} is too large (more than {limit:,} bytes)", path)
    return data
