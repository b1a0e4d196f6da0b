"""What a layer's legend says: a title, the styled attribute and its unit, and
(label, colour) rows. One source for the 3D legend overlay and the Legend panel, so
both always show the same classes in the same colours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from cimviewer.core import colormaps
from cimviewer.core.layers import (
    CityModelLayer,
    Layer,
    PointCloudLayer,
    RasterLayer,
    TerrainLayer,
    VectorLayer,
)
from cimviewer.core.pointcloud import class_colors, class_name
from cimviewer.core.styling import TYPE_FIELD, legend_entries, value_legend

#: units of attributes that city models and the demo data commonly carry
KNOWN_UNITS = {
    "measuredheight": "m", "height": "m", "roofheight": "m", "eaveheight": "m",
    "storeyheightsaboveground": "m", "elevation": "m", "altitude": "m",
    "absoluteheight": "m", "depth": "m", "width": "m", "length": "m",
    "area": "m²", "footprintarea": "m²", "floorarea": "m²", "grossfloorarea": "m²",
    "volume": "m³", "rsrp": "dBm", "noise": "dB(A)", "pm25": "µg/m³", "pm10": "µg/m³",
    "temperature": "°C", "power": "kW", "capacity": "kW",
}
#: a unit written into the attribute's name: "height [m]", "area (m2)", "span_m"
_IN_NAME = re.compile(r"[\[(]\s*([^\])]+?)\s*[\])]\s*$")
_SUFFIX = {"_m": "m", "_m2": "m²", "_m3": "m³", "_km": "km", "_kw": "kW", "_db": "dB"}


def attribute_unit(name: str | None) -> str:
    """The unit of an attribute, from its name ("" when none is known)."""
    if not name or name == TYPE_FIELD:
        return ""
    match = _IN_NAME.search(name)
    if match:
        return match.group(1).replace("m2", "m²").replace("m3", "m³")
    lower = name.lower()
    for suffix, unit in _SUFFIX.items():
        if lower.endswith(suffix):
            return unit
    return KNOWN_UNITS.get(re.sub(r"[^a-z0-9]", "", lower), "")


@dataclass
class LegendSpec:
    """A legend: ``rows`` of (label, RGB) under ``title``; ``attribute`` is the styled
    field (``TYPE_FIELD`` for object types, "" for a draped image) and ``unit`` its
    unit when known."""

    layer_name: str = ""
    attribute: str = ""
    unit: str = ""
    rows: list[tuple[str, tuple[int, int, int]]] = field(default_factory=list)
    #: what the title calls the attribute ("" : its name; the UI sets a translated one)
    attribute_label: str = ""

    @property
    def title(self) -> str:
        """"Buildings: measuredHeight (m)"; the layer name alone for a draped image."""
        if not self.rows:
            return ""
        if not self.attribute:
            return self.layer_name
        name = self.attribute_label or ("type" if self.attribute == TYPE_FIELD
                                        else self.attribute)
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.layer_name}: {name}{unit}"


def legend_signals(layer: Layer | None) -> list:
    """The layer's signals after which its legend must be read again: its style, and
    the attribute values classes are made of (city objects) or the colour mode (point
    clouds). Whatever shows a legend connects to all of them."""
    if layer is None:
        return []
    signals = [layer.style_changed]
    if isinstance(layer, CityModelLayer):
        signals.append(layer.attribute_changed)
    if isinstance(layer, PointCloudLayer):
        signals.append(layer.color_mode_changed)
    return signals


def layer_legend(layer: Layer | None) -> LegendSpec:
    """The legend of a layer's style (no rows when it is not coloured by a value)."""
    if isinstance(layer, TerrainLayer) and layer.legend:
        return LegendSpec(layer.name, rows=list(layer.legend))
    if isinstance(layer, PointCloudLayer):
        return pointcloud_legend(layer)
    if isinstance(layer, RasterLayer):
        grid = layer.grid
        return LegendSpec(layer.name, grid.name, grid.unit or attribute_unit(grid.name),
                          value_legend(layer.style, grid.values.ravel()))
    rows: list[tuple[str, tuple[int, int, int]]] = []
    if isinstance(layer, CityModelLayer):
        rows = legend_entries(layer.style, layer.model.objects.attributes,
                              layer.object_types())
    elif isinstance(layer, VectorLayer):
        data = layer.data
        rows = legend_entries(layer.style, [data.attributes(i) for i in range(data.n_features)])
    if layer is None or not rows:
        return LegendSpec()
    field_name = layer.style.attribute or ""
    return LegendSpec(layer.name, field_name, attribute_unit(field_name), rows,
                      layer.style.attribute_label)


#: height classes of a point cloud's legend in the height colour mode
HEIGHT_LEGEND_CLASSES = 5


def pointcloud_legend(layer: PointCloudLayer) -> LegendSpec:
    """ASPRS classes present (English names; the Legend panel translates them), or the
    height colour map in classes of equal height; none for RGB and intensity."""
    cloud = layer.cloud
    if layer.color_mode == "classification":
        codes = list(cloud.class_counts())
        colors = class_colors(np.array(codes, np.uint8)) if codes else np.zeros((0, 3))
        rows = [(class_name(code), _rgb(color)) for code, color in zip(codes, colors,
                                                                     strict=True)]
        return LegendSpec(layer.name, "classification", "", rows)
    if layer.color_mode == "height":
        bbox = cloud.bbox()
        if bbox is None:
            return LegendSpec()
        lo, hi = float(bbox[2]), float(bbox[5])
        edges = np.linspace(lo, hi, HEIGHT_LEGEND_CLASSES + 1)
        mids = (np.arange(HEIGHT_LEGEND_CLASSES) + 0.5) / HEIGHT_LEGEND_CLASSES
        colors = colormaps.sample(layer.style.colormap, mids)
        rows = [(f"{a:,.1f} – {b:,.1f}", _rgb(c))
                for a, b, c in zip(edges[:-1], edges[1:], colors, strict=True)]
        return LegendSpec(layer.name, "height", "m", rows)
    return LegendSpec()


def _rgb(color: np.ndarray) -> tuple[int, int, int]:
    return (int(color[0]), int(color[1]), int(color[2]))
