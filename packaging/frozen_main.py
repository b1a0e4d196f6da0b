"""Entry point of the frozen app (PyInstaller): the ``cimviewer`` command.

``freeze_support`` comes first: dask's LocalCluster starts its workers with the
"spawn" method, which re-runs this executable as a worker process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path
from typing import TextIO


def attach_missing_streams() -> Path | None:
    """Give ``sys.stdout``/``sys.stderr`` a file when there are none; its path or None.

    The windowed Windows executable (``cimviewer-gui.exe``) has no console, so both are
    None and a ``print`` would raise. They go to ``cimviewer.log`` in the user log
    folder (``%LOCALAPPDATA%\\cimviewer\\cimviewer\\Logs``), else nowhere.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return None
    path: Path | None = None
    stream: TextIO
    try:
        import platformdirs

        folder = Path(platformdirs.user_log_dir("cimviewer", "cimviewer"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "cimviewer.log"
        stream = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    except OSError:
        path, stream = None, open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
    return path


if __name__ == "__main__":
    multiprocessing.freeze_support()
    attach_missing_streams()
    from cimviewer.cli import main

    sys.exit(main())
