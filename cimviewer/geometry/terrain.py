"""Terrain kernels: grid to triangle mesh, decimation, bilinear height sampling."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cimviewer.core.datasets import TerrainGrid


def decimation_step(grid: TerrainGrid, max_cells: int) -> int:
    rows, cols = grid.shape
    return int(np.ceil(np.sqrt(rows * cols / max_cells))) if rows * cols > max_cells else 1


def decimate(grid: TerrainGrid, max_cells: int, highest: bool = False) -> TerrainGrid:
    """Keep every k-th row and column so the grid has at most ``max_cells`` cells.

    The kept pixels keep their positions (the origin moves by half the new cell less
    half the old one). With ``highest`` each kept pixel takes the highest height within
    the k x k block around it, so a coarse drape never dips under the finer terrain.
    """
    step = decimation_step(grid, max_cells)
    if step <= 1:
        return grid
    heights = grid.heights
    if highest:
        from scipy.ndimage import maximum_filter

        filled = np.where(np.isfinite(heights), heights, -np.inf)
        pooled = maximum_filter(filled, size=step, mode="nearest")
        heights = np.where(np.isfinite(heights), pooled, np.nan)
    shift = (step - 1) / 2
    return TerrainGrid(
        heights[::step, ::step].copy(),
        grid.x0 - shift * grid.dx, grid.y0 + shift * grid.dy,
        grid.dx * step, grid.dy * step, grid.crs,
        source_shape=grid.source_shape or grid.shape,
        colors=None if grid.colors is None else grid.colors[::step, ::step].copy(),
    )


def fit_under(coarse: TerrainGrid, fine: TerrainGrid) -> TerrainGrid:
    """``coarse`` (a :func:`decimate` of ``fine``) lowered just enough that its mesh
    stays under the mesh of ``fine`` at every fine pixel.

    A coarse mesh cuts through hills and bridges valleys; where it rises above the
    fine terrain it would hide what is draped a metre above that (rasters, sensor
    surfaces). Each coarse cell's corners come down by the most the cell rises above a
    fine pixel in it: nothing on smooth ground, as much as needed on rough ground.
    Between fine pixels the two meshes may still cross by a fraction of that.
    """
    rows, cols = coarse.shape
    step = round(coarse.dx / fine.dx)
    if step <= 1 or rows < 2 or cols < 2:
        return coarse
    # fine pixels within the coarse mesh, and the coarse cell and place in it of each
    r = np.arange((rows - 1) * step + 1)
    c = np.arange((cols - 1) * step + 1)
    ci = np.minimum(r // step, rows - 2)
    cj = np.minimum(c // step, cols - 2)
    fv = ((r - ci * step) / step)[:, None]
    fu = ((c - cj * step) / step)[None, :]
    h = coarse.heights
    ha, hb = h[ci][:, cj], h[ci][:, cj + 1]
    hc, hd = h[ci + 1][:, cj + 1], h[ci + 1][:, cj]
    # the two triangles of a cell as grid_mesh cuts them: (a, d, c) and (a, c, b)
    above = np.where(fv >= fu, ha + fu * (hc - hd) + fv * (hd - ha),
                     ha + fu * (hb - ha) + fv * (hc - hb)) - fine.heights[:len(r), :len(c)]
    above = np.where(np.isfinite(above), np.maximum(above, 0.0), 0.0)
    per_cell = np.zeros((rows - 1, cols - 1))
    np.maximum.at(per_cell, (np.broadcast_to(ci[:, None], above.shape),
                             np.broadcast_to(cj[None, :], above.shape)), above)
    # cell edges lie in two cells (corners in four): each corner comes down by the most
    # any of its cells needs
    padded = np.pad(per_cell, 1)
    drop = np.maximum.reduce([padded[:-1, :-1], padded[:-1, 1:], padded[1:, :-1], padded[1:, 1:]])
    return replace(coarse, heights=coarse.heights - drop)


def grid_mesh(grid: TerrainGrid, with_index: bool = False):
    """Vertices (pixel centres, float64) and triangles of the grid; nodata cells are holes.

    A cell (quad of 4 neighbouring pixel centres) is dropped when any corner is NaN.
    With ``with_index`` also returns each vertex's flat pixel index (for imagery colours).
    """
    rows, cols = grid.shape
    xs = grid.x0 + (np.arange(cols) + 0.5) * grid.dx
    ys = grid.y0 - (np.arange(rows) + 0.5) * grid.dy
    gx, gy = np.meshgrid(xs, ys)
    vertices = np.column_stack([gx.ravel(), gy.ravel(), grid.heights.ravel()])
    if rows < 2 or cols < 2:
        empty = np.zeros((0, 3), np.int32)
        return (vertices[:0], empty, np.zeros(0, np.int64)) if with_index else (vertices, empty)
    idx = np.arange(rows * cols, dtype=np.int64).reshape(rows, cols)
    a = idx[:-1, :-1].ravel()
    b = idx[:-1, 1:].ravel()
    c = idx[1:, 1:].ravel()
    d = idx[1:, :-1].ravel()
    finite = np.isfinite(grid.heights.ravel())
    ok = finite[a] & finite[b] & finite[c] & finite[d]
    a, b, c, d = a[ok], b[ok], c[ok], d[ok]
    # rows go south, so (a, d, c) is counter-clockwise seen from above
    tris = np.concatenate([np.column_stack([a, d, c]), np.column_stack([a, c, b])])
    used, inverse = np.unique(tris.ravel(), return_inverse=True)
    if with_index:
        return vertices[used], inverse.reshape(-1, 3).astype(np.int32), used
    return vertices[used], inverse.reshape(-1, 3).astype(np.int32)


def sample_grid(heights: np.ndarray, x0: float, y0: float, dx: float, dy: float,
                x: np.ndarray, y: np.ndarray, *, clamp: bool = False,
                fill: float = np.nan) -> np.ndarray:
    """Bilinear sample of a north-up grid (pixel (row, col) centred at
    ``(x0 + (col + 0.5) dx, y0 - (row + 0.5) dy)``), vectorized.

    Outside the grid: the value at the nearest edge with ``clamp``, else ``fill``.
    Where a neighbouring pixel is NaN (nodata) the result is ``fill``.
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    rows, cols = heights.shape
    fc = (x - x0) / dx - 0.5
    fr = (y0 - y) / dy - 0.5
    unknown = ~(np.isfinite(fc) & np.isfinite(fr))  # points without a position
    if unknown.any():
        fc, fr = np.where(unknown, 0.0, fc), np.where(unknown, 0.0, fr)
    c0 = np.clip(np.floor(fc).astype(np.int64), 0, max(cols - 2, 0))
    r0 = np.clip(np.floor(fr).astype(np.int64), 0, max(rows - 2, 0))
    c1 = np.minimum(c0 + 1, cols - 1)
    r1 = np.minimum(r0 + 1, rows - 1)
    tc = np.clip(fc - c0, 0, 1)
    tr = np.clip(fr - r0, 0, 1)
    top = heights[r0, c0] * (1 - tc) + heights[r0, c1] * tc
    bottom = heights[r1, c0] * (1 - tc) + heights[r1, c1] * tc
    z = top * (1 - tr) + bottom * tr
    bad = ~np.isfinite(z) | unknown
    if not clamp:
        bad |= (fc < -0.5) | (fr < -0.5) | (fc > cols - 0.5) | (fr > rows - 0.5)
    return np.where(bad, fill, z)


def sample_heights(grid: TerrainGrid, x: np.ndarray, y: np.ndarray,
                   fill: float = np.nan) -> np.ndarray:
    """Bilinear terrain height at points (vectorized). Outside the grid or on nodata: ``fill``."""
    return sample_grid(grid.heights, grid.x0, grid.y0, grid.dx, grid.dy, x, y, fill=fill)


def set_on_terrain(vertices: np.ndarray, triangles: np.ndarray, tri_object: np.ndarray,
                   n_objects: int, grid: TerrainGrid) -> np.ndarray:
    """Vertices moved up or down so each object's lowest point sits on the terrain.

    The terrain height of an object is the lowest terrain sample under its vertices
    (a building on a slope is not buried on its downhill side). Objects outside the
    terrain keep their height.
    """
    vertex_object = np.full(len(vertices), -1, np.int64)
    vertex_object[triangles.ravel()] = np.repeat(tri_object, 3)
    used = vertex_object >= 0
    ground = sample_heights(grid, vertices[:, 0], vertices[:, 1])
    obj = vertex_object[used]
    lowest_terrain = np.full(n_objects, np.inf)
    np.minimum.at(lowest_terrain, obj, np.where(np.isfinite(ground[used]), ground[used], np.inf))
    lowest_z = np.full(n_objects, np.inf)
    np.minimum.at(lowest_z, obj, vertices[used, 2])
    shift = np.where(np.isfinite(lowest_terrain) & np.isfinite(lowest_z),
                     lowest_terrain - lowest_z, 0.0)
    out = vertices.copy()
    out[used, 2] += shift[obj]
    return out
