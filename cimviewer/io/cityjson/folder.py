"""A folder of CityJSON tiles (3D BAG, PLATEAU exports...) opened as one streamed layer.

:func:`open_folder` makes one pass over the folder's CityJSON (``.city.json`` /
``.json``) and CityJSONSeq (``.city.jsonl`` / ``.jsonl``) files, sub-folders included,
and keeps, per feature (a root CityObject with its parts), its box and its objects (ids,
types, attributes, parents); no geometry stays in memory. Each file (or a spatial group
of small files) is a tile: :meth:`FolderTileSource._read` reads its files back with the
ordinary reader, so tiles get the same triangles, semantics and repairs as a file opened
alone. The render adapter draws it like a streamed CityJSONSeq
(``io.cityjson.streamed``: the same :class:`~cimviewer.io.cityjson.streamed.TileSource`
interface, cache and reprojection).

Files in another CRS than the first file's are reprojected into it, per tile as it is
read. A file that cannot be read is reported (a warning naming it and an
``UNREADABLE_FEATURE`` problem) and the rest opens. The derived cache on disk is keyed
by the folder and by the names, sizes and modification times of all its files: adding,
removing or changing any file gives another key.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from cimviewer.core.citymodel import ObjectTable, TriangleMesh, concat_meshes
from cimviewer.io.cityjson.model import parse_crs, parse_transform
from cimviewer.io.cityjson.streamed import (
    CACHE_VERSION,
    FEATURES_PER_TILE,
    SeqTile,
    StreamedCityModel,
    TileSource,
    _save_json,
    _save_npz,
    _transform_boxes,
    _union_box,
    cache_root,
    flush_cache_writes,
)
from cimviewer.io.errors import ReadError
from cimviewer.io.worker_process import run_in_worker

__all__ = ["FOLDER_FORMAT", "FolderTileSource", "city_files", "is_city_folder", "open_folder"]

#: the ``source_format`` of a model opened from a folder (``info --json`` "format")
FOLDER_FORMAT = "CityJSON folder"
CITY_SUFFIXES = (".city.json", ".json", ".city.jsonl", ".jsonl")
#: a folder with this file at its top is 3D Tiles, not a folder of CityJSON tiles
TILESET = "tileset.json"
_SNIFF_FILES = 20
_SEP = bytes.maketrans(b"[],", b"   ")


def city_files(folder: Path) -> list[Path]:
    """The folder's CityJSON / CityJSONSeq files by name (sub-folders too; hidden
    files and folders left out), in a stable order."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).parts
        if any(part.startswith(".") for part in rel):
            continue
        if path.name.lower().endswith(CITY_SUFFIXES) and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _looks_like_cityjson(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return b'"CityJSON' in head


def is_city_folder(folder: Path) -> bool:
    """A folder (without a 3D Tiles ``tileset.json`` at its top) holding CityJSON files."""
    if not folder.is_dir() or (folder / TILESET).exists():
        return False
    files = city_files(folder)
    return any(_looks_like_cityjson(p) for p in files[:_SNIFF_FILES])


@dataclass(kw_only=True)
class FolderTileSource(TileSource):
    """Feature index of a folder of CityJSON files; a tile is one or more whole files."""

    files: list[Path]  # the folder's files (index: ``feature_file``)
    feature_file: np.ndarray  # (n_features,) the file of each feature
    file_crs: list[str | None]  # each file's CRS (None: the folder's)
    object_ids: list[str]  # the layer's object ids (global index -> id)
    crs: str | None = None  # the folder's CRS: files in another one are moved into it
    tile_files: list[np.ndarray] = field(default_factory=list)  # files of each tile

    def feature_anchors(self) -> np.ndarray:
        """Tiles are groups of files, not cells of a grid: each tile ``k`` gets its own
        virtual grid cell (key ``(k, 0)``, see :func:`_group_files`) and a feature's
        anchor is where its centre stands within its tile's box, so that the blocks of a
        tile are made of that tile's own objects."""
        keyed = self.feature_bbox if self.key_bbox is None else self.key_bbox
        centre = (keyed[:, :2] + keyed[:, 3:5]) / 2
        out = np.full((len(keyed), 2), np.nan)
        for k, tile in enumerate(self.tiles):
            box = _union_box(keyed[tile.features])
            if box is None:
                continue
            lo, size = box[:2], np.maximum(box[3:5] - box[:2], 1e-9)
            frac = np.clip((centre[tile.features] - lo) / size, 0.0, 0.999)
            out[tile.features] = (np.array([k, 0.0]) + frac) * self.tile_size
        return out

    def _read(self, features: np.ndarray, lod: str | None) -> TriangleMesh:
        wanted = set(self.feature_file[features].tolist())
        parts = []
        for f in sorted(wanted):
            # parsed in the worker process: the frame drawn meanwhile keeps the interpreter
            read = run_in_worker(_read_file, self.files[f], self.theme, lod)
            if read is None:
                continue  # reported when indexed (or changed since: the next opening says)
            mesh, ids, textures = read
            mine = np.flatnonzero(self.feature_file == f)
            lo, hi = int(self.object_offsets[mine[0]]), int(self.object_offsets[mine[-1] + 1])
            known = {self.object_ids[g]: g for g in range(lo, hi)}
            lookup = np.array([known.get(oid, -1) for oid in ids] + [-1],
                              np.int64)
            tri_object = lookup[mesh.tri_object]
            keep = tri_object >= 0
            mesh = mesh.subset(keep) if not keep.all() else mesh
            out = TriangleMesh(mesh.vertices, mesh.triangles,
                               tri_object[keep].astype(np.int32), mesh.tri_semantic)
            if mesh.tri_texture is not None and mesh.tri_uv is not None:
                out.tri_texture = self._global_textures(mesh.tri_texture, textures)
                out.tri_uv = mesh.tri_uv
            crs = self.file_crs[f]
            if crs and self.crs and crs != self.crs:
                from cimviewer.io.reproject import same_horizontal, transform_xy

                if not same_horizontal(crs, self.crs):
                    out.vertices = transform_xy(out.vertices, crs, self.crs)
            parts.append(out)
        return concat_meshes(parts)


def _read_file(path: Path, theme: str | None,
               lod: str | None) -> tuple[TriangleMesh, list[str], list[Path]] | None:
    """One file's triangles at ``lod``, its object ids and texture images (None: not
    readable, or no triangles): a worker process's job."""
    from cimviewer.io.cityjson.reader import read_cityjson

    try:
        model = read_cityjson(path, theme=theme)
    except ReadError:
        return None
    mesh = model.mesh_for_lod(lod)
    if not mesh.n_triangles:
        return None
    return mesh, list(model.objects.ids), list(model.textures)


# --- the index pass -------------------------------------------------------------------
@dataclass
class _FileIndex:
    """What one file adds to the index."""

    crs: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    boxes: list[np.ndarray] = field(default_factory=list)  # per feature (rows of 6)
    counts: list[int] = field(default_factory=list)  # objects per feature
    ids: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    attributes: list[dict] = field(default_factory=list)
    parents: list[list[str]] = field(default_factory=list)
    lods: set[str] = field(default_factory=set)
    n_vertices: int = 0


def _add_features(index: _FileIndex, cos: dict, vertices: np.ndarray) -> None:
    """The CityObjects of one document (or one CityJSONFeature) as features: each root
    object followed by its parts, with the box of all their vertices."""
    children: dict[str, list[str]] = {}
    roots = []
    for oid, co in cos.items():
        parents = [p for p in (co.get("parents") or ()) if isinstance(p, str) and p in cos]
        if parents:
            children.setdefault(parents[0], []).append(oid)
        else:
            roots.append(oid)
    seen: set[str] = set()
    groups = []
    for root in roots + list(cos):  # objects only reachable through a cycle: roots too
        if root in seen:
            continue
        group, stack = [], [root]
        while stack:
            oid = stack.pop()
            if oid in seen:
                continue
            seen.add(oid)
            group.append(oid)
            stack.extend(reversed(children.get(oid, ())))
        groups.append(group)
    texts = []
    for group in groups:
        geometries = []
        for oid in group:
            co = cos[oid]
            geoms = [g for g in (co.get("geometry") or ()) if isinstance(g, dict)]
            geometries.extend(geoms)
            for g in geoms:
                if g.get("lod") is not None:
                    index.lods.add(str(g["lod"]))
            index.ids.append(oid)
            index.types.append(sys.intern(str(co.get("type", ""))))  # one str a type
            attrs = co.get("attributes")
            index.attributes.append(dict(attrs) if isinstance(attrs, dict) else {})
            index.parents.append([p for p in (co.get("parents") or ()) if isinstance(p, str)])
        texts.append(orjson.dumps([g.get("boundaries") for g in geometries]))
        index.counts.append(len(group))
    index.boxes.extend(_group_boxes(texts, vertices))


def _group_boxes(texts: list[bytes], vertices: np.ndarray) -> np.ndarray:
    """The box of each group's vertices, from its boundaries as JSON text: all groups'
    vertex indices parsed at once (-1 after each group), boxed by ``reduceat``."""
    out = np.full((len(texts), 6), np.nan)
    if not texts:
        return out
    big = (b" -1 ".join(texts) + b" -1").translate(_SEP).replace(b"null", b" ")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # partial parse: checked
            values = np.fromstring(big, dtype=np.int64, sep=" ")
    except ValueError:
        values = np.zeros(0, np.int64)
    ends = values == -1
    if int(ends.sum()) != len(texts):  # not integers only: group by group
        return np.array([_box_of(_vertex_indices_text(t), vertices) for t in texts])
    group = np.cumsum(ends) - ends
    keep = ~ends & (values >= 0) & (values < len(vertices))
    values, group = values[keep], group[keep]
    if not len(values):
        return out
    pts = vertices[values]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    out[group[starts], :3] = np.minimum.reduceat(pts, starts, axis=0)
    out[group[starts], 3:] = np.maximum.reduceat(pts, starts, axis=0)
    return out


def _vertex_indices_text(text: bytes) -> np.ndarray:
    tokens = text.translate(_SEP).replace(b"null", b" ").split()
    try:
        return np.array([int(t) for t in tokens], np.int64)
    except ValueError:
        return np.zeros(0, np.int64)


def _box_of(used: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    used = used[(used >= 0) & (used < len(vertices))]
    if not len(used):
        return np.full(6, np.nan)
    pts = vertices[used]
    return np.concatenate([pts.min(axis=0), pts.max(axis=0)])


def _vertices(raw: object, transform) -> np.ndarray:
    v = np.asarray(raw if raw else np.zeros((0, 3)), np.float64).reshape(-1, 3)
    return v * transform[0] + transform[1] if transform is not None and len(v) else v


def _read_header(index: _FileIndex, doc: dict) -> Any:
    meta = doc.get("metadata")
    if isinstance(meta, dict):
        index.metadata = meta
        ref = meta.get("referenceSystem")
        if isinstance(ref, str):
            index.crs = parse_crs(ref)
    return parse_transform(doc.get("transform"))


def _index_file(path: Path) -> _FileIndex:
    """Index one file; ReadError (naming where) when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(f"cannot read the file: {err.strerror or err}", path) from None
    index = _FileIndex()
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        doc = orjson.loads(stripped)
        lines = None
    except orjson.JSONDecodeError as err:
        lines = stripped.splitlines()
        if len(lines) < 2:
            raise ReadError(f"not valid JSON: {err}", path) from None
    if lines is None:
        if not isinstance(doc, dict) or doc.get("type") not in ("CityJSON",
                                                                "CityJSONFeature"):
            raise ReadError('not CityJSON (no "type": "CityJSON")', path)
        transform = _read_header(index, doc)
        vertices = _vertices(doc.get("vertices"), transform)
        index.n_vertices = len(vertices)
        cos = doc.get("CityObjects")
        if not isinstance(cos, dict):
            raise ReadError('missing "CityObjects"', path)
        _add_features(index, cos, vertices)
        return index
    transform = None
    for lineno, line in enumerate(lines, 1):  # CityJSONSeq
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            raise ReadError(f"not valid JSON: {err}", path, f"line {lineno}") from None
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "CityJSON":
            transform = _read_header(index, item)
            continue
        cos = item.get("CityObjects") if kind == "CityJSONFeature" else None
        if not isinstance(cos, dict):
            raise ReadError("expected a CityJSONFeature", path, f"line {lineno}")
        vertices = _vertices(item.get("vertices"), transform)
        index.n_vertices += len(vertices)
        _add_features(index, cos, vertices)
    return index


def _group_files(file_boxes: np.ndarray, file_counts: np.ndarray) -> list[np.ndarray]:
    """Files as tiles: a file of at least half a tile's features is a tile of its own;
    smaller ones are grouped by the cell of their centre on a grid sized for about
    FEATURES_PER_TILE features a cell."""
    big = np.flatnonzero(file_counts >= FEATURES_PER_TILE // 2)
    groups = [np.array([f]) for f in big.tolist()]
    small = np.flatnonzero((file_counts < FEATURES_PER_TILE // 2) & (file_counts > 0))
    if len(small):
        boxes = file_boxes[small]
        ok = np.isfinite(boxes).all(axis=1)
        centres = np.where(ok[:, None], (boxes[:, :2] + boxes[:, 3:5]) / 2, 0.0)
        origin = centres[ok].min(axis=0) if ok.any() else np.zeros(2)
        extent = np.maximum((centres[ok].max(axis=0) if ok.any() else origin) - origin, 1.0)
        n_cells = max(float(file_counts[small].sum()) / FEATURES_PER_TILE, 1.0)
        # square cells over the larger side: a long row of files is not cut file by file
        cell = max(float(extent.max()) / float(np.sqrt(n_cells)), 1.0) * 1.0001
        ij = np.floor((centres - origin) / cell).astype(np.int64)
        keys = np.where(ok, ij[:, 0] * 1_000_003 + ij[:, 1], -1)
        order = np.argsort(keys, kind="stable")
        bounds = np.flatnonzero(np.diff(keys[order])) + 1
        groups.extend(small[g] for g in np.split(order, bounds))
    return sorted(groups, key=lambda g: int(g[0]))


def _make_source(folder: Path, files: list[Path], boxes: np.ndarray,
                 feature_file: np.ndarray, object_offsets: np.ndarray,
                 file_crs: list[str | None], crs: str | None, ids: list[str],
                 sizes: np.ndarray, lod: str | None,
                 counts: dict[int, int] | None = None) -> FolderTileSource:
    n_files = len(files)
    per_file = np.bincount(feature_file, minlength=n_files)
    file_boxes = np.full((n_files, 6), np.nan)
    firsts = np.r_[0, np.cumsum(per_file)]
    for f in range(n_files):
        box = _union_box(boxes[firsts[f]:firsts[f + 1]])
        if box is not None:
            file_boxes[f] = box
    tiles: list[SeqTile] = []
    tile_files = []
    extents = []
    for k, group in enumerate(_group_files(file_boxes, per_file)):
        features = np.concatenate([np.arange(firsts[f], firsts[f + 1]) for f in group])
        bbox = _union_box(boxes[features])
        if bbox is None:
            bbox = np.zeros(6)
        extents.append(float(max(bbox[3] - bbox[0], bbox[4] - bbox[1])))
        # before the first read: about one triangle per 50 bytes of JSON (LoD1-2 boxes)
        estimate = int(sizes[group].sum() // 50) if counts is None or k not in counts \
            else counts[k]
        tiles.append(SeqTile((k, 0), features, bbox, estimate))
        tile_files.append(group)
    tile_size = max(float(np.median(extents)) if extents else 10.0, 10.0)
    return FolderTileSource(folder, boxes, object_offsets, tile_size, np.zeros(2), tiles,
                            None, lod, cache_lod=lod, files=files, feature_file=feature_file,
                            file_crs=file_crs, object_ids=ids, crs=crs,
                            tile_files=tile_files)


def _cache_key(folder: Path, files: list[Path], options: dict) -> tuple[str, str]:
    listing = []
    for path in files:
        st = path.stat()
        listing.append([path.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns])
    where = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    what = hashlib.sha256(json.dumps([listing, options, CACHE_VERSION, "folder"],
                                     sort_keys=True).encode()).hexdigest()[:16]
    return where, what


def open_folder(folder: str | Path, *, cache: bool = True, lod: str | None = None,
                progress: Callable[[float], None] | None = None,
                cancelled: Callable[[], bool] | None = None,
                theme: str | None = None) -> StreamedCityModel:
    """Index a folder of CityJSON tiles (or read its index from the cache) into one
    streamed model whose tiles (files) are read on demand."""
    from cimviewer.io.cityjson.reader import _gc_paused

    folder = Path(folder)
    if not folder.is_dir():
        raise ReadError("is not a folder", folder)
    with _gc_paused():  # millions of small dicts and lists: the collector's passes cost 2x
        return _open_folder(folder, cache, lod, progress, theme, cancelled)


def _open_folder(folder: Path, cache: bool, lod: str | None,
                 progress: Callable[[float], None] | None, theme: str | None,
                 cancelled: Callable[[], bool] | None) -> StreamedCityModel:
    files = city_files(folder)
    if not files:
        raise ReadError("no CityJSON files (.city.json, .json, .city.jsonl) in the folder",
                        folder)
    options = {"lod": lod, "features_per_tile": FEATURES_PER_TILE, "theme": theme}
    cache_dir = None
    model = None
    if cache:
        flush_cache_writes()  # an opening of the same folder a moment ago
        where, what = _cache_key(folder, files, options)
        cache_dir = cache_root() / f"{where}-{what}"
        for stale in cache_dir.parent.glob(f"{where}-*"):
            if stale != cache_dir:  # a file changed, came or went: its tiles are wrong now
                shutil.rmtree(stale, ignore_errors=True)
        if (cache_dir / "manifest.json").is_file():
            try:
                model = _from_cache(folder, files, cache_dir, lod)
            except (OSError, ValueError, KeyError, IndexError):
                shutil.rmtree(cache_dir, ignore_errors=True)
    if model is None:
        model = _index(folder, files, lod, progress, cancelled)
        if cache_dir is not None:
            _write_index(model, cache_dir)
    source = model.tile_source
    assert source is not None
    source.cache_dir = cache_dir
    source.theme = theme
    if progress is not None:
        progress(1.0)
    return model


def _index(folder: Path, files: list[Path], lod: str | None,
           progress: Callable[[float], None] | None,
           cancelled: Callable[[], bool] | None) -> StreamedCityModel:
    from cimviewer.io.cityjson.reader import ReadCancelledError

    sizes = np.array([p.stat().st_size for p in files], np.int64)
    total = max(int(sizes.sum()), 1)
    done = 0
    kept: list[Path] = []
    kept_sizes: list[int] = []
    indexes: list[_FileIndex] = []
    broken: list[str] = []
    skipped: list[str] = []
    for path, size in zip(files, sizes.tolist(), strict=True):
        if cancelled is not None and cancelled():
            raise ReadCancelledError("reading was cancelled")
        try:
            index = _index_file(path)
        except ReadError as err:
            rel = path.relative_to(folder).as_posix()
            if "not CityJSON" in err.message:
                skipped.append(rel)  # another kind of JSON beside the tiles (metadata...)
            else:
                broken.append(f"{rel}: {err.message}" + (f" ({err.where})" if err.where
                                                          else ""))
            continue
        finally:
            done += size
            if progress is not None:
                progress(0.9 * done / total)
        if index.counts:
            kept.append(path)
            kept_sizes.append(size)
            indexes.append(index)
    if not indexes:
        first = broken[0] if broken else "no CityObjects in any file"
        raise ReadError(f"no readable CityJSON file in the folder ({first})", folder)
    crs = next((ix.crs for ix in indexes if ix.crs), None)
    model = StreamedCityModel(source_format=FOLDER_FORMAT, crs=crs,
                              metadata=dict(indexes[0].metadata))
    ids: list[str] = []
    types: list[str] = []
    attributes: list[dict] = []
    parent_ids: list[list[str]] = []
    boxes = []
    counts: list[int] = []
    feature_file = []
    lods: set[str] = set()
    file_crs: list[str | None] = []
    moved = 0
    for f, ix in enumerate(indexes):
        b = np.array(ix.boxes).reshape(-1, 6)
        if ix.crs and crs and ix.crs != crs:
            from cimviewer.io.reproject import same_horizontal

            if not same_horizontal(ix.crs, crs):
                b = _transform_boxes(b, _mover(ix.crs, crs))
                moved += 1
        boxes.append(b)
        counts.extend(ix.counts)
        feature_file.append(np.full(len(ix.counts), f, np.int64))
        ids.extend(ix.ids)
        types.extend(ix.types)
        attributes.extend(ix.attributes)
        parent_ids.extend(ix.parents)
        lods |= ix.lods
        file_crs.append(ix.crs)
        model.n_vertices += ix.n_vertices
    object_offsets = np.r_[0, np.cumsum(counts)].astype(np.int64)
    parents = _resolve_parents(ids, parent_ids, object_offsets, np.concatenate(feature_file))
    model.objects = ObjectTable(ids, types, parents, attributes)
    model.index_lods = sorted(lods)
    if moved:
        model.warnings.append(f"{moved} file(s) reprojected from their own CRS to {crs}")
    _report(model, folder, broken, skipped)
    model.tile_source = _make_source(
        folder, kept, np.concatenate(boxes), np.concatenate(feature_file), object_offsets,
        file_crs, crs, ids, np.array(kept_sizes, np.int64), lod)
    return model


def _mover(source: str, target: str) -> Callable[[np.ndarray], np.ndarray]:
    from cimviewer.io.reproject import transform_xy

    return lambda xyz: transform_xy(xyz, source, target)


def _resolve_parents(ids: list[str], parent_ids: list[list[str]],
                     object_offsets: np.ndarray, feature_file: np.ndarray) -> list[list[int]]:
    """Parent ids as object indices, within each object's own file."""
    out: list[list[int]] = [[] for _ in ids]
    file_of_object = np.repeat(feature_file, np.diff(object_offsets))
    starts = np.flatnonzero(np.r_[True, file_of_object[1:] != file_of_object[:-1]]) \
        if len(ids) else np.zeros(0, np.int64)
    bounds = np.r_[starts, len(ids)]
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if not any(parent_ids[lo:hi]):
            continue
        known = {ids[g]: g for g in range(lo, hi)}
        for g in range(lo, hi):
            out[g] = [known[p] for p in parent_ids[g] if p in known]
    return out


def _report(model: StreamedCityModel, folder: Path, broken: list[str],
            skipped: list[str]) -> None:
    if broken:
        shown = "; ".join(broken[:3])
        more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        problem = f"{len(broken)} file(s) of {folder.name} could not be read: {shown}{more}"
        model.warnings.append(problem)
        model.problems.append(problem)
        model.add_problem("UNREADABLE_FEATURE", [-1] * len(broken))  # no object to name
    if skipped:
        model.warnings.append(f"{len(skipped)} JSON file(s) that are not CityJSON left out: "
                              + ", ".join(skipped[:3]) + (" ..." if len(skipped) > 3 else ""))


def _write_index(model: StreamedCityModel, folder: Path) -> None:
    source = model.tile_source
    assert isinstance(source, FolderTileSource)
    objects = model.objects
    _save_npz(folder / "index.npz", boxes=source.feature_bbox,
              object_offsets=source.object_offsets, feature_file=source.feature_file,
              vertices=np.array([model.n_vertices], np.int64))
    (folder / "objects.json").write_bytes(orjson.dumps({
        "ids": objects.ids, "types": objects.types, "parents": objects.parents,
        "attributes": objects.attributes, "crs": model.crs, "metadata": model.metadata,
        "lods": model.index_lods, "warnings": model.warnings, "problems": model.problems,
        "unreadable": int(model.problem_counts().get("UNREADABLE_FEATURE", 0)),
        "files": [p.name for p in source.files], "file_crs": source.file_crs,
        "paths": [str(p) for p in source.files]},
        option=orjson.OPT_SERIALIZE_NUMPY))
    _save_json(folder / "manifest.json", {"version": CACHE_VERSION,
                                          "source": str(source.path)})


def _from_cache(folder: Path, files: list[Path], cache_dir: Path,
                lod: str | None) -> StreamedCityModel:
    with np.load(cache_dir / "index.npz") as data:
        boxes, object_offsets = data["boxes"], data["object_offsets"]
        feature_file, n_vertices = data["feature_file"], int(data["vertices"][0])
    doc = orjson.loads((cache_dir / "objects.json").read_bytes())
    kept = [Path(p) for p in doc["paths"]]
    if not set(kept) <= set(files):
        raise ValueError("the cached index names files the folder no longer has")
    counts = {}
    for item in (cache_dir / "counts").glob("*.json"):
        counts[int(item.stem)] = int(orjson.loads(item.read_bytes()))
    model = StreamedCityModel(source_format=FOLDER_FORMAT, crs=doc["crs"],
                              metadata=doc["metadata"], index_lods=list(doc["lods"]),
                              warnings=list(doc["warnings"]), problems=list(doc["problems"]))
    model.n_vertices = n_vertices
    if doc["unreadable"]:
        model.add_problem("UNREADABLE_FEATURE", [-1] * int(doc["unreadable"]))
    model.objects = ObjectTable(doc["ids"], [sys.intern(t) for t in doc["types"]],
                                doc["parents"], doc["attributes"])
    sizes = np.array([p.stat().st_size for p in kept], np.int64)
    source = _make_source(folder, kept, boxes, feature_file, object_offsets,
                          list(doc["file_crs"]), doc["crs"], model.objects.ids, sizes, lod,
                          counts)
    source.stats["index_cached"] = 1
    model.tile_source = source
    return model

