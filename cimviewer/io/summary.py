"""``cimviewer info``: a JSON summary of a dataset with keys scripts rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.pointcloud import PointCloud
from cimviewer.io.registry import Dataset, detect_format, read_dataset

#: occurrences listed by ``info`` under ``problem_list`` (``problems`` counts them all)
PROBLEM_LIST_LIMIT = 1000


def _streamed_keys(model: CityModel) -> dict[str, Any]:
    """A streamed model counts its triangles by tile (estimated until read)."""
    if not model.streamed:
        return {}
    return {"streamed": True, "triangles": model.estimated_triangles(),  # type: ignore[attr-defined]
            "triangles_estimated": True}


def _raster_keys(grid: TerrainGrid | ValueGrid, shape: tuple[int, int],
                 vertices: int) -> dict[str, Any]:
    """The keys every raster has; ``shape`` (rows, cols) is the file's, ``vertices`` the
    cells with a height."""
    rows, cols = shape
    return {"format": "Raster", "crs": grid.crs, "objects": 0, "types": {}, "lods": [],
            "bbox": [float(v) for v in grid.bbox()], "vertices": vertices, "triangles": 0,
            "size": [int(cols), int(rows)], "pixel_size": [float(grid.dx), float(grid.dy)]}


def summarize(dataset: Dataset, fmt: str) -> dict[str, Any]:
    """Keys: format, crs, objects, types, lods, bbox, vertices, triangles (+ warnings;
    city models: ``problems``, problem kind -> occurrences, see
    ``CityModel.problem_objects``; ``problem_list``, occurrences as ``{"kind",
    "object", "place"}``, at most :data:`PROBLEM_LIST_LIMIT` shared between the kinds,
    see ``CityModel.problem_list``; ``appearance``, texture and material counts)."""
    if isinstance(dataset, CityModel) and hasattr(dataset, "tileset"):
        from cimviewer.io.tiles3d.summary import summarize_tileset

        return summarize_tileset(dataset)  # type: ignore[arg-type]
    if isinstance(dataset, CityModel):
        bbox = dataset.bbox()
        return {
            "format": dataset.source_format or fmt,
            "version": dataset.version or None,
            "crs": dataset.crs,
            "objects": len(dataset.objects),
            "types": dataset.objects.type_counts(),
            "lods": dataset.lods,
            "bbox": None if bbox is None else [float(v) for v in bbox],
            "vertices": int(dataset.n_vertices),
            "triangles": int(sum(m.n_triangles for m in dataset.meshes.values())),
            "warnings": list(dataset.warnings),
            "problems": dataset.problem_counts(),
            "problem_list": dataset.problem_list(PROBLEM_LIST_LIMIT),
            "appearance": {key: int(dataset.appearance.get(key, 0))
                           for key in ("textures", "textures_missing", "materials")},
            **_streamed_keys(dataset),
        }
    if isinstance(dataset, TerrainGrid):
        return _raster_keys(dataset, dataset.source_shape or dataset.shape,
                            int(np.isfinite(dataset.heights).sum()))
    if isinstance(dataset, PointCloud):
        return _pointcloud_summary(dataset)
    if isinstance(dataset, ValueGrid):
        value_range = dataset.value_range()
        return {
            **_raster_keys(dataset, dataset.shape, 0),
            "values": {"name": dataset.name, "unit": dataset.unit,
                       "range": None if value_range is None else list(value_range),
                       "classes": len(dataset.classes)},
        }
    assert isinstance(dataset, VectorData)
    bbox = dataset.bbox()
    return {
        "format": "Vector",
        "crs": dataset.crs,
        "objects": dataset.n_features,
        "types": {dataset.kind: dataset.n_features},
        "lods": [],
        "bbox": None if bbox is None else [float(v) for v in bbox],
        "vertices": len(dataset.vertices),
        "triangles": 0,
        "fields": list(dataset.columns),
        "warnings": list(dataset.warnings),
    }


def _pointcloud_summary(cloud: PointCloud) -> dict[str, Any]:
    """Point clouds: ``points`` (their number), ``vertices`` the same, no objects;
    ``classes`` counts points by ASPRS class code."""
    bbox = cloud.bbox()
    return {
        "format": cloud.source_format,
        "version": cloud.version or None,
        "point_format": cloud.point_format,
        "crs": cloud.crs,
        "objects": 0,
        "types": {},
        "lods": [],
        "bbox": None if bbox is None else [float(v) for v in bbox],
        "vertices": cloud.n_points,
        "triangles": 0,
        "points": cloud.n_points,
        "fields": [name for name in ("rgb", "intensity", "classification")
                   if getattr(cloud, name) is not None],
        "classes": {str(code): n for code, n in cloud.class_counts().items()},
        "warnings": list(cloud.warnings),
    }


def summarize_path(path: str | Path) -> dict[str, Any]:
    fmt = detect_format(path)
    if fmt == "pointcloud":  # a summary needs no level-of-detail order
        from cimviewer.io.errors import reader_errors
        from cimviewer.io.pointcloud.reader import read_pointcloud

        with reader_errors(path):
            return summarize(read_pointcloud(path, lod=False), fmt)
    return summarize(read_dataset(path), fmt)
