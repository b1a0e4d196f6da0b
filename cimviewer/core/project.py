"""The project: one CRS, one float64 origin, an ordered list of layers, selection, camera."""

from __future__ import annotations

import numpy as np
from psygnal import Signal
from psygnal.containers import EventedList

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import Camera
from cimviewer.core.layers import Layer
from cimviewer.core.selection import Selection
from cimviewer.core.sun import SunSettings
from cimviewer.core.timestate import TimeState


class Project:
    """Everything a working session shows.

    The origin is chosen from the first layer with geometry and never moves
    afterwards, so render coordinates (``world - origin``, float32) stay small and
    stable; UTM or ECEF coordinates do not jitter.
    """

    crs_changed = Signal(object)
    modified_changed = Signal(bool)
    path_changed = Signal(object)
    #: the whole content was replaced (a project opened or a new one started into this
    #: same object): views of saved state (plugin docks) read it again
    replaced = Signal()

    def __init__(self, crs: str | None = None) -> None:
        self.layers: EventedList[Layer] = EventedList()
        self.bookmarks: EventedList[Bookmark] = EventedList()
        self.selection = Selection()
        self.camera = Camera()
        self.time = TimeState()
        #: the sun that lights the scene: time in the project's time zone, place, shadows
        self.sun = SunSettings()
        #: each plugin's saved state: {plugin name: {"version": int, "data": {...}}}
        self.plugin_state: dict[str, dict] = {}
        self._crs = crs
        self.origin: np.ndarray | None = None
        self._path = None
        self._modified = False
        self.layers.events.removed.connect(self._on_removed)
        self.layers.events.inserted.connect(self._watch_layer)
        for signal in (self.layers.events.inserted, self.layers.events.removed,
                       self.layers.events.moved, self.bookmarks.events.inserted,
                       self.bookmarks.events.removed, self.bookmarks.events.changed,
                       self.time.changed, self.sun.changed, self.crs_changed):
            signal.connect(self.mark_modified)

    # --- saved state ----------------------------------------------------------------
    @property
    def path(self):
        """The project file (a pathlib.Path) or None when never saved."""
        return self._path

    @path.setter
    def path(self, value) -> None:
        if value != self._path:
            self._path = value
            self.path_changed.emit(value)

    @property
    def modified(self) -> bool:
        return self._modified

    def mark_modified(self, *_args: object) -> None:
        if not self._modified:
            self._modified = True
            self.modified_changed.emit(True)

    def mark_saved(self) -> None:
        if self._modified:
            self._modified = False
            self.modified_changed.emit(False)

    def _watch_layer(self, _index: int, layer: Layer) -> None:
        for signal in (layer.name_changed, layer.visibility_changed, layer.opacity_changed,
                       layer.style_changed, getattr(layer, "lod_changed", None),
                       getattr(layer, "joins_changed", None)):
            if signal is not None:
                signal.connect(self.mark_modified)

    def clear(self) -> None:
        """Remove everything: an empty, unsaved, unmodified project."""
        self.selection.clear()
        while self.layers:
            self.layers.pop()
        while self.bookmarks:
            self.bookmarks.pop()
        self.plugin_state.clear()
        self.sun.reset()
        self.origin = None
        self.crs = None
        self.path = None
        self.mark_saved()

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
