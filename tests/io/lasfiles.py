"""Small LAS / LAZ files written with laspy for the point cloud tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def write_las(path: Path, xyz: np.ndarray, *, point_format: int = 3, crs: str | None = None,
              rgb: np.ndarray | None = None, intensity: np.ndarray | None = None,
              classification: np.ndarray | None = None,
              scale: float = 0.001) -> Path:
    """Write points to ``path`` (.las or .laz by its suffix); ``rgb`` as 8-bit values
    (written 16-bit, as the standard says)."""
    import laspy

    version = "1.2" if point_format < 6 else "1.4"
    header = laspy.LasHeader(point_format=point_format, version=version)
    xyz = np.asarray(xyz, np.float64)
    header.scales = np.array([scale, scale, scale])
    header.offsets = np.floor(xyz.min(axis=0)) if len(xyz) else np.zeros(3)
    if crs is not None:
        from pyproj import CRS

        header.add_crs(CRS.from_user_input(crs))
    las = laspy.LasData(header)
    las.x, las.y, las.z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    if rgb is not None:
        rgb16 = np.asarray(rgb, np.uint16) * 257
        las.red, las.green, las.blue = rgb16[:, 0], rgb16[:, 1], rgb16[:, 2]
    if intensity is not None:
        las.intensity = np.asarray(intensity, np.uint16)
    if classification is not None:
        las.classification = np.asarray(classification, np.uint8)
    las.write(str(path))
    return Path(path)


def terrain(n: int, size: float = 200.0, seed: int = 0,
            origin: tuple[float, float, float] = (500_000.0, 4_000_000.0, 10.0)) -> np.ndarray:
    """(n, 3) points on a gently waving surface over a square of ``size`` metres."""
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2)) * size
    z = np.sin(xy[:, 0] / 20.0) * 3.0
    return np.column_stack([xy, z]) + np.asarray(origin)
