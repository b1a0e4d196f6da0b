"""Layer models. A layer owns its data and display state and emits events on change.

Layers never hold VTK or Qt objects; render adapters and widgets subscribe to the
signals below.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from psygnal import Signal

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.joins import AppliedJoin
from cimviewer.core.pointcloud import COLOR_MODES, PointCloud
from cimviewer.core.style import LayerStyle
from cimviewer.core.styling import TYPE_FIELD, several_top_level_types, top_level_types

_ids = itertools.count(1)


class Layer:
    """Base layer: name, visibility, opacity, source."""

    kind = "layer"

    name_changed = Signal(str)
    visibility_changed = Signal(bool)
    opacity_changed = Signal(float)
    style_changed = Signal(object)

    def __init__(self, name: str, source: str | Path | None = None, crs: str | None = None):
        self.uid = f"layer-{next(_ids)}"
        self._name = name
        self._visible = True
        self._opacity = 1.0
        self.source = None if source is None else Path(source)
        self.crs = crs
        self.load_options: dict[str, Any] = {}
        self._style = LayerStyle()

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        if value != self._name:
            self._name = value
            self.name_changed.emit(value)

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        value = bool(value)
        if value != self._visible:
            self._visible = value
            self.visibility_changed.emit(value)

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        value = float(min(1.0, max(0.0, value)))
        if value != self._opacity:
            self._opacity = value
            self.opacity_changed.emit(value)

    @property
    def style(self) -> LayerStyle:
        return self._style

    @style.setter
    def style(self, value: LayerStyle) -> None:
        if value != self._style:
            self._style = value
            self.style_changed.emit(value)

    def bbox(self) -> np.ndarray | None:
        """[minx, miny, minz, maxx, maxy, maxz] in the layer's CRS."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class CityModelLayer(Layer):
    """Buildings and other city objects, shown at one LoD (None = each object's highest)."""

    kind = "citymodel"
    lod_changed = Signal(object)
    #: the values of one object attribute changed (its name): styles on it recolour
    attribute_changed = Signal(str)
    #: a table was joined to the objects, or a join removed (``core.joins``)
    joins_changed = Signal()
    #: objects or object types were hidden or shown again (see :meth:`set_hidden`)
    hidden_changed = Signal()

    def __init__(self, name: str, model: CityModel, source: str | Path | None = None):
        super().__init__(name, source, model.crs)
        self.model = model
        self._lod: str | None = None
        #: outside tables joined to the objects, in the order applied (``core.joins``)
        self.joins: list[AppliedJoin] = []
        self._hidden_objects: frozenset[int] = frozenset()
        #: types a reader hides at first (IFC spaces: volumes that hide what is inside)
        self.default_hidden_types: frozenset[str] = frozenset(model.hidden_types)
        self._hidden_types: frozenset[str] = self.default_hidden_types
        self._hidden_mask: np.ndarray | None = None
        objects = model.objects
        if several_top_level_types(objects.types, objects.parents):
            # roads, water, vegetation, bridges... each in its own colour
            self._style = LayerStyle(mode="categorical", attribute=TYPE_FIELD)
        else:
            self._style = LayerStyle(mode="semantic" if _has_semantics(model) else "single")

    @property
    def lod(self) -> str | None:
        return self._lod

    @lod.setter
    def lod(self, value: str | None) -> None:
        if value is not None and value not in self.model.lods:
            raise ValueError(f"LoD {value!r} not in layer (has {self.model.lods})")
        if value != self._lod:
            self._lod = value
            self.lod_changed.emit(value)

    def bbox(self) -> np.ndarray | None:
        return self.model.bbox()

    # --- hiding objects ---------------------------------------------------------------
    @property
    def hidden_objects(self) -> frozenset[int]:
        """Indices of objects hidden with everything below them (a storey hides the
        elements on it)."""
        return self._hidden_objects

    @property
    def hidden_types(self) -> frozenset[str]:
        """Object types hidden (``IfcSpace``), with everything below them."""
        return self._hidden_types

    def set_hidden(self, objects: Iterable[int] | None = None,
                   types: Iterable[str] | None = None) -> None:
        """Hide these objects and types (None: leave that part as it is); the view
        and picking leave their triangles out. One event for both."""
        n = len(self.model.objects)
        new_objects = self._hidden_objects if objects is None else frozenset(
            int(i) for i in objects if 0 <= int(i) < n)
        new_types = self._hidden_types if types is None else frozenset(str(t) for t in types)
        if new_objects == self._hidden_objects and new_types == self._hidden_types:
            return
        self._hidden_objects, self._hidden_types = new_objects, new_types
        self._hidden_mask = None
        self.hidden_changed.emit()

    def show_object(self, index: int, shown: bool) -> None:
        """Show or hide one object (and what is below it)."""
        objects = set(self._hidden_objects)
        if shown:
            objects.discard(int(index))
        else:
            objects.add(int(index))
        self.set_hidden(objects=objects)

    def show_type(self, object_type: str, shown: bool) -> None:
        """Show or hide every object of a type (and what is below them)."""
        types = set(self._hidden_types)
        if shown:
            types.discard(object_type)
        else:
            types.add(object_type)
        self.set_hidden(types=types)

    def hidden_mask(self) -> np.ndarray | None:
        """Per object: hidden, itself or through an ancestor; None when nothing is."""
        if not self._hidden_objects and not self._hidden_types:
            return None
        if self._hidden_mask is None:
            self._hidden_mask = _hidden_with_ancestors(
                self.model.objects.types, self.model.objects.parents,
                self._hidden_objects, self._hidden_types)
        return self._hidden_mask if self._hidden_mask.any() else None

    def object_types(self) -> list[str]:
        """Each object's top-level type (what a style on ``TYPE_FIELD`` colours by)."""
        return top_level_types(self.model.objects.types, self.model.objects.parents)

    def set_object_values(self, name: str, values: Mapping[int, float] | np.ndarray) -> None:
        """Give objects a numeric attribute ``name`` (object index -> value, or one value
        per object; NaN: no value) and tell listeners, so a style on it recolours.
        Objects not named keep no value."""
        attributes = self.model.objects.attributes
        pairs: Iterable[tuple[int, float]]
        if isinstance(values, Mapping):
            pairs = values.items()
        else:
            array = np.asarray(values, np.float64)
            if array.shape != (len(attributes),):
                raise ValueError(f"{name}: {array.shape[0] if array.ndim else 0} values for "
                                 f"{len(attributes)} objects")
            pairs = enumerate(array.tolist())
        for attrs in attributes:  # once per object, not per vertex
            attrs.pop(name, None)
        for index, value in pairs:
            if 0 <= int(index) < len(attributes) and np.isfinite(value):
                attributes[int(index)][name] = float(value)
        self.attribute_changed.emit(name)

    def clear_object_values(self, name: str) -> None:
        """Remove attribute ``name`` from every object."""
        for attrs in self.model.objects.attributes:
            attrs.pop(name, None)
        self.attribute_changed.emit(name)


def _hidden_with_ancestors(types: list[str], parents: list[list[int]],
                           objects: frozenset[int], hidden_types: frozenset[str]) -> np.ndarray:
    """Hidden per object: listed, of a hidden type, or below such an object (one pass
    up each object's parents, remembered on the way)."""
    n = len(types)
    state = np.full(n, -1, np.int8)  # -1 unknown, 0 shown, 1 hidden
    for start in range(n):
        path: list[int] = []
        i = start
        verdict = 0
        while True:
            if state[i] >= 0:
                verdict = int(state[i])
                break
            path.append(i)
            if i in objects or types[i] in hidden_types:
                verdict = 1
                break
            up = parents[i][0] if parents[i] else -1
            if not 0 <= up < n or up in path:
                break
            i = up
        for j in path:
            state[j] = verdict
    return state == 1


def _has_semantics(model: CityModel) -> bool:
    return any(bool(m.tri_semantic.any()) for m in model.meshes.values())


class TerrainLayer(Layer):
    kind = "terrain"

    def __init__(self, name: str, grid: TerrainGrid, source: str | Path | None = None):
        super().__init__(name, source, grid.crs)
        self.grid = grid
        self._style = LayerStyle(mode="graduated", colormap="terrain")
        #: what the colours of a draped image mean (an analysis result): (label, RGB)
        self.legend: list[tuple[str, tuple[int, int, int]]] = []

    def bbox(self) -> np.ndarray | None:
        return self.grid.bbox()


class RasterLayer(Layer):
    """A raster of values (an analysis result, a density): drawn draped on the terrain
    with a colormap or classes and a legend; not terrain, so never offered as terrain.

    ``ground`` is the terrain height under each cell once the layer is draped (None:
    drawn flat at height 0); it floats ``lift`` metres above it (the layer's
    ``drape_offset`` load option, 1 m by default).
    """

    kind = "raster"
    DEFAULT_LIFT = 1.0

    def __init__(self, name: str, grid: ValueGrid, source: str | Path | None = None):
        super().__init__(name, source, grid.crs)
        self.grid = grid
        self.ground: np.ndarray | None = None
        fixed = "fixed" if grid.classes else "equal_interval"
        self._style = LayerStyle(mode="graduated", attribute=grid.name, colormap="viridis",
                                 classes=5, classification=fixed, fixed_classes=grid.classes)

    @property
    def lift(self) -> float:
        return float(self.load_options.get("drape_offset", self.DEFAULT_LIFT))

    def surface_heights(self) -> np.ndarray:
        """Height of each cell's surface: the ground under it plus the lift."""
        base = self.ground if self.ground is not None else np.zeros(self.grid.shape)
        return base + self.lift

    def bbox(self) -> np.ndarray | None:
        box = self.grid.bbox()
        heights = self.surface_heights()[np.isfinite(self.grid.values)]
        if heights.size:
            box[2], box[5] = float(np.nanmin(heights)), float(np.nanmax(heights))
        return box


class VectorLayer(Layer):
    """Points, lines or polygons with attributes (roads, poles, sensors...)."""

    kind = "vector"

    def __init__(self, name: str, data: VectorData, source: str | Path | None = None):
        super().__init__(name, source, data.crs)
        self.data = data
        self._style = LayerStyle(color=(60, 60, 70) if data.kind == "line" else (240, 180, 40))

    def bbox(self) -> np.ndarray | None:
        return self.data.bbox()


class PointCloudLayer(Layer):
    """A LAS / LAZ point cloud, coloured by RGB, intensity, ASPRS class or height."""

    kind = "pointcloud"
    #: the colour mode changed (its name)
    color_mode_changed = Signal(str)
    #: the point size in pixels changed
    point_size_changed = Signal(float)

    def __init__(self, name: str, cloud: PointCloud, source: str | Path | None = None):
        super().__init__(name, source, cloud.crs)
        self.cloud = cloud
        self._color_mode = cloud.default_color_mode()
        self._point_size = 2.0
        #: colour map of the height mode
        self._style = LayerStyle(mode="graduated", colormap="viridis")

    @property
    def color_mode(self) -> str:
        return self._color_mode

    @color_mode.setter
    def color_mode(self, value: str) -> None:
        if value not in COLOR_MODES:
            raise ValueError(f"colour mode {value!r} is not one of {', '.join(COLOR_MODES)}")
        if value not in self.cloud.color_modes():
            raise ValueError(f"the point cloud has no {value} to colour by")
        if value != self._color_mode:
            self._color_mode = value
            self.color_mode_changed.emit(value)

    @property
    def point_size(self) -> float:
        return self._point_size

    @point_size.setter
    def point_size(self, value: float) -> None:
        value = float(min(20.0, max(1.0, value)))
        if value != self._point_size:
            self._point_size = value
            self.point_size_changed.emit(value)

    def bbox(self) -> np.ndarray | None:
        return self.cloud.bbox()


class MissingLayer(Layer):
    """A layer of a saved project whose data could not be found or read.

    It keeps the saved record so that saving the project again loses nothing, and so
    that the data can be relocated later.
    """

    kind = "missing"

    def __init__(self, name: str, record: dict[str, Any], reason: str,
                 source: str | Path | None = None):
        super().__init__(name, source, None)
        self.record = dict(record)
        self.reason = reason
        self._visible = bool(record.get("visible", True))
