"""Base class of render adapters: owns one VTK actor for one layer and follows its events."""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor

from cimviewer.core.layers import Layer
from cimviewer.core.selection import Selection


class LayerAdapter:
    """Keeps one actor in sync with one layer.

    Subclasses build ``self.actor`` in :meth:`build` and may override
    :meth:`update_colors`. ``object_ids`` maps a picked cell id to an object index.
    """

    pickable = False

    def __init__(self, layer: Layer, origin: np.ndarray, selection: Selection):
        self.layer = layer
        self.origin = np.asarray(origin, dtype=np.float64)
        self.selection = selection
        self.actor = vtkActor()
        self.cell_objects: np.ndarray = np.zeros(0, np.int32)
        self.on_change = lambda: None  # set by the scene to request a render
        self.build()
        self.actor.SetVisibility(layer.visible)
        self.actor.GetProperty().SetOpacity(layer.opacity)
        self.actor.SetPickable(self.pickable)
        layer.visibility_changed.connect(self._on_visibility)
        layer.opacity_changed.connect(self._on_opacity)
        layer.style_changed.connect(self._on_style)

    def build(self) -> None:
        raise NotImplementedError

    def local(self, xyz: np.ndarray) -> np.ndarray:
        """World float64 -> render float32, relative to the project origin."""
        return (np.asarray(xyz, np.float64) - self.origin).astype(np.float32)

    def update_colors(self) -> None:
        pass

    def object_at_cell(self, cell_id: int) -> int | None:
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
        self.actor.SetVisibility(visible)
        self.on_change()

    def _on_opacity(self, opacity: float) -> None:
        self.actor.GetProperty().SetOpacity(opacity)
        self.on_change()

    def _on_style(self, _style: object) -> None:
        self.update_colors()
        self.on_change()
