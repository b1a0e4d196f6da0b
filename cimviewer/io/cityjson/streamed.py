"""CityJSONSeq cities larger than memory: an index of features, tiles read back on demand.

:func:`open_streamed` makes one streaming pass over a ``.city.jsonl`` file and keeps,
per feature, its byte offset and length, its bounding box and its objects (ids, types,
attributes, parents: what styles, legends and the inspector need). No geometry stays
in memory: :meth:`SeqTileSource.load` reads the features of one spatial tile back with
the ordinary reader (:func:`cimviewer.io.cityjson.reader._read_features`), so tiles get
exactly the same triangles, semantics and repairs as a whole-file read.

Reprojection into the project CRS is applied to every tile as it is read
(:meth:`SeqTileSource.add_transform`); the cache keeps the file's own coordinates.
Algorithms that need all of a layer's triangles at once get them through
:meth:`StreamedCityModel.mesh_for_lod`, which reads every tile (refused, with a clear
message, above :data:`MAX_WHOLE_TRIANGLES`).

A derived cache on disk (the user cache folder, keyed by the file's path, size and
modification time and by the options) holds the index and every tile read so far as
numpy arrays: a second opening reads the index in a fraction of the first pass and
tiles without parsing JSON. Any change to the file gives another key; stale cache
folders of the same file are removed.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import orjson

from cimviewer.core.citymodel import (
    CityModel,
    ObjectTable,
    PackedAttributes,
    TriangleMesh,
    attributes_json,
    concat_meshes,
    lod_sort_key,
)
from cimviewer.io.cityjson.model import THEME, parse_transform
from cimviewer.io.errors import ReadError
from cimviewer.io.worker_process import run_in_worker, start_worker

__all__ = ["SeqTileSource", "StreamedCityModel", "TileSource", "cache_root", "flush_cache_writes",
           "open_streamed"]

CACHE_VERSION = 5  # 3: tiles keep texture coordinates; 4: types as codes, attributes packed;
#: 5: ids packed (ids.bin), parents only of the objects that have some, tiles as arrays
#: features per tile: a tile is read (parsed and triangulated) in a fraction of a second
FEATURES_PER_TILE = 1500
#: a streamed layer is read whole for an algorithm up to this many triangles (about
#: 80 bytes each with the arrays algorithms derive: a few GB)
MAX_WHOLE_TRIANGLES = 40_000_000
#: features whose boxes the index pass computes at once
_BOX_CHUNK = 65536

VertexTransform = Callable[[np.ndarray], np.ndarray]


class _Geometry(msgspec.Struct):
    lod: Any = None


class _Object(msgspec.Struct):
    type: Any = ""
    attributes: msgspec.Raw = msgspec.Raw(b"{}")
    parents: Any = None
    geometry: list[_Geometry] | None = None


class _Feature(msgspec.Struct):
    """What the index pass keeps of a feature line: boundaries, semantics and
    appearances are skipped by the decoder without making Python objects."""

    type: Any = None
    CityObjects: dict[str, _Object] | None = None
    vertices: msgspec.Raw = msgspec.Raw(b"[]")


_FEATURE_DECODER = msgspec.json.Decoder(_Feature)


def cache_root() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("cimviewer", appauthor=False)) / "tiles"


@dataclass
class SeqTile:
    key: tuple[int, int]
    features: np.ndarray  # feature numbers, in file order
    bbox: np.ndarray  # world [minx, miny, minz, maxx, maxy, maxz]
    n_triangles: int  # known once read (cache), else an estimate from the bytes
    finite: bool = True  # whether some of its features have a box (else bbox is zeros)


@dataclass
class TileSource:
    """Features (a root object with its parts) with their boxes, grouped in tiles that
    are read back from disk on demand: the interface the render adapter draws.

    Subclasses say where a tile's features come from (:meth:`_read`): the lines of a
    CityJSONSeq file (:class:`SeqTileSource`) or the files of a folder of CityJSON
    tiles (``io.cityjson.folder``). The cache, reprojection and texture bookkeeping
    are shared.
    """

    path: Path
    feature_bbox: np.ndarray  # (n_features, 6) world
    object_offsets: np.ndarray  # (n_features + 1,) first object of each feature
    tile_size: float
    grid_origin: np.ndarray  # xy
    tiles: list[SeqTile]
    cache_dir: Path | None
    lod: str | None = None  # the LoD tiles are read at (the layer's; None: the highest)
    cache_lod: str | None = None  # the LoD the cached triangle counts are for
    #: tiles read from the file / from the cache; whether the index came from the cache
    stats: dict[str, int] = field(default_factory=lambda: {"read": 0, "cached": 0,
                                                           "index_cached": 0})
    #: applied to every tile read (file coordinates -> layer coordinates), in order
    transforms: list[VertexTransform] = field(default_factory=list)
    #: the features' boxes in the file's coordinates: tiles and blocks are keyed by them
    key_bbox: np.ndarray | None = None
    #: texture images met in the tiles read so far; tiles' ``tri_texture`` index it (it
    #: only grows, from the reading thread too)
    texture_paths: list[Path] = field(default_factory=list)
    _texture_index: dict[Path, int] = field(default_factory=dict, repr=False)
    _texture_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    theme: str | None = None  # the appearance theme tiles are read with

    def add_transform(self, transform: VertexTransform) -> None:
        """Map tiles (and the feature boxes, by their corners) to other coordinates,
        e.g. the project CRS; tile keys stay in the file's coordinates."""
        if self.key_bbox is None:
            self.key_bbox = self.feature_bbox
        self.transforms.append(transform)
        self.feature_bbox = _transform_boxes(self.feature_bbox, transform)
        for tile in self.tiles:
            box = _union_box(self.feature_bbox[tile.features])
            if box is not None:
                tile.bbox = box

    @property
    def bbox(self) -> np.ndarray:
        b = self.feature_bbox
        ok = np.isfinite(b).all(axis=1)[:, None]
        return np.concatenate([np.min(b[:, :3], axis=0, where=ok, initial=np.inf),
                               np.max(b[:, 3:], axis=0, where=ok, initial=-np.inf)])

    def object_boxes(self, n_objects: int) -> tuple[np.ndarray, np.ndarray]:
        """(boxes, anchors) per object: a feature's box and centre go to its first object
        (the feature's root, which carries the attributes); others have NaN."""
        boxes = np.full((n_objects, 6), np.nan)
        anchors = np.full((n_objects, 2), np.nan)
        first = self.object_offsets[:-1]
        has = self.object_offsets[1:] > first
        boxes[first[has]] = self.feature_bbox[has]
        anchors[first[has]] = self.feature_anchors()[has]
        return boxes, anchors

    def feature_anchors(self) -> np.ndarray:
        """(n_features, 2) the point that puts each feature in its tile's blocks (tile
        ``key`` = floor((anchor - grid_origin) / tile_size)): the centre of its box in
        the file's coordinates, the same point the tiling used."""
        keyed = self.feature_bbox if self.key_bbox is None else self.key_bbox
        return (keyed[:, :2] + keyed[:, 3:5]) / 2

    def derived_arrays(self, name: str, inputs: list[np.ndarray],
                       build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
        """Arrays derived from the index (the view's coarse blocks), kept in the tile
        cache: ``build()`` runs only when no arrays were saved for the same ``inputs``
        (hashed, with ``name``); without a cache it always runs."""
        if self.cache_dir is None:
            return build()
        digest = hashlib.blake2b(name.encode(), digest_size=16)
        for item in inputs:
            item = np.ascontiguousarray(item)
            digest.update(f"{item.dtype}{item.shape}".encode())
            digest.update(item.data)
        path = self.cache_dir / "derived" / f"{name}-{digest.hexdigest()}.npz"
        flush_cache_writes(f"tile-cache-{name}")  # the same arrays, a moment ago
        if path.is_file():
            try:
                with np.load(path) as data:
                    return {k: data[k] for k in data.files}
            except (OSError, ValueError, KeyError):  # broken: built again below
                path.unlink(missing_ok=True)
        arrays = build()

        def write() -> None:
            for old in path.parent.glob(f"{name}-*.npz"):  # other inputs: not asked again
                old.unlink(missing_ok=True)
            _save_npz(path, **arrays)

        _in_background(f"tile-cache-{name}", write)
        return arrays

    def feature_of(self, index: int) -> int:
        """The feature that holds object ``index``."""
        return int(np.searchsorted(self.object_offsets, index, side="right") - 1)

    def start_reading(self) -> None:
        """Tiles are about to be read: start the process that parses them (a moment's
        work, done while the first frame is drawn; ``info`` never needs it)."""
        start_worker()

    def load(self, index: int) -> TriangleMesh:
        """The triangles of one tile at the layer's LoD (:attr:`lod`), object indices
        global (the layer's object table)."""
        return self.load_lod(index, self.lod)

    def load_lod(self, index: int, lod: str | None) -> TriangleMesh:
        """The triangles of one tile at ``lod`` (None: each object's highest)."""
        mesh = self._load_file_coordinates(index, lod)
        for transform in self.transforms:
            mesh.vertices = transform(mesh.vertices)
        return mesh

    def _load_file_coordinates(self, index: int, lod: str | None) -> TriangleMesh:
        tile = self.tiles[index]
        cached = self._tile_file(index, lod)
        if cached is not None and cached.is_file():
            with np.load(cached) as data:
                mesh = TriangleMesh(data["vertices"], data["triangles"], data["tri_object"],
                                    data["tri_semantic"])
                if "tri_texture" in data:
                    mesh.tri_uv = data["tri_uv"]
                    mesh.tri_texture = self._global_textures(
                        data["tri_texture"], [Path(p) for p in data["texture_paths"].tolist()])
            self.stats["cached"] += 1
            return mesh
        mesh = self._read(tile.features, lod)
        if lod == self.lod:
            tile.n_triangles = mesh.n_triangles
        self.stats["read"] += 1
        if cached is not None:
            textures: dict[str, np.ndarray] = {}
            if mesh.tri_texture is not None and mesh.tri_uv is not None:
                used, local = np.unique(mesh.tri_texture, return_inverse=True)
                has = used >= 0  # -1 (untextured) sorts first
                local = (local - (len(used) - int(has.sum()))).astype(np.int32)
                textures = {"tri_texture": local, "tri_uv": mesh.tri_uv, "texture_paths":
                            np.array([str(self.texture_paths[i]) for i in used[has]])}
            _save_npz(cached, vertices=mesh.vertices, triangles=mesh.triangles,
                      tri_object=mesh.tri_object, tri_semantic=mesh.tri_semantic, **textures)
            if lod == self.cache_lod and self.cache_dir is not None:
                _save_json(self.cache_dir / "counts" / f"{index}.json", mesh.n_triangles)
        return mesh

    def _tile_file(self, index: int, lod: str | None) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / "tiles" / f"{index}-lod{lod or 'best'}.npz"

    def _read(self, features: np.ndarray, lod: str | None) -> TriangleMesh:
        """The triangles of these features at ``lod``, in the file's coordinates, with
        global object indices (and :meth:`_global_textures`)."""
        raise NotImplementedError

    def _global_textures(self, tri_texture: np.ndarray, paths: list[Path]) -> np.ndarray:
        """A tile's texture indices (into ``paths``) as indices into
        :attr:`texture_paths`, the images of every tile read so far."""
        with self._texture_lock:
            for path in paths:  # per image
                if path not in self._texture_index:
                    self._texture_index[path] = len(self.texture_paths)
                    self.texture_paths.append(path)
            lookup = np.array([self._texture_index[p] for p in paths] + [-1], np.int32)
        return lookup[tri_texture]


@dataclass(kw_only=True)
class SeqTileSource(TileSource):
    """Feature index of a CityJSONSeq file (a feature: one line) and its spatial tiles."""

    header: bytes
    offsets: np.ndarray  # (n_features,) int64
    lengths: np.ndarray  # (n_features,) int64
    #: the tiles as arrays (kept in the cache: a second opening does not group again)
    grouping: dict[str, np.ndarray] | None = field(default=None, repr=False)

    @property
    def bbox(self) -> np.ndarray:
        """The union of the tiles' boxes (each the union of its features')."""
        boxes = np.array([t.bbox for t in self.tiles if t.finite]).reshape(-1, 6)
        if not len(boxes):
            return super().bbox
        return np.concatenate([boxes[:, :3].min(axis=0), boxes[:, 3:].max(axis=0)])

    def _read(self, features: np.ndarray, lod: str | None) -> TriangleMesh:
        # parsed in the worker process: the frame drawn meanwhile keeps the interpreter
        mesh, textures = run_in_worker(_parse_lines, self.path, self.header,
                                       self.offsets[features], self.lengths[features],
                                       features + 2, self.theme, lod)
        # local object k of the tile -> global object: features' objects in order
        starts = self.object_offsets[features]
        counts = self.object_offsets[features + 1] - starts
        local_base = np.repeat(np.cumsum(counts) - counts, counts)
        global_ids = np.repeat(starts, counts) + np.arange(int(counts.sum())) - local_base
        tri_object = global_ids[mesh.tri_object].astype(np.int32)
        out = TriangleMesh(mesh.vertices, mesh.triangles, tri_object, mesh.tri_semantic)
        if mesh.tri_texture is not None and mesh.tri_uv is not None:
            out.tri_texture = self._global_textures(mesh.tri_texture, textures)
            out.tri_uv = mesh.tri_uv
        return out


def _parse_lines(path: Path, header: bytes, offsets: np.ndarray, lengths: np.ndarray,
                 line_numbers: np.ndarray, theme: str | None,
                 lod: str | None) -> tuple[TriangleMesh, list[Path]]:
    """The triangles at ``lod`` of the features at these byte ranges (objects numbered
    from 0 in their order) and the texture images they index: a worker process's job."""
    from cimviewer.io.cityjson.reader import _Progress, _read_features

    metadata = orjson.loads(header) if header else None
    lines = []
    with path.open("rb") as f:
        for line, offset, length in zip(line_numbers.tolist(), offsets.tolist(),
                                        lengths.tolist(), strict=True):
            f.seek(offset)
            try:
                lines.append((line, orjson.loads(f.read(length))))
            except orjson.JSONDecodeError as exc:  # the file changed since it was indexed
                raise ReadError(f"not JSON ({exc}); has the file changed since it was "
                                "opened?", path, f"line {line}") from None
    token = THEME.set(theme)
    try:
        model = _read_features(path, (1, metadata) if metadata is not None else None,
                               lines, _Progress(None, None))
    finally:
        THEME.reset(token)
    return model.mesh_for_lod(lod), list(model.textures)


@dataclass(eq=False)
class StreamedCityModel(CityModel):
    """A city model whose geometry stays on disk: tiles are read by the render adapter.

    ``meshes`` is empty; the object table is complete, so styles, legends and the
    inspector work as for a model read whole.
    """

    streamed = True
    tile_source: TileSource | None = None
    #: the LoDs the file's geometries declare (found by the indexing pass)
    index_lods: list[str] = field(default_factory=list)
    #: the objects' types as codes into ``type_names`` (what the tile cache keeps), when
    #: the index made them
    type_codes: np.ndarray | None = field(default=None, repr=False)
    type_names: list[str] = field(default_factory=list, repr=False)
    _whole: dict[str | None, TriangleMesh] = field(default_factory=dict, init=False,
                                                   repr=False)

    @property
    def lods(self) -> list[str]:
        return sorted(self.index_lods, key=lod_sort_key)

    @property
    def highest_lod(self) -> str | None:
        return self.lods[-1] if self.lods else None

    def bbox(self) -> np.ndarray | None:
        return None if self.tile_source is None else self.tile_source.bbox

    def estimated_triangles(self) -> int:
        """Triangles at the layer's LoD: exact for tiles read so far, else estimated."""
        source = self.tile_source
        return 0 if source is None else int(sum(t.n_triangles for t in source.tiles))

    def mesh_for_lod(self, lod: str | None = None) -> TriangleMesh:
        """All triangles of ``lod``, read tile by tile (for algorithms; the view reads
        only the tiles it needs). Kept once read; refused above MAX_WHOLE_TRIANGLES."""
        source = self.tile_source
        if source is None:
            return TriangleMesh.empty()
        if lod in self._whole:
            return self._whole[lod]
        triangles = self.estimated_triangles()
        if triangles > MAX_WHOLE_TRIANGLES:
            raise MemoryError(
                f"{source.path.name} is streamed from disk (about {triangles:,} "
                "triangles): too large to read whole for this; run it on a smaller file or "
                "an extract")
        mesh = concat_meshes([source.load_lod(i, lod) for i in range(len(source.tiles))])
        self._whole = {lod: mesh}  # one LoD at a time
        return mesh

    def object_boxes(self) -> np.ndarray:
        """Each object gets the box of its feature (no tile read)."""
        source = self.tile_source
        if source is None:
            return np.full((len(self.objects), 6), np.nan)
        counts = np.diff(source.object_offsets)
        return np.repeat(source.feature_bbox, counts, axis=0)

    def object_bbox(self, index: int, lod: str | None = None) -> np.ndarray | None:
        """The box of the feature that holds the object (no tile read)."""
        if self.tile_source is None or not 0 <= index < len(self.objects):
            return None
        box = self.tile_source.feature_bbox[self.tile_source.feature_of(index)]
        return box.copy() if np.isfinite(box).all() else None


def _pack(attributes: list[dict]) -> PackedAttributes:
    return PackedAttributes.pack([attributes_json(a) for a in attributes])


def _union_box(boxes: np.ndarray) -> np.ndarray | None:
    """The box around the finite ones of ``boxes`` (n, 6), or None."""
    b = boxes[np.isfinite(boxes).all(axis=1)]
    if not len(b):
        return None
    return np.concatenate([b[:, :3].min(axis=0), b[:, 3:].max(axis=0)])


def _transform_boxes(boxes: np.ndarray, transform: VertexTransform) -> np.ndarray:
    """Boxes mapped by their four lower corners (z kept): a box around the images."""
    ok = np.isfinite(boxes).all(axis=1)
    out = np.full_like(boxes, np.nan)
    b = boxes[ok]
    corners = np.concatenate([np.stack([b[:, cx], b[:, cy], b[:, 2]], axis=1)
                              for cx, cy in ((0, 1), (3, 1), (0, 4), (3, 4))])
    moved = transform(corners).reshape(4, len(b), 3)
    out[ok, 0:2] = moved[:, :, :2].min(axis=0)
    out[ok, 3:5] = moved[:, :, :2].max(axis=0)
    out[ok, 2], out[ok, 5] = b[:, 2], b[:, 5]
    return out


def _tmp_name(path: Path) -> Path:
    """A temporary name of this thread's own: the view's reader and an algorithm may
    write the same tile at once."""
    return path.with_name(f"{path.name}.{threading.get_ident()}.tmp")


def _save_npz(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    with tmp.open("wb") as fh:
        np.savez(fh, **arrays)  # type: ignore[arg-type]  # numpy's stub: allow_pickle
    tmp.replace(path)


def _save_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_name(path)
    tmp.write_bytes(orjson.dumps(value))
    tmp.replace(path)


def _cache_key(path: Path, options: dict) -> tuple[str, str]:
    st = path.stat()
    where = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    what = hashlib.sha256(json.dumps(
        [st.st_size, st.st_mtime_ns, options, CACHE_VERSION], sort_keys=True).encode()
    ).hexdigest()[:16]
    return where, what


def open_streamed(path: str | Path, *, cache: bool = True, lod: str | None = None,
                  progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None,
                  theme: str | None = None) -> StreamedCityModel:
    """Index a CityJSONSeq file (or read its index from the cache) into a model whose
    tiles are loaded on demand (``theme``: the appearance theme tiles are read with)."""
    from cimviewer.io.cityjson.reader import _gc_paused

    path = Path(path)
    with _gc_paused():  # millions of small dicts and lists: the collector's passes cost 2x
        model = _open_streamed(path, cache, lod, progress, cancelled, theme)
    if model.tile_source is not None:
        model.tile_source.theme = theme
    return model


def _open_streamed(path: Path, cache: bool, lod: str | None,
                   progress: Callable[[float], None] | None,
                   cancelled: Callable[[], bool] | None,
                   theme: str | None) -> StreamedCityModel:
    options = {"lod": lod, "features_per_tile": FEATURES_PER_TILE, "theme": theme}
    cache_dir = None
    if cache:
        flush_cache_writes()  # an opening of the same file a moment ago
        where, what = _cache_key(path, options)
        cache_dir = cache_root() / f"{where}-{what}"
        for stale in cache_dir.parent.glob(f"{where}-*"):
            if stale != cache_dir:  # the file changed since: its tiles are wrong now
                shutil.rmtree(stale, ignore_errors=True)
        if (cache_dir / "manifest.json").is_file():
            try:
                return _from_cache(path, cache_dir, lod)
            except (OSError, ValueError, KeyError):
                shutil.rmtree(cache_dir, ignore_errors=True)
    model, source = _index(path, lod, progress, cancelled)
    source.cache_dir = cache_dir
    if cache_dir is not None:
        _write_index(model, source)
    return model


#: bytes of the file the fast scanner reads at once
SCAN_BLOCK = 32 * 2**20
#: bytes past the read position the system is asked to read ahead (_ReadAhead)
READ_AHEAD_BYTES = 3 * SCAN_BLOCK
#: threads that scan parts of a block at once, for blocks of at least SCAN_SPLIT_BYTES
SCAN_THREADS = 2
SCAN_SPLIT_BYTES = 2**20
#: files smaller than this are indexed by the msgspec path alone (quick enough, and the
#: scanner is not compiled for them: numba compiles it once, in some seconds)
FAST_SCAN_BYTES = 32 * 2**20
#: whether the index pass uses the byte-level scanner (io.cityjson.seqscan) where it can;
#: False: every line through the msgspec decoder (the reference the tests compare with)
FAST_SCAN = True


class _IndexBuilder:
    """What the index pass keeps, in file order, from either path: runs of lines the
    byte-level scanner read (arrays) and lines the msgspec/orjson decoders read (Python
    lists, turned into arrays at each run's end)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.model = StreamedCityModel(source_format="CityJSONSeq")
        self.header = b""
        self.transform: tuple[np.ndarray, np.ndarray] | None = None
        self.lods: set[str] = set()
        self.type_names: list[str] = []
        self._type_code: dict[str, int] = {}
        self.n_features = 0
        self.n_objects = 0
        # finished parts, in file order
        self.offsets: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []
        self.boxes: list[np.ndarray] = []
        self.object_counts: list[np.ndarray] = []
        self.ids: list[bytes] = []
        self.id_sizes: list[np.ndarray] = []
        self.types: list[np.ndarray] = []
        self.attributes: list[bytes] = []  # "{..},{..}," text
        self.attribute_sizes: list[np.ndarray] = []
        self.links: list[tuple[int, Any]] = []  # (object, parents as decoded)
        self.raw_links: list[tuple[np.ndarray, bytes, np.ndarray]] = []  # objects, text
        # lines read one at a time since the last part
        self._offsets: list[int] = []
        self._lengths: list[int] = []
        self._raws: list[bytes] = []
        self._counts: list[int] = []
        self._ids: list[str] = []
        self._types: list[int] = []
        self._attributes: list[bytes] = []

    def code(self, name: str) -> int:
        code = self._type_code.get(name)
        if code is None:
            code = self._type_code[name] = len(self.type_names)
            self.type_names.append(sys.intern(name))
        return code

    # --- lines read one at a time ----------------------------------------------------
    def line(self, line: bytes, start: int, lineno: int, decode: bool = True) -> None:
        """One line through the msgspec decoder (``decode``) or orjson."""
        if len(line) < 3 and not line.strip():
            return
        feature = None
        if decode and (self.header or self.n_features or self._offsets):
            try:
                feature = _FEATURE_DECODER.decode(line)
            except msgspec.MsgspecError:  # not the usual shape: orjson says why below
                feature = None
        if feature is not None and feature.type == "CityJSONFeature" \
                and feature.CityObjects is not None:
            objs = feature.CityObjects
            self._feature(start, len(line), bytes(feature.vertices), len(objs))
            for oid, obj in objs.items():
                for geometry in obj.geometry or ():
                    if geometry.lod is not None:
                        self.lods.add(str(geometry.lod))
                if obj.parents:
                    self.links.append((self.n_objects + len(self._ids), obj.parents))
                self._ids.append(oid)
                self._types.append(self.code(str(obj.type)))
                attrs = bytes(obj.attributes)
                self._attributes.append(attrs if attrs[:1] == b"{" else b"{}")
            return
        try:
            doc = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            if not line.strip():
                return
            raise ReadError(f"not valid JSON: {err}", self.path, f"line {lineno}") from None
        kind = doc.get("type") if isinstance(doc, dict) else None
        if kind == "CityJSON" and not (self.n_features or self._offsets):
            self.header = line.strip()
            self.transform = parse_transform(doc.get("transform"))
            meta = doc.get("metadata")
            if isinstance(meta, dict):
                self.model.metadata = meta
                ref = meta.get("referenceSystem")
                if isinstance(ref, str):
                    from cimviewer.io.cityjson.model import parse_crs

                    self.model.crs = parse_crs(ref)
            return
        cos = doc.get("CityObjects") if kind == "CityJSONFeature" else None
        if not isinstance(cos, dict):
            raise ReadError("expected a CityJSONFeature", self.path, f"line {lineno}")
        self._feature(start, len(line), orjson.dumps(doc.get("vertices") or []), len(cos))
        for oid, co in cos.items():
            for geometry in co.get("geometry") or ():
                if isinstance(geometry, dict) and geometry.get("lod") is not None:
                    self.lods.add(str(geometry["lod"]))
            if co.get("parents"):
                self.links.append((self.n_objects + len(self._ids), co["parents"]))
            self._ids.append(oid)
            self._types.append(self.code(str(co.get("type", ""))))
            attrs = co.get("attributes")
            self._attributes.append(attributes_json(attrs) if isinstance(attrs, dict)
                                    else b"{}")

    def _feature(self, start: int, length: int, raw: bytes, count: int) -> None:
        self._offsets.append(start)
        self._lengths.append(length)
        self._raws.append(raw)
        self._counts.append(count)
        if len(self._raws) == _BOX_CHUNK:
            self.flush()

    def flush(self) -> None:
        """The lines read one at a time so far as a finished part."""
        if not self._offsets:
            return
        self._part(np.array(self._offsets, np.int64), np.array(self._lengths, np.int64),
                   _raw_boxes(self._raws, self.transform), np.array(self._counts, np.int64))
        encoded = [i.encode("utf-8") for i in self._ids]
        self.ids.append(b"".join(encoded))
        self.id_sizes.append(np.fromiter(map(len, encoded), np.int64, len(encoded)))
        self.types.append(np.array(self._types, np.int32))
        self.attributes.append(b"".join(a + b"," for a in self._attributes))
        self.attribute_sizes.append(np.fromiter((len(a) + 1 for a in self._attributes),
                                                np.int64, len(self._attributes)))
        self.n_objects += len(self._ids)
        self._offsets, self._lengths, self._raws, self._counts = [], [], [], []
        self._ids, self._types, self._attributes = [], [], []

    def _part(self, offsets: np.ndarray, lengths: np.ndarray, boxes: np.ndarray,
              counts: np.ndarray) -> None:
        self.offsets.append(offsets)
        self.lengths.append(lengths)
        self.boxes.append(boxes)
        self.object_counts.append(counts)
        self.n_features += len(offsets)

    # --- lines the byte-level scanner read -------------------------------------------
    def scanned(self, scan, rows: slice | np.ndarray, base: int, type_map: np.ndarray,
                obj_starts: np.ndarray) -> None:
        """Lines ``rows`` of a chunk scan (all FEATURE, in order, with only blank lines
        between them) as a finished part (``base``: the file offset of the block)."""
        counts = scan.n_objects_per_line[rows]
        if not len(counts):
            return
        self.flush()
        first_row = rows.start if isinstance(rows, slice) else int(rows[0])
        first = int(obj_starts[first_row])
        last = first + int(counts.sum())
        n_vertices = scan.n_vertices[rows]
        lo = scan.vmin[rows].astype(np.float64)
        hi = scan.vmax[rows].astype(np.float64)
        if self.transform is not None:
            lo *= self.transform[0]
            lo += self.transform[1]
            hi *= self.transform[0]
            hi += self.transform[1]
        boxes = np.empty((len(counts), 6))
        np.minimum(lo, hi, out=boxes[:, :3])  # a negative scale swaps them
        np.maximum(lo, hi, out=boxes[:, 3:])
        if not n_vertices.all():
            boxes[n_vertices == 0] = np.nan
        self._part(scan.line_start[rows] + base, scan.line_length[rows].copy(), boxes,
                   counts.astype(np.int64))
        ib = scan.id_bounds[first:last + 1]
        self.ids.append(scan.id_blob[ib[0]:ib[-1]].tobytes())
        self.id_sizes.append(np.diff(ib))
        self.types.append(type_map[scan.obj_type[first:last]].astype(np.int32))
        ab = scan.attr_bounds[first:last + 1]
        self.attributes.append(scan.attr_blob[ab[0]:ab[-1]].tobytes())
        self.attribute_sizes.append(np.diff(ab))
        pb = scan.par_bounds[first:last + 1]
        sizes = np.diff(pb)
        having = np.flatnonzero(sizes)
        if len(having):
            self.raw_links.append((having + self.n_objects, scan.par_blob[pb[0]:pb[-1]]
                                   .tobytes(), np.r_[0, np.cumsum(sizes)][np.r_[having,
                                                                                 having + 1]]))
        self.n_objects += last - first

    # --- the result --------------------------------------------------------------------
    def finish(self, lod: str | None) -> tuple[StreamedCityModel, SeqTileSource]:
        from cimviewer.core.citymodel import PackedStrings, SparseParents

        self.flush()
        if not self.n_features:
            raise ReadError("no CityJSONFeature lines: not a CityJSONSeq file", self.path)
        model = self.model
        id_sizes = np.concatenate(self.id_sizes)
        ids = PackedStrings(b"".join(self.ids), np.r_[0, np.cumsum(id_sizes)])
        self.ids = []
        names = self.type_names
        codes = np.concatenate(self.types)
        types = list(map(names.__getitem__, codes.tolist()))
        attribute_sizes = np.concatenate(self.attribute_sizes)
        # attributes stay JSON text until asked for (a few hundred bytes less an object)
        for k in range(len(self.attributes) - 1, -1, -1):  # the last comma goes
            if self.attributes[k]:
                self.attributes[k] = self.attributes[k][:-1]
                break
        attributes = PackedAttributes(b"".join(self.attributes),
                                      np.r_[0, np.cumsum(attribute_sizes)])
        self.attributes = []
        links = list(self.links)
        for objects, text, bounds in self.raw_links:
            n = len(objects)
            starts, ends = bounds[:n], bounds[n:]
            values = [text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
            try:
                decoded = orjson.loads(b"[" + b",".join(values) + b"]")
            except orjson.JSONDecodeError:  # integers beyond 64 bits
                decoded = [json.loads(v) for v in values]
            links.extend((i, p) for i, p in zip(objects.tolist(), decoded, strict=True) if p)
        parents: dict[int, list[int]] = {}
        if links:
            links.sort(key=lambda item: item[0])
            wanted = {p for _, ps in links for p in ps if isinstance(p, str)}
            known = {oid: i for i, oid in enumerate(ids) if oid in wanted}
            for index, ps in links:
                parents[index] = [known[p] for p in ps if isinstance(p, str) and p in known]
        model.objects = ObjectTable(ids, types, SparseParents(len(ids), parents),  # type: ignore[arg-type]
                                    attributes)  # type: ignore[arg-type]
        model.type_codes, model.type_names = codes, list(names)
        model.index_lods = sorted(self.lods)
        source = _tiles(self.path, self.header, np.concatenate(self.offsets),
                        np.concatenate(self.lengths), np.concatenate(self.boxes),
                        np.r_[0, np.cumsum(np.concatenate(self.object_counts))]
                        .astype(np.int64), lod)
        model.tile_source = source
        return model, source


def _index(path: Path, lod: str | None, progress: Callable[[float], None] | None,
           cancelled: Callable[[], bool] | None = None,
           ) -> tuple[StreamedCityModel, SeqTileSource]:
    from cimviewer.io.cityjson import seqscan

    size = max(path.stat().st_size, 1)
    builder = _IndexBuilder(path)
    try:
        fh = path.open("rb")
    except OSError as err:
        raise ReadError(f"cannot read the file: {err.strerror or err}", path) from None

    def check(position: int) -> None:
        if cancelled is not None and cancelled():
            from cimviewer.io.cityjson.reader import ReadCancelledError

            raise ReadCancelledError("reading was cancelled")
        if progress is not None:
            progress(0.9 * position / size)

    with fh:
        if FAST_SCAN and seqscan.AVAILABLE and size >= FAST_SCAN_BYTES:
            _scan_file(fh, builder, check)
        else:
            position = 0
            for lineno, line in enumerate(fh, 1):
                start, position = position, position + len(line)
                builder.line(line, start, lineno)
                if lineno % _BOX_CHUNK == 0:
                    check(position)
    model, source = builder.finish(lod)
    if progress is not None:
        progress(1.0)
    return model, source


def _scan_file(fh, builder: _IndexBuilder, check: Callable[[int], None]) -> None:
    """The index pass with the byte-level scanner: blocks of SCAN_BLOCK bytes, each cut
    in SCAN_THREADS parts at line ends and scanned at once (the scanner releases the
    GIL); lines it cannot read with certainty go through :meth:`_IndexBuilder.line` in
    their place."""
    from concurrent.futures import ThreadPoolExecutor

    from cimviewer.io.cityjson.seqscan import ScanTables, scan_chunk

    threads = max(1, SCAN_THREADS)
    tables = [ScanTables() for _ in range(threads)]  # one each: they grow while scanning
    pool = ThreadPoolExecutor(threads, thread_name_prefix="seq-scan") if threads > 1 \
        else None
    buf = np.empty(SCAN_BLOCK, np.uint8)
    view = memoryview(buf)  # type: ignore[arg-type]  # numpy arrays are buffers
    filled = 0  # bytes of buf holding file data (from buf[0])
    base = 0  # file offset of buf[0]
    lineno = 0
    eof = False
    max_lines = 1 << 16
    max_objects = 1 << 17
    read_ahead = _ReadAhead(fh)
    try:
        while True:
            if not eof and filled < len(buf):
                read_ahead.next_blocks()
                got = fh.readinto(view[filled:])
                if not got:
                    eof = True
                filled += got or 0
            if filled == 0 and eof:
                break
            cuts = [0]
            if pool is not None and filled >= max(SCAN_SPLIT_BYTES, 1):
                for k in range(1, threads):  # after the first newline past k/threads
                    at = max(k * filled // threads, cuts[-1])
                    cut = _next_line(buf, at, filled)
                    if 0 < cut < filled:
                        cuts.append(cut)
            cuts.append(filled)
            parts = list(pairwise(cuts))
            finals = [eof and stop == filled for _, stop in parts]
            if len(parts) > 1:
                assert pool is not None
                futures = [pool.submit(scan_chunk, buf, start, stop, final, tables[k],
                                       max_lines, max_objects)
                           for k, ((start, stop), final) in enumerate(zip(parts, finals,
                                                                           strict=True))]
                scans = [f.result() for f in futures]
            else:
                scans = [scan_chunk(buf, 0, filled, eof, tables[0], max_lines, max_objects)]
            if scans[0].n_lines == 0:
                if eof or bool((buf[:filled] == 10).any()):  # a line of very many objects
                    max_objects *= 4
                elif filled == len(buf):  # a line longer than the block
                    bigger = np.empty(2 * len(buf), np.uint8)
                    bigger[:filled] = buf[:filled]
                    buf, view = bigger, memoryview(bigger)  # type: ignore[arg-type]
                continue
            consumed = 0
            for k, scan in enumerate(scans):
                if k and consumed < parts[k][0]:
                    break  # the part before stopped early: this one is scanned again
                _scanned_lines(builder, scan, tables[k], buf, base, lineno)
                lineno += scan.n_lines
                consumed = scan.end
            base += consumed
            rest = filled - consumed
            buf[:rest] = buf[consumed:filled]  # the incomplete last line moves to the start
            filled = rest
            check(base)
            if eof and filled == 0:
                break
    finally:
        if pool is not None:
            pool.shutdown()
    builder.flush()


class _ReadAhead:
    """Asks the system to read the next blocks of the file while this one is scanned
    (POSIX ``fadvise``; a file not in the page cache is read from disk at the same time
    as the scan instead of before it). Windows reads sequential files ahead itself."""

    def __init__(self, fh) -> None:
        self.fd: int | None = None
        self.until = 0  # bytes asked for so far
        if hasattr(os, "posix_fadvise"):
            with contextlib.suppress(OSError, AttributeError, ValueError):
                self.fd = fh.fileno()
                os.posix_fadvise(self.fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)

    def next_blocks(self) -> None:
        if self.fd is None:
            return
        at = os.lseek(self.fd, 0, os.SEEK_CUR)
        want = at + READ_AHEAD_BYTES
        if want > self.until:
            start = max(at, self.until)
            with contextlib.suppress(OSError):
                os.posix_fadvise(self.fd, start, want - start, os.POSIX_FADV_WILLNEED)
            self.until = want


def _next_line(buf: np.ndarray, at: int, stop: int) -> int:
    """Where the line after position ``at`` starts (-1: no newline before ``stop``)."""
    window = 1 << 16
    while at < stop:
        part = buf[at:min(stop, at + window)]
        found = np.flatnonzero(part == 10)
        if len(found):
            return at + int(found[0]) + 1
        at += len(part)
        window *= 4
    return -1


def _scanned_lines(builder: _IndexBuilder, scan, tables, buf: np.ndarray, base: int,
                   lineno: int) -> None:
    """The lines of one scan, in order, into the builder (``lineno``: lines before)."""
    from cimviewer.io.cityjson.seqscan import FALLBACK, FEATURE

    type_map = np.array([builder.code(n) for n in tables.type_names()] or [0], np.int32)
    builder.lods.update(tables.lod_names())
    status = scan.status
    obj_starts = np.r_[0, np.cumsum(scan.n_objects_per_line)]
    slow = np.flatnonzero(status == FALLBACK)
    run_start = 0
    for row in [*slow.tolist(), scan.n_lines]:
        rows: slice | np.ndarray = slice(run_start, row)
        if not bool((status[rows] == FEATURE).all()):  # blank lines among them
            rows = np.arange(run_start, row)
            rows = rows[status[rows] == FEATURE]
        builder.scanned(scan, rows, base, type_map, obj_starts)
        if row < scan.n_lines:
            s = int(scan.line_start[row])
            line = buf[s:s + int(scan.line_length[row])].tobytes()
            builder.line(line, base + s, lineno + row + 1)
        run_start = row + 1


def _raw_boxes(raws: list[bytes], transform) -> np.ndarray:
    """(n, 6) boxes of n features from their ``vertices`` as JSON text: one numpy parse
    of the whole chunk (a feature's vertex count is its closing brackets less one)."""
    counts = [max(r.count(b"]") - 1, 0) if r[:1] == b"[" else 0 for r in raws]
    text = b",".join([r for r, c in zip(raws, counts, strict=True) if c])
    total = 3 * sum(counts)
    xyz = None
    if total:
        try:
            xyz = np.array(orjson.loads(b"[" + text.translate(None, b"[]") + b"]"),
                           np.float64)
        except (orjson.JSONDecodeError, ValueError, TypeError):
            xyz = None
    if xyz is None or len(xyz) != total:  # not plain triples of numbers: as lists
        flat: list = []
        lists = []
        for r in raws:
            try:
                lists.append(orjson.loads(r))
            except orjson.JSONDecodeError:
                lists.append([])
        lists = [v if isinstance(v, list) else [] for v in lists]
        for v in lists:
            flat.extend(v)
        return _feature_boxes(flat, [len(v) for v in lists], transform)
    return _chunk_boxes_xyz(xyz.reshape(-1, 3), counts, transform)


def _chunk_boxes_xyz(xyz: np.ndarray, counts: list[int], transform) -> np.ndarray:
    """(n, 6) boxes of n features from their vertices, flat (``counts`` per feature)."""
    n = np.asarray(counts, np.int64)
    out = np.full((len(n), 6), np.nan)
    has = n > 0
    if not has.any():
        return out
    if transform is not None:
        xyz = xyz * transform[0] + transform[1]
    starts = (np.cumsum(n) - n)[has]
    out[has, :3] = np.minimum.reduceat(xyz, starts, axis=0)
    out[has, 3:] = np.maximum.reduceat(xyz, starts, axis=0)
    return out


def _feature_boxes(flat: list, counts: list[int], transform) -> np.ndarray:
    out = np.full((len(counts), 6), np.nan)
    at = 0
    for k, c in enumerate(counts):
        try:
            raw = np.asarray(flat[at:at + c], np.float64).reshape(-1, 3)
        except (ValueError, TypeError):
            raw = np.zeros((0, 3))
        at += c
        if transform is not None and len(raw):
            raw = raw * transform[0] + transform[1]
        if len(raw):
            out[k] = np.concatenate([raw.min(axis=0), raw.max(axis=0)])
    return out


def _tiles(path: Path, header: bytes, offsets: np.ndarray, lengths: np.ndarray,
           boxes: np.ndarray, object_offsets: np.ndarray, lod: str | None,
           counts: dict[int, int] | None = None,
           grouping: dict[str, np.ndarray] | None = None) -> SeqTileSource:
    """Features grouped by the tile of their centre, about FEATURES_PER_TILE each
    (``grouping``: the arrays of an earlier grouping of the same boxes, from the cache)."""
    if grouping is None:
        grouping = _grouping(boxes, lengths)
    g = grouping
    order, starts, ij = g["order"], g["starts"], g["ij"]
    tile_boxes, finite = g["tile_boxes"], g["tile_finite"]
    # before the first read: about one triangle per 50 bytes of JSON (LoD1-2 boxes)
    estimates = (g["tile_bytes"] // 50).tolist()
    tiles = []
    bounds = starts.tolist()
    for k, (i, j) in enumerate(ij.tolist()):
        estimate = estimates[k] if counts is None or k not in counts else counts[k]
        tiles.append(SeqTile((int(i), int(j)), order[bounds[k]:bounds[k + 1]],
                             tile_boxes[k].copy(), int(estimate), bool(finite[k])))
    source = SeqTileSource(path, boxes, object_offsets, float(g["tile_size"]),
                           g["origin"].copy(), tiles, None, lod, cache_lod=lod,
                           header=header, offsets=offsets, lengths=lengths)
    source.grouping = grouping
    return source


def _grouping(boxes: np.ndarray, lengths: np.ndarray) -> dict[str, np.ndarray]:
    """The tile grid of the features (origin, tile size) and their tiles as arrays."""
    from cimviewer.geometry.grid_groups import tile_groups

    ok = np.isfinite(boxes).all(axis=1)
    if ok.all():  # the usual case: no NaN-aware passes
        cx = (boxes[:, 0] + boxes[:, 3]) / 2
        cy = (boxes[:, 1] + boxes[:, 4]) / 2
        origin = np.array([cx.min(), cy.min()])
        extent = np.maximum(np.array([cx.max(), cy.max()]) - origin, 1.0)
        del cx, cy
    else:
        centres = np.where(ok[:, None], (boxes[:, :2] + boxes[:, 3:5]) / 2, np.nan)
        origin = np.nanmin(centres, axis=0)
        extent = np.maximum(np.nanmax(centres, axis=0) - origin, 1.0)
    n_tiles = max(len(boxes) / FEATURES_PER_TILE, 1.0)
    tile_size = max(float(np.sqrt(extent[0] * extent[1] / n_tiles)), 10.0)
    grouped = tile_groups(boxes, lengths, origin, tile_size)
    if grouped is None:
        grouped = _sorted_tiles(boxes, lengths, origin, tile_size)
    names = ("order", "starts", "ij", "tile_boxes", "tile_bytes", "tile_finite")
    out = dict(zip(names, grouped, strict=True))
    out["origin"], out["tile_size"] = origin, np.array(tile_size)
    return out


def _sorted_tiles(boxes: np.ndarray, lengths: np.ndarray, origin: np.ndarray,
                  tile_size: float) -> tuple[np.ndarray, ...]:
    """:func:`tile_groups` by sorting (without numba, or a sparse grid)."""
    ok = np.isfinite(boxes).all(axis=1)
    centres = np.where(ok[:, None], (boxes[:, :2] + boxes[:, 3:5]) / 2, np.nan)
    ij = np.where(ok[:, None], np.floor((np.nan_to_num(centres) - origin) / tile_size), 0)
    ij = ij.astype(np.int64)
    keys = ij[:, 0] * 1_000_003 + ij[:, 1]
    order = np.argsort(keys, kind="stable")
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    starts = np.r_[0, bounds] if len(order) else np.zeros(0, np.int64)
    sorted_boxes = np.where(ok[order, None], boxes[order], np.nan)
    with np.errstate(invalid="ignore"):
        lows = np.fmin.reduceat(sorted_boxes[:, :3], starts) if len(starts) else \
            np.zeros((0, 3))
        highs = np.fmax.reduceat(sorted_boxes[:, 3:], starts) if len(starts) else \
            np.zeros((0, 3))
    tile_boxes = np.concatenate([lows, highs], axis=1)
    finite = np.isfinite(tile_boxes).all(axis=1)
    tile_boxes[~finite] = 0.0
    tile_bytes = np.add.reduceat(lengths[order], starts) if len(starts) else \
        np.zeros(0, np.int64)
    return (order, np.r_[starts, len(order)], ij[order[starts]], tile_boxes, tile_bytes,
            finite)


#: cache writes still under way (threads), see :func:`flush_cache_writes`
_WRITERS: list[threading.Thread] = []
_WRITERS_LOCK = threading.Lock()
#: seconds a cache write waits before it starts (unless someone waits for it): the
#: first frame, drawn meanwhile, does not share the processor with it
CACHE_WRITE_DELAY = 5.0
_WRITE_NOW = threading.Event()


def _in_background(name: str, work: Callable[[], None]) -> None:
    """Run ``work`` (a cache write) on a thread of its own, after CACHE_WRITE_DELAY:
    the first frame does not wait for it. The process finishes the writes under way
    when it exits, without the delay (:func:`flush_cache_writes` at exit)."""
    def run() -> None:
        _WRITE_NOW.wait(CACHE_WRITE_DELAY)
        # a read-only or full cache folder: the view works without it
        with contextlib.suppress(OSError):
            work()

    thread = threading.Thread(target=run, name=name, daemon=True)
    with _WRITERS_LOCK:
        _WRITERS[:] = [t for t in _WRITERS if t.is_alive()]
        _WRITERS.append(thread)
    thread.start()


def _flush_at_exit() -> None:
    with contextlib.suppress(Exception):  # never in the way of the exit
        flush_cache_writes()


atexit.register(_flush_at_exit)  # the writers are daemons: they are waited for here


def flush_cache_writes(name: str | None = None) -> None:
    """Wait for the tile cache writes under way (a second opening reads what they
    wrote); ``name``: only those of that thread name."""
    with _WRITERS_LOCK:
        pending = [t for t in _WRITERS if name is None or t.name == name]
    if not pending:
        return
    _WRITE_NOW.set()  # no more waiting: someone needs what they write
    try:
        for thread in pending:
            thread.join()
    finally:
        with _WRITERS_LOCK:
            if not any(t.is_alive() for t in _WRITERS):
                _WRITE_NOW.clear()


def _write_index(model: StreamedCityModel, source: SeqTileSource) -> None:
    """The index into the cache folder: what it needs is taken now, written on a
    thread (the manifest last, so a half-written cache is never read)."""
    from cimviewer.core.citymodel import PackedStrings, SparseParents

    folder = source.cache_dir
    assert folder is not None
    objects = model.objects
    codes, names = model.type_codes, model.type_names
    if codes is None or len(codes) != len(objects.types) or \
            objects.types[:1] != [names[int(c)] for c in codes[:1]]:
        # types as small ints: a second opening makes no string per object for them
        names = sorted(set(objects.types))
        code = {name: k for k, name in enumerate(names)}
        codes = np.fromiter(map(code.__getitem__, objects.types), np.int32,
                            len(objects.types))
    attrs = objects.attributes
    blob, bounds = (attrs.packed() if isinstance(attrs, PackedAttributes)
                    else _pack(attrs).packed())
    ids = objects.ids if isinstance(objects.ids, PackedStrings) else \
        PackedStrings.pack(objects.ids)
    id_blob, id_bounds = ids.packed()
    parents = (objects.parents.with_parents() if isinstance(objects.parents, SparseParents)
               else {i: p for i, p in enumerate(objects.parents) if p})
    arrays = {"offsets": source.offsets, "lengths": source.lengths,
              "boxes": source.feature_bbox, "object_offsets": source.object_offsets,
              "type_codes": codes, "attribute_bounds": bounds, "id_bounds": id_bounds}
    for name, value in (source.grouping or {}).items():
        arrays[f"tiles_{name}"] = value
    doc = orjson.dumps({
        "type_names": names, "parents": {str(i): p for i, p in parents.items()},
        "crs": model.crs, "metadata": model.metadata,
        "lods": model.index_lods, "header": source.header.decode("utf-8")},
        option=orjson.OPT_SERIALIZE_NUMPY)
    path = source.path

    def write() -> None:
        _save_npz(folder / "index.npz", **arrays)
        for name, data in (("attributes.bin", blob), ("ids.bin", id_blob)):
            tmp = _tmp_name(folder / name)
            tmp.write_bytes(data)
            tmp.replace(folder / name)
        (folder / "objects.json").write_bytes(doc)
        _save_json(folder / "manifest.json", {"version": CACHE_VERSION,
                                              "source": str(path)})

    _in_background("tile-cache-index", write)


def _from_cache(path: Path, folder: Path, lod: str | None) -> StreamedCityModel:
    from cimviewer.core.citymodel import PackedStrings, SparseParents

    with np.load(folder / "index.npz") as data:
        offsets, lengths = data["offsets"], data["lengths"]
        boxes, object_offsets = data["boxes"], data["object_offsets"]
        type_codes = data["type_codes"]
        attribute_bounds = data["attribute_bounds"]
        id_bounds = data["id_bounds"]
        grouping = {k[len("tiles_"):]: data[k] for k in data.files if k.startswith("tiles_")}
    attributes = PackedAttributes((folder / "attributes.bin").read_bytes(), attribute_bounds)
    ids = PackedStrings((folder / "ids.bin").read_bytes(), id_bounds)
    if len(attributes) != len(type_codes) or len(ids) != len(type_codes):
        raise ValueError("the cached attributes do not match the objects")
    doc = orjson.loads((folder / "objects.json").read_bytes())
    counts = {}
    for item in (folder / "counts").glob("*.json"):
        counts[int(item.stem)] = int(orjson.loads(item.read_bytes()))
    model = StreamedCityModel(source_format="CityJSONSeq", crs=doc["crs"],
                              metadata=doc["metadata"], index_lods=list(doc["lods"]))
    names = [sys.intern(str(t)) for t in doc["type_names"]]
    parents = SparseParents(len(ids), {int(k): list(v) for k, v in doc["parents"].items()})
    model.objects = ObjectTable(ids, list(map(names.__getitem__, type_codes.tolist())),  # type: ignore[arg-type]
                                parents, attributes)  # type: ignore[arg-type]
    model.type_codes, model.type_names = type_codes, names
    source = _tiles(path, doc["header"].encode("utf-8"), offsets, lengths, boxes,
                    object_offsets, lod, counts, grouping or None)
    source.cache_dir = folder
    source.stats["index_cached"] = 1
    model.tile_source = source
    return model
