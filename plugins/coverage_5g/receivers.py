"""Receiver points: a street/area grid on the height raster, façade and roof samples."""

from __future__ import annotations

import numpy as np

from coverage_5g.height_raster import HeightRaster


def grid_receivers(raster: HeightRaster, window: tuple[int, int, int, int], *,
                   mode: str = "street", ue_height_m: float = 1.5) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """Receivers at the centres of raster cells rows r0:r1, cols c0:c1.

    ``mode="street"``: ``ue_height_m`` above the ground, cells inside buildings masked;
    ``mode="area"``: ``ue_height_m`` above the surface (on roofs inside buildings).
    Returns (points (n, 3) of the unmasked cells in row-major order, mask (h, w)).
    """
    r0, r1, c0, c1 = window
    xs, ys = raster.centres(slice(r0, r1), slice(c0, c1))
    gx, gy = np.meshgrid(xs, ys)
    if mode == "street":
        mask = raster.building[r0:r1, c0:c1] < 0
        base = raster.ground[r0:r1, c0:c1]
    elif mode == "area":
        mask = np.ones(gx.shape, bool)
        base = raster.surface[r0:r1, c0:c1]
    else:
        raise ValueError(f"receiver mode must be 'street' or 'area', not {mode!r}")
    z = base.astype(np.float64) + ue_height_m
    pts = np.column_stack([gx[mask], gy[mask], z[mask]])
    return pts, mask


def surface_points(vertices: np.ndarray, triangles: np.ndarray, tri_object: np.ndarray, *,
                   kind: str = "wall", spacing_m: float = 10.0,
                   offset_m: float = 2.0) -> dict[str, np.ndarray]:
    """Sample points on walls (|n_z| < 0.3) or roofs (n_z > 0.3) of building triangles.

    Triangles are split until no edge exceeds ``spacing_m``; each piece gives its centroid
    moved ``offset_m`` along its outward normal (so that the point is outside the
    building's raster cells; use ≥ 0.75 × cell). Returns arrays ``xyz`` (n, 3),
    ``normal`` (n, 3), ``area`` (n,) and ``building`` (n,) — the triangle's object index.
    """
    v = np.asarray(vertices, float)
    t = np.asarray(triangles, np.int64)
    a, b, c = v[t[:, 0]], v[t[:, 1]], v[t[:, 2]]
    n = np.cross(b - a, c - a)
    norm = np.linalg.norm(n, axis=1)
    ok = norm > 1e-9
    nz = np.where(ok, n[:, 2] / np.where(ok, norm, 1), 0)
    if kind == "wall":
        sel = ok & (np.abs(nz) < 0.3)
    elif kind == "roof":
        sel = ok & (nz > 0.3)
    else:
        raise ValueError(f"kind must be 'wall' or 'roof', not {kind!r}")
    idx = np.flatnonzero(sel)
    tris = np.stack([a[idx], b[idx], c[idx]], axis=1)
    owner = np.asarray(tri_object, np.int64)[idx]
    # split per original triangle, remembering the owner through a 4th "vertex" column
    tag = np.repeat(np.arange(len(idx), dtype=float)[:, None, None], 3, axis=2)
    tagged = np.concatenate([tris, tag], axis=1)
    pieces = _split_tagged(tagged, spacing_m)
    src = pieces[:, 3, 0].astype(np.int64)
    p = pieces[:, :3]
    unit = n[idx] / norm[idx, None]
    normal = unit[src]
    area = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    xyz = p.mean(axis=1) + offset_m * normal
    return {"xyz": xyz, "normal": normal, "area": area, "building": owner[src]}


def _split_tagged(tagged: np.ndarray, max_edge: float) -> np.ndarray:
    """Midpoint-split (n, 4, 3) triangles 4-way until no edge exceeds ``max_edge``.

    Rows 0-2 are the corners; row 3 is a tag (the source triangle) copied to the pieces.
    """
    done = []
    tri = tagged
    for _ in range(16):
        edges = np.stack([tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 1], tri[:, 0] - tri[:, 2]],
                         axis=1)
        big = np.linalg.norm(edges, axis=2).max(axis=1) > max_edge
        done.append(tri[~big])
        tri = tri[big]
        if not len(tri):
            break
        a, b, c, tag = tri[:, 0], tri[:, 1], tri[:, 2], tri[:, 3]
        ab, bc, ca = (a + b) / 2, (b + c) / 2, (c + a) / 2
        tri = np.concatenate([np.stack(q, axis=1) for q in
                              ((a, ab, ca, tag), (ab, b, bc, tag), (ca, bc, c, tag),
                               (ab, bc, ca, tag))])
    done.append(tri)
    return np.concatenate(done)
