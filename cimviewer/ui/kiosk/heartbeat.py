"""The kiosk's heartbeat: a small JSON file rewritten (atomically) as frames are drawn.

The supervisor (``cimviewer.kiosk_supervisor``) reads it; a heartbeat that stops
means the app hangs or stopped drawing, and it is restarted.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

log = logging.getLogger("cimviewer")
INTERVAL_S = 1.0


class Heartbeat:
    """Call :meth:`frame` after every frame; the file is written at most once a second."""

    def __init__(self, path: Path, interval_s: float = INTERVAL_S):
        self.path = Path(path)
        self.interval_s = interval_s
        self.frames = 0
        self._last = 0.0
        self._failed = False

    def frame(self, *_args: object) -> None:
        self.frames += 1
        now = time.monotonic()
        if now - self._last >= self.interval_s:
            self._last = now
            self.write()

    def write(self) -> None:
        data = {"time": time.time(), "frames": self.frames, "pid": os.getpid()}
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            if not self._failed:  # once, not every second
                log.error("kiosk: heartbeat %s not written: %s", self.path, exc)
            self._failed = True
