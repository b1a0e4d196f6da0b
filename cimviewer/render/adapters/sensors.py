"""Sensor adapter: one glyph actor for all sensors, one label actor, one draped surface.

Glyphs are coloured by the current value through the layer's colour map; warnings are
bigger, alarms bigger still and blink. Labels ("42.1 µg/m³") are drawn by
:class:`~cimviewer.render.labels.ScreenLabels` (fixed pixel size, de-cluttered, alarms
first; each distinct text rasterized once). Model events
only mark the adapter dirty; the arrays are rebuilt once per frame in
:meth:`update_detail`, so a burst of batches costs one update.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkPointGaussianMapper, vtkRenderer

from cimviewer.core.sensors import ALARM, SensorLayer
from cimviewer.geometry.raypick import ray_segments
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.adapters.sensor_surface import OPACITY as SURFACE_OPACITY
from cimviewer.render.adapters.sensor_surface import SensorSurface, value_colors
from cimviewer.render.labels import ScreenLabels
from cimviewer.render.shadows import declare_shadow_position
from cimviewer.render.throttle import Throttle
from cimviewer.render.vtk_arrays import add_array, vtk_points

STATE_SCALE = np.array([1.0, 1.6, 2.2])  # OK, WARNING, ALARM
BLINK_SCALE = 0.6  # alarm glyphs shrink to this on the "off" beat, and turn white
ALARM_RGB = np.array([230, 20, 40], np.uint8)
BLINK_RGB = np.array([255, 255, 255], np.uint8)
MAX_LABELS = 100  # of the sensors in view; more cannot fit on a screen
LABEL_LIFT = 1.5
MOUNT_REACH_M = 15.0  # taller than the poles sensors are mounted on
# label text changed at most 4 times a second while values stream in: text changing
# faster cannot be read, and each new value is a new string to rasterize
LABEL_INTERVAL_S = 0.25


def clip_matrix(renderer: vtkRenderer) -> np.ndarray:
    """The 4 x 4 matrix from render coordinates to clip space of the renderer's camera."""
    camera = renderer.GetActiveCamera()
    m = camera.GetCompositeProjectionTransformMatrix(renderer.GetTiledAspectRatio(), -1, 1)
    return np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])


def label_texts(values: np.ndarray, units: list[str]) -> list[str]:
    return [("—" if v != v else f"{v:.1f} {u}".strip()) for v, u in zip(values, units,
                                                                         strict=True)]


class SensorAdapter(LayerAdapter):
    layer: SensorLayer
    pickable = True
    needs_sorted_transparency = False  # one drape and splats: plain blending is right
    exact_surface = False  # glyphs are picked within a few pixels

    def build(self) -> None:
        self.blink_on = True
        self._dirty = True
        self._geometry_dirty = True
        self.values = np.zeros(0)
        self.states = np.zeros(0, np.int8)
        self.colors = np.zeros((0, 3), np.uint8)
        self.scales = np.zeros(0)
        self.local_xyz = np.zeros((0, 3))
        self.label_rows = np.zeros(0, np.int64)
        self.placed = np.zeros(0, bool)
        self.shown_colors = np.zeros((0, 3), np.uint8)
        self.label_text: list[str] = []
        self.label_throttle = Throttle(LABEL_INTERVAL_S)
        self._view_matrix: np.ndarray | None = None  # world -> clip, of the last frame
        # glyphs: sphere-shaded splats sized in metres (vtkPointGaussianMapper): one
        # actor, and several times cheaper than instanced sphere meshes for 5,000 sensors
        self.polydata = vtkPolyData()
        self.mapper = vtkPointGaussianMapper()
        self.mapper.SetInputData(self.polydata)
        self.mapper.SetScaleArray("scale")
        self.mapper.SetScaleFactor(0.5)  # "scale" is the diameter
        self.mapper.EmissiveOff()
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.SetScalarModeToUsePointData()
        declare_shadow_position(self.actor)  # compiles with shadows on, too
        self.actor.SetMapper(self.mapper)
        self.actor.GetProperty().SetAmbient(0.45)
        # labels: one 2D actor for all
        self.labels = ScreenLabels(0.75)
        self.screen_labels = (self.labels,)
        self.label_actor = self.labels.actor
        self.surface = SensorSurface(self.layer, self.origin)
        self.actors = [self.actor, self.label_actor, self.surface.actor]
        layer = self.layer
        for signal in (layer.values_changed, layer.display_time_changed,
                       layer.settings_changed):
            signal.connect(self._mark_dirty)
        layer.sensors_changed.connect(self._mark_geometry)
        self.update_arrays(force_surface=True)

    def _apply_display_state(self) -> None:
        super()._apply_display_state()
        self.label_actor.SetPickable(False)
        self.surface.actor.SetPickable(False)
        self.surface.actor.GetProperty().SetOpacity(SURFACE_OPACITY * self.layer.opacity)
        self._show_parts()

    def _show_parts(self) -> None:
        visible = self.layer.visible
        self.label_actor.SetVisibility(visible and self.layer.settings.labels)
        self.surface.actor.SetVisibility(visible and bool(self.layer.settings.surface_quantity)
                                         and self.surface.has_image)

    def _on_visibility(self, visible: bool) -> None:
        super()._on_visibility(visible)
        self._show_parts()

    def _mark_dirty(self, *_args) -> None:
        self._dirty = True
        self.on_change()

    def _mark_geometry(self, *_args) -> None:
        self._geometry_dirty = True
        self._mark_dirty()

    def set_blink(self, on: bool) -> None:
        """The alarm beat (the UI toggles it twice a second while alarms are shown)."""
        if on != self.blink_on:
            self.blink_on = on
            self._refresh_glyphs()
            self.on_change()

    @property
    def has_alarms(self) -> bool:
        return bool((self.states == ALARM).any())

    # --- updating (once per frame) -----------------------------------------------------------
    def update_detail(self, renderer: vtkRenderer) -> None:
        """Per frame: glyphs follow every change; labels and the surface are throttled
        (a later frame is requested so their last state is always shown)."""
        view = clip_matrix(renderer)
        moved = self._view_matrix is None or not np.allclose(view, self._view_matrix)
        self._view_matrix = view
        if self._dirty:
            self.update_arrays(throttled=True)
            return
        if self.label_throttle.pending or (moved and self.layer.settings.labels):
            self._refresh_labels_throttled()  # labels go to the sensors now in view
        if self.surface.busy:
            self._update_surface(force=False, values=None)

    def update_arrays(self, force_surface: bool = False, throttled: bool = False) -> None:
        """Bring everything up to date with the layer (``throttled``: labels and surface
        may wait for their interval)."""
        layer = self.layer
        self._dirty = False
        if self._geometry_dirty:
            xyz = layer.table.xyz
            ok = np.isfinite(xyz).all(axis=1) if len(xyz) else np.zeros(0, bool)
            local = np.where(ok[:, None], xyz - self.origin, 0.0)
            self.local_xyz = local
            self.placed = ok
            self.polydata.SetPoints(vtk_points(local))
            self._geometry_dirty = False
        self.values = layer.current()[0]
        self.states = layer.states(self.values)
        self.colors = value_colors(layer.settings.colormap, layer.normalized(self.values))
        self._refresh_glyphs()
        if throttled:
            self._refresh_labels_throttled()
        else:
            self._refresh_labels()
        self._show_parts()
        self._update_surface(force=force_surface or not throttled, values=self.values)

    def _refresh_labels_throttled(self) -> None:
        wait = self.label_throttle.wait()
        if wait:
            self.on_change_later(wait)
        else:
            self._refresh_labels()

    def _update_surface(self, force: bool, values: np.ndarray | None) -> None:
        wait = self.surface.update(values, force=force)
        if wait:
            self.on_change_later(wait)

    def _refresh_glyphs(self) -> None:
        states = self.states
        size = self.layer.settings.glyph_size
        scale = STATE_SCALE[states] * size
        colors = self.colors.copy()
        alarm = states == ALARM
        colors[alarm] = ALARM_RGB
        if not self.blink_on:
            scale = np.where(alarm, scale * BLINK_SCALE, scale)
            colors[alarm] = BLINK_RGB
        scale = np.where(self.placed, scale, 0.0)
        self.scales = scale
        self.shown_colors = colors
        point_data = self.polydata.GetPointData()
        add_array(point_data, scale.astype(np.float32), "scale")
        add_array(point_data, colors, "colors", scalars=True)
        self.polydata.Modified()

    def _refresh_labels(self) -> None:
        layer = self.layer
        self.label_throttle.pending = False
        n = layer.n_sensors
        if not layer.settings.labels or not n:
            rows = np.zeros(0, np.int64)
        else:
            # most important first: alarms, warnings, then by value relative to threshold
            norm = np.nan_to_num(layer.normalized(self.values), nan=-1.0)
            priority = self.states * 10.0 + norm
            candidates = np.flatnonzero(self.placed & np.isfinite(self.values)
                                        & self.in_view())
            if len(candidates) > MAX_LABELS:
                top = np.argpartition(-priority[candidates], MAX_LABELS)[:MAX_LABELS]
                candidates = candidates[top]
            rows = np.sort(candidates)
        self.label_rows = rows
        units = layer.table.units
        self.label_text = label_texts(self.values[rows], [units[i] for i in rows])
        points = self.local_xyz[rows].copy()
        if len(points):
            points[:, 2] += self.scales[rows] * LABEL_LIFT * 0.5
        prio = (self.states[rows] * 10.0 + np.nan_to_num(layer.normalized(self.values)[rows]))
        self.labels.set_labels(points, self.label_text, prio)

    def in_view(self) -> np.ndarray:
        """Which sensors the last frame's camera sees (all, before the first frame)."""
        if self._view_matrix is None or not len(self.local_xyz):
            return np.ones(len(self.local_xyz), bool)
        h = np.c_[self.local_xyz, np.ones(len(self.local_xyz))] @ self._view_matrix.T
        w = h[:, 3]
        return (w > 0) & (np.abs(h[:, 0]) <= w) & (np.abs(h[:, 1]) <= w)

    # --- picking ------------------------------------------------------------------------
    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        if not len(self.local_xyz):
            return None
        if self._dirty:
            self.update_arrays()
        points = self.local_xyz.astype(np.float64)
        distance = np.linalg.norm(points - origin, axis=1)
        radius = np.maximum(self.scales * 0.5, 4 * pixel_angle * distance)
        radius = np.where(self.placed, radius, -1.0)
        hit = ray_segments(origin, direction, points, points, radius)
        if hit is None:
            return None
        # a click on a sensor's glyph picks the sensor, not the pole or wall it is mounted
        # on: report the hit nearer by the reach of such a mount
        return max(hit[0] - float(radius[hit[1]]) - MOUNT_REACH_M, 0.0), int(hit[1])

    def dispose(self) -> None:
        layer = self.layer
        for signal in (layer.values_changed, layer.display_time_changed,
                       layer.settings_changed):
            signal.disconnect(self._mark_dirty)
        layer.sensors_changed.disconnect(self._mark_geometry)
        self.surface.dispose()
        super().dispose()

    def sensor_color(self, row: int) -> tuple[int, int, int]:
        return tuple(int(c) for c in self.shown_colors[row])  # type: ignore[return-value]


__all__ = ["SensorAdapter", "label_texts"]
