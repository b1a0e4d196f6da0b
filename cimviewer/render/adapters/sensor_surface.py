"""The interpolated sensor surface: IDW of one sensor quantity as a half-transparent
image draped on the terrain.

Interpolation runs on a worker thread (numpy and scipy release the GIL), so a frame
never waits for it: each frame only polls, and shows the new image once it is ready.

The values are interpolated at every pixel of the layer's surface grid and shown as a
texture on a much coarser mesh that follows the terrain (each vertex takes the highest
ground around it, lifted a little), so the picture keeps its detail while a software
renderer draws a few thousand triangles instead of fifty thousand. Pixels with no
sensor value, or over terrain holes, are transparent.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkTexture

from cimviewer.core import colormaps
from cimviewer.core.sensors import SensorLayer
from cimviewer.geometry.idw import IdwInterpolator
from cimviewer.geometry.terrain import decimate, grid_mesh
from cimviewer.render.throttle import Throttle
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

log = logging.getLogger("cimviewer")
LIFT_M = 1.5
OPACITY = 0.4
MIN_INTERVAL_S = 0.5  # recompute at most twice a second however fast values arrive
MESH_MAX_CELLS = 64 * 64  # the drape; the image keeps the surface grid's resolution
POLL_S = 0.05  # while the worker computes, frames look for its result this often


def value_colors(name: str, t: np.ndarray) -> np.ndarray:
    """RGB uint8 for values in [0, 1] through a named colour map ("_r" reverses it);
    NaN is grey."""
    t = np.asarray(t, np.float64)
    if name.endswith("_r"):
        name, t = name[:-2], 1.0 - t
    return colormaps.sample(name, t)


class SensorSurface:
    """One actor: the drape with its image. :meth:`update` re-interpolates and recolours."""

    def __init__(self, layer: SensorLayer, origin: np.ndarray):
        self.layer = layer
        self.actor = vtkActor()
        self.actor.SetPickable(False)
        self.actor.GetProperty().SetAmbient(0.5)
        self.actor.GetProperty().SetOpacity(OPACITY)
        self.mapper = vtkPolyDataMapper()
        self.mapper.ScalarVisibilityOff()
        self.actor.SetMapper(self.mapper)
        self.throttle = Throttle(MIN_INTERVAL_S)
        self._interpolator: IdwInterpolator | None = None  # used on the worker only
        self._executor: ThreadPoolExecutor | None = None
        self._job: Future | None = None
        self._values = np.zeros(0)
        self._stale = False  # the image does not show the latest values yet
        self.has_image = False
        self.polydata = None
        self.grid = layer.surface_grid
        #: interpolated value per surface-grid pixel, (rows, cols), row 0 north (tests)
        self.values = np.zeros((0, 0))
        self.rgba = np.zeros((0, 0, 4), np.uint8)  # the image, row 0 north
        if self.grid is not None:
            self._build_drape(origin)
        self.actor.SetVisibility(False)

    def _build_drape(self, origin: np.ndarray) -> None:
        grid = self.grid
        rows, cols = grid.shape
        xs = grid.x0 + (np.arange(cols) + 0.5) * grid.dx
        ys = grid.y0 - (np.arange(rows) + 0.5) * grid.dy
        gx, gy = np.meshgrid(xs, ys)
        self.pixel_xy = np.column_stack([gx.ravel(), gy.ravel()])
        self.holes = ~np.isfinite(grid.heights)
        vertices, triangles = grid_mesh(decimate(grid, MESH_MAX_CELLS, highest=True))
        # texture coordinates: the image spans the grid's outer pixel edges
        width, height = cols * grid.dx, rows * grid.dy
        tcoords = np.column_stack([(vertices[:, 0] - grid.x0) / width,
                                   (vertices[:, 1] - (grid.y0 - height)) / height])
        local = vertices - origin
        local[:, 2] += LIFT_M
        self.polydata = triangle_polydata(local.astype(np.float32), triangles)
        tc = numpy_to_vtk(np.ascontiguousarray(tcoords, np.float32), deep=True)
        tc.SetName("tcoords")
        self.polydata.GetPointData().SetTCoords(tc)
        self.mapper.SetInputData(self.polydata)
        self.image = vtkImageData()
        self.image.SetDimensions(cols, rows, 1)
        self.texture = vtkTexture()
        self.texture.SetInputData(self.image)
        self.texture.InterpolateOn()
        self.texture.RepeatOff()
        self.texture.EdgeClampOn()
        self.actor.SetTexture(self.texture)

    @property
    def busy(self) -> bool:
        """Something to finish: a computation under way or values not shown yet."""
        return self._job is not None or self._stale

    def update(self, values: np.ndarray | None = None, force: bool = False) -> float:
        """New sensor values (None: just look for a finished computation).

        Returns 0 when the image is up to date, else the seconds after which to call
        again (throttled, or the worker is computing). ``force`` computes at once and
        waits for it (first build, still images).
        """
        quantity = self.layer.settings.surface_quantity
        show = bool(quantity) and self.polydata is not None and self.layer.visible
        self.actor.SetVisibility(show and self.has_image)
        if values is not None:
            self._values = values
            self._stale = True
        if not show:
            return 0.0
        if self._job is not None:
            if not (force or self._job.done()):
                return POLL_S
            self._finish()
        if not self._stale:
            return 0.0
        if force:
            self.throttle.reset()
        wait = self.throttle.wait()
        if wait:
            return wait
        self._stale = False
        table = self.layer.table
        mask = np.asarray(table.quantities, dtype=object) == quantity
        settings = self.layer.settings
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="cimviewer-surface")
        units = [u for u, m in zip(table.units, mask, strict=True) if m]
        decibels = bool(units) and all(u.strip().lower().startswith("db") for u in units)
        self._job = self._executor.submit(
            self._interpolate, table.xyz[mask, :2].copy(), self._values[mask].copy(),
            table.alarm[mask].copy(), settings.surface_power, settings.surface_neighbours,
            settings.colormap, decibels)
        if force:
            self._finish()
            return 0.0
        return POLL_S

    def _finish(self) -> None:
        job, self._job = self._job, None
        try:
            values, rgba = job.result()
        except Exception:
            log.exception("sensor surface: interpolation failed")
            return
        self.values, self.rgba = values, rgba
        # vtkImageData rows run south to north
        add_array(self.image.GetPointData(), rgba[::-1].reshape(-1, 4), "rgba", scalars=True)
        self.image.Modified()
        self.has_image = True
        self.actor.SetVisibility(True)

    def _interpolate(self, xy: np.ndarray, v: np.ndarray, alarm: np.ndarray, power: float,
                     neighbours: int, colormap: str,
                     decibels: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """On the worker: values and RGBA image, both (rows, cols), row 0 north. Levels in
        dB are averaged as energy."""
        interpolate = self._interpolator
        if interpolate is None or (interpolate.power, interpolate.neighbours) != (
                power, neighbours):
            interpolate = self._interpolator = IdwInterpolator(self.pixel_xy, power,
                                                               neighbours)
        rows, cols = self.grid.shape
        values = interpolate(xy, v, decibels).reshape(rows, cols)
        scale = float(np.nanmedian(alarm)) if np.isfinite(alarm).any() else \
            float(np.nanmax(np.abs(v))) if np.isfinite(v).any() else 1.0
        rgba = np.empty((rows, cols, 4), np.uint8)
        rgba[..., :3] = value_colors(colormap,
                                     values.ravel() / (scale or 1.0)).reshape(rows, cols, 3)
        rgba[..., 3] = np.where(np.isfinite(values) & ~self.holes, 255, 0)
        return values, rgba

    def dispose(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
