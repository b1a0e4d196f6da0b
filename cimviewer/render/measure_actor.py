"""The polyline a measurement draws in the view (world points, shown above everything)."""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

from cimviewer.render.vtk_arrays import cell_array, vtk_points


class MeasureActor:
    def __init__(self, origin: np.ndarray):
        self.origin = origin
        self.mapper = vtkPolyDataMapper()
        self.actor = vtkActor()
        self.actor.SetMapper(self.mapper)
        prop = self.actor.GetProperty()
        prop.SetColor(1.0, 0.2, 0.6)
        prop.SetLineWidth(3)
        prop.SetPointSize(9)
        prop.RenderPointsAsSpheresOn()
        prop.SetLighting(False)
        self.actor.SetPickable(False)
        self.set_points(np.zeros((0, 3)), closed=False)

    def set_points(self, world: np.ndarray, closed: bool) -> None:
        pts = np.asarray(world, float).reshape(-1, 3)
        poly = vtkPolyData()
        poly.SetPoints(vtk_points(pts - self.origin))
        n = len(pts)
        if n:
            poly.SetVerts(cell_array(np.arange(n), 1))
        if n >= 2:
            ids = np.r_[np.arange(n), 0] if closed and n >= 3 else np.arange(n)
            poly.SetLines(cell_array(ids, offsets=np.array([0, len(ids)])))
        self.mapper.SetInputData(poly)
        # draw on top so the line is not hidden inside the surfaces it lies on
        self.mapper.SetResolveCoincidentTopologyToPolygonOffset()
        self.actor.SetVisibility(n > 0)
