"""Terrain adapter: the DEM as one triangle mesh coloured by elevation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

from cimviewer.core import colormaps
from cimviewer.core.datasets import TerrainGrid
from cimviewer.core.layers import TerrainLayer
from cimviewer.geometry.raypick import TriangleRayIndex
from cimviewer.geometry.terrain import decimate, fit_under, grid_mesh
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

#: software renderers draw about 2-3 M triangles a second: a 250k-cell mesh (500k
#: triangles) keeps a frame with the terrain near 100 ms; the data keeps full resolution
MAX_TERRAIN_CELLS = 250_000
#: the terrain while the view moves on a software renderer (a kiosk tour, an orbit):
#: about a quarter of the triangles, which are most of a frame's work there
MOVING_TERRAIN_CELLS = 20_000


@dataclass
class _Mesh:
    """One resolution of the terrain as drawn."""

    vertices: np.ndarray
    triangles: np.ndarray
    imagery: np.ndarray | None  # draped imagery colours per vertex
    color_heights: np.ndarray  # the heights its elevation colours read
    polydata: vtkPolyData
    mapper: vtkPolyDataMapper


class TerrainAdapter(LayerAdapter):
    layer: TerrainLayer
    occludes = True

    def build(self) -> None:
        self.grid = decimate(self.layer.grid, MAX_TERRAIN_CELLS)
        self.full = self._mesh(self.grid)
        self.vertices, self.triangles = self.full.vertices, self.full.triangles
        self._ray_index: TriangleRayIndex | None = None
        self.polydata = self.full.polydata
        self.mapper = self.full.mapper
        self.light: _Mesh | None = None  # built at the first moving frame
        self.actor.SetMapper(self.mapper)
        self.actor.GetProperty().SetAmbient(0.3)
        self.actor.GetProperty().SetInterpolationToGouraud()
        if getattr(self.layer, "legend", None):
            # an analysis result: its colours must read as the legend says, whatever
            # the sun or the headlight do
            self.actor.GetProperty().LightingOff()
        self.update_colors()

    def _mesh(self, grid: TerrainGrid, color_grid: TerrainGrid | None = None) -> _Mesh:
        vertices, triangles, pixel = grid_mesh(grid, with_index=True)
        normals = vtkPolyDataNormals()
        normals.SetInputData(triangle_polydata(self.local(vertices), triangles))
        normals.SplittingOff()
        normals.ConsistencyOff()
        normals.ComputeCellNormalsOff()
        normals.Update()
        polydata = normals.GetOutput()  # point normals: smooth shaded relief
        mapper = vtkPolyDataMapper()
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUsePointData()
        mapper.SetInputData(polydata)
        imagery = None if grid.colors is None else grid.colors.reshape(-1, 3)[pixel]
        color_heights = (vertices[:, 2] if color_grid is None
                         else color_grid.heights.ravel()[pixel])
        return _Mesh(vertices, triangles, imagery, color_heights, polydata, mapper)

    def set_motion(self, moving: bool) -> None:
        if moving and self.light is None:
            coarse = decimate(self.grid, MOVING_TERRAIN_CELLS)
            if coarse is self.grid:  # already small: nothing lighter to draw
                return
            # under the full mesh (what is draped on it stays in sight), in the colours
            # of the true heights
            self.light = self._mesh(fit_under(coarse, self.grid), color_grid=coarse)
            self._color(self.light)
        mesh = self.light if moving and self.light is not None else self.full
        self.actor.SetMapper(mesh.mapper)

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        """Terrain hides what is behind it: a hit here is reported as object -1."""
        if self._ray_index is None:
            self._ray_index = TriangleRayIndex(self.local(self.vertices), self.triangles)
        hit = self._ray_index.intersect(origin, direction)
        return None if hit is None else (hit[0], -1)

    def update_colors(self) -> None:
        for mesh in (self.full, self.light):
            if mesh is not None:
                self._color(mesh)

    def _color(self, mesh: _Mesh) -> None:
        if mesh.imagery is not None:  # draped imagery
            add_array(mesh.polydata.GetPointData(), mesh.imagery, "colors", scalars=True)
            mesh.polydata.Modified()
            return
        # the elevation range of the full mesh: both resolutions read the same
        z = self.full.vertices[:, 2]
        lo, hi = (float(z.min()), float(z.max())) if len(z) else (0.0, 0.0)
        heights = mesh.color_heights
        t = np.clip((heights - lo) / (hi - lo), 0, 1) if hi > lo else np.zeros_like(heights)
        add_array(mesh.polydata.GetPointData(), colormaps.sample(self.layer.style.colormap, t),
                  "colors", scalars=True)
        mesh.polydata.Modified()
