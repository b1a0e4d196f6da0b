"""Turning files into project layers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid
from cimviewer.core.layers import (
    CityModelLayer,
    Layer,
    PointCloudLayer,
    RasterLayer,
    TerrainLayer,
    VectorLayer,
)
from cimviewer.core.pointcloud import PointCloud
from cimviewer.io.registry import Dataset, read_dataset

#: One reader at a time per process. rasterio and pyogrio each bundle their own GDAL and
#: PROJ; first use of both from two threads at once crashes the process (seen when
#: several files are opened together). Readers are GIL-bound, so little is lost.
READ_LOCK = threading.RLock()


def layer_from_dataset(dataset: Dataset, name: str, source: str | Path | None = None) -> Layer:
    if isinstance(dataset, CityModel):
        return CityModelLayer(name, dataset, source)
    if isinstance(dataset, TerrainGrid):
        return TerrainLayer(name, dataset, source)
    if isinstance(dataset, PointCloud):
        return PointCloudLayer(name, dataset, source)
    if isinstance(dataset, ValueGrid):
        return RasterLayer(name, dataset, source)
    return VectorLayer(name, dataset, source)


def layer_name(path: Path) -> str:
    name = path.name
    if path.is_dir():  # a folder of tiles: its whole name
        return name
    for suffix in (".city.jsonl", ".city.json"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def open_layer(path: str | Path, *, name: str | None = None, project_crs: str | None = None,
               options: dict | None = None,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> Layer:
    """Read a file as a layer in the project CRS (or a metric CRS when it has none yet).

    ``options`` are the reader's load options (see ``registry.read_dataset``); they are
    kept on the layer so a project can reopen it the same way.
    """
    from cimviewer.io.reproject import target_crs_for, to_crs

    path = Path(path)
    with READ_LOCK:
        dataset = read_dataset(path, options=options, progress=progress, cancelled=cancelled)
    if dataset.crs is None and project_crs and hasattr(dataset, "warnings"):
        dataset.warnings.append(f"has no CRS: assumed to be in the project CRS {project_crs}")
    with READ_LOCK:
        dataset = to_crs(dataset, target_crs_for(dataset, project_crs))
    layer = layer_from_dataset(dataset, name or layer_name(path), path)
    layer.load_options = dict(options or {})
    return layer


def split_layer_spec(text: str) -> tuple[Path, str | None]:
    """``FILE`` or ``FILE:LAYER`` (a layer of a multi-layer file such as a GeoPackage).

    A whole text that names a file wins, so Windows paths (``C:\\data\\city.gpkg``) and
    file names with colons still work; else the part after the last colon is the layer.
    """
    path = Path(text)
    if path.exists() or ":" not in text:
        return path, None
    head, _, layer = text.rpartition(":")
    if head and layer and Path(head).exists():
        return Path(head), layer
    return path, None
