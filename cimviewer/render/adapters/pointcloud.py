"""Point cloud adapter: nodes of nested subsamples drawn within a point budget.

The cloud's points are in LoD order (:class:`cimviewer.core.pointcloud.PointLod`): the
first ``level_ends[i, l]`` points of node ``i`` are an even subsample of it. Each node is
one actor whose polydata is a zero-copy view of that prefix of the cloud's arrays (the
float32 coordinates relative to the cloud's offset; the actor's position moves them to
render coordinates), so choosing a level re-uploads one node and nothing is copied on
the CPU. Colours are computed for the drawn prefix only.

Before each frame the level of every node in view is chosen: the coarsest level whose
point spacing on screen is at most about the point size, then the frame's point budget
is shared out, widest spacings first (every node in view keeps at least its first
level, so the first frame shows the whole cloud at once). Nodes out of view are hidden.

Picking snaps to the nearest drawn point within a few pixels of the ray, so the measure
tool measures between points of the cloud.
"""

from __future__ import annotations

import math

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import VTK_ID_TYPE, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkRenderer

from cimviewer.core.layers import PointCloudLayer
from cimviewer.core.pointcloud import PointLod
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.frustum import spheres_in_view

#: points drawn per frame on a GPU
FRAME_POINT_BUDGET = 3_000_000
#: points drawn per frame on a software rasterizer (llvmpipe draws ~3 M points a second
#: at 1280 x 800 on 2 cores: this keeps frames near 8 a second)
SOFTWARE_POINT_BUDGET = 300_000
#: a level is fine enough when its points are at most this many point sizes apart on screen
SPACING_POINT_SIZES = 1.0
#: a node goes back to a coarser level only when its spacing is this much below the target
HYSTERESIS = 1.5
#: points kept uploaded (nodes out of view too, for when they come back), in frame budgets
RESIDENT_BUDGETS = 3
#: a click snaps to a drawn point at most this many pixels from the cursor
PICK_PIXELS = 6.0


def _vtk_view(values: np.ndarray, name: str | None = None, array_type: int | None = None):
    """A VTK array over a numpy array's memory (kept alive by the VTK array)."""
    arr = numpy_to_vtk(values, deep=False, array_type=array_type)
    if name:
        arr.SetName(name)
    return arr


class PointCloudAdapter(LayerAdapter):
    layer: PointCloudLayer
    pickable = True
    needs_sorted_transparency = False

    def build(self) -> None:
        cloud = self.layer.cloud
        self.cloud = cloud
        self.lod: PointLod = cloud.lod if cloud.lod is not None else PointLod.single(
            cloud.n_points)
        if cloud.lod is None and cloud.n_points:
            self.lod.bounds = np.concatenate([cloud.local.min(axis=0),
                                              cloud.local.max(axis=0)])[None, :]
        #: render coordinates = cloud.local + shift (the actors' position)
        self.shift = np.asarray(cloud.offset, np.float64) - self.origin
        self.frame_budget = FRAME_POINT_BUDGET
        self._budget_checked = False
        self._pixel_factor = 1.0
        n_nodes = self.lod.n_nodes
        sizes = self.lod.counts()
        self._ids = np.arange(int(sizes.max()) if n_nodes else 0, dtype=np.int64)
        bounds = self.lod.bounds.astype(np.float64)
        self._centres = (bounds[:, :3] + bounds[:, 3:]) / 2 + self.shift
        self._radii = np.linalg.norm(bounds[:, 3:] - bounds[:, :3], axis=1) / 2
        self.node_actors: list[vtkActor] = []
        self.node_mappers: list[vtkPolyDataMapper] = []
        for _ in range(n_nodes):
            actor = vtkActor()
            actor.SetPosition(*self.shift)
            prop = actor.GetProperty()
            prop.LightingOff()  # colours as the mode says, whatever the sun does
            prop.SetPointSize(self.layer.point_size)
            mapper = vtkPolyDataMapper()
            mapper.SetColorModeToDirectScalars()
            mapper.SetScalarModeToUsePointData()
            actor.SetMapper(mapper)
            self.node_actors.append(actor)
            self.node_mappers.append(mapper)
        self.actors = list(self.node_actors) or [self.actor]
        self.actor = self.actors[0]
        #: points drawn per node (a prefix of it), and the level they make
        self.drawn = np.zeros(n_nodes, np.int64)
        #: node polydata made so far (each a re-upload of that node's points)
        self.uploads = 0
        self.levels = np.full(n_nodes, -1, np.int64)
        self._in_view = np.ones(n_nodes, bool)
        self._last_hit: tuple[float, np.ndarray] | None = None
        # the first frame: every node's first level, before the camera is known
        self._set_levels(np.zeros(n_nodes, np.int64), np.ones(n_nodes, bool))
        self.layer.color_mode_changed.connect(self._on_color_mode)
        self.layer.point_size_changed.connect(self._on_point_size)

    def _apply_display_state(self) -> None:
        super()._apply_display_state()
        self._show_nodes()

    def _on_visibility(self, visible: bool) -> None:
        self._show_nodes()
        self.on_change()

    def _show_nodes(self) -> None:
        visible = self.layer.visible
        for i, actor in enumerate(self.node_actors):
            actor.SetVisibility(bool(visible and self._in_view[i] and self.drawn[i] > 0))

    # --- geometry -----------------------------------------------------------------
    def _node_poly(self, i: int, count: int) -> vtkPolyData:
        start = int(self.lod.offsets[i])
        points = vtkPoints()
        points.SetData(_vtk_view(self.cloud.local[start:start + count]))
        cells = vtkCellArray()
        cells.SetData(_vtk_view(np.array([0, count], np.int64), array_type=VTK_ID_TYPE),
                      _vtk_view(self._ids[:count], array_type=VTK_ID_TYPE))
        poly = vtkPolyData()
        poly.SetPoints(points)
        poly.SetVerts(cells)
        self._color_node(poly, start, count)
        return poly

    def _color_node(self, poly: vtkPolyData, start: int, count: int) -> None:
        colors = self.cloud.colors(self.layer.color_mode, self.layer.style.colormap,
                                   slice(start, start + count))
        poly.GetPointData().SetScalars(_vtk_view(np.ascontiguousarray(colors), "colors"))
        poly.Modified()

    def _set_levels(self, levels: np.ndarray, in_view: np.ndarray) -> None:
        """Draw node ``i`` at ``levels[i]`` when in view (-1: nothing)."""
        ends = self.lod.level_ends
        changed = np.flatnonzero((levels != self.levels) & in_view)
        self.uploads += len(changed)
        for i in changed.tolist():
            level = int(levels[i])
            count = int(ends[i, level]) if level >= 0 else 0
            if count != self.drawn[i]:
                self.node_mappers[i].SetInputData(self._node_poly(i, count))
            self.drawn[i] = count
            self.levels[i] = level
        self._in_view = in_view
        self._release_out_of_view()
        self._show_nodes()

    def _release_out_of_view(self) -> None:
        """Drop the polydata (and GL buffers) of nodes out of view once more than
        :data:`RESIDENT_BUDGETS` frame budgets of points are kept."""
        if int(self.drawn.sum()) <= RESIDENT_BUDGETS * self.frame_budget:
            return
        for i in np.flatnonzero(~self._in_view & (self.drawn > 0)).tolist():
            self.node_mappers[i].RemoveAllInputConnections(0)
            self.drawn[i] = 0
            self.levels[i] = -1

    @property
    def drawn_points(self) -> int:
        """Points drawn in the coming frame (nodes in view)."""
        return int(self.drawn[self._in_view].sum()) if len(self.drawn) else 0

    # --- level of detail ----------------------------------------------------------
    def _check_budget(self, renderer: vtkRenderer) -> None:
        """A software rasterizer gets a smaller budget (once the driver is known)."""
        if self._budget_checked:
            return
        from cimviewer.render.quality import is_software, opengl_renderer

        window = renderer.GetRenderWindow()
        name = opengl_renderer(window) if window is not None else ""
        if name:
            self._budget_checked = True
            if is_software(name) and self.frame_budget == FRAME_POINT_BUDGET:
                self.frame_budget = SOFTWARE_POINT_BUDGET

    def _visible_nodes(self, renderer: vtkRenderer) -> np.ndarray:
        return spheres_in_view(renderer, self._centres, self._radii)

    def screen_spacing(self, renderer: vtkRenderer) -> np.ndarray:
        """(n_nodes, n_levels): each level's point spacing in pixels at its node."""
        camera = renderer.GetActiveCamera()
        height_px = max(renderer.GetSize()[1], 1)
        if camera.GetParallelProjection():
            px_per_m = np.full(self.lod.n_nodes, height_px / (2 * camera.GetParallelScale()))
        else:
            eye = np.array(camera.GetPosition())
            focal_px = height_px / (2 * math.tan(math.radians(camera.GetViewAngle()) / 2))
            distance = np.maximum(np.linalg.norm(self._centres - eye, axis=1) - self._radii,
                                  1e-3)
            px_per_m = focal_px / distance
        return self.lod.spacing * px_per_m[:, None]

    def choose_levels(self, spacing_px: np.ndarray, in_view: np.ndarray) -> np.ndarray:
        """The level of each node (-1 out of view) for screen spacings ``spacing_px``,
        within :attr:`frame_budget` points."""
        n_levels = spacing_px.shape[1]
        target = SPACING_POINT_SIZES * self.layer.point_size * self._pixel_factor
        # a coarser level than the current one must be clearly fine enough (no flicker)
        coarser = np.arange(n_levels)[None, :] < self.levels[:, None]
        good = spacing_px <= np.where(coarser, target / HYSTERESIS, target)
        good[:, -1] = True
        desired = np.argmax(good, axis=1)  # the coarsest good level
        levels = np.where(in_view, 0, -1)
        ends = self.lod.level_ends
        rows = np.flatnonzero(in_view)
        base = int(ends[rows, 0].sum())
        room = self.frame_budget - base
        if room > 0 and n_levels > 1 and len(rows):
            # refinements (node, level) by the spacing they improve, widest first; a
            # node's own levels come in order (its spacings shrink level by level)
            steps_node, steps_level = np.nonzero(
                np.arange(1, n_levels)[None, :] <= desired[rows, None])
            nodes = rows[steps_node]
            step_levels = steps_level + 1
            priority = spacing_px[nodes, step_levels - 1]
            # what is drawn now stays unless clearly outranked (no flicker, no uploads)
            priority = np.where(step_levels <= self.levels[nodes], priority * HYSTERESIS,
                                priority)
            order = np.lexsort((step_levels, -priority))
            nodes, step_levels = nodes[order], step_levels[order]
            cost = ends[nodes, step_levels] - ends[nodes, step_levels - 1]
            fits = np.cumsum(cost) <= room
            fits = np.minimum.accumulate(fits)  # the longest prefix that fits
            np.maximum.at(levels, nodes[fits], step_levels[fits])
        return levels

    def update_detail(self, renderer: vtkRenderer) -> None:
        if not self.lod.n_nodes:
            return
        self._check_budget(renderer)
        in_view = self._visible_nodes(renderer)
        levels = self.choose_levels(self.screen_spacing(renderer), in_view)
        self._set_levels(levels, in_view)

    def plan_work(self, renderer: vtkRenderer) -> None:
        self.update_detail(renderer)

    # --- colours ------------------------------------------------------------------
    def update_colors(self) -> None:
        for i in np.flatnonzero(self.drawn > 0).tolist():
            poly = self.node_mappers[i].GetInput()
            if poly is not None:
                self._color_node(poly, int(self.lod.offsets[i]), int(self.drawn[i]))
        self.on_change()

    def _on_color_mode(self, _mode: str) -> None:
        self.update_colors()

    def _on_point_size(self, size: float) -> None:
        for actor in self.node_actors:
            actor.GetProperty().SetPointSize(size * self._pixel_factor)
        self.on_change()

    def scale_pixels(self, factor: float) -> None:
        self._pixel_factor *= factor
        super().scale_pixels(factor)

    # --- picking ------------------------------------------------------------------
    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        """The drawn point nearest to the eye within :data:`PICK_PIXELS` of the ray:
        (distance along the ray, point index in the cloud's order)."""
        self._last_hit = None
        origin = np.asarray(origin, np.float64)
        direction = np.asarray(direction, np.float64)
        drawn = np.flatnonzero((self.drawn > 0) & self._in_view)
        if not len(drawn):
            return None
        slope = max(pixel_angle, 1e-9) * PICK_PIXELS
        rel = self._centres[drawn] - origin
        along = rel @ direction
        off = np.sqrt(np.maximum((rel * rel).sum(axis=1) - along**2, 0.0))
        reach = self._radii[drawn]
        near = (along + reach > 0) & (off <= reach + (np.abs(along) + reach) * slope)
        best: tuple[float, int] | None = None
        enter = (along - reach)[near]
        for k in np.argsort(enter).tolist():
            if best is not None and enter[k] > best[0]:
                break  # nodes come nearest first: none further on can be nearer
            i = int(drawn[near][k])
            start = int(self.lod.offsets[i])
            pts = self.cloud.local[start:start + int(self.drawn[i])].astype(np.float64)
            v = pts + (self.shift - origin)
            t = v @ direction
            perp2 = (v * v).sum(axis=1) - t * t
            ok = (t > 0) & (perp2 <= (t * slope) ** 2)
            if not ok.any():
                continue
            hits = np.flatnonzero(ok)
            j = int(hits[np.argmin(t[hits])])
            if best is None or t[j] < best[0]:
                best = (float(t[j]), start + j)
        if best is None:
            return None
        point = self.cloud.local[best[1]].astype(np.float64) + self.shift
        self._last_hit = (best[0], point)
        return best

    def surface_point(self, origin: np.ndarray, direction: np.ndarray,
                      distance: float) -> np.ndarray:
        """The picked point itself (not its foot on the ray)."""
        if self._last_hit is not None and self._last_hit[0] == distance:
            return self._last_hit[1].copy()
        return super().surface_point(origin, direction, distance)

    def point_world(self, index: int) -> np.ndarray:
        """World coordinates of point ``index`` (as ray_pick returns it)."""
        return self.cloud.positions(np.array([index]))[0]

    def object_at(self, prop, cell_id: int) -> int | None:
        for i, actor in enumerate(self.node_actors):
            if actor is prop and 0 <= cell_id < self.drawn[i]:
                return int(self.lod.offsets[i]) + int(cell_id)
        return None

    def dispose(self) -> None:
        self.layer.color_mode_changed.disconnect(self._on_color_mode)
        self.layer.point_size_changed.disconnect(self._on_point_size)
        super().dispose()
