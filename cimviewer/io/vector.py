"""Vector features (points, lines, polygons) from any format pyogrio reads.

Reads with ``pyogrio.raw`` and shapely's ragged arrays: no geopandas import and no
Python loop per vertex.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.datasets import VectorData
from cimviewer.io.crs import crs_from_pyproj
from cimviewer.io.errors import ReadError

VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".fgb", ".gml.gz", ".kml", ".gdb", ".sqlite")


def list_layers(path: str | Path) -> list[str]:
    import pyogrio

    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise ReadError(f"not a readable vector dataset ({exc})", path) from None


def layer_info(path: str | Path, layer: str | None = None) -> dict[str, Any]:
    """Without reading features: ``geometry`` (e.g. "Polygon", "Point"), ``fields``
    (name -> "number" or "text") and ``layers`` of the file."""
    import pyogrio

    layers = list_layers(path)
    try:
        info = pyogrio.read_info(path, layer=layer if layer is not None else
                                 (layers[0] if layers else None))
    except Exception as exc:
        raise ReadError(f"not a readable vector dataset ({exc})", path) from None
    kinds = {str(name): ("number" if str(dtype).startswith(("int", "float", "uint"))
                         else "text")
             for name, dtype in zip(info["fields"], info["dtypes"], strict=False)}
    return {"geometry": str(info.get("geometry_type") or ""), "fields": kinds,
            "layers": layers}


def read_raw(path: str | Path, layer: str | None = None) -> tuple[dict, np.ndarray, list]:
    """``(meta, shapely geometries, field arrays)`` of one layer; errors as ReadError."""
    meta, _fids, geoms, fields = read_raw_with_fids(path, layer, fids=False)
    return meta, geoms, fields


def read_raw_with_fids(path: str | Path, layer: str | int | None = None, *, fids: bool = True,
                       ) -> tuple[dict, np.ndarray | None, np.ndarray, list]:
    """``(meta, feature ids, shapely geometries, field arrays)`` of one layer; the
    feature ids are the data source's (GeoPackage primary keys; Shapefile record
    numbers from 0); ``meta["layer_name"]`` names the layer read."""
    import pyogrio
    import shapely
    from pyogrio import raw

    path = Path(path)
    try:
        meta, feature_ids, wkb, fields = raw.read(path, layer=layer, datetime_as_string=True,
                                                  return_fids=fids)
        if fids:
            names = pyogrio.list_layers(path)[:, 0].tolist()
            meta["layer_name"] = layer if isinstance(layer, str) else \
                names[layer or 0] if names else None
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise ReadError(f"not a readable vector dataset ({exc})", path) from None
    try:
        geoms = shapely.from_wkb(wkb)
    except Exception as exc:
        raise ReadError(f"invalid geometry ({exc})", path,
                        None if layer is None else f"layer {layer}") from None
    return meta, feature_ids, geoms, fields


def plain(value: Any) -> Any:
    """numpy scalars to Python scalars so attributes serialise to JSON."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def read_vector(path: str | Path, layer: str | None = None) -> VectorData:
    """Read one layer. Mixed kinds keep the most common kind; others are skipped with a warning."""
    import shapely
    from shapely import GeometryType

    path = Path(path)
    meta, geoms, fields = read_raw(path, layer)
    kinds = shapely.get_type_id(geoms)
    kind_of = {
        GeometryType.POINT: "point", GeometryType.MULTIPOINT: "point",
        GeometryType.LINESTRING: "line", GeometryType.MULTILINESTRING: "line",
        GeometryType.POLYGON: "polygon", GeometryType.MULTIPOLYGON: "polygon",
    }
    names = np.array([kind_of.get(GeometryType(k), "") if k >= 0 else "" for k in kinds])
    present = [n for n in ("point", "line", "polygon") if (names == n).any()]
    if not present:
        raise ReadError("layer has no point, line or polygon features", path, layer)
    kind = max(present, key=lambda n: int((names == n).sum()))
    keep = names == kind
    warnings = []
    if not keep.all():
        warnings.append(f"{int((~keep).sum())} features of other geometry kinds skipped")
    geoms = geoms[keep]
    columns = {
        str(name): [plain(v) for v in np.asarray(values)[keep]]
        for name, values in zip(meta["fields"], fields, strict=False)
    }
    has_z = bool(shapely.has_z(geoms).any())
    if kind == "point":
        single = geoms
        if (kinds[keep] == GeometryType.MULTIPOINT).any():
            warnings.append("multipoints reduced to their first point")
            single = shapely.get_geometry(geoms, 0)
        coords = shapely.get_coordinates(single, include_z=has_z)
        vertices = _xyz(coords)
        data = VectorData("point", vertices, columns=columns, n_features=len(geoms))
    else:
        _, coords, offsets = shapely.to_ragged_array(geoms, include_z=has_z)
        vertices = _xyz(coords)
        data = _from_ragged(kind, vertices, geoms, offsets, columns)
    data.crs = crs_from_pyproj(meta.get("crs")) if meta.get("crs") else None
    data.warnings = warnings
    return data


def _xyz(coords: np.ndarray) -> np.ndarray:
    coords = np.asarray(coords, dtype=np.float64)
    if coords.shape[1] == 2:
        coords = np.column_stack([coords, np.zeros(len(coords))])
    return coords


def _from_ragged(kind: str, vertices: np.ndarray, geoms: np.ndarray, offsets: tuple,
                 columns: dict) -> VectorData:
    """Map shapely ragged offsets to (vertex_offsets, part_offsets) per feature."""

    n = len(geoms)
    if kind == "line":
        if len(offsets) == 1:  # LineString: vertex offsets per feature
            vertex_offsets = offsets[0]
            part_offsets = np.arange(n + 1)
        else:  # MultiLineString: (line vertex offsets, feature part offsets)
            vertex_offsets, part_offsets = offsets
    else:
        if len(offsets) == 2:  # Polygon: ring vertex offsets, polygon ring offsets
            vertex_offsets, part_offsets = offsets
        else:  # MultiPolygon: ring offsets, polygon offsets, feature offsets -> flatten to rings
            ring_offsets, poly_offsets, feat_offsets = offsets
            vertex_offsets = ring_offsets
            part_offsets = poly_offsets[feat_offsets]
    return VectorData(kind, vertices, np.asarray(vertex_offsets, np.int64),
                      np.asarray(part_offsets, np.int64), columns, n_features=n)
