"""Height raster: max(terrain, roofs) per cell, built from plain triangle and DEM arrays.

Cell (row, col) covers ``x0 + col*cell .. x0 + (col+1)*cell`` and
``y0 - (row+1)*cell .. y0 - row*cell`` (north-up, like GeoTIFF). Buildings are
rasterized at cell centres: a cell takes the highest non-vertical triangle (roof) above
its centre, so objects thinner than a cell may be missed and edges move by up to half a
cell.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from cimviewer.api import sample_grid


@dataclass
class HeightRaster:
    """``surface`` = max(ground, roofs); ``building`` = object index per cell, -1 = none."""

    surface: np.ndarray  # (rows, cols) float32
    ground: np.ndarray  # (rows, cols) float32, terrain at cell centres
    building: np.ndarray  # (rows, cols) int32
    x0: float
    y0: float
    cell: float
    crs: str | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.surface.shape  # type: ignore[return-value]

    def centres(self, rows: slice = slice(None), cols: slice = slice(None)):
        """x of the columns and y of the rows of cell centres (1D arrays)."""
        r = np.arange(self.shape[0])[rows]
        c = np.arange(self.shape[1])[cols]
        return self.x0 + (c + 0.5) * self.cell, self.y0 - (r + 0.5) * self.cell

    def index(self, x, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, col, inside) of points."""
        c = np.floor((np.asarray(x, float) - self.x0) / self.cell).astype(np.int64)
        r = np.floor((self.y0 - np.asarray(y, float)) / self.cell).astype(np.int64)
        inside = (r >= 0) & (c >= 0) & (r < self.shape[0]) & (c < self.shape[1])
        return np.clip(r, 0, self.shape[0] - 1), np.clip(c, 0, self.shape[1] - 1), inside

    def surface_at(self, x, y) -> np.ndarray:
        r, c, inside = self.index(x, y)
        return np.where(inside, self.surface[r, c], np.nan)


def sample_bilinear(heights: np.ndarray, x0: float, y0: float, dx: float, dy: float,
                    x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Bilinear sample of a north-up grid (pixel centres at +0.5), clamped at the edges."""
    return sample_grid(heights, x0, y0, dx, dy, x, y, clamp=True)


def _fill_nodata(heights: np.ndarray) -> np.ndarray:
    """NaN holes get the lowest valid height (never blocks a ray that the rest would not)."""
    h = np.asarray(heights, float)
    finite = np.isfinite(h)
    if finite.all():
        return h
    return np.where(finite, h, h[finite].min() if finite.any() else 0.0)


def rasterize_triangles(vertices: np.ndarray, triangles: np.ndarray, values: np.ndarray,
                        x0: float, y0: float, cell: float, shape: tuple[int, int],
                        chunk_cells: int = 4_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Highest triangle z at each cell centre and the ``values`` entry of that triangle.

    Vertical triangles (no area in plan) are skipped. Returns (zmax float64 with -inf
    where nothing covers the centre, value int64 with -1 there).
    """
    rows, cols = shape
    zmax = np.full(rows * cols, -np.inf)
    best = np.full(rows * cols, -1, np.int64)
    if not len(triangles):
        return zmax.reshape(shape), best.reshape(shape)
    a, b, c = (np.asarray(vertices, float)[np.asarray(triangles)[:, i]] for i in range(3))
    e1 = b[:, :2] - a[:, :2]
    e2 = c[:, :2] - a[:, :2]
    det = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    keep = np.abs(det) > 1e-9
    a, b, c, e1, e2, det = a[keep], b[keep], c[keep], e1[keep], e2[keep], det[keep]
    values = np.asarray(values)[keep]
    lo = np.minimum(np.minimum(a, b), c)
    hi = np.maximum(np.maximum(a, b), c)
    c_lo = np.maximum(np.ceil((lo[:, 0] - x0) / cell - 0.5), 0).astype(np.int64)
    c_hi = np.minimum(np.floor((hi[:, 0] - x0) / cell - 0.5), cols - 1).astype(np.int64)
    r_lo = np.maximum(np.ceil((y0 - hi[:, 1]) / cell - 0.5), 0).astype(np.int64)
    r_hi = np.minimum(np.floor((y0 - lo[:, 1]) / cell - 0.5), rows - 1).astype(np.int64)
    w = np.maximum(c_hi - c_lo + 1, 0)
    h = np.maximum(r_hi - r_lo + 1, 0)
    counts = w * h
    if not counts.sum():
        return zmax.reshape(shape), best.reshape(shape)
    cum = np.cumsum(counts)
    edges = np.searchsorted(cum, np.arange(chunk_cells, cum[-1], chunk_cells), side="right")
    edges = np.unique(np.r_[0, edges, len(counts)])
    for start, stop in itertools.pairwise(edges):
        sl = slice(int(start), int(stop))
        n = counts[sl]
        total = int(n.sum())
        if not total:
            continue
        tri = np.repeat(np.arange(sl.start, sl.stop), n)
        k = np.arange(total) - np.repeat(np.cumsum(n) - n, n)
        cc = c_lo[tri] + k % w[tri]
        rr = r_lo[tri] + k // w[tri]
        px = x0 + (cc + 0.5) * cell - a[tri, 0]
        py = y0 - (rr + 0.5) * cell - a[tri, 1]
        inv = 1.0 / det[tri]
        u = (px * e2[tri, 1] - py * e2[tri, 0]) * inv
        v = (e1[tri, 0] * py - e1[tri, 1] * px) * inv
        eps = 1e-9
        inside = (u >= -eps) & (v >= -eps) & (u + v <= 1 + eps)
        tri, u, v = tri[inside], u[inside], v[inside]
        z = a[tri, 2] + u * (b[tri, 2] - a[tri, 2]) + v * (c[tri, 2] - a[tri, 2])
        flat = rr[inside] * cols + cc[inside]
        order = np.lexsort((z, flat))  # by cell, then z ascending: keep the last per cell
        flat, z, tri = flat[order], z[order], tri[order]
        last = np.r_[flat[1:] != flat[:-1], True]
        flat, z, tri = flat[last], z[last], tri[last]
        better = z > zmax[flat]
        zmax[flat[better]] = z[better]
        best[flat[better]] = values[tri[better]]
    return zmax.reshape(shape), best.reshape(shape)


def build_height_raster(bounds: tuple[float, float, float, float], cell: float, *,
                        dem: tuple[np.ndarray, float, float, float, float] | None = None,
                        vertices: np.ndarray | None = None, triangles: np.ndarray | None = None,
                        tri_object: np.ndarray | None = None,
                        crs: str | None = None) -> HeightRaster:
    """Height raster over ``bounds`` (xmin, ymin, xmax, ymax) at ``cell`` metres.

    ``dem`` is (heights, x0, y0, dx, dy) of a north-up terrain grid (NaN = nodata);
    without it the ground is 0. Building triangles come as plain arrays.
    """
    xmin, ymin, xmax, ymax = bounds
    cols = int(np.ceil((xmax - xmin) / cell))
    rows = int(np.ceil((ymax - ymin) / cell))
    x0, y0 = float(xmin), float(ymin + rows * cell)
    xs = x0 + (np.arange(cols) + 0.5) * cell
    ys = y0 - (np.arange(rows) + 0.5) * cell
    if dem is not None:
        heights, gx0, gy0, gdx, gdy = dem
        gx, gy = np.meshgrid(xs, ys)
        ground = sample_bilinear(_fill_nodata(heights), gx0, gy0, gdx, gdy, gx, gy)
    else:
        ground = np.zeros((rows, cols))
    if vertices is not None and triangles is not None and len(triangles):
        objects = (np.asarray(tri_object, np.int64) if tri_object is not None
                   else np.zeros(len(triangles), np.int64))
        roof, building = rasterize_triangles(vertices, triangles, objects, x0, y0, cell,
                                             (rows, cols))
    else:
        roof = np.full((rows, cols), -np.inf)
        building = np.full((rows, cols), -1, np.int64)
    surface = np.maximum(ground, roof)
    return HeightRaster(surface.astype(np.float32), ground.astype(np.float32),
                        building.astype(np.int32), x0, y0, float(cell), crs)
