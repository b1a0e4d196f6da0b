"""Splitting a city mesh into spatial tiles, and lighter versions of a mesh for distance.

A large layer is drawn as one polydata per tile so that tiles outside the view are
culled and distant tiles can switch to a lighter representation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cimviewer.core.citymodel import TriangleMesh
from cimviewer.core.semantics import SEMANTIC_CODES


@dataclass
class Tile:
    key: tuple[int, int]
    triangles: np.ndarray  # indices into the layer mesh's triangles (full detail)
    light: np.ndarray  # indices of the triangles kept at low detail
    bbox: np.ndarray  # [minx, miny, minz, maxx, maxy, maxz] world


def object_centres(mesh: TriangleMesh, n_objects: int) -> np.ndarray:
    """Mean xy of each object's triangle centroids (NaN for objects without triangles)."""
    centroids = mesh.vertices[mesh.triangles].mean(axis=1)
    counts = np.bincount(mesh.tri_object, minlength=n_objects).astype(float)
    sx = np.bincount(mesh.tri_object, centroids[:, 0], minlength=n_objects)
    sy = np.bincount(mesh.tri_object, centroids[:, 1], minlength=n_objects)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.column_stack([sx / counts, sy / counts])


def light_mask(mesh: TriangleMesh) -> np.ndarray:
    """Triangles kept far away: roofs (or upward-facing faces without semantics).

    Seen from a distance, roofs carry the city's shape; walls are a few pixels thin.
    This keeps roughly a fifth of an LoD1/LoD2 mesh.
    """
    roof = mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"]
    tri = mesh.vertices[mesh.triangles]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    length = np.linalg.norm(normal, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        up = normal[:, 2] / length > 0.5
    no_semantics = mesh.tri_semantic == 0
    return roof | (no_semantics & up)


def split_tiles(mesh: TriangleMesh, n_objects: int, tile_size: float) -> list[Tile]:
    """Group triangles by the tile of their object's centre (objects never split)."""
    if mesh.n_triangles == 0:
        return []
    centres = object_centres(mesh, n_objects)
    origin = np.nanmin(centres, axis=0)
    ij = np.floor((centres - origin) / tile_size).astype(np.int64)
    ij = np.where(np.isfinite(centres), ij, 0)
    tri_ij = ij[mesh.tri_object]
    keys = tri_ij[:, 0] * 1_000_003 + tri_ij[:, 1]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
    light = light_mask(mesh)
    tiles = []
    for group in np.split(order, bounds):
        pts = mesh.vertices[mesh.triangles[group].ravel()]
        bbox = np.concatenate([pts.min(axis=0), pts.max(axis=0)])
        key = (int(tri_ij[group[0], 0]), int(tri_ij[group[0], 1]))
        tiles.append(Tile(key, group, group[light[group]], bbox))
    return tiles
