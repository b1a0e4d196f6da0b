"""The in-memory city model: numpy arrays plus an object table.

Readers (``cimviewer.io``) fill these arrays in vectorized passes; renderers and
algorithms consume them. Vertices are float64 world coordinates in the model's CRS;
the render layer subtracts the project origin before converting to float32.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableSequence, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

FLOAT = np.float64
INDEX = np.int32
#: places in the file kept per problem kind (``CityModel.problem_places``): a file with
#: millions of bad rings keeps its memory; the rest are counted
PLACES_KEPT = 10_000


@dataclass
class TriangleMesh:
    """Triangles of one LoD of a city model.

    ``vertices`` (n, 3) float64 world coordinates; ``triangles`` (m, 3) int32 vertex
    indices; ``tri_object`` (m,) int32 indexes :attr:`CityModel.objects`;
    ``tri_semantic`` (m,) uint8 holds surface codes (``cimviewer.api.SEMANTIC_CODES``:
    "RoofSurface", "WallSurface", "GroundSurface"...; 0 = none); ``tri_color`` is an
    optional per-triangle RGB material colour (uint8, shape (m, 3)); rows of zeros
    alpha-less mean "none" and are flagged by ``tri_has_color``. ``tri_surface`` optionally indexes
    :attr:`CityModel.semantic_surfaces` (-1 = no semantic surface).

    Textures are stored per triangle *corner*, not per vertex: ``tri_texture`` (m,) int32
    indexes :attr:`CityModel.textures` (-1 = untextured) and ``tri_uv`` (m, 3, 2)
    float32 holds each corner's texture coordinates (origin at the image's lower left).
    Two faces sharing a vertex may map it to different image points, so per-corner
    values keep the shared vertex list intact and survive :meth:`subset` and
    :func:`concat_meshes` as plain row selections; the renderer splits vertices where
    it needs to.
    """

    vertices: np.ndarray  # (n, 3) float64
    triangles: np.ndarray  # (m, 3) int32
    tri_object: np.ndarray  # (m,) int32
    tri_semantic: np.ndarray  # (m,) uint8
    tri_color: np.ndarray | None = None  # (m, 3) uint8
    tri_has_color: np.ndarray | None = None  # (m,) bool
    tri_surface: np.ndarray | None = None  # (m,) int32, -1 = none
    tri_texture: np.ndarray | None = None  # (m,) int32 into CityModel.textures, -1 = none
    tri_uv: np.ndarray | None = None  # (m, 3, 2) float32 texture coordinates per corner
    #: (m,) uint8 material opacity (255 = opaque; from a material's transparency)
    tri_opacity: np.ndarray | None = None

    @classmethod
    def empty(cls) -> TriangleMesh:
        return cls(
            np.zeros((0, 3), FLOAT),
            np.zeros((0, 3), INDEX),
            np.zeros(0, INDEX),
            np.zeros(0, np.uint8),
        )

    @property
    def n_triangles(self) -> int:
        return int(self.triangles.shape[0])

    @property
    def n_vertices(self) -> int:
        return int(self.vertices.shape[0])

    def object_z_extents(self, n_objects: int) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest z of each object's triangles (vectorized); objects without
        triangles get +inf and -inf."""
        zmin = np.full(n_objects, np.inf)
        zmax = np.full(n_objects, -np.inf)
        if self.n_triangles:
            z = self.vertices[self.triangles, 2]
            np.minimum.at(zmin, self.tri_object, z.min(axis=1))
            np.maximum.at(zmax, self.tri_object, z.max(axis=1))
        return zmin, zmax

    def subset(self, tri_mask: np.ndarray) -> TriangleMesh:
        """Triangles where ``tri_mask`` is true, with unused vertices dropped."""
        tris = self.triangles[tri_mask]
        used, inverse = np.unique(tris.ravel(), return_inverse=True)
        return TriangleMesh(
            self.vertices[used],
            inverse.reshape(-1, 3).astype(INDEX),
            self.tri_object[tri_mask],
            self.tri_semantic[tri_mask],
            None if self.tri_color is None else self.tri_color[tri_mask],
            None if self.tri_has_color is None else self.tri_has_color[tri_mask],
            None if self.tri_surface is None else self.tri_surface[tri_mask],
            None if self.tri_texture is None else self.tri_texture[tri_mask],
            None if self.tri_uv is None else self.tri_uv[tri_mask],
            None if self.tri_opacity is None else self.tri_opacity[tri_mask],
        )

    @property
    def textured(self) -> bool:
        """True when some triangle carries a texture."""
        return self.tri_texture is not None and bool((self.tri_texture >= 0).any())

    def validate(self) -> None:
        """Raise ValueError when arrays are inconsistent (used by tests and readers)."""
        m = self.n_triangles
        if self.vertices.ndim != 2 or self.vertices.shape[1] != 3:
            raise ValueError("vertices must have shape (n, 3)")
        if self.triangles.ndim != 2 or self.triangles.shape[1] != 3:
            raise ValueError("triangles must have shape (m, 3)")
        for name in ("tri_object", "tri_semantic"):
            if getattr(self, name).shape != (m,):
                raise ValueError(f"{name} must have shape ({m},)")
        if m and (self.triangles.min() < 0 or self.triangles.max() >= self.n_vertices):
            raise ValueError("triangle vertex index out of range")
        if not np.isfinite(self.vertices).all():
            raise ValueError("vertices contain NaN or infinite coordinates")
        if (self.tri_texture is None) != (self.tri_uv is None):
            raise ValueError("tri_texture and tri_uv come together")
        if self.tri_texture is not None and (self.tri_texture.shape != (m,)
                                             or self.tri_uv.shape != (m, 3, 2)):  # type: ignore[union-attr]
            raise ValueError(f"tri_texture must have shape ({m},), tri_uv ({m}, 3, 2)")
        if self.tri_opacity is not None and self.tri_opacity.shape != (m,):
            raise ValueError(f"tri_opacity must have shape ({m},)")


@dataclass
class PolylineSet:
    """Lines of one LoD (CityJSON MultiLineString, CityGML curves), as a flat vertex list.

    ``offsets`` has one more entry than there are lines: line ``i`` is
    ``vertices[offsets[i]:offsets[i + 1]]``.
    """

    vertices: np.ndarray  # (n, 3) float64
    offsets: np.ndarray  # (k + 1,) int64
    line_object: np.ndarray  # (k,) int32

    @classmethod
    def empty(cls) -> PolylineSet:
        return cls(np.zeros((0, 3), FLOAT), np.zeros(1, np.int64), np.zeros(0, INDEX))


@dataclass
class PointSet:
    vertices: np.ndarray  # (n, 3) float64
    point_object: np.ndarray  # (n,) int32

    @classmethod
    def empty(cls) -> PointSet:
        return cls(np.zeros((0, 3), FLOAT), np.zeros(0, INDEX))


def attributes_json(attributes: dict[str, Any]) -> bytes:
    """One object's attributes as JSON text (what :class:`PackedAttributes` keeps)."""
    import orjson

    try:
        return orjson.dumps(attributes, default=str)
    except TypeError:  # integers beyond 64 bits
        import json

        return json.dumps(attributes, default=str).encode()


def _list_index(index: int, n: int, what: str) -> int:
    """``index`` of a list of ``n`` (negative from the end), or IndexError."""
    i = int(index) + n if int(index) < 0 else int(index)
    if not 0 <= i < n:
        raise IndexError(f"{what} index out of range")
    return i


class PackedAttributes(MutableSequence[dict[str, Any]]):
    """Objects' attribute dicts kept as JSON text (one buffer: ``{..},{..},..``, object
    ``i`` at ``blob[bounds[i]:bounds[i + 1] - 1]``) and decoded when asked for: a
    streamed city of millions of objects keeps about 40 bytes an object instead of a
    few hundred until a style, search or join reads them all.

    A dict once handed out is kept (changes to it stay, as with a list of dicts); going
    over all of them, or any change to the sequence itself, decodes the rest into a
    plain list in one call.
    """

    def __init__(self, blob: bytes, bounds: np.ndarray) -> None:
        self._blob: bytes | None = blob
        self._bounds = np.asarray(bounds, np.int64)
        self._given: dict[int, dict[str, Any]] = {}
        self._list: list[dict[str, Any]] | None = None

    @classmethod
    def pack(cls, texts: Sequence[bytes]) -> PackedAttributes:
        """From each object's attributes as JSON object text."""
        sizes = np.fromiter((len(t) + 1 for t in texts), np.int64, len(texts))
        return cls(b",".join(texts), np.r_[0, np.cumsum(sizes)])

    def packed(self) -> tuple[bytes, np.ndarray]:
        """(blob, bounds) as :meth:`__init__` takes them (encoding decoded dicts)."""
        if self._list is None and not self._given and self._blob is not None:
            return self._blob, self._bounds
        done = PackedAttributes.pack([attributes_json(a) for a in self])
        return done._blob or b"", done._bounds

    def __len__(self) -> int:
        return len(self._list) if self._list is not None else len(self._bounds) - 1

    def _decode(self, index: int) -> dict[str, Any]:
        import orjson

        assert self._blob is not None
        text = self._blob[int(self._bounds[index]):int(self._bounds[index + 1]) - 1]
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:  # numbers orjson refuses (huge integers)
            import json

            value = json.loads(text)
        return value if isinstance(value, dict) else {}

    def materialize(self) -> list[dict[str, Any]]:
        """All of them as a plain list (kept from now on)."""
        if self._list is None:
            import orjson

            try:
                values = orjson.loads(b"[" + (self._blob or b"") + b"]")
                if len(values) != len(self):
                    raise ValueError("not one value an object")
            except (orjson.JSONDecodeError, ValueError):
                values = [self._decode(i) for i in range(len(self))]
            values = [v if isinstance(v, dict) else {} for v in values]
            for i, given in self._given.items():  # the very dicts handed out before
                values[i] = given
            self._list, self._blob, self._given = values, None, {}
        return self._list

    def __getitem__(self, index):
        if self._list is not None:
            return self._list[index]
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        i = _list_index(index, len(self), "attribute")
        value = self._given.get(i)
        if value is None:
            value = self._given[i] = self._decode(i)
        return value

    def __setitem__(self, index, value) -> None:
        if self._list is None and isinstance(index, int) and -len(self) <= index < len(self):
            self._given[index % len(self)] = value
            return
        self.materialize()[index] = value

    def __delitem__(self, index) -> None:
        del self.materialize()[index]

    def insert(self, index: int, value: dict[str, Any]) -> None:
        self.materialize().insert(index, value)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.materialize())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, PackedAttributes)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list


class PackedStrings(MutableSequence[str]):
    """Strings (objects' ids) kept as one UTF-8 buffer and int64 bounds (string ``i`` is
    ``blob[bounds[i]:bounds[i + 1]]``), each decoded when asked for: a streamed city of
    millions of objects makes no Python string per id until something reads them all.
    Any change to the sequence decodes it into a plain list first."""

    def __init__(self, blob: bytes, bounds: np.ndarray) -> None:
        self._blob: bytes | None = blob
        self._bounds = np.asarray(bounds, np.int64)
        self._list: list[str] | None = None

    @classmethod
    def pack(cls, strings: Sequence[str]) -> PackedStrings:
        encoded = [s.encode("utf-8") for s in strings]
        sizes = np.fromiter(map(len, encoded), np.int64, len(encoded))
        return cls(b"".join(encoded), np.r_[0, np.cumsum(sizes)].astype(np.int64))

    def packed(self) -> tuple[bytes, np.ndarray]:
        """(blob, bounds) as :meth:`__init__` takes them."""
        if self._list is None and self._blob is not None:
            return self._blob, self._bounds
        done = PackedStrings.pack(self._list or [])
        return done._blob or b"", done._bounds

    def __len__(self) -> int:
        return len(self._list) if self._list is not None else len(self._bounds) - 1

    def materialize(self) -> list[str]:
        """All of them as a plain list (kept from now on)."""
        if self._list is None:
            self._list = list(self._strings())
            self._blob = None
        return self._list

    def _strings(self) -> Iterator[str]:
        blob = self._blob or b""
        b = self._bounds.tolist()
        if blob.isascii():  # one decode; byte bounds are character bounds
            text = blob.decode("ascii")
            return (text[b[i]:b[i + 1]] for i in range(len(b) - 1))
        return (blob[b[i]:b[i + 1]].decode("utf-8") for i in range(len(b) - 1))

    def __getitem__(self, index):
        if self._list is not None:
            return self._list[index]
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        i = _list_index(index, len(self), "string")
        assert self._blob is not None
        return self._blob[int(self._bounds[i]):int(self._bounds[i + 1])].decode("utf-8")

    def __setitem__(self, index, value) -> None:
        self.materialize()[index] = value

    def __delitem__(self, index) -> None:
        del self.materialize()[index]

    def insert(self, index: int, value: str) -> None:
        self.materialize().insert(index, value)

    def __iter__(self) -> Iterator[str]:
        if self._list is not None:
            return iter(self._list)
        return self._strings()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, PackedStrings)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list


class SparseParents(MutableSequence[list[int]]):
    """Each object's parent indices when few objects have parents: a dict of those that
    do (``{index: [parents]}``) and an empty list for the others. A list read for an
    object without parents is stored when it is changed through this sequence only
    (``table.parents[i] = [...]``), not when appended to in place."""

    def __init__(self, n: int, parents: dict[int, list[int]] | None = None) -> None:
        self._n = n
        self._parents: dict[int, list[int]] = dict(parents or {})

    def with_parents(self) -> dict[int, list[int]]:
        """{object: its parents} of the objects that have parents."""
        return {i: p for i, p in self._parents.items() if p}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(self._n)[index]]
        i = int(index) + self._n if int(index) < 0 else int(index)
        if not 0 <= i < self._n:
            raise IndexError("parents index out of range")
        return self._parents.get(i, [])

    def __setitem__(self, index, value) -> None:
        if isinstance(index, slice):
            raise TypeError("parents of one object at a time")
        i = int(index) + self._n if int(index) < 0 else int(index)
        if not 0 <= i < self._n:
            raise IndexError("parents index out of range")
        self._parents[i] = value

    def __delitem__(self, index) -> None:
        raise TypeError("objects are not removed from a table")

    def insert(self, index: int, value: list[int]) -> None:
        if index != self._n:
            raise TypeError("objects are only added at the end of a table")
        if value:
            self._parents[self._n] = value
        self._n += 1

    def __iter__(self) -> Iterator[list[int]]:
        get = self._parents.get
        return (get(i, []) for i in range(self._n))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (list, SparseParents)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list


@dataclass
class ObjectTable:
    """City objects: parallel lists indexed by object index."""

    ids: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    parents: list[list[int]] = field(default_factory=list)
    attributes: list[dict[str, Any]] = field(default_factory=list)
    #: id -> index, built on the first lookup (and again for an id added since)
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False,
                                   compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, obj_id: str, obj_type: str, attributes: dict[str, Any] | None = None) -> int:
        self.ids.append(obj_id)
        self.types.append(obj_type)
        self.parents.append([])
        self.attributes.append(attributes or {})
        return len(self.ids) - 1

    def index_of(self, obj_id: str) -> int:
        try:
            return self._index[obj_id]
        except KeyError:
            self._index = {oid: i for i, oid in enumerate(self.ids)}
            return self._index[obj_id]

    def _with_parents(self):
        """(object, its parents) of the objects that have parents."""
        if isinstance(self.parents, SparseParents):
            return self.parents.with_parents().items()
        return ((i, ps) for i, ps in enumerate(self.parents) if ps)

    def children_of(self, index: int) -> list[int]:
        return [i for i, ps in self._with_parents() if index in ps]

    def descendants_of(self, index: int) -> list[int]:
        """Children, their children and so on (a building's storeys and the elements
        on them), in one pass over the table."""
        return sorted(self.below({index}) - {index})

    def below(self, indices: set[int] | list[int]) -> set[int]:
        """These objects and everything below them, in one pass over the table however
        many are asked for."""
        children: dict[int, list[int]] = {}
        for i, ps in self._with_parents():
            for p in ps:
                children.setdefault(p, []).append(i)
        found = set(indices)
        todo = [c for i in found for c in children.get(i, ())]
        while todo:
            i = todo.pop()
            if i not in found:
                found.add(i)
                todo.extend(children.get(i, ()))
        return found

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for t in self.types:
            counts[t] = counts.get(t, 0) + 1
        return dict(sorted(counts.items()))

    def root_of(self, index: int) -> int:
        """The top-level ancestor of an object (itself when it has no parent)."""
        seen = {index}
        while self.parents[index]:
            index = self.parents[index][0]
            if index in seen:
                break
            seen.add(index)
        return index


def lod_sort_key(lod: str) -> tuple[float, str]:
    try:
        return (float(lod), lod)
    except ValueError:
        return (-1.0, lod)


@dataclass
class CityModel:
    """A loaded city model: object table plus geometry per LoD.

    ``meshes``, ``lines`` and ``points`` are keyed by LoD string ("1", "2.2", ...).
    ``crs`` is an authority string such as ``"EPSG:7415"`` or None when unknown.
    """

    objects: ObjectTable = field(default_factory=ObjectTable)
    meshes: dict[str, TriangleMesh] = field(default_factory=dict)
    lines: dict[str, PolylineSet] = field(default_factory=dict)
    points: dict[str, PointSet] = field(default_factory=dict)
    crs: str | None = None
    source_format: str = ""
    version: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: the warnings that mean data was left out or nothing can be drawn (a project
    #: open reports these as messages)
    problems: list[str] = field(default_factory=list)
    n_vertices: int = 0  # vertices declared by the source file
    #: Semantic surface objects (type + attributes) that ``TriangleMesh.tri_surface`` indexes.
    semantic_surfaces: list[dict[str, Any]] = field(default_factory=list)
    #: Format-specific root members kept as-is (e.g. CityJSON "extensions", "+member"s).
    extras: dict[str, Any] = field(default_factory=dict)
    #: data-quality findings by kind (val3dity's names where one fits, see
    #: ``cimviewer.geometry.validity``): the object index of each occurrence, -1 when
    #: it has no object (a line of a file that could not be read)
    problem_objects: dict[str, np.ndarray] = field(default_factory=dict)
    #: where each occurrence is in the file, parallel to ``problem_objects`` for the
    #: first :data:`PLACES_KEPT` occurrences of a kind (the rest are counted, not
    #: placed; "" = not known): a source line and gml:id (CityGML), a path such as
    #: ``CityObjects/b1/geometry/0/boundaries/0/2/0`` (CityJSON; CityJSONSeq prefixes
    #: the feature's line), a layer and feature id (footprints)
    problem_places: dict[str, list[str]] = field(default_factory=dict)
    #: (n_objects,) int64 where each object is in its file, for the places of problems
    #: of whole objects: the source line of its element (CityGML) or feature line
    #: (CityJSONSeq), its feature id (footprints); None when the reader has no such thing
    object_origin: np.ndarray | None = None

    def add_problem(self, kind: str, objects: np.ndarray | list[int],
                    places: Sequence[str] | None = None) -> None:
        """Record occurrences of a problem kind on these objects, with their places in
        the file (``places[i]`` for ``objects[i]``; None or a shorter list: not known)."""
        found = np.asarray(objects, INDEX).ravel()
        if not len(found):
            return
        if kind in self.problem_objects:
            before = self.problem_objects[kind]
            kept = self.problem_places.setdefault(kind, [])
            del kept[min(len(before), PLACES_KEPT):]  # aligned with the occurrences
            kept.extend([""] * (min(len(before), PLACES_KEPT) - len(kept)))
            found = np.concatenate([before, found])
        kept = self.problem_places.setdefault(kind, [])
        room = min(PLACES_KEPT, len(found)) - len(kept)
        if room > 0:
            given = list(places[:room]) if places is not None else []
            kept.extend(given + [""] * (room - len(given)))
        self.problem_objects[kind] = found

    def problem_counts(self) -> dict[str, int]:
        """Occurrences per problem kind (kinds not found are left out)."""
        return {kind: len(found) for kind, found in sorted(self.problem_objects.items())
                if len(found)}

    def problem_list(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Occurrences as ``{"kind", "object" (id or None), "place" (str or None)}``,
        by kind then file order; at most ``limit``, shared between the kinds so that
        every kind found appears (:meth:`problem_counts` has the full counts)."""
        counts = self.problem_counts()
        quota = _fair_shares(counts, limit)
        ids = self.objects.ids
        out: list[dict[str, Any]] = []
        for kind, share in quota.items():
            found = self.problem_objects[kind][:share].tolist()
            places = self.problem_places.get(kind, [])
            for i, index in enumerate(found):
                place = places[i] if i < len(places) else ""
                out.append({"kind": kind,
                            "object": ids[index] if 0 <= index < len(ids) else None,
                            "place": place or None})
        return out
    #: Texture images that ``TriangleMesh.tri_texture`` indexes (absolute paths, resolved
    #: against the data file; images not found are listed but no triangle uses them).
    textures: list[Path] = field(default_factory=list)
    #: Appearance counts for ``cimviewer info``: "textures" (images referenced and
    #: found), "textures_missing", "materials"; empty when the file has no appearance.
    appearance: dict[str, int] = field(default_factory=dict)
    #: appearance themes the file has (CityJSON material/texture themes, CityGML
    #: ``app:theme``), and the one drawn (a layer's ``theme`` load option picks another)
    themes: list[str] = field(default_factory=list)
    theme: str | None = None
    #: object types a view hides until asked (IFC spaces: volumes that hide the
    #: elements inside them); see ``CityModelLayer.hidden_types``
    hidden_types: list[str] = field(default_factory=list)

    #: geometry stays on disk and is read by tile (``io.cityjson.streamed``): code that
    #: would read every triangle should use :meth:`object_boxes` or ask first
    streamed: ClassVar[bool] = False

    def object_boxes(self) -> np.ndarray:
        """(n_objects, 6) box per object at its highest LoD; NaN rows for objects
        without triangles."""
        mesh = self.mesh_for_lod(None)
        n = len(self.objects)
        out = np.full((n, 6), np.nan)
        if not mesh.n_triangles:
            return out
        pts = mesh.vertices[mesh.triangles].reshape(-1, 3)
        owner = np.repeat(mesh.tri_object, 3)
        for axis in range(3):
            lo = np.full(n, np.inf)
            hi = np.full(n, -np.inf)
            np.minimum.at(lo, owner, pts[:, axis])
            np.maximum.at(hi, owner, pts[:, axis])
            out[:, axis], out[:, axis + 3] = lo, hi
        out[~np.isfinite(out).all(axis=1)] = np.nan
        return out

    @property
    def lods(self) -> list[str]:
        keys = set(self.meshes) | set(self.lines) | set(self.points)
        return sorted(keys, key=lod_sort_key)

    @property
    def highest_lod(self) -> str | None:
        lods = [lod for lod in self.lods if lod in self.meshes]
        return lods[-1] if lods else None

    def mesh_for_lod(self, lod: str | None = None) -> TriangleMesh:
        """Triangles to show for ``lod``; None picks each object's highest LoD."""
        if lod is not None:
            return self.meshes.get(lod, TriangleMesh.empty())
        lods = [lod for lod in self.lods if lod in self.meshes]
        if not lods:
            return TriangleMesh.empty()
        if len(lods) == 1:
            return self.meshes[lods[0]]
        return best_lod_mesh([self.meshes[lod] for lod in lods], len(self.objects))

    def bbox(self) -> np.ndarray | None:
        """[minx, miny, minz, maxx, maxy, maxz] over all geometry, or None."""
        arrays = [m.vertices for m in self.meshes.values() if m.n_vertices]
        arrays += [p.vertices for p in self.lines.values() if len(p.vertices)]
        arrays += [p.vertices for p in self.points.values() if len(p.vertices)]
        if not arrays:
            return None
        lo = np.min([a.min(axis=0) for a in arrays], axis=0)
        hi = np.max([a.max(axis=0) for a in arrays], axis=0)
        return np.concatenate([lo, hi])

    def object_bbox(self, index: int, lod: str | None = None) -> np.ndarray | None:
        mesh = self.mesh_for_lod(lod)
        family = np.array([index, *self.objects.descendants_of(index)], dtype=INDEX)
        mask = np.isin(mesh.tri_object, family)
        if not mask.any():
            return None
        pts = mesh.vertices[mesh.triangles[mask].ravel()]
        return np.concatenate([pts.min(axis=0), pts.max(axis=0)])


def _fair_shares(counts: dict[str, int], limit: int) -> dict[str, int]:
    """How many of each kind's occurrences fit in ``limit``: equal shares, and what a
    kind does not use goes to the others."""
    shares = dict.fromkeys(counts, 0)
    left = max(int(limit), 0)
    open_kinds = [k for k, n in counts.items() if n]
    while left > 0 and open_kinds:
        each = max(left // len(open_kinds), 1)
        for kind in list(open_kinds):
            give = min(each, counts[kind] - shares[kind], left)
            shares[kind] += give
            left -= give
            if shares[kind] >= counts[kind]:
                open_kinds.remove(kind)
            if not left:
                break
    return shares


def best_lod_mesh(meshes: list[TriangleMesh], n_objects: int) -> TriangleMesh:
    """Merge meshes (ordered low to high LoD), keeping for each object only its highest LoD."""
    best = np.full(n_objects, -1, dtype=np.int64)
    for level, mesh in enumerate(meshes):
        best[np.unique(mesh.tri_object)] = level
    parts = [m.subset(best[m.tri_object] == level) for level, m in enumerate(meshes)]
    return concat_meshes(parts)


def concat_meshes(parts: list[TriangleMesh]) -> TriangleMesh:
    parts = [p for p in parts if p.n_triangles]
    if not parts:
        return TriangleMesh.empty()
    if len(parts) == 1:
        return parts[0]
    offsets = np.cumsum([0] + [p.n_vertices for p in parts[:-1]])
    has_color = any(p.tri_color is not None for p in parts)
    return TriangleMesh(
        np.concatenate([p.vertices for p in parts]),
        np.concatenate(
            [p.triangles + off for p, off in zip(parts, offsets, strict=True)]
        ).astype(INDEX),
        np.concatenate([p.tri_object for p in parts]),
        np.concatenate([p.tri_semantic for p in parts]),
        np.concatenate(
            [p.tri_color if p.tri_color is not None else np.zeros((p.n_triangles, 3), np.uint8)
             for p in parts]
        ) if has_color else None,
        np.concatenate(
            [p.tri_has_color if p.tri_has_color is not None else np.zeros(p.n_triangles, bool)
             for p in parts]
        ) if has_color else None,
        np.concatenate(
            [p.tri_surface if p.tri_surface is not None
             else np.full(p.n_triangles, -1, INDEX) for p in parts]
        ) if any(p.tri_surface is not None for p in parts) else None,
        *_concat_textures(parts),
        np.concatenate(
            [p.tri_opacity if p.tri_opacity is not None
             else np.full(p.n_triangles, 255, np.uint8) for p in parts]
        ) if any(p.tri_opacity is not None for p in parts) else None,
    )


def _concat_textures(parts: list[TriangleMesh]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``tri_texture`` and ``tri_uv`` of concatenated parts (None when no part has them)."""
    if all(p.tri_texture is None for p in parts):
        return None, None
    texture = np.concatenate(
        [p.tri_texture if p.tri_texture is not None else np.full(p.n_triangles, -1, INDEX)
         for p in parts])
    uv = np.concatenate(
        [p.tri_uv if p.tri_uv is not None else np.zeros((p.n_triangles, 3, 2), np.float32)
         for p in parts])
    return texture, uv
