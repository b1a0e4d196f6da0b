"""Which receivers see the sun: exact ray casting in the sun's own projection.

For one sun direction ``d`` every point and triangle is projected onto the plane
perpendicular to ``d`` (coordinates u, v) with ``w`` the height towards the sun. A
receiver is in shadow when its (u, v) lies inside a projected triangle whose ``w`` at that
spot is above the receiver's: exactly the ray test ``p + t d, t > 0``. The projected
triangles are binned into a uniform 2D grid once per step, so each receiver is tested
against the few triangles of its cell only (numpy, vectorized over receiver-triangle
pairs; no per-ray Python loop). With numba installed the same test runs compiled, with a
counting-sort grid and an early exit at the first blocking triangle.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

prange = range  # replaced by numba's below

#: receivers whose surface faces the sun by less than this (cosine) count as unlit
MIN_INCIDENCE = 1e-6
#: a triangle must be this far (m) towards the sun from a receiver to shade it
DEPTH_EPS = 1e-4


def _basis(d: np.ndarray) -> np.ndarray:
    """(3, 3) matrix whose columns are u, v (perpendicular to ``d``) and ``d``."""
    helper = np.array([0.0, 0.0, 1.0]) if abs(d[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(helper, d)
    u /= np.linalg.norm(u)
    v = np.cross(d, u)
    return np.column_stack([u, v, d])


def shadowed(vertices: np.ndarray, triangles: np.ndarray, points: np.ndarray,
             direction: np.ndarray, *, chunk: int = 2_000_000,
             use_numba: bool = True) -> np.ndarray:
    """Bool (n,) per point: does the ray from it towards ``direction`` hit a triangle?"""
    points = np.asarray(points, float)
    n = len(points)
    out = np.zeros(n, bool)
    if not n or not len(triangles):
        return out
    d = np.asarray(direction, float)
    d = d / np.linalg.norm(d)
    m = _basis(d)
    pv = np.asarray(vertices, float) @ m
    pp = points @ m
    t = np.asarray(triangles, np.int64)
    a, b, c = pv[t[:, 0]], pv[t[:, 1]], pv[t[:, 2]]
    area2 = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    top = np.maximum(np.maximum(a[:, 2], b[:, 2]), c[:, 2])
    keep = (np.abs(area2) > 1e-9) & (top > pp[:, 2].min() + DEPTH_EPS)  # edge-on: no cover
    if not keep.any():
        return out
    a, b, c, area2 = a[keep], b[keep], c[keep], area2[keep]
    lo = np.minimum(np.minimum(a[:, :2], b[:, :2]), c[:, :2])
    hi = np.maximum(np.maximum(a[:, :2], b[:, :2]), c[:, :2])
    glo = lo.min(axis=0)
    extent = np.maximum(hi.max(axis=0) - glo, 1e-6)
    if _kernel is not None and use_numba:
        cell = float(max(np.sqrt(extent[0] * extent[1] / len(a)), 1e-3))
        nx, ny = int(extent[0] // cell) + 1, int(extent[1] // cell) + 1
        _kernel(np.ascontiguousarray(a), np.ascontiguousarray(b), np.ascontiguousarray(c),
                area2, lo, hi, float(glo[0]), float(glo[1]), cell, nx, ny,
                np.ascontiguousarray(pp), out)
        return out
    size = np.median(np.max(hi - lo, axis=1))
    cell = float(max(size, np.sqrt(extent[0] * extent[1] / max(len(a), 1)), 1e-3))
    nx, ny = int(extent[0] // cell) + 1, int(extent[1] // cell) + 1
    ix0, iy0 = ((lo - glo) // cell).astype(np.int64).T
    ix1, iy1 = ((hi - glo) // cell).astype(np.int64).T
    wx, wy = ix1 - ix0 + 1, iy1 - iy0 + 1
    counts = wx * wy
    tri_ids = np.repeat(np.arange(len(a)), counts)
    k = np.arange(len(tri_ids)) - np.repeat(np.cumsum(counts) - counts, counts)
    cx = np.repeat(ix0, counts) + k % np.repeat(wx, counts)
    cy = np.repeat(iy0, counts) + k // np.repeat(wx, counts)
    cell_ids = cy * nx + cx
    order = np.argsort(cell_ids, kind="stable")
    cell_tris = tri_ids[order]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(cell_ids, minlength=nx * ny))])
    # receivers -> their cell's triangles
    qx = np.floor((pp[:, 0] - glo[0]) / cell).astype(np.int64)
    qy = np.floor((pp[:, 1] - glo[1]) / cell).astype(np.int64)
    inside = (qx >= 0) & (qx < nx) & (qy >= 0) & (qy < ny)
    pid = np.flatnonzero(inside)
    qcell = qy[pid] * nx + qx[pid]
    starts = offsets[qcell]
    cnt = offsets[qcell + 1] - starts
    bounds = np.concatenate([[0], np.cumsum(cnt)])
    first = 0
    while first < len(pid):  # chunks of receivers with at most ``chunk`` pairs
        last = int(np.searchsorted(bounds, bounds[first] + chunk, side="right")) - 1
        last = max(last, first + 1)
        c_cnt = cnt[first:last]
        total = int(c_cnt.sum())
        if total:
            rep = np.repeat(np.arange(first, last), c_cnt)
            pos = np.arange(total) - np.repeat(np.cumsum(c_cnt) - c_cnt, c_cnt)
            tri = cell_tris[starts[rep] + pos]
            hit = _hits(pp[pid[rep]], a[tri], b[tri], c[tri], area2[tri])
            out[pid[rep[hit]]] = True
        first = last
    return out


def _hits(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
          area2: np.ndarray) -> np.ndarray:
    """Point-in-projected-triangle and above-the-point tests, pairwise."""
    sign = np.sign(area2)
    px, py = p[:, 0], p[:, 1]
    l0 = ((b[:, 0] - px) * (c[:, 1] - py) - (b[:, 1] - py) * (c[:, 0] - px)) * sign
    l1 = ((c[:, 0] - px) * (a[:, 1] - py) - (c[:, 1] - py) * (a[:, 0] - px)) * sign
    l2 = ((a[:, 0] - px) * (b[:, 1] - py) - (a[:, 1] - py) * (b[:, 0] - px)) * sign
    tol = -1e-9 * np.abs(area2)
    inside = (l0 >= tol) & (l1 >= tol) & (l2 >= tol)
    depth = (l0 * a[:, 2] + l1 * b[:, 2] + l2 * c[:, 2]) / np.abs(area2)
    return inside & (depth > p[:, 2] + DEPTH_EPS)


def _kernel_py(a, b, c, area2, lo, hi, gx0, gy0, cell, nx, ny, pp, out):  # pragma: no cover
    """Counting-sort grid of the projected triangles, then each point against its cell."""
    n_cells = nx * ny
    offsets = np.zeros(n_cells + 1, np.int64)
    ix0 = np.empty(len(a), np.int64)
    iy0 = np.empty(len(a), np.int64)
    ix1 = np.empty(len(a), np.int64)
    iy1 = np.empty(len(a), np.int64)
    for t in range(len(a)):
        ix0[t] = int((lo[t, 0] - gx0) // cell)
        iy0[t] = int((lo[t, 1] - gy0) // cell)
        ix1[t] = min(int((hi[t, 0] - gx0) // cell), nx - 1)
        iy1[t] = min(int((hi[t, 1] - gy0) // cell), ny - 1)
        for cy in range(iy0[t], iy1[t] + 1):
            for cx in range(ix0[t], ix1[t] + 1):
                offsets[cy * nx + cx + 1] += 1
    for i in range(n_cells):
        offsets[i + 1] += offsets[i]
    cursor = offsets[:-1].copy()
    cell_tris = np.empty(offsets[-1], np.int64)
    for t in range(len(a)):
        for cy in range(iy0[t], iy1[t] + 1):
            for cx in range(ix0[t], ix1[t] + 1):
                k = cy * nx + cx
                cell_tris[cursor[k]] = t
                cursor[k] += 1
    for i in prange(len(pp)):
        qx = int(np.floor((pp[i, 0] - gx0) / cell))
        qy = int(np.floor((pp[i, 1] - gy0) / cell))
        if qx < 0 or qx >= nx or qy < 0 or qy >= ny:
            continue
        px, py, pz = pp[i, 0], pp[i, 1], pp[i, 2]
        k = qy * nx + qx
        for j in range(offsets[k], offsets[k + 1]):
            t = cell_tris[j]
            if px < lo[t, 0] or px > hi[t, 0] or py < lo[t, 1] or py > hi[t, 1]:
                continue
            sign = 1.0 if area2[t] > 0 else -1.0
            l0 = ((b[t, 0] - px) * (c[t, 1] - py) - (b[t, 1] - py) * (c[t, 0] - px)) * sign
            l1 = ((c[t, 0] - px) * (a[t, 1] - py) - (c[t, 1] - py) * (a[t, 0] - px)) * sign
            l2 = ((a[t, 0] - px) * (b[t, 1] - py) - (a[t, 1] - py) * (b[t, 0] - px)) * sign
            tol = -1e-9 * abs(area2[t])
            if l0 < tol or l1 < tol or l2 < tol:
                continue
            depth = (l0 * a[t, 2] + l1 * b[t, 2] + l2 * c[t, 2]) / abs(area2[t])
            if depth > pz + DEPTH_EPS:
                out[i] = True
                break


try:
    from numba import njit, prange
except Exception:  # not installed, or broken: numpy only
    _kernel = None
else:
    _kernel = njit(parallel=True, cache=False)(_kernel_py)


def sunlit_minutes(vertices: np.ndarray, triangles: np.ndarray, points: np.ndarray,
                   normals: np.ndarray | None, directions: np.ndarray, step_minutes: float,
                   *, progress: Callable[[float], None] | None = None,
                   check_cancelled: Callable[[], None] | None = None) -> np.ndarray:
    """Minutes of direct sun per point over the steps (one sun ``direction`` per step).

    A step counts when the sun is above the horizon, faces the receiver's surface
    (``normals``; None: any) and no triangle lies between.
    """
    points = np.asarray(points, float)
    lit = np.zeros(len(points), np.int64)
    for i, d in enumerate(np.asarray(directions, float)):
        if check_cancelled is not None:
            check_cancelled()
        if d[2] > 0:
            facing = (np.ones(len(points), bool) if normals is None
                      else np.asarray(normals, float) @ d > MIN_INCIDENCE)
            idx = np.flatnonzero(facing)
            if len(idx):
                lit[idx[~shadowed(vertices, triangles, points[idx], d)]] += 1
        if progress is not None:
            progress((i + 1) / len(directions))
    return lit * float(step_minutes)
