"""One adapter per layer kind; ``adapter_for`` picks it."""

from __future__ import annotations

import numpy as np

from cimviewer.core.layers import (
    CityModelLayer,
    Layer,
    PointCloudLayer,
    RasterLayer,
    TerrainLayer,
    VectorLayer,
)
from cimviewer.core.selection import Selection
from cimviewer.core.sensors import SensorLayer
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.adapters.citymodel import CityModelAdapter
from cimviewer.render.adapters.pointcloud import PointCloudAdapter
from cimviewer.render.adapters.raster import RasterAdapter
from cimviewer.render.adapters.sensors import SensorAdapter
from cimviewer.render.adapters.terrain import TerrainAdapter
from cimviewer.render.adapters.tiles3d import Tiles3DAdapter
from cimviewer.render.adapters.vector import VectorAdapter

ADAPTERS: dict[type[Layer], type[LayerAdapter]] = {
    CityModelLayer: CityModelAdapter,
    TerrainLayer: TerrainAdapter,
    RasterLayer: RasterAdapter,
    VectorLayer: VectorAdapter,
    SensorLayer: SensorAdapter,
    PointCloudLayer: PointCloudAdapter,
}


def adapter_for(layer: Layer, origin: np.ndarray, selection: Selection) -> LayerAdapter | None:
    if isinstance(layer, CityModelLayer) and getattr(layer.model, "tree", None) is not None:
        return Tiles3DAdapter(layer, origin, selection)  # a 3D Tiles tileset
    for cls in type(layer).__mro__:
        if cls in ADAPTERS:
            return ADAPTERS[cls](layer, origin, selection)
    return None


__all__ = ["ADAPTERS", "LayerAdapter", "adapter_for"]
