"""Criteria for every cell of a grid, computed from layers (vectorised, no loop per cell):
distance to the nearest substation and fibre node (k-d tree), terrain elevation and slope,
exclusion polygons; and the suitability score as a value raster in five classes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cimviewer.api import TerrainGrid, ValueClass, ValueGrid, sample_grid

#: ColorBrewer RdYlGn, 5 classes (the app's "rdylgn" graduated colours)
CLASS_COLOURS = [(215, 48, 39), (252, 141, 89), (255, 255, 191), (145, 207, 96), (26, 152, 80)]
CLASS_LOWER = [0.0, 0.2, 0.4, 0.6, 0.8]


@dataclass
class Grid:
    x0: float   # top-left corner
    y0: float
    cell: float
    rows: int
    cols: int

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell centres as flat arrays (row-major, north row first)."""
        xs = self.x0 + (np.arange(self.cols) + 0.5) * self.cell
        ys = self.y0 - (np.arange(self.rows) + 0.5) * self.cell
        gx, gy = np.meshgrid(xs, ys)
        return gx.ravel(), gy.ravel()


def grid_over(terrain: TerrainGrid, cell: float, max_cells: int = 4_000_000) -> Grid:
    """A grid of ``cell`` metres over the terrain's extent."""
    rows_t, cols_t = terrain.shape
    width, height = cols_t * terrain.dx, rows_t * terrain.dy
    cols, rows = max(1, int(width // cell)), max(1, int(height // cell))
    if rows * cols > max_cells:
        raise ValueError(f"cell_m: {rows} x {cols} cells is more than {max_cells:,}; use "
                         "larger cells")
    return Grid(terrain.x0, terrain.y0, cell, rows, cols)


def nearest_distance(x: np.ndarray, y: np.ndarray, points: np.ndarray) -> tuple[np.ndarray,
                                                                                 np.ndarray]:
    """(distance, index) of the nearest of ``points`` (n, 2) for each (x, y)."""
    from scipy.spatial import cKDTree

    d, i = cKDTree(np.asarray(points, float)[:, :2]).query(np.column_stack([x, y]))
    return d, i


def terrain_columns(terrain: TerrainGrid, grid: Grid) -> dict[str, np.ndarray]:
    """``elevation_m`` and ``slope_deg`` per cell (bilinear heights, central differences)."""
    x, y = grid.centres()
    z = sample_grid(terrain.heights, terrain.x0, terrain.y0, terrain.dx, terrain.dy, x, y,
                    clamp=True).reshape(grid.rows, grid.cols)
    if grid.rows > 1 and grid.cols > 1:
        dz_dy, dz_dx = np.gradient(z, grid.cell)
        slope = np.degrees(np.arctan(np.hypot(dz_dx, dz_dy)))
    else:
        slope = np.zeros_like(z)
    return {"elevation_m": z.ravel(), "slope_deg": slope.ravel()}


def inside_polygons(x: np.ndarray, y: np.ndarray, polygons: list) -> np.ndarray:
    """True where a cell centre lies in any of the shapely polygons (vectorised)."""
    import shapely

    out = np.zeros(len(x), bool)
    for polygon in polygons:  # one vectorised test per polygon, never per cell
        out |= shapely.contains_xy(polygon, x, y)
    return out


def score_grid(scores: np.ndarray, grid: Grid, crs: str | None,
               tr=lambda s: s) -> ValueGrid:
    """Scores as a value raster in the five score classes; no value where no score."""
    return ValueGrid(scores.reshape(grid.rows, grid.cols).copy(), grid.x0, grid.y0,
                     grid.cell, grid.cell, crs, name="score", classes=score_classes(tr))


def score_classes(tr=lambda s: s) -> tuple[ValueClass, ...]:
    """The score classes, by ascending lower bound, labelled as the legend shows them."""
    uppers = [*CLASS_LOWER[1:], 1.0]
    return tuple(ValueClass(lo, c, f"{tr('score')} {lo:.1f} – {hi:.1f}")
                 for lo, hi, c in zip(CLASS_LOWER, uppers, CLASS_COLOURS, strict=True))
