"""The interpolated sensor surface: a copy of the terrain grid coloured by IDW of one
sensor quantity, lifted a little above the terrain and half transparent."""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

from cimviewer.core import colormaps
from cimviewer.core.sensors import SensorLayer
from cimviewer.geometry.idw import IdwInterpolator
from cimviewer.geometry.terrain import grid_mesh
from cimviewer.render.throttle import Throttle
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

LIFT_M = 1.5
OPACITY = 0.4
MIN_INTERVAL_S = 0.5  # recompute at most twice a second however fast values arrive


def value_colors(name: str, t: np.ndarray) -> np.ndarray:
    """RGB uint8 for values in [0, 1] through a named colour map ("_r" reverses it);
    NaN is grey."""
    t = np.asarray(t, np.float64)
    if name.endswith("_r"):
        name, t = name[:-2], 1.0 - t
    return colormaps.sample(name, t)


class SensorSurface:
    """One actor: the draped grid. :meth:`update` recolours it (vectorized IDW)."""

    def __init__(self, layer: SensorLayer, origin: np.ndarray):
        self.layer = layer
        self.actor = vtkActor()
        self.actor.SetPickable(False)
        self.actor.GetProperty().SetAmbient(0.5)
        self.actor.GetProperty().SetOpacity(OPACITY)
        self.mapper = vtkPolyDataMapper()
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.SetScalarModeToUsePointData()
        self.actor.SetMapper(self.mapper)
        self.vertices = np.zeros((0, 3))
        self.polydata = None
        self.throttle = Throttle(MIN_INTERVAL_S)
        self._interpolator: IdwInterpolator | None = None
        self.values = np.zeros(0)  # interpolated value per grid vertex (for tests)
        grid = layer.surface_grid
        if grid is not None:
            self.vertices, triangles = grid_mesh(grid)
            local = self.vertices - origin
            local[:, 2] += LIFT_M
            self.polydata = triangle_polydata(local.astype(np.float32), triangles)
            self.mapper.SetInputData(self.polydata)
        self.actor.SetVisibility(False)

    def update(self, values: np.ndarray, force: bool = False) -> float:
        """Recolour from the sensors' current values; returns 0, or the seconds to wait
        when throttled (the update is then :attr:`Throttle.pending`)."""
        quantity = self.layer.settings.surface_quantity
        show = bool(quantity) and self.polydata is not None and self.layer.visible
        self.actor.SetVisibility(show)
        if not show:
            self.throttle.pending = False
            return 0.0
        if force:
            self.throttle.reset()
        wait = self.throttle.wait()
        if wait:
            return wait
        table = self.layer.table
        mask = np.asarray(table.quantities, dtype=object) == quantity
        xy = table.xyz[mask, :2]
        v = values[mask]
        settings = self.layer.settings
        interpolate = self._interpolator
        if interpolate is None or (interpolate.power, interpolate.neighbours) != (
                settings.surface_power, settings.surface_neighbours):
            interpolate = self._interpolator = IdwInterpolator(
                self.vertices[:, :2], settings.surface_power, settings.surface_neighbours)
        self.values = interpolate(xy, v)
        alarm = table.alarm[mask]
        scale = float(np.nanmedian(alarm)) if np.isfinite(alarm).any() else \
            float(np.nanmax(np.abs(v))) if np.isfinite(v).any() else 1.0
        t = self.values / (scale or 1.0)
        add_array(self.polydata.GetPointData(),
                  value_colors(self.layer.settings.colormap, t), "colors", scalars=True)
        self.polydata.Modified()
        return 0.0
