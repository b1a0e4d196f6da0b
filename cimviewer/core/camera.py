"""Camera state in world coordinates (project CRS), independent of the renderer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from psygnal import Signal


@dataclass(frozen=True)
class CameraState:
    position: tuple[float, float, float]
    focal_point: tuple[float, float, float]
    view_up: tuple[float, float, float] = (0.0, 0.0, 1.0)
    view_angle: float = 30.0

    def to_dict(self) -> dict[str, list[float] | float]:
        return {
            "position": list(self.position),
            "focal_point": list(self.focal_point),
            "view_up": list(self.view_up),
            "view_angle": self.view_angle,
        }

    @classmethod
    def from_dict(cls, data: dict) -> CameraState:
        def vec(key: str, default: tuple[float, float, float] | None = None):
            value = data.get(key, default)
            if value is None or len(value) != 3:
                raise ValueError(f"camera {key} must be three numbers")
            out = tuple(float(v) for v in value)
            if not np.isfinite(out).all():
                raise ValueError(f"camera {key} is not finite")
            return out

        return cls(vec("position"), vec("focal_point"), vec("view_up", (0.0, 0.0, 1.0)),
                   float(data.get("view_angle", 30.0)))


def overview_camera(bbox: np.ndarray, view_angle: float = 30.0,
                    pitch: float = 50.0) -> CameraState:
    """An oblique view from the south, ``pitch`` degrees down, that shows the whole bbox."""
    lo, hi = np.asarray(bbox[:3], float), np.asarray(bbox[3:], float)
    centre = (lo + hi) / 2
    radius = max(float(np.linalg.norm(hi - lo)) / 2, 1.0)
    distance = radius / np.sin(np.radians(view_angle) / 2) * 0.85
    direction = np.array([0.0, -np.cos(np.radians(pitch)), np.sin(np.radians(pitch))])
    position = centre + direction * distance
    return CameraState(tuple(position), tuple(centre), (0.0, 0.0, 1.0), view_angle)


class Camera:
    """Evented holder of the current camera state."""

    changed = Signal(object)

    def __init__(self) -> None:
        self._state: CameraState | None = None

    @property
    def state(self) -> CameraState | None:
        return self._state

    @state.setter
    def state(self, value: CameraState) -> None:
        if value != self._state:
            self._state = value
            self.changed.emit(value)


def top_down_camera(target: np.ndarray, distance: float = 150.0,
                    view_angle: float = 30.0) -> CameraState:
    """Looking straight down at ``target`` from ``distance`` metres, north up."""
    target = np.asarray(target, float)
    position = target + np.array([0.0, 0.0, distance])
    return CameraState(tuple(position), tuple(target), (0.0, 1.0, 0.0), view_angle)


def smoothstep(t: float) -> float:
    t = min(max(t, 0.0), 1.0)
    return t * t * (3 - 2 * t)


def interpolate(a: CameraState, b: CameraState, t: float) -> CameraState:
    """Camera between two states (eased), for animated fly-to.

    The focal point moves in a straight line; the eye keeps its offset direction from
    the focal point as it turns, so the view does not dive through the ground.
    """
    s = smoothstep(t)
    fa, fb = np.array(a.focal_point), np.array(b.focal_point)
    oa = np.array(a.position) - fa
    ob = np.array(b.position) - fb
    da, db = np.linalg.norm(oa), np.linalg.norm(ob)
    ua, ub = oa / (da or 1), ob / (db or 1)
    direction = ua * (1 - s) + ub * s
    norm = np.linalg.norm(direction)
    direction = direction / norm if norm > 1e-9 else ub
    focal = fa * (1 - s) + fb * s
    distance = da * (1 - s) + db * s
    up = np.array(a.view_up) * (1 - s) + np.array(b.view_up) * s
    up = up / (np.linalg.norm(up) or 1)
    angle = a.view_angle * (1 - s) + b.view_angle * s
    return CameraState(tuple(focal + direction * distance), tuple(focal), tuple(up), angle)


def heading_pitch(state: CameraState) -> tuple[float, float]:
    """Compass heading (degrees clockwise from north) and pitch (degrees below horizon)."""
    d = np.array(state.focal_point) - np.array(state.position)
    heading = float(np.degrees(np.arctan2(d[0], d[1]))) % 360
    pitch = float(np.degrees(np.arctan2(-d[2], np.hypot(d[0], d[1]))))
    return heading, pitch
