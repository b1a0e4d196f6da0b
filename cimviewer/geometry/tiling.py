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
    """One representative xy point per object (NaN for objects without triangles).

    Tiles only need to know where an object is, not its exact centroid: the first
    vertex of each run of an object's triangles is enough and costs O(runs), not a
    gather over every triangle corner.
    """
    obj = mesh.tri_object
    out = np.full((n_objects, 2), np.nan)
    if not len(obj):
        return out
    starts = np.flatnonzero(np.r_[True, obj[1:] != obj[:-1]])
    out[obj[starts]] = mesh.vertices[mesh.triangles[starts, 0], :2]
    return out


def light_mask(mesh: TriangleMesh) -> np.ndarray:
    """Triangles kept far away: roofs (or upward-facing faces without semantics).

    Seen from a distance, roofs carry the city's shape; walls are a few pixels thin.
    This keeps roughly a fifth of an LoD1/LoD2 mesh.
    """
    roof = mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"]
    plain = np.flatnonzero(mesh.tri_semantic == 0)
    if len(plain):  # only triangles without semantics need their normal
        a, b, c = (mesh.vertices[mesh.triangles[plain, i]] for i in range(3))
        normal = np.cross(b - a, c - a)
        length = np.linalg.norm(normal, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            roof[plain[normal[:, 2] / length > 0.5]] = True
    return roof


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
        key = (int(tri_ij[group[0], 0]), int(tri_ij[group[0], 1]))
        # bbox: filled in by whoever compacts the tile's vertices (no extra gather here)
        tiles.append(Tile(key, group, group[light[group]], np.full(6, np.nan)))
    return tiles
