"""A 3D Tiles tileset as a city model whose geometry is read per content on demand.

Placement: a georeferenced tileset's root frame is ECEF (EPSG:4978) after the chained
transforms; region volumes are longitude / latitude in radians with ellipsoidal
heights (EPSG:4979). Everything is placed in one projected CRS (the project's, else
the UTM zone of the tileset's centre): each content's vertex array goes ECEF ->
longitude, latitude, ellipsoidal height -> easting, northing in two vectorised pyproj
calls, so a 10 km tile keeps the earth's curvature right. Heights stay ellipsoidal.
A tileset whose root lies nowhere near the earth's surface (local coordinates from a
modelling tool) is shown as it is, in metres, with no CRS.

The object table grows as contents load: each content's features (batch ids, feature
ids) become objects with their batch-table / property-table values as attributes, and
keep their object indices when the content is evicted and read again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from cimviewer.core.citymodel import CityModel, TriangleMesh, concat_meshes
from cimviewer.io.tiles3d.content import ContentError, decode_content
from cimviewer.io.tiles3d.gltf import ContentMesh
from cimviewer.io.tiles3d.tileset import Tile, TilesetTree

__all__ = ["LoadedContent", "Placement", "TilesetModel"]

log = logging.getLogger(__name__)

#: a root centre farther than this from the earth's centre is on the earth (metres)
GEOCENTRIC_MIN = 6.0e6


class Placement:
    """ECEF / radians regions -> the layer CRS (vectorised), or identity (local)."""

    def __init__(self, target: str | None):
        self.target = target
        self._to_geodetic = None
        self._to_target = None
        if target is not None:
            from pyproj import Transformer

            from cimviewer.io.reproject import _horizontal

            self._to_geodetic = Transformer.from_crs("EPSG:4978", "EPSG:4979",
                                                     always_xy=True)
            self._to_target = Transformer.from_crs("EPSG:4979", _horizontal(target),
                                                   always_xy=True)

    def from_ecef(self, xyz: np.ndarray) -> np.ndarray:
        if self._to_geodetic is None:
            return np.asarray(xyz, np.float64)
        lon, lat, h = self._to_geodetic.transform(xyz[:, 0], xyz[:, 1], xyz[:, 2])
        return self.from_lonlat(np.column_stack([lon, lat, h]))

    def from_lonlat(self, llh: np.ndarray) -> np.ndarray:
        """Degrees and ellipsoidal heights -> the layer CRS."""
        assert self._to_target is not None
        x, y = self._to_target.transform(llh[:, 0], llh[:, 1])
        out = np.column_stack([x, y, llh[:, 2]]).astype(np.float64)
        return out


#: corners, face centres and centre of a box, as multiples of its half axes
_BOX_SIGNS = np.array([[i, j, k] for i in (-1, 0, 1) for j in (-1, 0, 1) for k in (-1, 0, 1)
                       if (i != 0) + (j != 0) + (k != 0) in (0, 1, 3)], np.float64)


def _box_points(volume: np.ndarray) -> np.ndarray:
    """Corners, face centres and centre of a box volume (15, 3)."""
    return volume[:3] + _BOX_SIGNS @ volume[3:].reshape(3, 3)


def _region_points(volume: np.ndarray) -> np.ndarray:
    west, south, east, north, low, high = volume
    lon = np.degrees([west, (west + east) / 2, east])
    lat = np.degrees([south, (south + north) / 2, north])
    grid = np.array([[a, b, h] for a in lon for b in lat for h in (low, high)])
    return grid


def _sphere_points(volume: np.ndarray) -> np.ndarray:
    c, r = volume[:3], volume[3]
    return np.vstack([c, c + np.vstack([np.eye(3), -np.eye(3)]) * r])


@dataclass
class LoadedContent:
    """A content read and placed: its triangles (object indices global), images."""

    mesh: TriangleMesh
    images: list[bytes]
    nbytes: int


@dataclass(eq=False)
class TilesetModel(CityModel):
    """A tileset: its tile tree placed in :attr:`crs`; contents read by the view.

    ``meshes`` stays empty; :meth:`load_content` reads one tile's content (any thread).
    """

    streamed: ClassVar[bool] = True
    tree: TilesetTree | None = None
    placement: Placement | None = None
    #: file problems per content path (missing, broken, unsupported compression)
    content_problems: dict[str, str] = field(default_factory=dict)
    #: object indices of each content read so far: (first, count)
    _objects_of: dict[Path, tuple[int, int]] = field(default_factory=dict)
    #: boxes of the objects of each content read so far: (first object, (k, 6) boxes)
    _boxes: dict[Path, tuple[int, np.ndarray]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _geodetic: bool = True

    @property
    def tileset(self) -> TilesetTree | None:
        return self.tree

    @property
    def lods(self) -> list[str]:
        return []

    # --- placement -------------------------------------------------------------------
    def place(self, target: str | None) -> None:
        """Place every known tile (and every tile made later) in ``target``."""
        assert self.tree is not None
        if not self._geodetic:
            target = None
        self.placement = Placement(target)
        self.crs = target
        self.tree.on_new = self._place_tiles
        self._place_tiles(self.tree.tiles)

    def _place_tiles(self, tiles: list[Tile]) -> None:
        placement = self.placement
        assert placement is not None
        geo, regions = [], []
        for tile in tiles:  # per tile: its volume's few points
            if tile.volume_kind == "region":
                regions.append((tile, _region_points(tile.volume)))
            else:
                pts = (_box_points(tile.volume) if tile.volume_kind == "box"
                       else _sphere_points(tile.volume))
                m = tile.transform
                geo.append((tile, pts @ m[:3, :3].T + m[:3, 3]))
        for group, convert in ((geo, placement.from_ecef),
                               (regions, placement.from_lonlat if placement.target
                                else None)):
            if not group:
                continue
            stacked = np.concatenate([p for _, p in group])
            # regions of a tileset without a CRS cannot be placed
            placed = np.zeros_like(stacked) if convert is None else convert(stacked)
            start = 0
            for tile, pts in group:
                own = placed[start:start + len(pts)]
                start += len(pts)
                lo, hi = own.min(axis=0), own.max(axis=0)
                tile.bbox = np.concatenate([lo, hi])
                tile.centre = (lo + hi) / 2
                tile.radius = float(np.linalg.norm(hi - lo) / 2)

    def bbox(self) -> np.ndarray | None:
        if self.tree is None:
            return None
        return self.tree.root.bbox.copy()

    # --- contents --------------------------------------------------------------------
    def load_content(self, tile: Tile) -> LoadedContent | None:
        """Read, decode and place a tile's contents (several: one mesh). None when it
        has none that could be read; problems are recorded per file."""
        placement = self.placement
        assert placement is not None and self.tree is not None
        meshes: list[TriangleMesh] = []
        images: list[bytes] = []
        for path in tile.contents:
            try:
                content = decode_content(path, tile.transform, self.tree.up_axis)
            except ContentError as exc:
                self._problem(path, str(exc))
                continue
            except Exception as exc:  # a decoder bug costs this content only
                self._problem(path, f"could not be decoded: {type(exc).__name__}: {exc}")
                continue
            for problem in content.problems:
                self._problem(path, problem)
            if not content.n_triangles:
                continue
            mesh = self._placed(content, tile, path, len(images))
            images.extend(content.images)
            meshes.append(mesh)
        if not meshes:
            return None
        mesh = concat_meshes(meshes)
        nbytes = sum(a.nbytes for a in (mesh.vertices, mesh.triangles, mesh.tri_object)
                     ) + sum(len(i) for i in images)
        return LoadedContent(mesh, images, int(nbytes))

    def _problem(self, path: Path, message: str) -> None:
        with self._lock:
            name = self._name(path)
            if name not in self.content_problems:
                log.warning("%s: %s: %s", self.tree.path if self.tree else "", name, message)
                self.content_problems[name] = message
                self.problems.append(f"{name}: {message}")
                self.add_problem("content_not_shown", [-1])

    def _name(self, path: Path) -> str:
        assert self.tree is not None
        try:
            return path.relative_to(self.tree.path.parent).as_posix()
        except ValueError:
            return path.name

    def _placed(self, content: ContentMesh, tile: Tile, path: Path,
                image_base: int) -> TriangleMesh:
        m = tile.transform
        root_frame = content.vertices @ m[:3, :3].T + m[:3, 3]
        assert self.placement is not None
        vertices = self.placement.from_ecef(root_frame)
        first = self._objects_for(path, content.features)
        n_features = len(content.features)
        fid = content.tri_feature
        tri_object = np.where((fid >= 0) & (fid < n_features), fid + first, -1)
        if (tri_object < 0).any():  # triangles of no feature: the content's own object
            tri_object = np.where(tri_object < 0, self._content_object(path), tri_object)
        mesh = TriangleMesh(vertices, content.triangles, tri_object.astype(np.int32),
                            np.zeros(content.n_triangles, np.uint8),
                            np.ascontiguousarray(content.tri_color),
                            np.ones(content.n_triangles, bool))
        self._boxes[path] = (first, _feature_boxes(vertices, content.triangles,
                                                   tri_object - first, n_features))
        if content.tri_texture is not None and content.tri_uv is not None:
            mesh.tri_texture = np.where(content.tri_texture >= 0,
                                        content.tri_texture + image_base, -1).astype(np.int32)
            mesh.tri_uv = content.tri_uv
        return mesh

    def _objects_for(self, path: Path, features: list[dict[str, Any]]) -> int:
        """First object index of a content's features (added on its first read)."""
        with self._lock:
            known = self._objects_of.get(path)
            if known is not None and known[1] == len(features):
                return known[0]
            first = len(self.objects)
            name = self._name(path)
            for k, attrs in enumerate(features):  # per feature: its object
                self.objects.add(f"{name}#{k}", "Feature", dict(attrs))
            self._objects_of[path] = (first, len(features))
            return first

    def _content_object(self, path: Path) -> int:
        """An object for triangles outside any feature (the content as a whole)."""
        with self._lock:
            key = path.with_name(path.name + "#content")
            known = self._objects_of.get(key)
            if known is not None:
                return known[0]
            index = self.objects.add(self._name(path), "TileContent", {})
            self._objects_of[key] = (index, 1)
            return index

    # --- what algorithms and summaries ask --------------------------------------------
    def root_tiles(self) -> list[Tile]:
        """The tiles nearest the root that have contents (the first level down that
        has any; at most 64 tiles are looked at per level)."""
        assert self.tree is not None
        level = [self.tree.root]
        while level:
            with_content = [t for t in level if t.contents]
            if with_content:
                return with_content
            nxt: list[Tile] = []
            for tile in level:
                self.tree.expand(tile)
                nxt.extend(tile.children)
            level = nxt[:64]
        return []

    def root_contents(self) -> list[LoadedContent]:
        """The contents of :meth:`root_tiles`, read."""
        return [c for c in (self.load_content(t) for t in self.root_tiles()) if c]

    def mesh_for_lod(self, lod: str | None = None) -> TriangleMesh:
        """The coarsest contents (nearest the root): what algorithms see of a tileset
        (its full detail is never read at once)."""
        return concat_meshes([c.mesh for c in self.root_contents()])

    def object_boxes(self) -> np.ndarray:
        return np.full((len(self.objects), 6), np.nan)

    def object_bbox(self, index: int, lod: str | None = None) -> np.ndarray | None:
        """The box of a feature whose content was read (None otherwise)."""
        for first, boxes in list(self._boxes.values()):  # per content read
            if first <= index < first + len(boxes):
                box = boxes[index - first]
                return box.copy() if np.isfinite(box).all() else None
        return None


def _feature_boxes(vertices: np.ndarray, triangles: np.ndarray, feature: np.ndarray,
                   n: int) -> np.ndarray:
    """(n, 6) box of each feature's triangles (NaN when it has none)."""
    out = np.full((n, 6), np.nan)
    keep = (feature >= 0) & (feature < n)
    if not n or not keep.any():
        return out
    pts = vertices[triangles[keep]].reshape(-1, 3)
    owner = np.repeat(feature[keep], 3)
    lo = np.full((n, 3), np.inf)
    hi = np.full((n, 3), -np.inf)
    np.minimum.at(lo, owner, pts)
    np.maximum.at(hi, owner, pts)
    out[:] = np.concatenate([lo, hi], axis=1)
    out[~np.isfinite(out).all(axis=1)] = np.nan
    return out
