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
    vtkWorldPointPicker,
)

from cimviewer.core.camera import CameraState, overview_camera
from cimviewer.core.layers import Layer
from cimviewer.core.project import Project
from cimviewer.render.adapters import LayerAdapter, adapter_for

BACKGROUND_TOP = (0.62, 0.74, 0.88)
BACKGROUND_BOTTOM = (0.93, 0.95, 0.97)


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
        self.request_render: Callable[[], None] = lambda: None
        for layer in project.layers:
            self._add(layer)
        project.layers.events.inserted.connect(self._on_inserted)
        project.layers.events.removed.connect(self._on_removed)
        project.camera.changed.connect(self._apply_camera)
        if project.camera.state is not None:
            self._apply_camera(project.camera.state)

    @property
    def origin(self) -> np.ndarray:
        return self.project.origin if self.project.origin is not None else np.zeros(3)

    # --- layers -------------------------------------------------------------------
    def _add(self, layer: Layer) -> None:
        adapter = adapter_for(layer, self.origin, self.project.selection)
        if adapter is None:
            return
        adapter.on_change = self._changed
        self.adapters[layer.uid] = adapter
        self.renderer.AddActor(adapter.actor)

    def _on_inserted(self, _index: int, layer: Layer) -> None:
        first = not self.adapters
        self._add(layer)
        if first:
            self.reset_camera()
        self._changed()

    def _on_removed(self, _index: int, layer: Layer) -> None:
        adapter = self.adapters.pop(layer.uid, None)
        if adapter is not None:
            self.renderer.RemoveActor(adapter.actor)
            adapter.dispose()
            self._changed()

    def _changed(self) -> None:
        self.request_render()

    def dispose(self) -> None:
        self.project.layers.events.inserted.disconnect(self._on_inserted)
        self.project.layers.events.removed.disconnect(self._on_removed)
        self.project.camera.changed.disconnect(self._apply_camera)
        for adapter in self.adapters.values():
            self.renderer.RemoveActor(adapter.actor)
            adapter.dispose()
        self.adapters.clear()

    # --- camera -------------------------------------------------------------------
    def _setup_lights(self) -> None:
        self.renderer.AutomaticLightCreationOff()
        self.renderer.RemoveAllLights()
        key = vtkLight()
        key.SetLightTypeToSceneLight()
        key.SetPosition(-0.5, -0.8, 1.0)  # from the south-west, high sun
        key.SetFocalPoint(0, 0, 0)
        key.SetPositional(False)
        key.SetIntensity(0.85)
        fill = vtkLight()
        fill.SetLightTypeToHeadlight()
        fill.SetIntensity(0.35)
        self.renderer.AddLight(key)
        self.renderer.AddLight(fill)

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
    def pick(self, x: int, y: int) -> tuple[str, int] | None:
        """(layer uid, object index) at display pixel (x, y) (origin bottom-left).

        Uses a hardware selector: the pick is one render of cell ids, so it does not
        slow down with millions of triangles.
        """
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
                if adapter.actor is prop and adapter.pickable:
                    obj = adapter.object_at_cell(int(ids.GetTuple1(0)))
                    if obj is not None:
                        best = (uid, obj)
                        break
            if best:
                break
        return best

    def world_point(self, x: int, y: int) -> np.ndarray | None:
        """World coordinates under display pixel (x, y), or None over the background."""
        picker = vtkWorldPointPicker()
        picker.Pick(x, y, 0, self.renderer)
        local = np.array(picker.GetPickPosition())
        # the z-buffer is 1.0 over the background: the picker then returns the far plane
        z = self.renderer.GetZ(x, y) if hasattr(self.renderer, "GetZ") else 0.0
        if z >= 1.0:
            return None
        return self.to_world(local)
