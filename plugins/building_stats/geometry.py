"""Footprint areas and heights of city objects from their triangles (vectorised)."""

from __future__ import annotations

import numpy as np

from cimviewer.api import SEMANTIC_CODES, CityModel

GROUND = SEMANTIC_CODES["GroundSurface"]


def plan_areas(vertices: np.ndarray, triangles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signed plan (x/y) area of each triangle and the z component of its normal."""
    a, b, c = (vertices[triangles[:, i]] for i in range(3))
    cross = np.cross(b - a, c - a)
    return cross[:, 2] / 2.0, cross[:, 2]


def footprints_and_heights(model: CityModel) -> tuple[np.ndarray, np.ndarray]:
    """Per object: footprint area (m²) and height above its lowest point (m).

    The footprint is the plan area of the GroundSurface triangles; objects without
    semantics use their downward-facing triangles instead.
    """
    n = len(model.objects)
    mesh = model.mesh_for_lod(None)
    if not mesh.n_triangles:
        return np.zeros(n), np.zeros(n)
    area, nz = plan_areas(mesh.vertices, mesh.triangles)
    obj = mesh.tri_object
    ground = np.bincount(obj, weights=np.where(mesh.tri_semantic == GROUND, np.abs(area), 0.0),
                         minlength=n)
    down = np.bincount(obj, weights=np.where(nz < 0, np.abs(area), 0.0), minlength=n)
    footprint = np.where(ground > 0, ground, down)
    zmin, zmax = mesh.object_z_extents(n)
    height = np.where(np.isfinite(zmin), zmax - zmin, 0.0)
    return footprint[:n], height[:n]
