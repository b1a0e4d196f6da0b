"""Read IFC 2x3 / IFC4 / IFC4.3 building models (``.ifc``) with ifcopenshell.

:func:`read_ifc` returns a :class:`~cimviewer.core.citymodel.CityModel`: every building
element triangulated by ifcopenshell's geometry iterator (openings cut, world
coordinates, on several threads), one mesh at LoD "4" (CityGML 2.0's level for
interiors), each triangle carrying its element's object index and the colour and
transparency of its IFC surface style (ifcopenshell's colour for the element's class
when it has none). The object table (:mod:`cimviewer.io.ifc.objects`) holds the spatial
structure and the elements with their property sets; the geometry is placed in a map
CRS (:mod:`cimviewer.io.ifc.placement`).

Elements whose geometry ifcopenshell cannot build are counted, named in one warning and
recorded as problem ``GEOMETRY_NOT_TRIANGULATED``; the rest of the file still loads.
A file ifcopenshell cannot parse is refused with one :class:`ReadError` line.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.citymodel import INDEX, CityModel, TriangleMesh
from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.io.errors import ReadError, reader_errors
from cimviewer.io.ifc.objects import IfcObjects
from cimviewer.io.ifc.placement import find_placement

__all__ = ["IFC_LOD", "NOT_TRIANGULATED", "ReadCancelledError", "read_ifc"]

IFC_LOD = "4"
NOT_TRIANGULATED = "GEOMETRY_NOT_TRIANGULATED"
#: types hidden when the layer is first shown (volumes that hide the elements inside)
HIDDEN_TYPES = ("IfcSpace",)
#: geometry threads at most (the iterator's own pool; more gain little on one file)
MAX_THREADS = 8
#: files smaller than this are triangulated on one thread: starting the pool and
#: handing shapes between threads costs more than it saves (benchmarks/ifc.py)
THREADED_BYTES = 20 * 2**20
#: ifcopenshell's geometry kernels, fastest first: CGAL's simple kernel with
#: OpenCascade where it fails is 5-10x faster than OpenCascade alone on extruded walls
#: and slabs, and cuts openings the same (benchmarks/ifc.py)
GEOMETRY_LIBRARIES = ("hybrid-cgal-simple-opencascade", "opencascade")
#: products with these classes are not drawn (openings are cut from their hosts)
EXCLUDED = ["IfcOpeningElement", "IfcAnnotation", "IfcGrid"]
#: semantic surface codes by IFC class (the first match of the class's ancestors)
SEMANTICS = (("IfcRoof", "RoofSurface"), ("IfcWall", "WallSurface"),
             ("IfcCurtainWall", "WallSurface"), ("IfcWindow", "Window"), ("IfcDoor", "Door"),
             ("IfcSlab", "FloorSurface"), ("IfcCovering", "CeilingSurface"))
#: elements named in a warning
NAMED = 3

log = logging.getLogger(__name__)


class ReadCancelledError(ReadError):
    """The caller's ``cancelled()`` returned true while reading."""


def read_ifc(path: str | Path, *, options: dict[str, Any] | None = None,
             progress: Callable[[float], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> CityModel:
    """Read an IFC file into a city model; every failure is one :class:`ReadError`.

    ``options``: the placement load options (``origin_x``, ``origin_y``, ``origin_z``,
    ``rotation``, ``crs``; see :mod:`cimviewer.io.ifc.placement`).
    """
    path = Path(path)
    with reader_errors(path):
        return _read(path, dict(options or {}), progress, cancelled)


def _open(path: Path) -> Any:
    import ifcopenshell

    try:
        with path.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ReadError(f"cannot be opened: {exc.strerror or exc}", path) from None
    if not head.startswith(b"ISO-10303-21"):
        raise ReadError("not an IFC file: it does not start with ISO-10303-21 (only the "
                        "STEP text form .ifc is read, not ifcXML or ifcZIP)", path)
    try:
        return ifcopenshell.open(str(path))
    except ifcopenshell.SchemaError as exc:
        raise ReadError(f"IFC schema not supported: {exc}", path) from None
    except ifcopenshell.Error as exc:
        raise ReadError(f"not a readable IFC file: {exc}", path) from None


def _read(path: Path, options: dict[str, Any], progress, cancelled) -> CityModel:
    if progress is not None:
        progress(0.0)
    ifc = _open(path)
    from ifcopenshell.util.unit import calculate_unit_scale

    unit = float(calculate_unit_scale(ifc)) or 1.0
    model = CityModel(source_format="IFC", version=str(ifc.schema))
    objects = IfcObjects(ifc, unit)
    model.objects = objects.table
    if progress is not None:
        progress(0.1)
    known = len(objects.table)
    mesh, failed, styles = _triangulate(ifc, objects, progress, cancelled, path)
    if len(objects.table) > known:  # products with geometry that are no elements
        objects.link_parents()
    if styles:
        model.appearance = {"materials": styles}
    placement = find_placement(ifc, options, model.warnings)
    mesh.vertices = placement.apply(mesh.vertices)
    model.crs = placement.crs
    model.metadata["placement"] = placement.describe()
    model.metadata["length_unit_metres"] = unit
    model.hidden_types = [t for t in HIDDEN_TYPES if t in objects.table.types]
    if mesh.n_triangles:
        model.meshes = {IFC_LOD: mesh}
    model.n_vertices = mesh.n_vertices
    if failed:
        ids = [model.objects.ids[i] for i in failed[:NAMED]]
        more = " and more" if len(failed) > NAMED else ""
        model.add_problem(NOT_TRIANGULATED, failed)
        model.problems.append(f"{NOT_TRIANGULATED}: {len(failed)} element(s) with geometry "
                              f"that could not be triangulated (e.g. {', '.join(ids)}{more})")
        model.warnings.append(model.problems[-1])
    if progress is not None:
        progress(1.0)
    return model


def _settings() -> Any:
    import ifcopenshell.geom

    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    settings.set("dimensionality", ifcopenshell.ifcopenshell_wrapper.SURFACES_AND_SOLIDS)
    settings.set("apply-default-materials", True)
    return settings


def _threads(size: int) -> int:
    if size < THREADED_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_THREADS))


def _iterator(ifc: Any, path: Path) -> Any:
    """The geometry iterator on the fastest kernel this ifcopenshell build has."""
    import ifcopenshell.geom

    threads = _threads(path.stat().st_size)
    error: Exception | None = None
    for library in GEOMETRY_LIBRARIES:
        try:
            return ifcopenshell.geom.iterator(_settings(), ifc, threads, exclude=EXCLUDED,
                                              geometry_library=library)  # type: ignore[arg-type]
        except Exception as exc:  # a build without CGAL
            error = exc
    raise ReadError(f"no geometry kernel: {error}", path)


def _triangulate(ifc: Any, objects: IfcObjects, progress, cancelled,
                 path: Path) -> tuple[TriangleMesh, list[int], int]:
    """All shapes of the file as one mesh (model metres), the objects whose geometry
    could not be built, and how many IFC surface styles the shapes use."""
    verts: list[np.ndarray] = []
    faces: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    colours: list[np.ndarray] = []
    opacities: list[np.ndarray] = []
    drawn: set[int] = set()
    styles: set[int] = set()
    n_vertices = 0
    iterator = _iterator(ifc, path)
    ok = bool(iterator.initialize())
    while ok:
        if cancelled is not None and cancelled():
            raise ReadCancelledError("reading cancelled", path)
        shape = iterator.get()
        geometry = shape.geometry
        v = np.frombuffer(geometry.verts_buffer, np.float64).reshape(-1, 3)
        f = np.frombuffer(geometry.faces_buffer, np.int32).reshape(-1, 3)
        if len(f) and len(v):
            index = objects.add(ifc.by_id(shape.id))
            drawn.add(shape.id)
            colour, opacity = _materials(geometry, len(f))
            styles.update(m.instance_id() for m in geometry.materials)
            verts.append(v)
            faces.append(f + n_vertices)
            owners.append(np.full(len(f), index, INDEX))
            colours.append(colour)
            opacities.append(opacity)
            n_vertices += len(v)
        if progress is not None:
            progress(0.1 + 0.85 * float(iterator.progress()) / 100.0)
        ok = bool(iterator.next())
    failed = _not_triangulated(ifc, objects, drawn)
    styles.discard(0)  # ifcopenshell's colours by class, not the file's
    if not faces:
        return TriangleMesh.empty(), failed, len(styles)
    tri_object = np.concatenate(owners)
    semantics = _semantic_codes(objects)
    opacity = np.concatenate(opacities)
    mesh = TriangleMesh(
        np.concatenate(verts), np.concatenate(faces).astype(INDEX), tri_object,
        semantics[tri_object], np.concatenate(colours),
        np.ones(len(tri_object), bool),
        tri_opacity=opacity if (opacity < 255).any() else None)
    return mesh, failed, len(styles)


def _materials(geometry: Any, n_faces: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-face RGB (uint8) and opacity (uint8) from the shape's materials."""
    materials = geometry.materials
    table = np.full((len(materials) + 1, 3), 200, np.uint8)
    alpha = np.full(len(materials) + 1, 255, np.uint8)
    for i, material in enumerate(materials):
        rgb = material.diffuse.components
        if all(math.isfinite(c) for c in rgb):
            table[i] = np.clip(np.round(np.asarray(rgb) * 255), 0, 255).astype(np.uint8)
        transparency = float(material.transparency)
        if math.isfinite(transparency) and transparency > 0:
            alpha[i] = round(255 * (1.0 - min(transparency, 1.0)))
    ids = np.frombuffer(geometry.material_ids_buffer, np.int32)
    if len(ids) != n_faces:
        ids = np.full(n_faces, -1, np.int32)
    ids = np.where((ids >= 0) & (ids < len(materials)), ids, len(materials))
    return table[ids], alpha[ids]


def _semantic_codes(objects: IfcObjects) -> np.ndarray:
    """A semantic surface code per object, by IFC class."""
    codes = np.zeros(len(objects.table), np.uint8)
    by_type: dict[str, int] = {}
    schema = None
    for i, ifc_class in enumerate(objects.table.types):
        if ifc_class not in by_type:
            if schema is None:
                import ifcopenshell.ifcopenshell_wrapper as wrapper

                schema = wrapper.schema_by_name(objects.ifc.schema_identifier)
            by_type[ifc_class] = _semantic_of(schema, ifc_class)
        codes[i] = by_type[ifc_class]
    return codes


def _semantic_of(schema: Any, ifc_class: str) -> int:
    try:
        declaration = schema.declaration_by_name(ifc_class)
    except Exception:
        return 0
    while declaration is not None:
        for cls, name in SEMANTICS:
            if declaration.name() == cls:
                return SEMANTIC_CODES[name]
        declaration = declaration.supertype()
    return 0


def _not_triangulated(ifc: Any, objects: IfcObjects, drawn: set[int]) -> list[int]:
    """Objects with a body representation that produced no triangles."""
    failed = []
    for step, index in objects.index.items():
        if step in drawn:
            continue
        entity = ifc.by_id(step)
        if entity.is_a("IfcSpatialStructureElement") and not entity.is_a("IfcSpace"):
            continue  # sites and storeys seldom carry a body; not an error when they fail
        representation = getattr(entity, "Representation", None)
        if representation is None or any(entity.is_a(cls) for cls in EXCLUDED):
            continue
        bodies = [r for r in representation.Representations or ()
                  if (r.RepresentationIdentifier or "Body") in ("Body", "Facetation")
                  and r.RepresentationType not in ("Curve2D", "Curve3D", "GeometricCurveSet")]
        if bodies:
            failed.append(index)
    return failed
