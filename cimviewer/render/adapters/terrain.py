"""Terrain adapter: the DEM as one triangle mesh coloured by elevation."""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

from cimviewer.core import colormaps
from cimviewer.core.layers import TerrainLayer
from cimviewer.geometry.raypick import TriangleRayIndex
from cimviewer.geometry.terrain import decimate, grid_mesh
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

#: software renderers draw about 2-3 M triangles a second: a 250k-cell mesh (500k
#: triangles) keeps a frame with the terrain near 100 ms; the data keeps full resolution
MAX_TERRAIN_CELLS = 250_000


class TerrainAdapter(LayerAdapter):
    layer: TerrainLayer
    occludes = True

    def build(self) -> None:
        grid = decimate(self.layer.grid, MAX_TERRAIN_CELLS)
        vertices, triangles, pixel = grid_mesh(grid, with_index=True)
        self.vertex_colors = (None if grid.colors is None
                              else grid.colors.reshape(-1, 3)[pixel])
        self.vertices = vertices
        self.triangles = triangles
        self._ray_index: TriangleRayIndex | None = None
        normals = vtkPolyDataNormals()
        normals.SetInputData(triangle_polydata(self.local(vertices), triangles))
        normals.SplittingOff()
        normals.ConsistencyOff()
        normals.ComputeCellNormalsOff()
        normals.Update()
        self.polydata = normals.GetOutput()  # point normals: smooth shaded relief
        self.mapper = vtkPolyDataMapper()
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.SetScalarModeToUsePointData()
        self.mapper.SetInputData(self.polydata)
        self.actor.SetMapper(self.mapper)
        self.actor.GetProperty().SetAmbient(0.3)
        self.actor.GetProperty().SetInterpolationToGouraud()
        if getattr(self.layer, "legend", None):
            # an analysis result: its colours must read as the legend says, whatever
            # the sun or the headlight do
            self.actor.GetProperty().LightingOff()
        self.update_colors()

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        """Terrain hides what is behind it: a hit here is reported as object -1."""
        if self._ray_index is None:
            self._ray_index = TriangleRayIndex(self.local(self.vertices), self.triangles)
        hit = self._ray_index.intersect(origin, direction)
        return None if hit is None else (hit[0], -1)

    def update_colors(self) -> None:
        if self.vertex_colors is not None:  # draped imagery
            add_array(self.polydata.GetPointData(), self.vertex_colors, "colors", scalars=True)
            self.polydata.Modified()
            return
        z = self.vertices[:, 2]
        if len(z):
            lo, hi = float(z.min()), float(z.max())
            t = (z - lo) / (hi - lo) if hi > lo else np.zeros_like(z)
        else:
            t = z
        add_array(self.polydata.GetPointData(), colormaps.sample(self.layer.style.colormap, t),
                  "colors", scalars=True)
        self.polydata.Modified()
