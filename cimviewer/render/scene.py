"""The scene: one vtkRenderer showing a Project, one adapter per layer.

The scene listens to the project's layer list and camera; it never imports Qt, so the
same class serves the desktop window and headless screenshots.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import vtkmodules.vtkInteractionStyle
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL backend)
from vtkmodules.vtkCommonDataModel import vtkSelectionNode
from vtkmodules.vtkRenderingCore import (
    vtkHardwareSelector,
    vtkLight,
    vtkRenderer,
)

from cimviewer.core.camera import CameraState, overview_camera
from cimviewer.core.layers import Layer
from cimviewer.core.legend import LegendSpec
from cimviewer.core.project import Project
from cimviewer.render.adapters import LayerAdapter, adapter_for
from cimviewer.render.labels import place_together
from cimviewer.render.overlays import FigureFrame, Legend, NorthArrow, ScaleBar
from cimviewer.render.shadows import (
    SHADOW_MAP_PIXELS,
    keep_light_cameras_square,
    shadow_passes,
)

BACKGROUND_TOP = (0.62, 0.74, 0.88)
BACKGROUND_BOTTOM = (0.93, 0.95, 0.97)
DEFAULT_SUN = (210.0, 50.0)  #: azimuth, elevation without a date: south-west, high
FILL_INTENSITY = 0.35
SKY_FILL_ELEVATION = 50.0
SKY_FILL_DISTANCE_M = 1e6  #: far enough to light a city from one direction


class Scene:
    """Keeps a vtkRenderer in sync with a Project."""

    def __init__(self, project: Project, renderer: vtkRenderer | None = None):
        self.project = project
        self.renderer = renderer or vtkRenderer()
        self.renderer.GradientBackgroundOn()
        self.renderer.SetBackground(*BACKGROUND_BOTTOM)
        self.renderer.SetBackground2(*BACKGROUND_TOP)
        self._setup_lights()
        self.adapters: dict[str, LayerAdapter] = {}
        #: turns a legend into the words the view shows (the window sets its translation)
        self.legend_text: Callable[[LegendSpec, Layer | None], LegendSpec] = (
            lambda spec, _layer: spec)
        #: frames come in a quick run (software renderers while things move): layers
        #: draw their lighter meshes until a still frame (see :meth:`set_motion`)
        self.motion = False
        self.request_render: Callable[[], None] = lambda: None
        #: render again in so many seconds (set by the view; no-op for still images)
        self.request_render_later: Callable[[float], None] = lambda _seconds: None
        for layer in project.layers:
            self._add(layer)
        project.layers.events.inserted.connect(self._on_inserted)
        project.layers.events.removed.connect(self._on_removed)
        project.camera.changed.connect(self._apply_camera)
        if project.camera.state is not None:
            self._apply_camera(project.camera.state)
        self.legend = Legend(self.renderer)
        self.north_arrow = NorthArrow(self.renderer)
        self.scale_bar = ScaleBar(self.renderer)
        #: where the overlays go while drawing part of a larger picture (an export)
        self.figure_frame: FigureFrame | None = None
        #: keep the levels of detail chosen for the whole picture while drawing parts
        #: of it (an export in stripes: tiles outside a stripe still cast its shadows)
        self.detail_frozen = False
        self._detail_tag = self.renderer.AddObserver("StartEvent", self._before_frame)
        self._square_tag = keep_light_cameras_square(self.renderer)
        project.sun.changed.connect(self._follow_sun)
        self._follow_sun()

    def _before_frame(self, *_args) -> None:
        if not self.detail_frozen:
            for adapter in self.adapters.values():
                adapter.update_detail(self.renderer)
        # labels of all layers laid out together, the top (newest) layer's first
        place_together(self.renderer, [
            labels for layer in reversed(list(self.project.layers))
            if (adapter := self.adapters.get(layer.uid)) is not None
            for labels in adapter.screen_labels])
        # order-independent transparency costs extra passes on every frame (a quarter of
        # a software-rendered frame): only while a layer that needs it is see-through
        self.renderer.SetUseOIT(any(
            a.needs_sorted_transparency and a.layer.visible and a.layer.opacity < 1
            for a in self.adapters.values()))
        frame = self.figure_frame or FigureFrame.of(self.renderer)
        self.north_arrow.update(frame)
        self.scale_bar.update(frame)
        self.legend.update(frame)

    def show_legend(self, layer: Layer | None) -> None:
        """Legend of a layer's style (or none)."""
        from cimviewer.core.legend import layer_legend

        spec = self.legend_text(layer_legend(layer), layer)
        self.legend.set_rows(spec.title, spec.rows)
        self._changed()

    def copy_look(self, other: Scene) -> None:
        """Show what ``other`` shows beyond the project: its legend, sun and shadows
        (for a figure drawn from a view)."""
        self.legend.set_rows(other.legend.title, list(other.legend.rows))
        self.sun_azimuth, self.sun_elevation = other.sun_azimuth, other.sun_elevation
        self._place_sun()
        self.set_shadows(other.shadows)
        self._changed()

    def scale_pixels(self, factor: float) -> None:
        """Draw what is sized in pixels (lines, points, labels) ``factor`` times larger:
        for a figure larger than the screen."""
        for adapter in self.adapters.values():
            adapter.scale_pixels(factor)
        self._changed()

    @property
    def origin(self) -> np.ndarray:
        return self.project.origin if self.project.origin is not None else np.zeros(3)

    def set_motion(self, moving: bool) -> None:
        """Draw the coming frames light (a run of quick frames on a software renderer)
        or in full detail (the still frame after it); the caller decides. Not while
        shadows are on: the shadow map is baked from the meshes drawn, and lighter ones
        would leave it stale in the still frame."""
        moving = moving and not self.shadows
        if moving == self.motion:
            return
        self.motion = moving
        for adapter in self.adapters.values():
            adapter.set_motion(moving)

    # --- layers -------------------------------------------------------------------
    def _add(self, layer: Layer) -> None:
        adapter = adapter_for(layer, self.origin, self.project.selection)
        if adapter is None:
            return
        if self.motion:
            adapter.set_motion(True)
        adapter.on_change = self._changed
        adapter.on_change_later = lambda seconds: self.request_render_later(seconds)
        adapter.on_actors_changed = self._swap_actors
        self.adapters[layer.uid] = adapter
        for actor in adapter.actors:
            self.renderer.AddActor(actor)

    def pending_work(self) -> bool:
        return any(a.pending_tiles for a in self.adapters.values())

    def do_work(self, seconds: float) -> int:
        """Build pending tiles of large layers for about ``seconds``; returns tiles made."""
        made = 0
        for adapter in list(self.adapters.values()):
            if adapter.pending_tiles:
                made += adapter.build_step(seconds)
        return made

    def finish_work(self) -> None:
        """Build what the current view needs (large layers: the tiles it wants in
        detail, within their memory budget), e.g. before a snapshot."""
        self.plan_work()
        while self.pending_work():
            if not self.do_work(float("inf")):
                break  # nothing more fits in the memory budget
            self.plan_work()

    def plan_work(self) -> None:
        """Let tiled layers choose levels and order their pending tiles for this view."""
        for adapter in self.adapters.values():
            adapter.plan_work(self.renderer)

    def refinement_progress(self) -> float:
        """0..1: how much of the detail the view wants is built (1 = fully refined).

        Large layers show coarse blocks at once and refine nearest-first; a status bar
        can show this fraction while :meth:`pending_work` is true."""
        values = [a.refinement for a in self.adapters.values()]
        return min(values) if values else 1.0

    def _swap_actors(self, old: list, new: list) -> None:
        for actor in old:
            self.renderer.RemoveActor(actor)
        for actor in new:
            self.renderer.AddActor(actor)

    def _on_inserted(self, _index: int, layer: Layer) -> None:
        first = not self.adapters
        self._add(layer)
        if first:
            self.reset_camera()
        self._changed()

    def _on_removed(self, _index: int, layer: Layer) -> None:
        adapter = self.adapters.pop(layer.uid, None)
        if adapter is not None:
            for actor in adapter.actors:
                self.renderer.RemoveActor(actor)
            adapter.dispose()
            self._changed()

    def _changed(self) -> None:
        self.request_render()

    def dispose(self) -> None:
        self.project.layers.events.inserted.disconnect(self._on_inserted)
        self.project.layers.events.removed.disconnect(self._on_removed)
        self.project.camera.changed.disconnect(self._apply_camera)
        self.project.sun.changed.disconnect(self._follow_sun)
        self.renderer.RemoveObserver(self._detail_tag)
        self.renderer.RemoveObserver(self._square_tag)
        self._release_passes()
        for adapter in self.adapters.values():
            for actor in adapter.actors:
                self.renderer.RemoveActor(actor)
            adapter.dispose()
        self.adapters.clear()

    # --- camera -------------------------------------------------------------------
    def _setup_lights(self) -> None:
        self.renderer.AutomaticLightCreationOff()
        self.renderer.RemoveAllLights()
        self.sun = vtkLight()
        self.sun.SetLightTypeToSceneLight()
        self.sun.SetFocalPoint(0, 0, 0)
        self.sun.SetPositional(False)
        self.sun.SetIntensity(0.85)
        self.fill = vtkLight()
        self.fill.SetLightTypeToHeadlight()
        self.fill.SetIntensity(FILL_INTENSITY)
        #: the fill while shadows are on: a headlight moves with every frame, and any
        #: moved light makes VTK bake the shadow map again (two frames' work)
        self.sky_fill = vtkLight()
        self.sky_fill.SetLightTypeToSceneLight()
        self.sky_fill.SetPositional(True)  # far away and with a wide cone: no shadows
        self.sky_fill.SetConeAngle(180.0)
        self.sky_fill.SetFocalPoint(0, 0, 0)
        self.sky_fill.SetIntensity(FILL_INTENSITY)
        self.sun_azimuth, self.sun_elevation = DEFAULT_SUN
        self._place_sun()
        self.renderer.AddLight(self.sun)
        self.renderer.AddLight(self.fill)
        self.shadows = False
        self._passes = None
        #: sides of the shadow map in pixels (a figure asks for a finer one)
        self.shadow_resolution = SHADOW_MAP_PIXELS

    def _place_sun(self) -> None:
        from cimviewer.core.sun import sun_direction

        direction = np.array(sun_direction(self.sun_azimuth, self.sun_elevation))
        self.sun.SetPosition(*(direction * 10000.0))
        # below the horizon the sun only dims the scene (night)
        self.sun.SetIntensity(0.85 if self.sun_elevation > 0 else 0.1)
        # the sky fill shines from the other side, up high: walls in the shade are seen
        sky = np.array(sun_direction(self.sun_azimuth + 180.0, SKY_FILL_ELEVATION))
        self.sky_fill.SetPosition(*(sky * SKY_FILL_DISTANCE_M))

    def set_sun(self, azimuth: float, elevation: float) -> None:
        """Light the scene from the sun's direction (degrees, azimuth from north)."""
        self.sun_azimuth, self.sun_elevation = float(azimuth), float(elevation)
        self._place_sun()
        self._changed()

    def set_shadows(self, on: bool) -> None:
        """Shadow mapping from the sun (VTK render passes), or the default passes."""
        if on == self.shadows:
            return
        self.shadows = on
        if on:
            self.set_motion(False)
        self.renderer.RemoveLight(self.fill if on else self.sky_fill)
        self.renderer.AddLight(self.sky_fill if on else self.fill)
        self._use_passes(shadow_passes(self.shadow_resolution) if on else None)

    def _use_passes(self, passes) -> None:
        self._release_passes()
        self._passes = passes
        self.renderer.SetPass(passes)
        self._changed()

    def set_shadow_resolution(self, pixels: int) -> None:
        """Sides of the shadow map (finer for a still figure than on screen)."""
        self.shadow_resolution = int(pixels)
        if self.shadows:
            self._use_passes(shadow_passes(self.shadow_resolution))

    def _release_passes(self) -> None:
        """Free the shadow maps of the passes in use (VTK complains of leaked GL
        objects when a shadow pass is dropped without it)."""
        window = self.renderer.GetRenderWindow()
        if self._passes is not None and window is not None:
            self._passes.ReleaseGraphicsResources(window)

    def _follow_sun(self, *_args) -> None:
        """Light the scene as the project's sun settings say (the default light while
        they name no time and place)."""
        sun = self.project.sun
        position = sun.position()
        if position is None:
            position = DEFAULT_SUN
        self.sun_azimuth, self.sun_elevation = position
        self._place_sun()
        self.set_shadows(sun.shadows)
        self._changed()

    def to_local(self, world: np.ndarray | tuple[float, ...]) -> np.ndarray:
        return np.asarray(world, np.float64) - self.origin

    def to_world(self, local: np.ndarray | tuple[float, ...]) -> np.ndarray:
        return np.asarray(local, np.float64) + self.origin

    def _apply_camera(self, state: CameraState) -> None:
        cam = self.renderer.GetActiveCamera()
        cam.SetPosition(*self.to_local(state.position))
        cam.SetFocalPoint(*self.to_local(state.focal_point))
        cam.SetViewUp(*state.view_up)
        cam.SetViewAngle(state.view_angle)
        self.renderer.ResetCameraClippingRange()
        self._changed()

    def camera_state(self) -> CameraState:
        cam = self.renderer.GetActiveCamera()
        return CameraState(
            tuple(self.to_world(cam.GetPosition())),
            tuple(self.to_world(cam.GetFocalPoint())),
            tuple(cam.GetViewUp()),
            cam.GetViewAngle(),
        )

    def reset_camera(self) -> None:
        bbox = self.project.bbox()
        if bbox is not None:
            self.project.camera.state = overview_camera(bbox)

    def zoom_to(self, bbox: np.ndarray) -> None:
        self.project.camera.state = overview_camera(bbox)

    # --- picking ------------------------------------------------------------------
    def display_ray(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """Ray (origin, unit direction) in render coordinates through display point (x, y)."""
        ren = self.renderer
        points = []
        for depth in (0.0, 1.0):
            ren.SetDisplayPoint(x, y, depth)
            ren.DisplayToWorld()
            wx, wy, wz, w = ren.GetWorldPoint()
            points.append(np.array([wx, wy, wz]) / (w or 1.0))
        near, far = points
        direction = far - near
        camera = ren.GetActiveCamera()
        if not camera.GetParallelProjection():
            near = np.array(camera.GetPosition())
            direction = points[0] - near if np.linalg.norm(points[0] - near) > 0 else direction
        return near, direction / np.linalg.norm(direction)

    def pick(self, x: int, y: int) -> tuple[str, int] | None:
        """(layer uid, object index) at display pixel (x, y) (origin bottom-left).

        A CPU ray cast against each visible, pickable layer's grid index: a few
        milliseconds on a million buildings, with no extra render.
        """
        origin, direction = self.display_ray(x + 0.5, y + 0.5)
        height = max(self.renderer.GetSize()[1], 1)
        pixel_angle = np.radians(self.renderer.GetActiveCamera().GetViewAngle()) / height
        best: tuple[float, str, int] | None = None
        for uid, adapter in self.adapters.items():
            if not ((adapter.pickable or adapter.occludes) and adapter.layer.visible):
                continue
            hit = adapter.ray_pick(origin, direction, pixel_angle)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = (hit[0], uid, hit[1])
        if best is None or not self.adapters[best[1]].pickable:
            return None
        return best[1], best[2]

    def pick_hardware(self, x: int, y: int) -> tuple[str, int] | None:
        """The same pick through a VTK hardware selector (renders cell ids; for checks)."""
        selector = vtkHardwareSelector()
        selector.SetRenderer(self.renderer)
        selector.SetArea(x, y, x, y)
        selector.SetFieldAssociation(1)  # vtkDataObject::FIELD_ASSOCIATION_CELLS
        selection = selector.Select()
        if selection is None or selection.GetNumberOfNodes() == 0:
            return None
        best = None
        for i in range(selection.GetNumberOfNodes()):
            node = selection.GetNode(i)
            prop = node.GetProperties().Get(vtkSelectionNode.PROP())
            ids = node.GetSelectionList()
            if prop is None or ids is None or ids.GetNumberOfTuples() == 0:
                continue
            for uid, adapter in self.adapters.items():
                if adapter.pickable and adapter.owns(prop):
                    obj = adapter.object_at(prop, int(ids.GetTuple1(0)))
                    if obj is not None:
                        best = (uid, obj)
                        break
            if best:
                break
        return best

    def world_point(self, x: int, y: int) -> np.ndarray | None:
        """World coordinates of the surface under display pixel (x, y) (terrain, roofs,
        walls, roads), or None over the background.

        A CPU ray cast like :meth:`pick`, not a read of the z-buffer: labels, the
        see-through sensor surface and other overlays do not get in the way.
        """
        origin, direction = self.display_ray(x + 0.5, y + 0.5)
        pixel_angle = np.radians(self.renderer.GetActiveCamera().GetViewAngle()) / max(
            self.renderer.GetSize()[1], 1)
        nearest = None
        for adapter in self.adapters.values():
            if not ((adapter.pickable or adapter.occludes) and adapter.layer.visible
                    and adapter.exact_surface):
                continue
            hit = adapter.ray_pick(origin, direction, pixel_angle)
            if hit is not None and (nearest is None or hit[0] < nearest[0]):
                nearest = (hit[0], adapter)
        if nearest is None:
            return None
        return self.to_world(nearest[1].surface_point(origin, direction, nearest[0]))
