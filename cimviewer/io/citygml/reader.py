"""CityGML 1.0 / 2.0 / 3.0 reader, streamed with ``lxml.etree.iterparse``.

The parser only yields the root's member elements (``cityObjectMember``,
``gml:featureMember``...). Each member's city object is read, then the member and
everything before it is cleared, so memory stays flat however large the file.

The parser is XXE-safe: no DTD loading, no network, no entity resolution, and a file
that declares a DOCTYPE is refused before any content is read.

Supported: every top-level city object (type = element name, id = ``gml:id``) with
its attributes; building / bridge / tunnel parts and installations as child objects;
surface geometry (``gml:Polygon``, ``Triangle``, ``Rectangle``, ``PolygonPatch``) of
every ``lodN*`` property, semantic surfaces and openings, ``xlink:href`` references
inside the same top-level object, ``OrientableSurface`` flips, TIN reliefs and implicit
geometry (prototypes placed by a matrix and a reference point, see citygml_implicit).
Appearances (ParameterizedTexture, GeoreferencedTexture, X3DMaterial) are read as the
file streams and applied at the end (:mod:`cimviewer.io.citygml.appearance`).
Curves (``gml:LineString``, ``gml:Curve`` segments) and ``gml:Point`` become the
model's lines and points (:mod:`cimviewer.io.citygml.curves`). Not supported:
references across top-level objects (counted in a warning).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from lxml import etree

from cimviewer.core.citymodel import CityModel
from cimviewer.geometry.validity import TOO_FEW_POINTS
from cimviewer.io.citygml.appearance import Appearances
from cimviewer.io.citygml.geometry import GmlError, SurfaceBatch, local_name
from cimviewer.io.citygml.objects import ObjectWalker
from cimviewer.io.crs import crs_from_name
from cimviewer.io.errors import ReadError, reader_errors
from cimviewer.io.quality import record_polygon_problems
from cimviewer.io.reproject import latitude_first

MEMBER_TAGS = ["{*}cityObjectMember", "{*}featureMember", "{*}featureMembers",
               "{*}appearanceMember"]
OBJECT_MEMBERS = frozenset({"cityObjectMember", "featureMember", "featureMembers"})
#: lxml options that keep parsing local and bounded (no DTD, no network, no entities)
SAFE_PARSE = {"huge_tree": True, "resolve_entities": False, "no_network": True,
              "load_dtd": False, "dtd_validation": False, "remove_comments": True,
              "remove_pis": True}
FLUSH_TOKENS = 600_000
_VERSION = re.compile(r"^http://www\.opengis\.net/citygml/(\d\.\d)$")
#: German AdV CRS names used by many official CityGML files
ADV_CODES = {
    "ETRS89_UTM32": "25832", "ETRS89_UTM33": "25833", "DE_DHDN_3GK2": "31466",
    "DE_DHDN_3GK3": "31467", "DE_DHDN_3GK4": "31468", "DE_DHDN_3GK5": "31469",
    "DE_DHHN92_NH": "5783", "DE_DHHN2016_NH": "7837",
}


class ReadCancelledError(ReadError):
    """The caller's ``cancelled()`` returned true while reading."""


def read_citygml(path: str | Path, *, progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 theme: str | None = None) -> CityModel:
    """Read a CityGML file into a :class:`CityModel`; every failure is a ReadError.

    ``progress`` receives the fraction of the file read (0..1); ``cancelled`` is polled
    after each city object and stops the read with :class:`ReadCancelledError`.
    ``theme`` names the appearance theme to show (None: the first one in the file).
    """
    path = Path(path)
    with reader_errors(path):
        try:
            return _read(path, progress, cancelled, theme)
        except GmlError as exc:
            raise ReadError(exc.message, path, exc.where) from None
        except etree.XMLSyntaxError as exc:
            raise ReadError(_syntax_message(exc), path, f"line {exc.lineno}") from None
        except OSError as exc:
            raise ReadError(f"cannot be opened: {exc.strerror or exc}", path) from None


def crs_from_srs_name(name: str | None) -> str | None:
    """"urn:ogc:def:crs:EPSG::25832" -> "EPSG:25832"; compound names -> "EPSG:A+B".

    German AdV names ("urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH") map to EPSG codes too.
    Names without an EPSG code give None.
    """
    if not name:
        return None
    if name.lower().startswith("urn:adv:crs:"):
        parts = name[len("urn:adv:crs:"):].split("*")
        codes = [ADV_CODES.get(p.strip()) for p in parts]
        return "EPSG:" + "+".join(codes) if all(codes) else None  # type: ignore[arg-type]
    crs = crs_from_name(name)
    return crs if crs and crs.startswith("EPSG:") else None


def _read(path: Path, progress, cancelled, theme: str | None = None) -> CityModel:
    if not path.exists():
        raise ReadError("file does not exist", path)
    size = path.stat().st_size
    if size == 0:
        raise ReadError("file is empty (0 bytes)", path)
    version = _check_root(path)
    model = CityModel(source_format="CityGML", version=version)
    batch = SurfaceBatch()
    walker = ObjectWalker(model.objects, batch, version)
    appearances = Appearances(path.parent.resolve(), texture_theme=theme, material_theme=theme)
    root_srs: str | None = None
    reported = 0.0
    with path.open("rb") as fh:
        context = etree.iterparse(fh, events=("end",), tag=MEMBER_TAGS, **SAFE_PARSE)
        for _event, member in context:
            parent = member.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # not a child of the root element
            if root_srs is None:
                root_srs, batch.default_dim = _root_envelope(parent, batch.default_dim)
            if local_name(member.tag) in OBJECT_MEMBERS:
                for obj in member:
                    if isinstance(obj.tag, str):
                        walker.read(obj)
            appearances.read_all(member)
            member.clear()
            while member.getprevious() is not None:
                del parent[0]
            if batch.pending_tokens > FLUSH_TOKENS:
                batch.flush()
            if cancelled is not None and cancelled():
                raise ReadCancelledError("reading cancelled", path)
            if progress is not None and fh.tell() / size - reported >= 0.01:
                reported = fh.tell() / size
                progress(min(reported, 1.0))
    model.meshes = {lod: mesh for lod, mesh in batch.meshes().items() if mesh.n_triangles}
    model.lines, model.points = walker.curves.lines(), walker.curves.points()
    model.n_vertices = batch.n_vertices
    model.object_origin = np.asarray(walker.object_lines, np.int64)
    found = {kind: np.concatenate(parts) for kind, parts in batch.problems.items()}
    if batch.short_rings:  # reported below with their places in the file
        model.add_problem(TOO_FEW_POINTS, found.pop(TOO_FEW_POINTS, []),
                          batch.places.get(TOO_FEW_POINTS))
    record_polygon_problems(model, found, batch.places)
    appearances.apply(model, batch)
    if batch.short_rings:
        sample = ", ".join(batch.short_where[:3])
        model.problems.append(f"TOO_FEW_POINTS: {batch.short_rings} ring(s) with fewer than "
                              f"3 distinct points skipped ({sample})")
        model.warnings.append(model.problems[-1])
    if batch.bad_objects:
        from cimviewer.io.sanity import ABSURD, leave_out

        leave_out(model, sorted(batch.bad_objects), ABSURD)
    srs = root_srs or walker.srs_name
    model.crs = crs_from_srs_name(srs)
    model.metadata["srsName"] = srs
    if latitude_first(model.crs):  # GML follows the CRS's axis order: lat, lon
        from cimviewer.io.reproject import swap_to_longitude_first

        warning = swap_to_longitude_first(model)
        if warning:
            model.warnings.append(warning)
    _add_warnings(model, walker, srs)
    if progress is not None:
        progress(1.0)
    return model


def _check_root(path: Path) -> str:
    """CityGML version from the root element; refuses DOCTYPEs and other XML."""
    with path.open("rb") as fh:
        context = etree.iterparse(fh, events=("start",), **SAFE_PARSE)
        try:
            _event, root = next(context)
        except StopIteration:
            raise ReadError("no XML element found", path) from None
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or info.system_url:
            raise ReadError("DOCTYPE declarations are not allowed in CityGML "
                            "(entity expansion and external entities are refused)", path,
                            "line 1")
        tag = root.tag if isinstance(root.tag, str) else ""
        name = local_name(tag)
        namespace = tag[1:tag.find("}")] if tag.startswith("{") else ""
        where = f"<{name}> line {root.sourceline}"
        if name != "CityModel":
            raise ReadError(f"not a CityGML file: the root element is <{name}>, "
                            "expected <CityModel>", path, where)
        match = _VERSION.match(namespace)
        if not match:
            raise ReadError(f"unknown CityGML namespace {namespace!r}", path, where)
        return match.group(1)


def _root_envelope(root, default_dim: int) -> tuple[str | None, int]:
    """srsName and srsDimension of the CityModel's own gml:boundedBy envelope."""
    for child in root:
        if isinstance(child.tag, str) and local_name(child.tag) == "boundedBy":
            for env in child:
                if isinstance(env.tag, str):
                    dim = env.get("srsDimension")
                    return env.get("srsName"), int(dim) if (dim or "").isdigit() else default_dim
    return None, default_dim


def _add_warnings(model: CityModel, walker: ObjectWalker, srs: str | None) -> None:
    if srs and model.crs is None:
        model.warnings.append(f"unknown coordinate reference system {srs!r}")
    if walker.n_unresolved:
        sample = ", ".join(walker.unresolved)
        model.warnings.append(f"{walker.n_unresolved} xlink references could not be resolved "
                              f"within their city object ({sample}...)")
    if walker.implicit.n_unresolved:
        model.warnings.append(
            f"{walker.implicit.n_unresolved} implicit geometries are not shown: their "
            "prototype is not in the file before them")
    if walker.n_empty_polygons:
        model.warnings.append(f"{walker.n_empty_polygons} polygons without exterior skipped")


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc).split(", line ")[0].strip()
    if "Document is empty" in message or "Start tag expected" in message:
        return f"not an XML file ({message})"
    if "encoding" in message or "UTF-8" in message:
        return f"text is not valid in the file's character encoding ({message})"
    if "amplification" in message.lower() or "entity" in message.lower():
        return f"refused entity expansion ({message})"
    return f"malformed XML: {message}"
