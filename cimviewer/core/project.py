"""The project: one CRS, one float64 origin, an ordered list of layers, selection, camera."""

from __future__ import annotations

import numpy as np
from psygnal import Signal
from psygnal.containers import EventedList

from cimviewer.core.camera import Camera
from cimviewer.core.layers import Layer
from cimviewer.core.selection import Selection


class Project:
    """Everything a working session shows.

    The origin is chosen from the first layer with geometry and never moves
    afterwards, so render coordinates (``world - origin``, float32) stay small and
    stable; UTM or ECEF coordinates do not jitter.
    """

    crs_changed = Signal(object)

    def __init__(self, crs: str | None = None) -> None:
        self.layers: EventedList[Layer] = EventedList()
        self.selection = Selection()
        self.camera = Camera()
        self._crs = crs
        self.origin: np.ndarray | None = None
        self.layers.events.removed.connect(self._on_removed)

    @property
    def crs(self) -> str | None:
        return self._crs

    @crs.setter
    def crs(self, value: str | None) -> None:
        if value != self._crs:
            self._crs = value
            self.crs_changed.emit(value)

    def add_layer(self, layer: Layer) -> Layer:
        if self.origin is None:
            bbox = layer.bbox()
            if bbox is not None and np.isfinite(bbox).all():
                # round so the origin is a readable number; precision is kept in float64
                self.origin = np.round((bbox[:3] + bbox[3:]) / 2, 0)
        if self._crs is None and layer.crs:
            self.crs = layer.crs
        self.layers.append(layer)
        return layer

    def layer_by_uid(self, uid: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.uid == uid), None)

    def bbox(self) -> np.ndarray | None:
        boxes = [b for b in (layer.bbox() for layer in self.layers) if b is not None]
        if not boxes:
            return None
        arr = np.array(boxes)
        return np.concatenate([arr[:, :3].min(axis=0), arr[:, 3:].max(axis=0)])


    def _on_removed(self, index: int, layer: Layer) -> None:
        self.selection.set(p for p in self.selection.items if p[0] != layer.uid)
