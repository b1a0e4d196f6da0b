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


def overview_camera(bbox: np.ndarray, view_angle: float = 30.0) -> CameraState:
    """An oblique view from the south that shows the whole bbox."""
    lo, hi = np.asarray(bbox[:3], float), np.asarray(bbox[3:], float)
    centre = (lo + hi) / 2
    radius = max(float(np.linalg.norm(hi - lo)) / 2, 1.0)
    distance = radius / np.sin(np.radians(view_angle) / 2) * 0.85
    direction = np.array([0.0, -np.cos(np.radians(50)), np.sin(np.radians(50))])
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
