"""Walking one top-level CityGML city object: its parts, LoDs, semantics and polygons.

The walk carries a context ``(object, lod, semantic, reversed)`` down the element tree:

* child city objects (``BuildingPart``, installations, rooms...) start a new object
  whose parent is the enclosing one;
* ``lodN...`` properties (``lod2Solid``, ``lod3MultiSurface``) set the LoD, and relief
  components take it from their ``dem:lod`` child;
* thematic surfaces (``RoofSurface``, ``Window``...) set the semantic code;
* ``gml:OrientableSurface orientation="-"`` flips the orientation.

Every polygon met inline is emitted once per (object, LoD). ``xlink:href`` references
(a solid's shell pointing at the boundary surfaces' polygons) are resolved after the
walk against the ``gml:id`` values of the same top-level object, and only add polygons
that object has not already shown in that LoD: geometry is never counted twice.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cimviewer.core.citymodel import ObjectTable
from cimviewer.core.semantics import SEMANTIC_CODES, semantic_code
from cimviewer.io.citygml.attributes import object_attributes
from cimviewer.io.citygml.curves import LINE_TAGS, POINT_TAGS, CurveCollector
from cimviewer.io.citygml.geometry import GML_NAMESPACES, SurfaceBatch, local_name
from cimviewer.io.citygml.implicit import ImplicitGeometries

if TYPE_CHECKING:
    from lxml.etree import _Element

GML_IDS = ("{http://www.opengis.net/gml}id", "{http://www.opengis.net/gml/3.2}id")
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
DEFAULT_LOD = "1"
PATCH_TAGS = frozenset({"Polygon", "Triangle", "Rectangle", "PolygonPatch"})
#: GML properties whose xlink:href points at geometry
REF_TAGS = frozenset({"surfaceMember", "baseSurface", "solidMember", "exterior", "interior",
                      "surfaceMembers", "patches", "trianglePatches", "geometryMember"})
#: city objects that live inside another one and keep a parent link
CHILD_OBJECT_TYPES = frozenset({
    "BuildingPart", "BuildingInstallation", "IntBuildingInstallation",
    "BuildingConstructiveElement", "BuildingRoom", "Room", "BuildingFurniture",
    "BridgePart", "BridgeInstallation", "IntBridgeInstallation", "BridgeConstructiveElement",
    "BridgeRoom", "BridgeFurniture", "TunnelPart", "TunnelInstallation",
    "IntTunnelInstallation", "TunnelConstructiveElement", "HollowSpace", "TunnelFurniture",
})
RELIEF_TYPES = frozenset({"ReliefFeature", "TINRelief", "RasterRelief", "MassPointRelief",
                          "BreaklineRelief"})
#: non-geometry subtrees that never hold surfaces we show
SKIP_TAGS = frozenset({"address", "appearance", "externalReference", "genericAttribute",
                       "stringAttribute", "genericAttributeSet", "generalizesTo"})
EXTRA_SEMANTICS = {
    "Marking": SEMANTIC_CODES["TransportationMarking"],
    "HoleSurface": SEMANTIC_CODES["TransportationHole"],
    "WindowSurface": SEMANTIC_CODES["Window"],  # CityGML 3.0 filling surfaces
    "DoorSurface": SEMANTIC_CODES["Door"],
}
_LOD = re.compile(r"lod(\d)[A-Z]")

#: object, lod, semantic, reversed, and the gml:Solid exterior being walked (-1: none)
Context = tuple[int, "str | None", int, bool, int]
#: what the walk does with a tag: (kind, number, lod). ``number``: a _GML element's
#: reference kind (1: a geometry property, 2: OrientableSurface, 3: Solid) or a _SEMANTIC code;
#: ``lod``: the LoD of a _LOD_PROPERTY or _IMPLICIT element; 0 and "" when unused
Kind = tuple[int, int, str]


def _semantic_of(name: str) -> int | None:
    if name in SEMANTIC_CODES:
        return SEMANTIC_CODES[name]
    if name in EXTRA_SEMANTICS:
        return EXTRA_SEMANTICS[name]
    if name.endswith("Surface") and name[:1].isupper():
        return semantic_code(name)  # an unknown thematic surface: "other"
    return None


_GENERIC, _PATCH, _GML, _SEMANTIC, _LOD_PROPERTY, _CHILD, _RELIEF, _SKIP, _IMPLICIT, _CURVE = \
    range(10)


def _classify(tag: object) -> Kind:
    """What the walk does with an element of this tag (see :data:`Kind`)."""
    if not isinstance(tag, str):  # comments, processing instructions, entities
        return _SKIP, 0, ""
    name = local_name(tag)
    if tag[1:tag.find("}")] in GML_NAMESPACES:
        if name in PATCH_TAGS:
            return _PATCH, 0, ""
        if name in LINE_TAGS or name in POINT_TAGS:
            return _CURVE, 0, ""
        if name in ("boundedBy", "ImplicitGeometry"):
            return _SKIP, 0, ""
        if name == "Solid":
            return _GML, 3, ""
        return _GML, 2 if name == "OrientableSurface" else int(name in REF_TAGS), ""
    if name in CHILD_OBJECT_TYPES:
        return _CHILD, 0, ""
    if name in SKIP_TAGS:
        return _SKIP, 0, ""
    match = _LOD.match(name)
    if match:
        if name.endswith(("TerrainIntersection", "TerrainIntersectionCurve")):
            return _SKIP, 0, ""
        if name.endswith("ImplicitRepresentation"):
            return _IMPLICIT, 0, match.group(1)
        return _LOD_PROPERTY, 0, match.group(1)
    if name in RELIEF_TYPES:
        return _RELIEF, 0, ""
    code = _semantic_of(name)
    if code is not None:
        return _SEMANTIC, code, ""
    return _GENERIC, 0, ""


def _gml_id(element) -> str | None:
    return element.get(GML_IDS[0]) or element.get(GML_IDS[1])


class ObjectWalker:
    """Reads top-level city objects into an ObjectTable and a SurfaceBatch."""

    def __init__(self, objects: ObjectTable, batch: SurfaceBatch, version: str = "2.0"):
        self.objects = objects
        self._id_key = GML_IDS[1] if version.startswith("3") else GML_IDS[0]
        self.batch = batch
        self.srs_name: str | None = None
        self.unresolved: list[str] = []  # the first few, for the warning
        self.n_unresolved = 0
        self.implicit = ImplicitGeometries(batch.default_dim)
        self.curves = CurveCollector()  # lines and points (road centrelines, ...)
        self.n_empty_polygons = 0
        self._kinds: dict[object, Kind] = {}
        #: the source line of each object's element (places of problems of objects)
        self.object_lines: list[int] = []

    def read(self, element) -> int:
        """Read one top-level city object (and its parts); return its object index."""
        self._ids: dict[str, object] = {}
        self._slots: dict[object, int | None] = {}
        self._slot_origin: dict[int, tuple[str, int]] = {}
        self._emitted: set[tuple[int, str, int]] = set()
        self._refs: list[tuple[str, Context]] = []
        #: the exteriors of gml:Solids met: (object, line, gml:id), their polygon slots,
        #: and whether all their references resolved (shell checks)
        self._shells: list[tuple[int, int, str | None]] = []
        self._shell_slots: list[list[int]] = []
        self._shell_whole: list[bool] = []
        index = self._add_object(element, None)
        if self.srs_name is None:
            self.srs_name = _envelope_srs(element)
        self._walk(element, index)
        self._resolve_refs()
        for (obj, line, gid), slots, whole in zip(self._shells, self._shell_slots,
                                                   self._shell_whole, strict=True):
            if whole:  # a shell with a reference not found cannot be judged
                self.batch.add_shell(slots, obj, line, gid)
        self._ids = {}
        self._slots = {}
        return index

    # -- objects ------------------------------------------------------------------------

    def _add_object(self, element, parent: int | None) -> int:
        name = local_name(element.tag)
        obj_id = _gml_id(element) or f"{name}_{len(self.objects)}"
        index = self.objects.add(obj_id, name, object_attributes(element))
        self.object_lines.append(element.sourceline or 0)
        if parent is not None:
            self.objects.parents[index].append(parent)
        return index

    # -- the walk -----------------------------------------------------------------------

    def _walk(self, root: _Element, index: int) -> None:
        kinds = self._kinds
        ids = self._ids
        id_key = self._id_key
        stack: list[tuple[_Element, Context]] = [(root, (index, None, 0, False, -1))]
        while stack:
            el, ctx = stack.pop()
            tag = el.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = _classify(tag)
            gid = el.get(id_key)
            if gid is not None:
                ids[gid] = el
            code, number, lod = kind
            if code == _GENERIC:
                pass
            elif code == _PATCH:
                self._inline(el, ctx)
                continue
            elif code == _CURVE:
                self.curves.add(el, ctx[0], ctx[1] or DEFAULT_LOD, self.batch.default_dim)
                continue
            elif code == _GML:
                href = el.get(XLINK_HREF)
                if href is not None:
                    if number == 1:  # a geometry property: the href points at geometry
                        self._refs.append((href, ctx))
                    continue
                if self.srs_name is None:
                    self.srs_name = el.get("srsName")
                if number == 2 and el.get("orientation") == "-":
                    ctx = (ctx[0], ctx[1], ctx[2], not ctx[3], ctx[4])
                elif number == 3:  # a gml:Solid: its exterior is a shell
                    shell = (ctx[0], ctx[1], ctx[2], ctx[3], self._open_shell(el, ctx[0]))
                    stack.extend([(child, shell if isinstance(child.tag, str)
                                   and local_name(child.tag) == "exterior" else ctx)
                                  for child in reversed(el)])
                    continue
            elif code == _SEMANTIC:
                ctx = (ctx[0], ctx[1], number, ctx[3], ctx[4])
            elif code == _LOD_PROPERTY:
                ctx = (ctx[0], lod, ctx[2], ctx[3], ctx[4])
                href = el.get(XLINK_HREF)
                if href is not None:
                    self._refs.append((href, ctx))
                    continue
            elif code == _CHILD:
                if el is not root:
                    ctx = (self._add_object(el, ctx[0]), None, 0, False, -1)
            elif code == _RELIEF:
                ctx = (ctx[0], _relief_lod(el) or ctx[1], ctx[2], ctx[3], ctx[4])
            elif code == _IMPLICIT:
                self._place_implicit(el, ctx[0], lod)
                continue
            else:  # _SKIP
                continue
            stack.extend([(child, ctx) for child in reversed(el)])

    def _place_implicit(self, prop, obj: int, lod: str) -> None:
        """A prototype placed by an ``lodNImplicitRepresentation`` (see citygml_implicit)."""
        implicit = next((c for c in prop if isinstance(c.tag, str)
                         and local_name(c.tag) == "ImplicitGeometry"), None)
        if implicit is None:  # an xlink:href to an ImplicitGeometry elsewhere
            self.implicit.n_unresolved += 1
            return
        self.implicit.default_dim = self.batch.default_dim
        mesh = self.implicit.instance(implicit, obj)
        if mesh is not None and len(mesh.triangles):
            self.batch.pieces.setdefault(lod, []).append(mesh)
            self.batch.n_vertices += len(mesh.vertices)

    def _slot(self, polygon) -> int | None:
        if polygon in self._slots:
            return self._slots[polygon]
        slot = self.batch.add_polygon(polygon)
        if slot is None:
            self.n_empty_polygons += 1
        self._slots[polygon] = slot
        return slot

    def _inline(self, polygon, ctx: Context) -> None:
        slot = self._slot(polygon)
        if slot is None:
            return
        obj, lod, semantic, reversed_, shell = ctx
        if shell >= 0:
            self._shell_slots[shell].append(slot)
        lod = lod or DEFAULT_LOD
        self._slot_origin.setdefault(slot, (lod, semantic))
        self._emit(slot, obj, lod, semantic, reversed_)

    def _emit(self, slot: int, obj: int, lod: str, semantic: int, reversed_: bool) -> None:
        key = (obj, lod, slot)
        if key not in self._emitted:
            self._emitted.add(key)
            self.batch.emit(slot, obj, lod, semantic, reversed_)

    # -- xlink references ---------------------------------------------------------------

    def _resolve_refs(self) -> None:
        # references inside thematic surfaces first: they carry the semantic
        for href, ctx in sorted(self._refs, key=lambda ref: ref[1][2] == 0):
            obj, lod, semantic, reversed_, shell = ctx
            unresolved = self.n_unresolved
            target = self._target(href)
            if target is None:
                if shell >= 0:
                    self._shell_whole[shell] = False
                continue
            for polygon, flip in self._polygons_of(target, set(), 0):
                slot = self._slot(polygon)
                if slot is None:
                    continue
                if shell >= 0:
                    self._shell_slots[shell].append(slot)
                origin_lod, origin_semantic = self._slot_origin.get(slot, (DEFAULT_LOD, 0))
                self._emit(slot, obj, lod or origin_lod, semantic or origin_semantic,
                           reversed_ ^ flip)
            if shell >= 0 and self.n_unresolved != unresolved:
                self._shell_whole[shell] = False

    def _open_shell(self, solid, obj: int) -> int:
        self._shells.append((obj, solid.sourceline or 0, _gml_id(solid)))
        self._shell_slots.append([])
        self._shell_whole.append(True)
        return len(self._shells) - 1

    def _target(self, href: str):
        head, _, fragment = href.strip().partition("#")
        key = fragment if _ else head
        target = None if (_ and head) else self._ids.get(key)
        if target is None:
            self.n_unresolved += 1
            if len(self.unresolved) < 3:
                self.unresolved.append(href)
        return target

    def _polygons_of(self, element, seen: set, depth: int):
        """(polygon, flipped) pairs under a referenced geometry, following nested hrefs."""
        if id(element) in seen or depth > 16:
            return
        seen.add(id(element))
        stack = [(element, False)]
        while stack:
            el, flip = stack.pop()
            tag = el.tag
            if not isinstance(tag, str):
                continue
            name = local_name(tag)
            if name in PATCH_TAGS:
                yield el, flip
                continue
            href = el.get(XLINK_HREF)
            if href is not None and el is not element:
                target = self._target(href)
                if target is None:
                    continue
                if isinstance(target.tag, str) and local_name(target.tag) in PATCH_TAGS:
                    if id(target) not in seen:  # the common case, without a generator
                        seen.add(id(target))
                        yield target, flip
                    continue
                for polygon, inner in self._polygons_of(target, seen, depth + 1):
                    yield polygon, flip ^ inner
                continue
            if name == "OrientableSurface" and el.get("orientation") == "-":
                flip = not flip
            stack.extend((child, flip) for child in reversed(el))


def _envelope_srs(element) -> str | None:
    """srsName of an object's own ``gml:boundedBy/gml:Envelope``."""
    for child in element:
        if isinstance(child.tag, str) and local_name(child.tag) == "boundedBy":
            for envelope in child:
                if isinstance(envelope.tag, str) and envelope.get("srsName"):
                    return envelope.get("srsName")
    return None


def _relief_lod(element) -> str | None:
    for child in element:
        if isinstance(child.tag, str) and local_name(child.tag) == "lod":
            text = (child.text or "").strip()
            if text.isdigit():
                return text
    return None

