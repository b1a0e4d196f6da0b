"""Writing a city model as CityJSON 2.0: what an algorithm derives (new attributes, new
objects) leaves the app in the format it came in, readable by cjio, QGIS or ours.

Every object keeps its id, type, attributes and parent/child links; its surfaces of each
LoD are written as a MultiSurface of the triangles the app holds (with their semantic
surface types), so the file draws exactly what the view drew.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.citymodel import CityModel
from cimviewer.core.semantics import SEMANTIC_NAMES
from cimviewer.io.atomic import atomic_write_bytes

#: vertex precision of the written file (CityJSON's "transform": integers of 1 mm)
SCALE = 0.001


def _jsonable(value: Any) -> Any:
    """Attribute values as JSON: numpy scalars as numbers, non-finite numbers as null."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _reference_system(crs: str | None) -> str | None:
    if crs and crs.upper().startswith("EPSG:") and crs[5:].isdigit():
        return f"https://www.opengis.net/def/crs/EPSG/0/{crs[5:]}"
    return None


def cityjson_document(model: CityModel) -> dict[str, Any]:
    """The CityJSON 2.0 document of ``model`` (a plain dict)."""
    objects = model.objects
    meshes = {lod: mesh for lod, mesh in model.meshes.items() if mesh.n_triangles}
    stacked = [mesh.vertices for mesh in meshes.values()]
    all_vertices = np.concatenate(stacked) if stacked else np.zeros((0, 3))
    translate = all_vertices.min(axis=0) if len(all_vertices) else np.zeros(3)
    quantised = np.round((all_vertices - translate) / SCALE).astype(np.int64)
    city_objects: dict[str, dict[str, Any]] = {}
    children: list[list[str]] = [[] for _ in range(len(objects))]
    for index, parents in enumerate(objects.parents):
        for parent in parents:
            children[parent].append(objects.ids[index])
    for index, oid in enumerate(objects.ids):
        entry: dict[str, Any] = {"type": objects.types[index], "geometry": []}
        if objects.attributes[index]:
            entry["attributes"] = _jsonable(objects.attributes[index])
        if objects.parents[index]:
            entry["parents"] = [objects.ids[p] for p in objects.parents[index]]
        if children[index]:
            entry["children"] = children[index]
        city_objects[oid] = entry
    offset = 0
    for lod, mesh in meshes.items():
        order = np.argsort(mesh.tri_object, kind="stable")
        tri_object = mesh.tri_object[order]
        triangles = mesh.triangles[order] + offset
        semantics = mesh.tri_semantic[order]
        starts = np.flatnonzero(np.r_[True, tri_object[1:] != tri_object[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):  # per object
            codes = semantics[start:end]
            kinds = sorted({int(c) for c in codes if 0 < c < len(SEMANTIC_NAMES)})
            geometry: dict[str, Any] = {
                "type": "MultiSurface", "lod": lod,
                "boundaries": [[tri] for tri in triangles[start:end].tolist()]}
            if kinds:
                slot = {code: i for i, code in enumerate(kinds)}
                geometry["semantics"] = {
                    "surfaces": [{"type": SEMANTIC_NAMES[code]} for code in kinds],
                    "values": [slot.get(int(c)) for c in codes]}
            city_objects[objects.ids[int(tri_object[start])]]["geometry"].append(geometry)
        offset += len(mesh.vertices)
    document: dict[str, Any] = {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [SCALE] * 3, "translate": translate.tolist()},
        "CityObjects": city_objects, "vertices": quantised.tolist()}
    reference = _reference_system(model.crs)
    if reference:
        document["metadata"] = {"referenceSystem": reference}
    return document


def write_cityjson(model: CityModel, path: str | Path) -> Path:
    """Write ``model`` to ``path`` as CityJSON 2.0 (atomically; returns the path)."""
    import orjson

    data = orjson.dumps(cityjson_document(model))
    return atomic_write_bytes(Path(path), data, backup=False)
