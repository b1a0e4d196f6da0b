"""Building footprints (any vector format pyogrio reads) extruded to LoD1 city models.

Each Polygon / MultiPolygon feature becomes one "Building" object with the feature's
attributes. Its height comes from a height attribute, else storeys × storey height,
else a default; its base from a constant, a per-feature array or a terrain sampler.
Coordinates go through shapely's ragged arrays: no Python loop per vertex.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.citymodel import INDEX, PLACES_KEPT, CityModel, TriangleMesh
from cimviewer.geometry.extrude import extrude_footprints
from cimviewer.geometry.validity import DEGENERATE_POLYGON
from cimviewer.io.crs import crs_from_pyproj
from cimviewer.io.errors import ReadError, reader_errors
from cimviewer.io.quality import footprint_place
from cimviewer.io.sanity import NAMED
from cimviewer.io.vector import plain, read_raw_with_fids

#: columns tried, in order, as object ids (case-insensitive); the first with unique values wins
ID_COLUMNS = ("id", "gml_id", "gmlid", "uuid", "building_id", "osm_id", "objectid", "fid",
              "identificatie")
BaseZ = float | np.ndarray | Callable[[np.ndarray, np.ndarray], np.ndarray]


def read_footprints(
    path: str | Path,
    *,
    layer: str | int | None = None,
    height_attribute: str | None = None,
    storeys_attribute: str | None = None,
    storey_height: float = 3.0,
    default_height: float = 10.0,
    base_z: BaseZ = 0.0,
) -> CityModel:
    """Read footprints and extrude them into a LoD "1" :class:`CityModel`.

    ``base_z`` is a number, one value per feature, or ``f(x, y) -> z`` sampled at every
    footprint vertex (each polygon then stands on its lowest sample). Features whose
    height is missing, non-numeric or not positive get ``default_height`` (counted in
    ``model.warnings``); non-polygon features are skipped with a warning.
    """
    path = Path(path)
    with reader_errors(path):
        return _read(path, layer, height_attribute, storeys_attribute, storey_height,
                     default_height, base_z)


def _read(path: Path, layer, height_attribute, storeys_attribute, storey_height,
          default_height, base_z) -> CityModel:
    import shapely
    from shapely import GeometryType

    if not path.exists():
        raise ReadError("file does not exist", path)
    if not default_height > 0 or not storey_height > 0:
        raise ReadError("default and storey heights must be positive", path)
    meta, fids, geoms, fields = read_raw_with_fids(path, layer)
    names = [str(n) for n in meta["fields"]]
    columns = dict(zip(names, fields, strict=True))
    for attr in (height_attribute, storeys_attribute):
        if attr is not None and attr not in columns:
            available = ", ".join(names) or "(none)"
            raise ReadError(f"no attribute {attr!r}; available attributes: {available}", path,
                            None if layer is None else f"layer {layer}")

    model = CityModel(source_format="Footprints", version="")
    kinds = shapely.get_type_id(geoms)
    polygonal = np.isin(kinds, [GeometryType.POLYGON, GeometryType.MULTIPOLYGON])
    keep = polygonal & ~shapely.is_empty(geoms)
    if (~keep).any():
        model.warnings.append(f"{int((~keep).sum())} features without polygon geometry skipped")
    features = np.flatnonzero(keep)

    height, n_defaulted = _heights(columns, features, height_attribute, storeys_attribute,
                                   storey_height, default_height)
    if n_defaulted and (height_attribute or storeys_attribute):
        model.warnings.append(f"{n_defaulted} features without a usable height got the "
                              f"default height {default_height:g}")

    _add_objects(model, columns, features)
    # the place of each object in the file: its feature id (FID), else its row
    model.object_origin = (np.asarray(fids, np.int64)[features] if fids is not None
                           and len(fids) == len(geoms) else features.astype(np.int64))
    model.metadata["layer_name"] = meta.get("layer_name")

    def places(objects: np.ndarray) -> list[str]:
        assert model.object_origin is not None
        return [footprint_place(meta.get("layer_name"), fid)
                for fid in model.object_origin[objects[:PLACES_KEPT]].tolist()]

    shapes, repaired, flat = _repair(geoms[features])
    for kind, objects in repaired.items():
        model.warnings.append(f"{len(objects)} footprint(s) repaired ({kind}): "
                              f"{_names(model, objects)}")
        model.add_problem(GEOS_KINDS.get(kind, kind.upper().replace(" ", "_")), objects,
                          places(objects))
    if flat.any():  # no roof, no ground: walls alone would be a hollow shell
        problem = (f"{int(flat.sum())} footprint(s) left out for zero area: "
                   f"{_names(model, np.flatnonzero(flat))}")
        model.warnings.append(problem)
        model.problems.append(problem)
        model.add_problem(DEGENERATE_POLYGON, np.flatnonzero(flat),
                          places(np.flatnonzero(flat)))
    solid = np.flatnonzero(~flat)  # object index of each extruded footprint
    xy, ring_offsets, polygon_offsets, poly_feature = _flat_polygons(shapes[solid])
    base = _base_heights(base_z, xy, ring_offsets, polygon_offsets, poly_feature, len(geoms),
                         features[solid], model)
    mesh = extrude_footprints(xy, ring_offsets, polygon_offsets, base,
                              height[solid][poly_feature])
    model.meshes["1"] = TriangleMesh(mesh.vertices, mesh.triangles,
                                     solid[poly_feature[mesh.tri_polygon]].astype(INDEX),
                                     mesh.tri_semantic)
    model.n_vertices = len(mesh.vertices) // 2  # footprint vertices, rings left open
    model.crs = crs_from_pyproj(meta.get("crs")) if meta.get("crs") else None
    model.metadata.update({"driver": meta.get("driver"), "layer": layer})
    return model


#: GEOS's reasons for an invalid polygon (lower case) -> val3dity's names
GEOS_KINDS = {
    "self-intersection": "RING_SELF_INTERSECTION",
    "ring self-intersection": "RING_SELF_INTERSECTION",
    "too few points": "TOO_FEW_POINTS",
    "ring is not closed": "RING_NOT_CLOSED",
    "hole lies outside shell": "INNER_RING_OUTSIDE",
    "nested holes": "INNER_RINGS_NESTED",
    "interior is disconnected": "INTERIOR_DISCONNECTED",
    "duplicate rings": "DUPLICATED_RINGS",
    "nested shells": "NESTED_SHELLS",
}


def _repair(geoms: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Valid footprints: ``(shapes, {kind of fault: repaired indices}, zero-area mask)``.

    Invalid polygons (self-intersecting rings, holes outside or touching, ...) are made
    valid, keeping only their polygonal parts (``make_valid`` then ``buffer(0)``,
    vectorized). Those that enclose no area, before or after repair, are flagged:
    extruded they would be walls without roof or ground. Polygons with non-finite
    coordinates are left to :mod:`cimviewer.io.sanity`.
    """
    import shapely

    shapes = np.array(geoms, dtype=object)
    reasons = shapely.is_valid_reason(geoms)
    kinds = np.array([str(r).split("[", 1)[0].strip() for r in reasons], dtype=object)
    broken = (kinds != "Valid Geometry") & (kinds != "Invalid Coordinate")
    if broken.any():
        shapes[broken] = shapely.buffer(shapely.make_valid(geoms[broken]), 0)
    with np.errstate(invalid="ignore"):
        flat = shapely.is_empty(shapes) | (shapely.area(shapes) == 0)
    fixed = broken & ~flat
    repaired = {str(kind).lower(): np.flatnonzero(fixed & (kinds == kind))
                for kind in dict.fromkeys(kinds[fixed])}
    return shapes, repaired, flat


def _names(model: CityModel, objects: np.ndarray) -> str:
    ids = [repr(model.objects.ids[int(i)]) for i in objects[:NAMED]]
    more = len(objects) - len(ids)
    return ", ".join(ids) + (f" and {more} more" if more > 0 else "")


def _numeric(values: np.ndarray) -> np.ndarray:
    """Column values as float64; anything non-numeric becomes NaN."""
    try:
        return np.asarray(values, np.float64)
    except (TypeError, ValueError):
        out = np.full(len(values), np.nan)
        for i, value in enumerate(values):
            with contextlib.suppress(TypeError, ValueError):
                out[i] = float(value)
        return out


def _heights(columns, features, height_attribute, storeys_attribute, storey_height,
             default_height) -> tuple[np.ndarray, int]:
    """Height per kept feature: attribute, else storeys × storey height, else default."""
    height = np.full(len(features), np.nan)
    if height_attribute is not None:
        height = _numeric(np.asarray(columns[height_attribute])[features])
    if storeys_attribute is not None:
        storeys = _numeric(np.asarray(columns[storeys_attribute])[features]) * storey_height
        height = np.where(np.isfinite(height) & (height > 0), height, storeys)
    usable = np.isfinite(height) & (height > 0)
    return np.where(usable, height, default_height), int((~usable).sum())


def _flat_polygons(geoms: np.ndarray):
    """(xy, ring offsets, polygon ring offsets, feature of each polygon) of (multi)polygons."""
    import shapely
    from shapely import GeometryType

    if not len(geoms):
        return np.zeros((0, 2)), np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(0, int)
    kind, coords, offsets = shapely.to_ragged_array(geoms, include_z=False)
    if kind == GeometryType.POLYGON:
        ring_offsets, polygon_offsets = offsets
        poly_feature = np.arange(len(geoms))
    else:
        ring_offsets, polygon_offsets, feature_offsets = offsets
        poly_feature = np.repeat(np.arange(len(geoms)), np.diff(feature_offsets))
    return (np.asarray(coords, np.float64), np.asarray(ring_offsets, np.int64),
            np.asarray(polygon_offsets, np.int64), poly_feature)


def _base_heights(base_z, xy, ring_offsets, polygon_offsets, poly_feature, n_all, features,
                  model: CityModel) -> np.ndarray:
    """Base height per polygon."""
    if callable(base_z):
        z = np.asarray(base_z(xy[:, 0], xy[:, 1]), np.float64)
        if z.shape != (len(xy),):
            raise ReadError(f"base_z sampler returned shape {z.shape}, expected ({len(xy)},)")
        z = np.where(np.isfinite(z), z, np.inf)
        vertex_start = ring_offsets[polygon_offsets[:-1]]
        base = np.minimum.reduceat(z, vertex_start) if len(z) else np.zeros(0)
        missing = ~np.isfinite(base)
        if missing.any():
            model.warnings.append(f"{int(missing.sum())} polygons outside the terrain stand "
                                  "at z = 0")
            base[missing] = 0.0
        return base
    values = np.asarray(base_z, np.float64)
    if values.ndim == 0:
        return np.full(len(poly_feature), float(values))
    if values.shape != (n_all,):
        raise ReadError(f"base_z has {values.size} values for {n_all} features")
    return values[features][poly_feature]


def _add_objects(model: CityModel, columns: dict[str, Any], features: np.ndarray) -> None:
    """One "Building" per kept feature, with its attributes as plain Python values."""
    table = {name: [plain(v) for v in np.asarray(values)[features]]
             for name, values in columns.items()}
    ids = _id_column(table, len(features))
    if ids is None:
        ids = [str(int(f)) for f in features]
    names = list(table)
    rows = zip(*(table[n] for n in names), strict=True) if names else ([()] * len(features))
    for obj_id, row in zip(ids, rows, strict=True):
        model.objects.add(obj_id, "Building", dict(zip(names, row, strict=True)))


def _id_column(table: dict[str, list], n: int) -> list[str] | None:
    lower = {name.lower(): name for name in table}
    for candidate in ID_COLUMNS:
        name = lower.get(candidate)
        if name is None:
            continue
        values = table[name]
        if all(v is not None and v != "" for v in values) and len(set(values)) == n:
            return [str(v) for v in values]
    return None
