"""The attract loop: the camera tours the story's bookmarks by itself.

Each stop is a smooth eased flight (``core.camera.interpolate``) from wherever the
camera is to the stop's bookmark, then a dwell with a slow orbit about the focal point.
Captions follow ``stop_changed``; the tour stops at once on ``stop()`` (a visitor).
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from cimviewer.core.camera import CameraState, interpolate
from cimviewer.core.project import Project

TICK_MS = 33


def orbit(state: CameraState, degrees: float) -> CameraState:
    """``state`` turned by ``degrees`` about the vertical axis through its focal point."""
    a = np.radians(degrees)
    focal = np.array(state.focal_point)
    offset = np.array(state.position) - focal
    c, s = np.cos(a), np.sin(a)
    turned = np.array([c * offset[0] - s * offset[1], s * offset[0] + c * offset[1], offset[2]])
    up = np.array(state.view_up)
    up = np.array([c * up[0] - s * up[1], s * up[0] + c * up[1], up[2]])
    return CameraState(tuple(focal + turned), state.focal_point, tuple(up), state.view_angle)


class AttractTour(QObject):
    """Flies through ``cameras`` in a loop while running.

    Signals: ``stop_changed(index)`` when a flight to a stop begins (the caption shows
    from then), ``arrived(index)`` at the end of a flight, ``running_changed(bool)``.
    """

    stop_changed = Signal(int)
    arrived = Signal(int)
    running_changed = Signal(bool)

    def __init__(self, project: Project, cameras: list[CameraState], *, flight_s: float,
                 dwell_s: float, orbit_deg_per_s: float, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.cameras = list(cameras)
        self.flight_s = flight_s
        self.dwell_s = dwell_s
        self.orbit_deg_per_s = orbit_deg_per_s
        self.index = -1
        self.phase = "idle"  # "fly" | "dwell" | "idle"
        self._from: CameraState | None = None
        self._t0 = 0.0
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, index: int = 0) -> None:
        """Start (or restart) the loop with a flight to stop ``index``."""
        if not self.cameras:
            return
        was = self.running
        self._fly_to(index % len(self.cameras))
        self._timer.start()
        if not was:
            self.running_changed.emit(True)

    def stop(self) -> None:
        if self.running:
            self._timer.stop()
            self.phase = "idle"
            self.running_changed.emit(False)

    def _fly_to(self, index: int) -> None:
        self.index = index
        self.phase = "fly"
        self._from = self.project.camera.state or self.cameras[index]
        self._t0 = time.perf_counter()
        self.stop_changed.emit(index)

    def _tick(self) -> None:
        now = time.perf_counter()
        elapsed = now - self._t0
        target = self.cameras[self.index]
        if self.phase == "fly":
            t = min(elapsed / self.flight_s, 1.0)
            self.project.camera.state = interpolate(self._from, target, t)  # type: ignore[arg-type]
            if t >= 1.0:
                self.phase = "dwell"
                self._t0 = now
                self.arrived.emit(self.index)
        elif elapsed >= self.dwell_s:
            self._fly_to((self.index + 1) % len(self.cameras))
        else:
            self.project.camera.state = orbit(target, self.orbit_deg_per_s * elapsed)
