"""Measurements in project units (metres in a projected CRS)."""

from __future__ import annotations

import numpy as np


def path_length(points: np.ndarray) -> float:
    """3D length of a polyline."""
    p = np.asarray(points, float)
    if len(p) < 2:
        return 0.0
    return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())


def height_difference(points: np.ndarray) -> float:
    """Vertical difference between the first and last point."""
    p = np.asarray(points, float)
    if len(p) < 2:
        return 0.0
    return float(p[-1, 2] - p[0, 2])


def plan_area(points: np.ndarray) -> float:
    """Area of the polygon through the points, projected on the horizontal plane."""
    p = np.asarray(points, float)
    if len(p) < 3:
        return 0.0
    x, y = p[:, 0], p[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)
