"""The kiosk's heartbeat: a small JSON file rewritten (atomically) as frames are drawn.

The supervisor (``cimviewer.kiosk_supervisor``) reads its ``time``; a heartbeat that
stops means the app hangs or stopped drawing, and it is restarted. It also carries the
durations of the frames drawn since the previous write (``frame_ms``), which
``benchmarks/kiosk_soak.py`` collects.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

log = logging.getLogger("cimviewer")
INTERVAL_S = 1.0
MAX_FRAMES_KEPT = 500


class Heartbeat:
    """Observe a render window's ``StartEvent`` with :meth:`frame_start` and its
    ``EndEvent`` with :meth:`frame`; the file is written at most once a second."""

    def __init__(self, path: Path, interval_s: float = INTERVAL_S):
        self.path = Path(path)
        self.interval_s = interval_s
        self.frames = 0
        self.frame_ms: list[float] = []
        self._started: float | None = None
        self._last = 0.0
        self._failed = False

    def frame_start(self, *_args: object) -> None:
        self._started = time.perf_counter()

    def frame(self, *_args: object) -> None:
        self.frames += 1
        now = time.perf_counter()
        if self._started is not None and len(self.frame_ms) < MAX_FRAMES_KEPT:
            self.frame_ms.append(round((now - self._started) * 1000, 2))
        self._started = None
        if now - self._last >= self.interval_s:
            self._last = now
            self.write()

    def write(self) -> None:
        data = {"time": time.time(), "frames": self.frames, "pid": os.getpid(),
                "frame_ms": self.frame_ms}
        self.frame_ms = []
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.path)  # os.replace: atomic on Windows too
        except OSError as exc:
            if not self._failed:  # once, not every second
                log.error("kiosk: heartbeat %s not written: %s", self.path, exc)
            self._failed = True

    def attach(self, render_window: object) -> None:
        render_window.AddObserver("StartEvent", self.frame_start)  # type: ignore[attr-defined]
        render_window.AddObserver("EndEvent", self.frame)  # type: ignore[attr-defined]
