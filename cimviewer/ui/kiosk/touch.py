"""Touch navigation on the 3D view from Qt touch events (not mouse emulation).

One finger orbits about the focal point, two fingers pan (their centre) and pinch
zoom (their spread); a short tap without movement picks the object under it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal

from cimviewer.core.camera import CameraState
from cimviewer.ui.view import ViewWidget

ORBIT_DEG_PER_PX = 0.25
PITCH_DEG_PER_PX = 0.2
MIN_PITCH_DEG, MAX_PITCH_DEG = 5.0, 89.0
MIN_DISTANCE_M, MAX_DISTANCE_M = 5.0, 50_000.0
TAP_MAX_MOVE_PX = 12.0
TAP_MAX_S = 0.6
TOUCH_EVENTS = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                QEvent.Type.TouchCancel)


# --- camera moves (pure) ----------------------------------------------------------------
def _offset(state: CameraState) -> tuple[np.ndarray, float, float, float]:
    focal = np.array(state.focal_point)
    offset = np.array(state.position) - focal
    distance = float(np.linalg.norm(offset)) or 1.0
    heading = float(np.arctan2(offset[0], offset[1]))
    pitch = float(np.arcsin(np.clip(offset[2] / distance, -1, 1)))
    return focal, distance, heading, pitch


def _place(focal: np.ndarray, distance: float, heading: float, pitch: float,
           state: CameraState) -> CameraState:
    offset = distance * np.array([np.sin(heading) * np.cos(pitch),
                                  np.cos(heading) * np.cos(pitch), np.sin(pitch)])
    return CameraState(tuple(focal + offset), tuple(focal), (0.0, 0.0, 1.0), state.view_angle)


def orbit_by(state: CameraState, d_heading_deg: float, d_pitch_deg: float) -> CameraState:
    """Turn the eye about the focal point; the pitch stays between 5 and 89 degrees."""
    focal, distance, heading, pitch = _offset(state)
    pitch = np.clip(np.degrees(pitch) + d_pitch_deg, MIN_PITCH_DEG, MAX_PITCH_DEG)
    return _place(focal, distance, heading + np.radians(d_heading_deg), np.radians(pitch),
                  state)


def zoom_by(state: CameraState, factor: float) -> CameraState:
    """Distance to the focal point times ``factor`` (< 1 closer), within limits."""
    focal, distance, heading, pitch = _offset(state)
    distance = float(np.clip(distance * factor, MIN_DISTANCE_M, MAX_DISTANCE_M))
    return _place(focal, distance, heading, pitch, state)


def pan_by(state: CameraState, dx_px: float, dy_px: float, height_px: int) -> CameraState:
    """Move over the ground so the scene follows a finger moved by (dx, dy) pixels."""
    focal, distance, heading, _pitch = _offset(state)
    metres = 2 * distance * np.tan(np.radians(state.view_angle) / 2) / max(height_px, 1)
    forward = -np.array([np.sin(heading), np.cos(heading), 0.0])  # from eye toward focal
    right = np.array([forward[1], -forward[0], 0.0])
    shift = (-right * dx_px + forward * dy_px) * metres
    return CameraState(tuple(np.array(state.position) + shift), tuple(focal + shift),
                       state.view_up, state.view_angle)


# --- the gesture recogniser ---------------------------------------------------------------
class TouchNavigator(QObject):
    """Event filter on the view's VTK widget. ``tapped(x, y)`` in Qt widget coordinates
    after a tap (the object there is picked, so ``view.picked`` follows)."""

    tapped = Signal(float, float)
    gesture = Signal(str)  # "orbit" | "pan-zoom" (tests and the idle logic)

    def __init__(self, view: ViewWidget, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.widget = view.vtk_widget
        self.widget.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.widget.installEventFilter(self)
        self._last: list[QPointF] = []
        self._start = (0.0, QPointF())
        self._moved = 0.0
        self._most = 0
        self.tap_max_s = TAP_MAX_S  #: longer presses are not taps

    def dispose(self) -> None:
        self.widget.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.widget or event.type() not in TOUCH_EVENTS:
            return False
        kind = event.type()
        points = [p.position() for p in event.points()
                  if p.state() != p.State.Released] if kind != QEvent.Type.TouchCancel else []
        if kind == QEvent.Type.TouchBegin:
            # the event's own time (ms): how long the finger was down, not how long
            # the app took to handle what came in between
            self._start = (event.timestamp() / 1000.0, event.points()[0].position())
            self._moved, self._most, self._last = 0.0, 0, []
        self._most = max(self._most, len(points))
        if points and len(points) == len(self._last):
            self._move(self._last, points)
        self._last = points
        if kind == QEvent.Type.TouchEnd:
            self._end(event.points()[0].position(), event.timestamp() / 1000.0)
        event.accept()
        return True

    def _move(self, before: list[QPointF], after: list[QPointF]) -> None:
        camera = self.view.project.camera
        state = camera.state or self.view.scene.camera_state()
        if len(after) == 1:
            d = after[0] - before[0]
            self._moved = max(self._moved, (after[0] - self._start[1]).manhattanLength())
            if self._moved <= TAP_MAX_MOVE_PX:
                return  # maybe a tap: no jitter
            camera.state = orbit_by(state, -d.x() * ORBIT_DEG_PER_PX, d.y() * PITCH_DEG_PER_PX)
            self.gesture.emit("orbit")
            return
        a0, a1, b0, b1 = before[0], before[1], after[0], after[1]
        centre = (b0 + b1) / 2 - (a0 + a1) / 2
        spread_before = np.hypot(*(a1 - a0).toTuple())
        spread_after = np.hypot(*(b1 - b0).toTuple())
        self._moved = TAP_MAX_MOVE_PX + 1  # two fingers are never a tap
        state = pan_by(state, centre.x(), centre.y(), self.widget.height())
        if spread_before > 1 and spread_after > 1:
            state = zoom_by(state, spread_before / spread_after)
        camera.state = state
        self.gesture.emit("pan-zoom")

    def _end(self, position: QPointF, when: float) -> None:
        began, _ = self._start
        if (self._most == 1 and self._moved <= TAP_MAX_MOVE_PX
                and when - began <= self.tap_max_s):
            x, y = self.view.display_to_vtk(position.x(), position.y())
            self.view.pick_at(x, y)
            self.tapped.emit(position.x(), position.y())
