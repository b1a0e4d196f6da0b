"""CityGML implicit geometry: a prototype shape placed many times (trees, lamps, benches).

``<lodNImplicitRepresentation><ImplicitGeometry>`` holds a ``transformationMatrix``
(4 x 4, row by row), a ``referencePoint`` (a gml:Point in the file's CRS) and the
prototype in ``relativeGMLGeometry`` (CityGML 1/2) or ``relativeGeometry`` (3.0):
inline, or an ``xlink:href`` to a prototype given earlier in the file. A vertex ``p`` of
the prototype lands at ``M[:3, :3] p + M[:3, 3] + reference point``. Each prototype is
triangulated once; its instances are transformed copies (vectorized).
"""

from __future__ import annotations

import numpy as np

from cimviewer.core.citymodel import FLOAT, INDEX, TriangleMesh
from cimviewer.io.citygml.geometry import GmlError, SurfaceBatch, local_name, where_of

PROTOTYPE_TAGS = ("relativeGMLGeometry", "relativeGeometry")
POLYGON_TAGS = frozenset({"Polygon", "Triangle", "Rectangle", "PolygonPatch"})
GML_IDS = ("{http://www.opengis.net/gml}id", "{http://www.opengis.net/gml/3.2}id")
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _numbers(text: str | None, where: str, count: int | None = None) -> np.ndarray:
    try:
        values = np.array([float(v) for v in (text or "").split()], FLOAT)
    except ValueError:
        raise GmlError("implicit geometry: a number list holds a value that is not a number",
                       where) from None
    if count is not None and len(values) != count:
        raise GmlError(f"implicit geometry: expected {count} numbers, found {len(values)}",
                       where)
    if not np.isfinite(values).all():
        raise GmlError("implicit geometry: NaN or infinite values", where)
    return values


def _child(element, name: str):
    return next((c for c in element if isinstance(c.tag, str) and local_name(c.tag) == name),
                None)


class ImplicitGeometries:
    """Prototypes seen so far (by gml:id) and the instances made from them."""

    def __init__(self, default_dim: int = 3):
        self.default_dim = default_dim
        self.prototypes: dict[str, TriangleMesh] = {}
        self.n_instances = 0
        self.n_unresolved = 0

    def prototype(self, geometry) -> TriangleMesh:
        """Triangles of an inline prototype geometry (its own coordinates)."""
        batch = SurfaceBatch(self.default_dim)
        for element in geometry.iter():
            if isinstance(element.tag, str) and local_name(element.tag) in POLYGON_TAGS:
                slot = batch.add_polygon(element)
                if slot is not None:
                    batch.emit(slot, 0, "p", 0, False)
        return batch.meshes().get("p", TriangleMesh.empty())

    def instance(self, implicit, obj: int) -> TriangleMesh | None:
        """The placed copy of an ``ImplicitGeometry`` element, or None (counted) when its
        prototype cannot be found."""
        where = where_of(implicit)
        holder = next((_child(implicit, tag) for tag in PROTOTYPE_TAGS
                       if _child(implicit, tag) is not None), None)
        mesh = None
        if holder is not None:
            href = holder.get(XLINK_HREF)
            if href:
                mesh = self.prototypes.get(href.lstrip("#"))
            else:
                geometry = next((c for c in holder if isinstance(c.tag, str)), None)
                if geometry is not None:
                    mesh = self.prototype(geometry)
                    gid = geometry.get(GML_IDS[0]) or geometry.get(GML_IDS[1])
                    if gid:
                        self.prototypes[gid] = mesh
        if mesh is None:
            self.n_unresolved += 1
            return None
        matrix = np.eye(4)
        text = _child(implicit, "transformationMatrix")
        if text is not None:
            matrix = _numbers(text.text, where, 16).reshape(4, 4)
        anchor = np.zeros(3)
        point = _child(implicit, "referencePoint")
        if point is not None:
            pos = next((e for e in point.iter() if isinstance(e.tag, str)
                        and local_name(e.tag) in ("pos", "coordinates")), None)
            if pos is not None:
                text = (pos.text or "").replace(",", " ")
                values = _numbers(text, where)
                if len(values) not in (2, 3):
                    raise GmlError("implicit geometry: the reference point needs 2 or 3 "
                                   "coordinates", where)
                anchor[:len(values)] = values
        vertices = mesh.vertices @ matrix[:3, :3].T + matrix[:3, 3] + anchor
        self.n_instances += 1
        n = len(mesh.triangles)
        return TriangleMesh(vertices.astype(FLOAT), mesh.triangles.copy(),
                            np.full(n, obj, INDEX), mesh.tri_semantic.copy())
