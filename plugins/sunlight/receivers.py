"""Receiver points: samples on building walls, and a ground grid between buildings."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sunlight.shadow import shadowed


def facade_points(vertices: np.ndarray, triangles: np.ndarray, tri_object: np.ndarray, *,
                  spacing_m: float = 5.0, offset_m: float = 0.1) -> dict[str, np.ndarray]:
    """Samples on walls (|n_z| < 0.3): each wall triangle is halved at its longest edge
    until no edge exceeds ``spacing_m``; a piece gives its centroid moved ``offset_m``
    out of the wall.

    Returns ``xyz`` (n, 3), ``normal`` (n, 3), ``area`` (n,), ``building`` (n,) (object
    index of the wall).
    """
    v = np.asarray(vertices, float)
    t = np.asarray(triangles, np.int64)
    a, b, c = v[t[:, 0]], v[t[:, 1]], v[t[:, 2]]
    n = np.cross(b - a, c - a)
    norm = np.linalg.norm(n, axis=1)
    ok = norm > 1e-9
    nz = np.where(ok, n[:, 2] / np.where(ok, norm, 1), 0)
    idx = np.flatnonzero(ok & (np.abs(nz) < 0.3))
    tri = np.stack([a[idx], b[idx], c[idx]], axis=1)
    src = np.arange(len(idx))
    done_t, done_s = [], []
    for _ in range(64):  # longest-edge bisection: thin wall strips stay strips
        edges = np.stack([tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 1], tri[:, 0] - tri[:, 2]],
                         axis=1)
        length = np.linalg.norm(edges, axis=2)
        big = length.max(axis=1) > spacing_m
        done_t.append(tri[~big])
        done_s.append(src[~big])
        tri, src, length = tri[big], src[big], length[big]
        if not len(tri):
            break
        k = length.argmax(axis=1)  # edge k runs from corner k to corner k+1
        rows = np.arange(len(tri))
        p, q, r = tri[rows, k], tri[rows, (k + 1) % 3], tri[rows, (k + 2) % 3]
        mid = (p + q) / 2
        tri = np.concatenate([np.stack([p, mid, r], axis=1), np.stack([mid, q, r], axis=1)])
        src = np.tile(src, 2)
    done_t.append(tri)
    done_s.append(src)
    pieces, owner = np.concatenate(done_t), np.concatenate(done_s)
    unit = n[idx] / norm[idx, None]
    normal = unit[owner]
    area = 0.5 * np.linalg.norm(np.cross(pieces[:, 1] - pieces[:, 0],
                                         pieces[:, 2] - pieces[:, 0]), axis=1)
    xyz = pieces.mean(axis=1) + offset_m * normal
    building = np.asarray(tri_object, np.int64)[idx][owner]
    return {"xyz": xyz, "normal": normal, "area": area, "building": building}


def ground_grid(vertices: np.ndarray, triangles: np.ndarray,
                bounds: tuple[float, float, float, float], cell_m: float,
                ground: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
                height_m: float = 0.05) -> dict:
    """Cell centres over ``bounds`` (xmin, ymin, xmax, ymax), ``height_m`` above the
    ground (``ground(x, y)`` -> z; else the lowest building vertex); cells under a
    building (a vertical ray hits it) are dropped.

    Returns ``xyz`` (n, 3), ``mask`` (rows, cols) of kept cells (row 0 north) and
    ``transform`` (x0, y0 top-left, cell).
    """
    xmin, ymin, xmax, ymax = bounds
    cols = max(1, int(np.ceil((xmax - xmin) / cell_m)))
    rows = max(1, int(np.ceil((ymax - ymin) / cell_m)))
    xs = xmin + (np.arange(cols) + 0.5) * cell_m
    ys = ymax - (np.arange(rows) + 0.5) * cell_m
    gx, gy = np.meshgrid(xs, ys)
    if ground is not None:
        z = np.asarray(ground(gx.ravel(), gy.ravel()), float)
    else:
        z = np.full(gx.size, float(np.asarray(vertices)[:, 2].min()) if len(vertices) else 0.0)
    xyz = np.column_stack([gx.ravel(), gy.ravel(), z + height_m])
    mask = np.isfinite(z) & ~shadowed(vertices, triangles, np.nan_to_num(xyz),
                                      np.array([0.0, 0.0, 1.0]))
    return {"xyz": xyz[mask], "mask": mask.reshape(rows, cols), "transform": (xmin, ymax, cell_m)}
