"""Grouping millions of boxes by grid cell in one pass (numba), without sorting them.

:func:`tile_groups` puts features in square tiles by the centre of their box (a counting
sort: stable, O(n)) and gives each tile's box; :func:`cell_sums` adds up, per cell of a
grid nested in those tiles, what the coarse block boxes of :mod:`cimviewer.geometry.hlod`
are made of. Both fall back to numpy when numba is missing.
"""

from __future__ import annotations

import numpy as np

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency
    njit = None  # type: ignore[assignment]

#: dense grids of more cells than this are grouped by sorting instead
MAX_DENSE_CELLS = 8_000_000
#: fewer rows than this are grouped by sorting (quick enough; the kernels are compiled
#: by numba the first time they run, in some seconds)
NUMBA_MIN_ROWS = 200_000


def _tile_index_py(boxes, ox, oy, size, nx, ny, out):  # pragma: no cover - compiled
    """Dense tile index (i * ny + j) of each box's centre (clamped to the grid); boxes
    with NaN go to 0."""
    for k in range(boxes.shape[0]):
        finite = True
        for a in range(6):
            if not np.isfinite(boxes[k, a]):
                finite = False
        if finite:
            i = int(np.floor(((boxes[k, 0] + boxes[k, 3]) / 2 - ox) / size))
            j = int(np.floor(((boxes[k, 1] + boxes[k, 4]) / 2 - oy) / size))
            out[k] = min(max(i, 0), nx - 1) * ny + min(max(j, 0), ny - 1)
        else:
            out[k] = 0


def _group_py(index, n_groups, boxes, lengths, order, starts, group_box, group_bytes,
              group_finite):  # pragma: no cover - compiled
    """Counting sort of ``index`` (stable) and each group's box (NaN rows skipped, all
    NaN: zeros, ``group_finite`` False) and byte total."""
    counts = np.zeros(n_groups + 1, np.int64)
    for k in range(index.shape[0]):
        counts[index[k] + 1] += 1
    for g in range(n_groups):
        counts[g + 1] += counts[g]
    starts[:] = counts
    fill = counts[:n_groups].copy()
    for g in range(n_groups):
        for a in range(3):
            group_box[g, a] = np.inf
            group_box[g, a + 3] = -np.inf
    for k in range(index.shape[0]):
        g = index[k]
        order[fill[g]] = k
        fill[g] += 1
        group_bytes[g] += lengths[k]
        finite = True
        for a in range(6):
            if not np.isfinite(boxes[k, a]):
                finite = False
        if finite:
            for a in range(3):
                if boxes[k, a] < group_box[g, a]:
                    group_box[g, a] = boxes[k, a]
                if boxes[k, a + 3] > group_box[g, a + 3]:
                    group_box[g, a + 3] = boxes[k, a + 3]
    for g in range(n_groups):
        group_finite[g] = group_box[g, 0] <= group_box[g, 3]
        if not group_finite[g]:
            for a in range(6):
                group_box[g, a] = 0.0


def _cell_sums_py(boxes, anchors, objects, ox, oy, tile_size, tx0, ty0, nty, finest,
                  divisions, first, sums, mins, maxs, best, rep):  # pragma: no cover
    """Per cell of each level (``divisions[l]`` cells a tile side; the level's cells
    from row ``first[l]``): area, area-weighted x, y and top; lowest z and union box;
    the largest object (first of equals)."""
    for k in range(boxes.shape[0]):
        finite = True
        for a in range(6):
            if not np.isfinite(boxes[k, a]):
                finite = False
        if not (finite and np.isfinite(anchors[k, 0]) and np.isfinite(anchors[k, 1])
                and objects[k] >= 0):
            continue
        x0, y0, z0 = boxes[k, 0], boxes[k, 1], boxes[k, 2]
        x1, y1, z1 = boxes[k, 3], boxes[k, 4], boxes[k, 5]
        dx = anchors[k, 0] - ox
        dy = anchors[k, 1] - oy
        ti = int(np.floor(dx / tile_size))
        tj = int(np.floor(dy / tile_size))
        cell = tile_size / finest
        si = int(np.floor((dx - ti * tile_size) / cell))
        sj = int(np.floor((dy - tj * tile_size) / cell))
        si = min(max(si, 0), finest - 1)
        sj = min(max(sj, 0), finest - 1)
        tile = (ti - tx0) * nty + (tj - ty0)
        area = max((x1 - x0) * (y1 - y0), 1e-6)
        volume = area * max(z1 - z0, 1e-3)
        cx = (x0 + x1) / 2
        cy = (y0 + y1) / 2
        for lv in range(divisions.shape[0]):
            d = divisions[lv]
            step = finest // d
            c = first[lv] + tile * d * d + (si // step) * d + (sj // step)
            sums[c, 0] += area
            sums[c, 1] += area * cx
            sums[c, 2] += area * cy
            sums[c, 3] += area * z1
            if sums[c, 4] == 0:  # first object of the cell
                mins[c, 0], mins[c, 1], mins[c, 2] = x0, y0, z0
                maxs[c, 0], maxs[c, 1] = x1, y1
                best[c] = volume
                rep[c] = objects[k]
            else:
                mins[c, 0] = min(mins[c, 0], x0)
                mins[c, 1] = min(mins[c, 1], y0)
                mins[c, 2] = min(mins[c, 2], z0)
                maxs[c, 0] = max(maxs[c, 0], x1)
                maxs[c, 1] = max(maxs[c, 1], y1)
                if volume > best[c]:
                    best[c] = volume
                    rep[c] = objects[k]
            sums[c, 4] += 1


if njit is not None:
    _tile_index = njit(cache=True, nogil=True)(_tile_index_py)
    _group = njit(cache=True, nogil=True)(_group_py)
    _cell_sums = njit(cache=True, nogil=True)(_cell_sums_py)
    AVAILABLE = True
else:  # pragma: no cover
    AVAILABLE = False


def tile_groups(boxes: np.ndarray, lengths: np.ndarray, origin: np.ndarray,
                tile_size: float) -> tuple[np.ndarray, ...] | None:
    """Features grouped by the tile (of ``tile_size`` from ``origin``) of their box
    centre, features without a finite box in tile (0, 0): (order, starts, tile ij,
    tile boxes, tile bytes, whether a tile has a finite box) for the non-empty tiles in
    (i, j) order, each tile's
    features in file order (``order[starts[t]:starts[t + 1]]``); None without numba or
    when the grid is too large to be dense (the caller sorts instead)."""
    ok = np.isfinite(boxes).all(axis=1)
    n = len(boxes)
    if n < NUMBA_MIN_ROWS:
        return None
    if ok.any():
        cx = (boxes[ok, 0] + boxes[ok, 3]) / 2
        cy = (boxes[ok, 1] + boxes[ok, 4]) / 2
        ni = int(np.floor((cx.max() - origin[0]) / tile_size)) + 1
        nj = int(np.floor((cy.max() - origin[1]) / tile_size)) + 1
    else:
        ni = nj = 1
    ni, nj = max(ni, 1), max(nj, 1)
    if not AVAILABLE or ni * nj > MAX_DENSE_CELLS:
        return None
    index = np.empty(n, np.int64)
    _tile_index(np.ascontiguousarray(boxes, np.float64), float(origin[0]), float(origin[1]),
                float(tile_size), ni, nj, index)
    order = np.empty(n, np.int64)
    starts = np.empty(ni * nj + 1, np.int64)
    group_box = np.empty((ni * nj, 6))
    group_bytes = np.zeros(ni * nj, np.int64)
    group_finite = np.zeros(ni * nj, np.bool_)
    _group(index, ni * nj, np.ascontiguousarray(boxes, np.float64),
           np.ascontiguousarray(lengths, np.int64), order, starts, group_box, group_bytes,
           group_finite)
    used = np.flatnonzero(np.diff(starts) > 0)
    ij = np.stack([used // nj, used % nj], axis=1)
    return (order, np.r_[starts[used], n], ij, group_box[used], group_bytes[used],
            group_finite[used])


def cell_sums(boxes: np.ndarray, anchors: np.ndarray, objects: np.ndarray,
              grid_origin: np.ndarray, tile_size: float, divisions: list[int],
              ) -> list[tuple[np.ndarray, ...]] | None:
    """Per level, for the non-empty cells in (tile, cell) order (rows of ``boxes`` whose
    ``objects`` is -1 skipped): (tile ij, sums (area,
    area x, area y, area top, count), mins (x, y, z), maxs (x, y), representative
    object). None when numba is missing, the divisions do not nest or the grid is too
    large to be dense (the caller sorts instead)."""
    finest = max(divisions)
    if not AVAILABLE or any(finest % d for d in divisions) or len(boxes) < NUMBA_MIN_ROWS:
        return None
    ok = np.isfinite(boxes).all(axis=1) & np.isfinite(anchors).all(axis=1) & (objects >= 0)
    if not ok.any():
        return None
    offset = anchors[ok] - grid_origin[:2]
    tij = np.floor(offset / tile_size)
    tx0, ty0 = int(tij[:, 0].min()), int(tij[:, 1].min())
    ntx, nty = int(tij[:, 0].max()) - tx0 + 1, int(tij[:, 1].max()) - ty0 + 1
    n_tiles = ntx * nty
    if n_tiles * finest * finest > MAX_DENSE_CELLS:
        return None
    d_arr = np.array(divisions, np.int64)
    # the levels' cells one after the other: a coarse level has only d * d a tile
    first = np.r_[0, np.cumsum(n_tiles * d_arr * d_arr)].astype(np.int64)
    n_cells = int(first[-1])
    sums = np.zeros((n_cells, 5))
    mins = np.empty((n_cells, 3))  # set by a cell's first object (count 0 before)
    maxs = np.empty((n_cells, 2))
    best = np.empty(n_cells)
    rep = np.empty(n_cells, np.int64)
    _cell_sums(np.ascontiguousarray(boxes, np.float64),
               np.ascontiguousarray(anchors, np.float64),
               np.ascontiguousarray(objects, np.int64), float(grid_origin[0]),
               float(grid_origin[1]), float(tile_size), tx0, ty0, nty, finest, d_arr,
               first, sums, mins, maxs, best, rep)
    out: list[tuple[np.ndarray, ...]] = []
    for lv, d in enumerate(divisions):
        cells = d * d
        used = np.flatnonzero(sums[first[lv]:first[lv + 1], 4] > 0)
        tile = used // cells
        ij = np.stack([tile // nty + tx0, tile % nty + ty0], axis=1)
        rows = used + first[lv]
        out.append((ij, sums[rows], mins[rows], maxs[rows], rep[rows]))
    return out
