"""Value raster adapter: a raster of values (a score, a signal level) as one sheet of
cells draped on the terrain, each cell in its class colour.

Cells are drawn flat-coloured (cell scalars, no lighting) so every colour on screen is
a colour of the legend: interpolating between class colours would show blends the
legend does not list.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

from cimviewer.core.layers import RasterLayer
from cimviewer.core.styling import value_colors
from cimviewer.geometry.terrain import decimation_step
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

#: cells drawn at most (two triangles each); the data keeps its full resolution
MAX_RASTER_CELLS = 250_000


def corner_heights(surface: np.ndarray) -> np.ndarray:
    """(rows + 1, cols + 1) heights of the cell corners: the mean of the cells around."""
    padded = np.pad(surface, 1, mode="edge")
    return (padded[:-1, :-1] + padded[1:, :-1] + padded[:-1, 1:] + padded[1:, 1:]) / 4.0


def cell_sheet(values: np.ndarray, surface: np.ndarray, x0: float, y0: float, dx: float,
               dy: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vertices (cell corners), triangles (two per cell with a value) and the flat index
    of the cell each triangle belongs to."""
    rows, cols = values.shape
    xs = x0 + np.arange(cols + 1) * dx
    ys = y0 - np.arange(rows + 1) * dy
    gx, gy = np.meshgrid(xs, ys)
    vertices = np.column_stack([gx.ravel(), gy.ravel(), corner_heights(surface).ravel()])
    cells = np.flatnonzero(np.isfinite(values).ravel())
    r, c = np.divmod(cells, cols)
    a = r * (cols + 1) + c
    b, below = a + 1, a + cols + 1
    triangles = np.empty((2 * len(cells), 3), np.int64)
    triangles[0::2] = np.column_stack([a, below, b])  # counter-clockwise seen from above
    triangles[1::2] = np.column_stack([b, below, below + 1])
    return vertices, triangles, np.repeat(cells, 2)


class RasterAdapter(LayerAdapter):
    layer: RasterLayer
    needs_sorted_transparency = False

    def build(self) -> None:
        grid = self.layer.grid
        step = decimation_step(grid.as_grid(), MAX_RASTER_CELLS)
        shift = (step - 1) / 2  # kept cells keep their centres (as terrain decimation)
        self.values = grid.values[::step, ::step]
        surface = self.layer.surface_heights()[::step, ::step]
        vertices, triangles, self.tri_cell = cell_sheet(
            self.values, surface, grid.x0 - shift * grid.dx, grid.y0 + shift * grid.dy,
            grid.dx * step, grid.dy * step)
        self.polydata = triangle_polydata(self.local(vertices), triangles)
        self.mapper = vtkPolyDataMapper()
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.SetScalarModeToUseCellData()
        self.mapper.SetInputData(self.polydata)
        self.actor.SetMapper(self.mapper)
        self.actor.GetProperty().LightingOff()  # colours read as the legend says
        self.update_colors()

    def update_colors(self) -> None:
        # classes from every cell, as the legend has them, not from the drawn ones
        colors = value_colors(self.layer.style, self.values.ravel(),
                              classed_on=self.layer.grid.values.ravel())[self.tri_cell]
        add_array(self.polydata.GetCellData(), colors, "colors", scalars=True)
        self.polydata.Modified()
