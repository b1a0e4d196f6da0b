"""Writing algorithm outputs to files and describing them as JSON.

The GUI and the CLI both write through :func:`write_outputs`, so the same run gives
the same files. Tables are CSV, vector layers GeoPackage, terrain GeoTIFF, city models
CityJSON 2.0 (with the attributes an algorithm gave them); numbers and reports go into
the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.algorithms.base import Algorithm
from cimviewer.algorithms.outputs import Report, Table, ValuesOutput
from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.layers import CityModelLayer, Layer, RasterLayer, TerrainLayer, VectorLayer

#: (output name, suffix) -> the path to write
PathFor = Callable[[str, str], Path]


def dataset_of(value: Any) -> Any:
    """The dataset a layer output holds; any other value as it is."""
    if isinstance(value, CityModelLayer):
        return value.model
    if isinstance(value, (TerrainLayer, RasterLayer)):
        return value.grid
    if isinstance(value, VectorLayer):
        return value.data
    if isinstance(value, Layer):
        raise TypeError(f"a {value.kind} layer ({value.name!r}) cannot be written as an output")
    return value


def write_outputs(algorithm: Algorithm, outputs: dict[str, Any],
                  path_for: PathFor | None) -> dict[str, Any]:
    """Write file outputs (when ``path_for`` is given); a JSON-able summary of all outputs."""
    summary: dict[str, Any] = {}
    for decl in algorithm.outputs():
        if decl.name not in outputs:
            continue
        value = outputs[decl.name]
        entry: dict[str, Any] = {"type": decl.type_name, "label": decl.label}
        if value is None:
            entry["value"] = None
        elif isinstance(decl, ValuesOutput):
            entry["values"] = [_plain(v) for v in value]
        elif isinstance(value, Table):
            entry.update(rows=value.n_rows, columns=list(value.columns))
            if path_for is not None:
                entry["path"] = str(value.write_csv(path_for(decl.name, ".csv")))
        elif isinstance(value, (Report, str)):
            entry["text"] = value.text if isinstance(value, Report) else value
        elif isinstance(value, (int, float)):
            entry.update(value=value, unit=getattr(decl, "unit", ""))
        else:
            entry.update(_write_layer(decl.name, dataset_of(value), path_for))
        summary[decl.name] = entry
    return summary


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number or string JSON can hold."""
    return value.item() if isinstance(value, np.generic) else value


def _write_layer(name: str, data: Any, path_for: PathFor | None) -> dict[str, Any]:
    if isinstance(data, VectorData):
        out: dict[str, Any] = {"kind": "vector", "features": data.n_features}
        if path_for is not None:
            out["path"] = str(write_vector(data, path_for(name, ".gpkg"), name))
        return out
    if isinstance(data, TerrainGrid):
        out = {"kind": "terrain", "shape": list(data.shape)}
        if path_for is not None:
            out["path"] = str(write_terrain(data, path_for(name, ".tif")))
        return out
    if isinstance(data, ValueGrid):
        out = {"kind": "raster", "shape": list(data.shape), "unit": data.unit}
        if path_for is not None:
            from cimviewer.io.raster import write_values

            out["path"] = str(write_values(data, path_for(name, ".tif")))
        return out
    if isinstance(data, CityModel):
        out = {"kind": "citymodel", "objects": len(data.objects)}
        if path_for is not None:
            from cimviewer.io.cityjson.writer import write_cityjson

            out["path"] = str(write_cityjson(data, path_for(name, ".city.json")))
        return out
    return {"kind": "unknown"}


def _geometries(data: VectorData) -> list:
    import shapely

    v = data.vertices
    if data.kind == "point":
        return list(shapely.points(v[: data.n_features]))
    geoms = []
    for f in range(data.n_features):
        parts = []
        for p in range(int(data.part_offsets[f]), int(data.part_offsets[f + 1])):
            parts.append(v[int(data.vertex_offsets[p]):int(data.vertex_offsets[p + 1])])
        if data.kind == "line":
            geoms.append(shapely.multilinestrings([shapely.linestrings(p) for p in parts]))
        else:
            geoms.append(shapely.multipolygons([shapely.polygons(parts[0], parts[1:])])
                         if parts else shapely.from_wkt("MULTIPOLYGON EMPTY"))
    return geoms


def write_vector(data: VectorData, path: Path, layer: str) -> Path:
    """VectorData as a GeoPackage layer (pyogrio, no geopandas needed)."""
    import shapely
    from pyogrio.raw import write

    geoms = _geometries(data)
    wkb = np.array(shapely.to_wkb(geoms, output_dimension=3), dtype=object)
    fields, columns = [], []
    for key, values in data.columns.items():
        fields.append(key)
        columns.append(_column(values))
    geometry_type = {"point": "Point Z", "line": "MultiLineString Z",
                     "polygon": "MultiPolygon Z"}[data.kind]
    if path.exists():
        path.unlink()
    write(str(path), wkb, columns, fields, layer=layer, driver="GPKG",
          geometry_type=geometry_type, crs=data.crs)
    return path


def _column(values: list[Any]) -> np.ndarray:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return np.array([bool(v) for v in values])
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present) \
            and len(present) == len(values):
        return np.array(values, dtype=np.int64)
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return np.array([np.nan if v is None else float(v) for v in values])
    return np.array(["" if v is None else str(v) for v in values], dtype=object)


def write_terrain(grid: TerrainGrid, path: Path) -> Path:
    from cimviewer.io.raster import write_grid

    return write_grid(grid, path)
