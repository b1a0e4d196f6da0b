"""Extrusion of 2D footprints into closed LoD1 prisms (roof, ground and walls).

Footprints use the flat layout of :mod:`cimviewer.geometry.triangulate`: polygon ``p``
owns rings ``polygon_offsets[p]:polygon_offsets[p + 1]`` (exterior first, then holes)
and ring ``r`` is ``xy[ring_offsets[r]:ring_offsets[r + 1]]``. Rings may be closed
(last point repeating the first) or open, and in either orientation: exteriors are
made counter-clockwise and holes clockwise, so every face points out of the solid.

Everything is vectorized over all rings and edges; only the roof triangulation
(earcut) runs per polygon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.geometry.triangulate import triangulate_polygons

ROOF = SEMANTIC_CODES["RoofSurface"]
WALL = SEMANTIC_CODES["WallSurface"]
GROUND = SEMANTIC_CODES["GroundSurface"]


@dataclass
class ExtrudedMesh:
    """Triangles of extruded footprints; ``tri_polygon`` indexes the input polygons."""

    vertices: np.ndarray  # (n, 3) float64: ground layer, then roof layer
    triangles: np.ndarray  # (m, 3) int32
    tri_polygon: np.ndarray  # (m,) int64
    tri_semantic: np.ndarray  # (m,) uint8


def extrude_footprints(xy: np.ndarray, ring_offsets: np.ndarray, polygon_offsets: np.ndarray,
                       base_z: np.ndarray | float, height: np.ndarray | float) -> ExtrudedMesh:
    """Closed prisms from footprints: roof at ``base_z + height``, ground at ``base_z``.

    ``base_z`` and ``height`` are per polygon (or scalars); heights must be positive.
    Vertices are shared between faces (a watertight mesh); degenerate polygons give
    no roof/ground and zero-length edges give no wall.
    """
    xy = np.asarray(xy, np.float64)[:, :2]
    ring_offsets = np.asarray(ring_offsets, np.int64)
    polygon_offsets = np.asarray(polygon_offsets, np.int64)
    n_poly = len(polygon_offsets) - 1
    base = np.broadcast_to(np.asarray(base_z, np.float64), (n_poly,))
    tall = np.broadcast_to(np.asarray(height, np.float64), (n_poly,))
    if n_poly and not (np.isfinite(base).all() and np.isfinite(tall).all() and (tall > 0).all()):
        raise ValueError("base_z must be finite and height finite and positive")

    xy, counts = _open_rings(xy, ring_offsets)
    starts = np.cumsum(counts) - counts
    ring_poly = np.repeat(np.arange(n_poly), np.diff(polygon_offsets))
    is_hole = np.ones(len(counts), bool)
    is_hole[polygon_offsets[:-1][np.diff(polygon_offsets) > 0]] = False
    order = _oriented_order(xy, starts, counts, flip=(_signed_areas(xy, starts, counts) < 0)
                            != is_hole)
    xy = xy[order]

    n = len(xy)
    vertex_poly = np.repeat(ring_poly, counts)
    z0 = base[vertex_poly]
    vertices = np.concatenate([np.column_stack([xy, z0]),
                               np.column_stack([xy, z0 + tall[vertex_poly]])])
    new_ring_offsets = np.concatenate([[0], np.cumsum(counts)])

    roof, roof_poly = triangulate_polygons(vertices[n:], np.arange(n), new_ring_offsets,
                                           polygon_offsets)
    ground = roof[:, ::-1]
    walls, wall_poly = _walls(xy, starts, counts, vertex_poly, n)
    triangles = np.concatenate([roof + n, ground, walls]).astype(np.int32)
    tri_polygon = np.concatenate([roof_poly, roof_poly, wall_poly]).astype(np.int64)
    tri_semantic = np.concatenate([
        np.full(len(roof), ROOF, np.uint8), np.full(len(roof), GROUND, np.uint8),
        np.full(len(walls), WALL, np.uint8)])
    return ExtrudedMesh(vertices, triangles.reshape(-1, 3), tri_polygon, tri_semantic)


def _open_rings(xy: np.ndarray, ring_offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop each ring's closing point (when it repeats the first); return xy and counts."""
    counts = np.diff(ring_offsets)
    first = ring_offsets[:-1]
    last = ring_offsets[1:] - 1
    closed = np.zeros(len(counts), bool)
    has = counts > 1
    closed[has] = (xy[first[has]] == xy[last[has]]).all(axis=1)
    keep = np.ones(len(xy), bool)
    keep[last[closed]] = False
    return xy[keep], counts - closed


def _signed_areas(xy: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Shoelace area of every ring (positive = counter-clockwise), vectorized."""
    nxt = _next_index(starts, counts)
    cross = xy[:, 0] * xy[nxt, 1] - xy[nxt, 0] * xy[:, 1]
    ring = np.repeat(np.arange(len(counts)), counts)
    return np.bincount(ring, weights=cross, minlength=len(counts)) / 2


def _next_index(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Index of the following vertex in the same ring, wrapping around."""
    total = int(counts.sum())
    ring_start = np.repeat(starts, counts)
    local = np.arange(total) - ring_start
    return ring_start + (local + 1) % np.repeat(np.maximum(counts, 1), counts)


def _oriented_order(xy: np.ndarray, starts: np.ndarray, counts: np.ndarray,
                    flip: np.ndarray) -> np.ndarray:
    """Vertex order with the flagged rings reversed."""
    total = int(counts.sum())
    ring_start = np.repeat(starts, counts)
    local = np.arange(total) - ring_start
    reverse = np.repeat(flip, counts)
    return ring_start + np.where(reverse, np.repeat(counts, counts) - 1 - local, local)


def _walls(xy: np.ndarray, starts: np.ndarray, counts: np.ndarray, vertex_poly: np.ndarray,
           n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two triangles per ring edge (bottom i, bottom j, top j / bottom i, top j, top i)."""
    valid = np.repeat(counts >= 3, counts)
    i = np.arange(len(xy))
    j = _next_index(starts, counts)
    valid &= (xy[i] != xy[j]).any(axis=1)
    i, j = i[valid], j[valid]
    lower = np.column_stack([i, j, j + n])
    upper = np.column_stack([i, j + n, i + n])
    walls = np.stack([lower, upper], axis=1).reshape(-1, 3)
    return walls, np.repeat(vertex_poly[i], 2)
