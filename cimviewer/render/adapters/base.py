"""Base class of render adapters: keeps the VTK actors of one layer in sync with it."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor, vtkProp, vtkRenderer

from cimviewer.core.layers import Layer
from cimviewer.core.selection import Selection


class LayerAdapter:
    """Follows one layer's events.

    Subclasses build their actors in :meth:`build` (``self.actor`` for a single one,
    or :attr:`actors` for tiled layers) and may override :meth:`update_colors`,
    :meth:`object_at` and :meth:`update_detail`.
    """

    pickable = False
    #: see-through layers of this kind overlap themselves (walls behind walls) and need
    #: order-independent transparency; a single drape or point splats do not
    needs_sorted_transparency = True

    @property
    def exact_surface(self) -> bool:
        """Its ray hits lie on what is drawn (not thin things picked within a few pixels),
        so they can give the world point under the cursor."""
        return True
    #: hides pickable objects behind it (terrain), without being picked itself
    occludes = False

    def __init__(self, layer: Layer, origin: np.ndarray, selection: Selection):
        self.layer = layer
        self.origin = np.asarray(origin, dtype=np.float64)
        self.selection = selection
        self.actor = vtkActor()
        self.actors: list[vtkActor] = [self.actor]
        self.cell_objects: np.ndarray = np.zeros(0, np.int32)
        self.on_change = lambda: None  # set by the scene to request a render
        # set by the scene: request a render in so many seconds (throttled refreshes)
        self.on_change_later: Callable[[float], None] = lambda _seconds: None
        self.on_actors_changed = lambda _old, _new: None  # set by the scene
        self.build()
        self._apply_display_state()
        layer.visibility_changed.connect(self._on_visibility)
        layer.opacity_changed.connect(self._on_opacity)
        layer.style_changed.connect(self._on_style)

    def build(self) -> None:
        raise NotImplementedError

    def _apply_display_state(self) -> None:
        for actor in self.actors:
            actor.SetVisibility(self.layer.visible)
            actor.GetProperty().SetOpacity(self.layer.opacity)
            actor.SetPickable(self.pickable)

    def local(self, xyz: np.ndarray) -> np.ndarray:
        """World float64 -> render float32, relative to the project origin."""
        return (np.asarray(xyz, np.float64) - self.origin).astype(np.float32)

    def update_colors(self) -> None:
        pass

    def scale_pixels(self, factor: float) -> None:
        """Draw lines, points and text sized in pixels ``factor`` times larger (an
        export larger than the screen)."""
        for labels in self.screen_labels:
            labels.scale_pixels(factor)
        for actor in self.actors:
            prop = actor.GetProperty()
            if hasattr(prop, "SetLineWidth"):
                prop.SetLineWidth(prop.GetLineWidth() * factor)
                prop.SetPointSize(prop.GetPointSize() * factor)

    #: labels laid out on screen (cimviewer.render.labels.ScreenLabels): the scene
    #: places those of all layers together before every frame (and every stripe of a
    #: figure: unlike :meth:`update_detail`, never frozen)
    screen_labels: tuple = ()

    pending_tiles = 0

    def build_step(self, seconds: float) -> int:
        """Build more of a large layer's geometry (see CityModelAdapter)."""
        return 0

    def update_detail(self, renderer: vtkRenderer) -> None:
        """Choose the level of detail for the coming frame (tiled adapters)."""

    def set_motion(self, moving: bool) -> None:
        """Frames come in a quick run (software renderers while the camera or the data
        move): draw lighter meshes where the layer has them, full detail again when
        ``moving`` is False (the still frame that follows)."""

    def plan_work(self, renderer: vtkRenderer) -> None:
        """Order pending work for the renderer's view (tiled adapters), without a frame."""

    #: how much of what the view wants in detail is built (0..1)
    refinement = 1.0

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        """(distance, object index) of the nearest object hit by a ray in render
        coordinates, or None. ``pixel_angle`` is the angular size of a pixel (radians),
        for picking thin things like poles."""
        return None

    def surface_point(self, origin: np.ndarray, direction: np.ndarray,
                      distance: float) -> np.ndarray:
        """Render coordinates of the hit :meth:`ray_pick` reported at ``distance``
        (a point cloud gives the picked point itself, not its foot on the ray)."""
        return np.asarray(origin, np.float64) + distance * np.asarray(direction, np.float64)

    def owns(self, prop: vtkProp) -> bool:
        return any(prop is actor for actor in self.actors)

    def object_at(self, prop: vtkProp, cell_id: int) -> int | None:
        """Object index of a picked cell of one of this adapter's actors."""
        if 0 <= cell_id < len(self.cell_objects):
            return int(self.cell_objects[cell_id])
        return None

    def dispose(self) -> None:
        for signal, slot in (
            (self.layer.visibility_changed, self._on_visibility),
            (self.layer.opacity_changed, self._on_opacity),
            (self.layer.style_changed, self._on_style),
        ):
            signal.disconnect(slot)

    def _on_visibility(self, visible: bool) -> None:
        for actor in self.actors:
            actor.SetVisibility(visible)
        self.on_change()

    def _on_opacity(self, opacity: float) -> None:
        for actor in self.actors:
            actor.GetProperty().SetOpacity(opacity)
        self.on_change()

    def _on_style(self, _style: object) -> None:
        self.update_colors()
        self.on_change()
