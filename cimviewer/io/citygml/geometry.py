"""GML surface geometry to flat arrays, batched across many city objects.

The CityGML reader walks the XML and hands every ``gml:Polygon`` (or ``Triangle``,
``Rectangle``, ``PolygonPatch``) to :class:`SurfaceBatch`, which keeps the coordinate
text as tokens. Tokens of thousands of polygons are converted to floats in one call,
then closed, checked and triangulated per LoD in vectorized passes, so the per-polygon
Python work is a few list appends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cimviewer.core.citymodel import FLOAT, INDEX, PLACES_KEPT, TriangleMesh, concat_meshes
from cimviewer.geometry.triangulate import triangulate_polygons
from cimviewer.geometry.validity import (
    RING_NOT_CLOSED,
    first_flagged_ring,
    polygon_problems,
    shell_problems,
)
from cimviewer.io.quality import gml_place

GML_NAMESPACES = frozenset({"http://www.opengis.net/gml", "http://www.opengis.net/gml/3.2"})
GML_ID_KEYS = ("{http://www.opengis.net/gml}id", "{http://www.opengis.net/gml/3.2}id")
EXTERIOR_TAGS = frozenset({"exterior", "outerBoundaryIs"})
INTERIOR_TAGS = frozenset({"interior", "innerBoundaryIs"})


class GmlError(Exception):
    """A problem in the file, with ``where`` naming the element and its line."""

    def __init__(self, message: str, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


_LOCAL_NAMES: dict[str, str] = {}


def local_name(tag: str) -> str:
    """"{namespace}Polygon" -> "Polygon" (cached: a file has few distinct tags)."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rpartition("}")[2]
    return name


def where_of(element) -> str:
    """"<gml:posList> line 12" for an lxml element."""
    tag = element.tag if isinstance(element.tag, str) else "?"
    prefix = element.prefix
    name = local_name(tag)
    label = f"{prefix}:{name}" if prefix else name
    return f"<{label}> line {element.sourceline}"


@dataclass
class _Rings:
    """Ring coordinates as text tokens (not yet numbers)."""

    tokens: list[str] = field(default_factory=list)
    tok_start: list[int] = field(default_factory=list)
    tok_count: list[int] = field(default_factory=list)
    dim: list[int] = field(default_factory=list)
    where: list[tuple[str, int]] = field(default_factory=list)  # (element name, line)
    line: list[int] = field(default_factory=list)  # the gml:LinearRing's line
    gid: list[str | None] = field(default_factory=list)  # and its gml:id


class SurfaceBatch:
    """Polygons parsed from XML, plus "emissions": which object/LoD/semantic shows them.

    A polygon is parsed once into a *slot*; it may be emitted several times (for
    example a wall shared by a building and its part, referenced by ``xlink:href``).
    """

    def __init__(self, default_dim: int = 3):
        self.default_dim = default_dim
        self._reset()
        self.pieces: dict[str, list[TriangleMesh]] = {}
        #: objects with a polygon whose coordinates are absurd: left out, reported
        self.bad_objects: set[int] = set()
        #: rings with fewer than 3 distinct points (dropped; a polygon whose exterior
        #: it was is skipped, the object keeps its other surfaces) and where some are
        self.short_rings = 0
        self.short_where: list[str] = []
        #: polygon problems by kind (``geometry.validity``): the object of each polygon,
        #: and the places in the file of the first ones (``CityModel.problem_places``)
        self.problems: dict[str, list[np.ndarray]] = {}
        self.places: dict[str, list[str]] = {}
        self.n_vertices = 0
        self.n_polygons = 0
        #: appearances target rings and polygons by gml:id: their global ring numbers
        self.ring_ids: dict[str, int] = {}
        self.polygon_ids: dict[str, tuple[int, int]] = {}  # first ring, end ring
        self.ring_base = 0  # rings converted by earlier flushes
        #: per piece (by id): each vertex's global ring and position in that ring
        self.vertex_rings: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _reset(self) -> None:
        self.rings = _Rings()
        self.slot_ring_start: list[int] = [0]
        self.e_slot: list[int] = []
        self.e_object: list[int] = []
        self.e_lod: list[str] = []
        self.e_semantic: list[int] = []
        self.e_reversed: list[bool] = []
        #: each polygon slot's element: local name, line, gml:id (places of problems)
        self.slot_tag: list[str] = []
        self.slot_line: list[int] = []
        self.slot_gid: list[str | None] = []
        #: exteriors of gml:Solids (checked as shells): their polygon slots, object,
        #: gml:Solid line and gml:id
        self.shell_start: list[int] = [0]
        self.shell_slots: list[int] = []
        self.shell_obj: list[int] = []
        self.shell_line: list[int] = []
        self.shell_gid: list[str | None] = []

    @property
    def pending_tokens(self) -> int:
        return len(self.rings.tokens)

    # -- parsing --------------------------------------------------------------------------

    def add_polygon(self, polygon) -> int | None:
        """Parse a polygon element's rings; return its slot, or None if it has no exterior."""
        exterior = None
        holes = []
        for child in polygon:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = local_name(tag)
            if name in EXTERIOR_TAGS and exterior is None:
                exterior = child
            elif name in INTERIOR_TAGS:
                holes.append(child)
        if exterior is None:
            return None
        dim = _int_attr(polygon, "srsDimension", self.default_dim)
        first_ring = self.ring_base + len(self.rings.tok_start)
        for holder in (exterior, *holes):
            ring = _first_element(holder)
            if ring is None:
                raise GmlError("polygon boundary without a ring", where_of(holder))
            if local_name(ring.tag) != "LinearRing":
                raise GmlError(f"unsupported ring type {local_name(ring.tag)}", where_of(ring))
            self._add_ring(ring, _int_attr(ring, "srsDimension", dim))
        self.slot_ring_start.append(len(self.rings.tok_start))
        gid = polygon.get(GML_ID_KEYS[0]) or polygon.get(GML_ID_KEYS[1])
        if gid is not None:
            self.polygon_ids[gid] = (first_ring, self.ring_base + len(self.rings.tok_start))
        self.slot_tag.append(local_name(polygon.tag))
        self.slot_line.append(polygon.sourceline)
        self.slot_gid.append(gid)
        return len(self.slot_ring_start) - 2

    def _add_ring(self, ring, dim: int) -> None:
        tokens: list[str] = []
        line = ring.sourceline
        where = ("LinearRing", line)
        for child in ring:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = local_name(tag)
            if name == "posList":
                where = ("posList", child.sourceline)
                dim = _int_attr(child, "srsDimension", dim)
                tokens.extend((child.text or "").split())
            elif name == "pos":
                values = (child.text or "").split()
                dim = _int_attr(child, "srsDimension", len(values) or dim)
                if len(values) != dim:
                    raise GmlError(f"gml:pos has {len(values)} values, expected {dim}",
                                   where_of(child))
                tokens.extend(values)
            elif name == "coordinates":
                tuples = (child.text or "").split()
                dim = len(tuples[0].split(",")) if tuples else dim
                tokens.extend(v for t in tuples for v in t.split(","))
            elif name in ("pointProperty", "pointRep"):
                raise GmlError("point references in rings are not supported", where_of(child))
        if dim < 2:
            raise GmlError(f"srsDimension {dim} is not supported", _where(where))
        if len(tokens) % dim:
            raise GmlError(
                f"coordinate list has {len(tokens)} values, not a multiple of "
                f"srsDimension {dim}", _where(where))
        r = self.rings
        gid = ring.get(GML_ID_KEYS[0]) or ring.get(GML_ID_KEYS[1])
        if gid is not None:
            self.ring_ids[gid] = self.ring_base + len(r.tok_start)
        r.tok_start.append(len(r.tokens))
        r.tok_count.append(len(tokens))
        r.dim.append(dim)
        r.where.append(where)
        r.line.append(line)
        r.gid.append(gid)
        r.tokens.extend(tokens)

    def add_shell(self, slots: list[int], obj: int, line: int, gml_id: str | None) -> None:
        """The exterior of a gml:Solid: its polygons' slots (checked in :meth:`flush`)."""
        self.shell_slots.extend(slots)
        self.shell_start.append(len(self.shell_slots))
        self.shell_obj.append(obj)
        self.shell_line.append(line)
        self.shell_gid.append(gml_id)

    def emit(self, slot: int, obj: int, lod: str, semantic: int, reversed_: bool) -> None:
        self.e_slot.append(slot)
        self.e_object.append(obj)
        self.e_lod.append(lod)
        self.e_semantic.append(semantic)
        self.e_reversed.append(reversed_)

    # -- conversion -----------------------------------------------------------------------

    def flush(self) -> None:
        """Convert and triangulate everything pending into per-LoD mesh pieces."""
        if not self.e_slot and not self.rings.tok_start:
            return
        xyz, ring_start, ring_count, not_closed = self._coordinates()
        slot_ring = np.asarray(self.slot_ring_start, np.int64)
        self.n_vertices += int(ring_count.sum())
        e_slot = np.asarray(self.e_slot, np.int64)
        e_lod = np.asarray(self.e_lod, dtype=object)
        e_bad = self._absurd_emissions(xyz, ring_start, ring_count, slot_ring, e_slot)
        if e_bad.any():  # the object is left out whole and reported (io.sanity)
            self.bad_objects.update(np.asarray(self.e_object, np.int64)[e_bad].tolist())
        e_object = np.asarray(self.e_object, INDEX)
        if not_closed.any():
            unclosed = np.flatnonzero(_slots_with(not_closed, slot_ring)[e_slot])
            slots = e_slot[unclosed[:self._room(RING_NOT_CLOSED, len(unclosed))]]
            self._problem(RING_NOT_CLOSED, e_object[unclosed], self._ring_places(
                slot_ring[slots] + first_flagged_ring(not_closed, slot_ring, slots), slot_ring))
        shells = _Shells(self, e_slot, e_object, e_bad) if self.shell_obj else None
        for lod in dict.fromkeys(self.e_lod):
            sel = np.flatnonzero((e_lod == lod) & ~e_bad)
            piece, found, ring_masks, piece_rings, poly_offsets, tri_poly = self._piece(
                xyz, ring_start, ring_count, slot_ring[e_slot[sel]], slot_ring[e_slot[sel] + 1],
                np.asarray(self.e_reversed, bool)[sel], e_object[sel],
                np.asarray(self.e_semantic, np.uint8)[sel],
            )
            for kind, mask in found.items():
                bad = np.flatnonzero(mask)
                placed = bad[:self._room(kind, len(bad))]
                if kind in ring_masks:
                    first = first_flagged_ring(ring_masks[kind], poly_offsets, placed)
                    places = self._ring_places(piece_rings[poly_offsets[placed] + first],
                                               slot_ring)
                else:
                    places = self._slot_places(e_slot[sel[placed]])
                self._problem(kind, e_object[sel[bad]], places)
            if shells is not None:
                shells.add_triangles(piece, sel[tri_poly])
            self.pieces.setdefault(lod, []).append(piece)
            self.n_polygons += len(sel)
            if self.ring_ids or self.polygon_ids:  # only what appearances can target
                rings, counts, k = _ring_positions(ring_count, slot_ring[e_slot[sel]],
                                                   slot_ring[e_slot[sel] + 1],
                                                   np.asarray(self.e_reversed, bool)[sel])
                self.vertex_rings[id(piece)] = (
                    (np.repeat(rings, counts) + self.ring_base).astype(np.int32),
                    k.astype(np.int32))
        if shells is not None:
            for kind, (objects, places) in shells.problems().items():
                self._problem(kind, objects, places)
        self.ring_base += len(ring_count)
        self._reset()

    @staticmethod
    def _absurd_emissions(xyz, ring_start, ring_count, slot_ring, e_slot) -> np.ndarray:
        """Emissions whose polygon has a coordinate beyond any real CRS (say 1e20)."""
        from cimviewer.io.sanity import MAX_COORDINATE

        far = (np.abs(xyz) > MAX_COORDINATE).any(axis=1)
        if not far.any():
            return np.zeros(len(e_slot), bool)
        far_sum = np.concatenate([[0], np.cumsum(far)])
        ring_bad = far_sum[ring_start + ring_count] > far_sum[ring_start]
        return _slots_with(ring_bad, slot_ring)[e_slot]

    def _room(self, kind: str, n: int) -> int:
        """How many of ``n`` more occurrences of ``kind`` still get a place."""
        return max(min(PLACES_KEPT - len(self.places.get(kind, ())), n), 0)

    def _problem(self, kind: str, objects: np.ndarray, places: list[str]) -> None:
        """Occurrences of ``kind`` on ``objects``, with the places of the first ones
        (as many as :meth:`_room` allowed)."""
        if not len(objects):
            return
        self.problems.setdefault(kind, []).append(objects)
        kept = self.places.setdefault(kind, [])
        room = self._room(kind, len(objects))
        kept.extend(list(places[:room]) + [""] * (room - len(places)))

    def _ring_places(self, rings: np.ndarray, slot_ring: np.ndarray) -> list[str]:
        """Places of rings of this flush: the gml:LinearRing's line and gml:id (or the
        gml:id of its polygon, when the ring has none)."""
        r = self.rings
        slots = np.searchsorted(slot_ring, rings, side="right") - 1
        out = []
        for ring, slot in zip(rings.tolist(), slots.tolist(), strict=True):
            place = gml_place("gml:LinearRing", r.line[ring], r.gid[ring])
            if r.gid[ring] is None and 0 <= slot < len(self.slot_gid) and self.slot_gid[slot]:
                place += " in " + gml_place(f"gml:{self.slot_tag[slot]}", None,
                                            self.slot_gid[slot])
            out.append(place)
        return out

    def _slot_places(self, slots: np.ndarray) -> list[str]:
        """Places of polygons (slots of this flush): line and gml:id of the element."""
        return [gml_place(f"gml:{self.slot_tag[s]}", self.slot_line[s], self.slot_gid[s])
                for s in slots.tolist()]

    def meshes(self) -> dict[str, TriangleMesh]:
        self.flush()
        return {lod: concat_meshes(parts) if parts else TriangleMesh.empty()
                for lod, parts in self.pieces.items()}

    def _coordinates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(positions (n, 3), ring start, ring count, ring not closed) with closing
        duplicates removed."""
        r = self.rings
        try:
            values = np.fromiter(map(float, r.tokens), FLOAT, len(r.tokens))
        except ValueError:
            ring = _first_bad_ring(r)
            raise GmlError("coordinate list contains a value that is not a number",
                           _where(r.where[ring])) from None
        tok_start = np.asarray(r.tok_start, np.int64)
        dims = np.asarray(r.dim, np.int64)
        n_pos = np.asarray(r.tok_count, np.int64) // np.maximum(dims, 1)
        pos_start = np.cumsum(n_pos) - n_pos
        total = int(n_pos.sum())
        pos_dim = np.repeat(dims, n_pos)
        local = np.arange(total) - np.repeat(pos_start, n_pos)
        tok = np.repeat(tok_start, n_pos) + local * pos_dim
        xyz = np.zeros((total, 3), FLOAT)
        xyz[:, 0] = values[tok]
        xyz[:, 1] = values[tok + 1]
        has_z = pos_dim >= 3
        xyz[has_z, 2] = values[tok[has_z] + 2]
        finite = np.isfinite(xyz).all(axis=1)
        if not finite.all():
            ring = int(np.searchsorted(pos_start, np.flatnonzero(~finite)[0], side="right") - 1)
            raise GmlError("coordinate list contains NaN or infinite values",
                           _where(r.where[ring]))
        # drop the closing position that repeats the first one
        nonempty = n_pos > 0
        last = pos_start + n_pos - 1
        closed = np.zeros(len(n_pos), bool)
        closed[nonempty] = (xyz[pos_start[nonempty]] == xyz[last[nonempty]]).all(axis=1) & (
            n_pos[nonempty] > 1)
        count = n_pos - closed
        short = np.flatnonzero(count < 3)
        if len(short):  # val3dity's TOO_FEW_POINTS: the ring is dropped, and reported
            self.short_rings += len(short)
            self.short_where += [_where(r.where[int(i)]) for i in short[:5]]
            count = np.where(count < 3, 0, count)
        # GML repeats a ring's first position at its end; a ring that does not is
        # closed implicitly (val3dity's RING_NOT_CLOSED, repaired)
        not_closed = nonempty & (n_pos > 1) & ~closed
        return xyz, pos_start, count, not_closed

    @staticmethod
    def _piece(xyz, ring_start, ring_count, first_ring, end_ring, reversed_, objects,
               semantics) -> tuple[TriangleMesh, dict[str, np.ndarray], dict[str, np.ndarray],
                                   np.ndarray, np.ndarray, np.ndarray]:
        """The triangles of these polygon emissions; their problems by kind (masks over
        the emissions, and over their rings for ring kinds); the rings emitted, each
        emission's first of them, and the emission of each triangle."""
        n_rings = end_ring - first_ring
        rings, counts, k = _ring_positions(ring_count, first_ring, end_ring, reversed_)
        vertices = xyz[np.repeat(ring_start[rings], counts) + k]
        ring_offsets = np.concatenate([[0], np.cumsum(counts)])
        polygon_offsets = np.concatenate([[0], np.cumsum(n_rings)])
        ring_vertices = np.arange(len(vertices))
        ring_masks: dict[str, np.ndarray] = {}
        found = polygon_problems(vertices, ring_vertices, ring_offsets, polygon_offsets,
                                 ring_masks)
        triangles, tri_poly = triangulate_polygons(
            vertices, ring_vertices, ring_offsets, polygon_offsets)
        return (TriangleMesh(vertices, triangles.astype(INDEX), objects[tri_poly],
                             semantics[tri_poly]), found, ring_masks, rings, polygon_offsets,
                tri_poly)


class _Shells:
    """The shells of gml:Solids in one flush, checked like CityJSON solids
    (``geometry.validity.shell_problems``) on the triangles of their polygons."""

    def __init__(self, batch: SurfaceBatch, e_slot: np.ndarray, e_object: np.ndarray,
                 e_bad: np.ndarray):
        self.batch = batch
        self.start = np.asarray(batch.shell_start, np.int64)
        self.slots = np.asarray(batch.shell_slots, np.int64)
        # a polygon is drawn once per emission: its first emission's triangles stand
        # for it in every shell that lists it
        slots, first = np.unique(e_slot, return_index=True)
        self.first = np.full(len(batch.slot_ring_start), -1, np.int64)
        self.first[slots] = first
        self.wanted = np.zeros(len(e_slot) + 1, bool)
        self.wanted[self.first[self.slots]] = True
        self.wanted[-1] = False
        self.obj = np.asarray(batch.shell_obj, np.int64)
        # shells of objects left out for absurd coordinates are not judged
        self.judged = ~np.isin(self.obj, e_object[e_bad])
        self.corners: list[np.ndarray] = []
        self.emissions: list[np.ndarray] = []

    def add_triangles(self, piece: TriangleMesh, tri_emission: np.ndarray) -> None:
        keep = self.wanted[tri_emission]
        if keep.any():
            self.corners.append(piece.vertices[piece.triangles[keep]])
            self.emissions.append(tri_emission[keep])

    def problems(self) -> dict[str, tuple[np.ndarray, list[str]]]:
        """Kind -> (object of each shell with it, places of these shells)."""
        surfaces = np.diff(self.start)
        pair_shell = np.repeat(np.arange(len(surfaces)), surfaces)
        pair_emission = self.first[self.slots]
        if self.corners:
            corners = np.concatenate(self.corners)
            emissions = np.concatenate(self.emissions)
        else:
            corners, emissions = np.zeros((0, 3, 3)), np.zeros(0, np.int64)
        order = np.argsort(emissions, kind="stable")
        ordered = emissions[order]
        lo = np.searchsorted(ordered, pair_emission, side="left")
        hi = np.searchsorted(ordered, pair_emission, side="right")
        counts = np.where(pair_emission >= 0, hi - lo, 0)
        tris = order[_expand(lo, counts)]
        tri_shell = np.repeat(pair_shell, counts)
        found = shell_problems(corners[tris].reshape(-1, 3),
                               np.arange(3 * len(tris)).reshape(-1, 3), tri_shell, surfaces)
        b = self.batch
        out = {}
        for kind, mask in found.items():
            shells = np.flatnonzero(mask & self.judged)
            if len(shells):
                out[kind] = (self.obj[shells].astype(INDEX), [
                    gml_place("gml:Solid", b.shell_line[s], b.shell_gid[s])
                    for s in shells[:PLACES_KEPT].tolist()])
        return out


def _slots_with(ring_flag: np.ndarray, slot_ring: np.ndarray) -> np.ndarray:
    """Per polygon slot: whether any of its rings is flagged."""
    ring_sum = np.concatenate([[0], np.cumsum(ring_flag)])
    return ring_sum[slot_ring[1:]] > ring_sum[slot_ring[:-1]]


def _ring_positions(ring_count: np.ndarray, first_ring: np.ndarray, end_ring: np.ndarray,
                    reversed_: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The emitted rings, their vertex counts, and per vertex its position in its ring
    (walked backwards for reversed polygons)."""
    n_rings = end_ring - first_ring
    rings = _expand(first_ring, n_rings)
    counts = ring_count[rings]
    k = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    k = np.where(np.repeat(np.repeat(reversed_, n_rings), counts),
                 np.repeat(counts, counts) - 1 - k, k)
    return rings, counts, k


def _expand(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + c)`` for every (s, c), vectorized."""
    total = int(counts.sum())
    return np.repeat(starts, counts) + np.arange(total) - np.repeat(np.cumsum(counts) - counts,
                                                                     counts)


def _first_bad_ring(r: _Rings) -> int:
    for i, (s, c) in enumerate(zip(r.tok_start, r.tok_count, strict=True)):
        try:
            [float(t) for t in r.tokens[s:s + c]]
        except ValueError:
            return i
    return 0


def _where(place: tuple[str, int]) -> str:
    return f"<gml:{place[0]}> line {place[1]}"


def _first_element(holder):
    for child in holder:
        if isinstance(child.tag, str):
            return child
    return None


def _int_attr(element, name: str, default: int) -> int:
    value = element.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise GmlError(f"{name}={value!r} is not an integer", where_of(element)) from None
