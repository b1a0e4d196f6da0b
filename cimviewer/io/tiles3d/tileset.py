"""The tile tree of a 3D Tiles 1.0 / 1.1 tileset.

``tileset.json`` is parsed into :class:`Tile` objects: geometric error, refinement
(ADD / REPLACE, inherited), the transform chained parent -> child, the bounding volume
(box, region or sphere) and the content files (``content.uri`` / ``url``, 1.1
``contents``). Children that need another file are made lazily, by the tile's
``expander``, the first time the traversal (or a count) goes below it:

* a content that is itself a tileset (``.json``): an external tileset, resolved relative
  to the file that names it, its root transform chained to the pointing tile;
* ``implicitTiling`` (1.1): subtree files (binary ``.subtree`` or JSON) say which
  tiles and contents of a quadtree / octree exist (bitstreams or constants); the tiles
  of one subtree are made together, the child subtrees when their parents are reached.

A tile whose children come from another file is a "pass-through": the traversal always
descends through it (it has no content of its own to draw).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np

__all__ = ["Tile", "TilesetError", "TilesetTree"]

#: an external tileset chain deeper than this is a cycle or a mistake
MAX_EXTERNAL_DEPTH = 32


class TilesetError(ValueError):
    """A tileset.json (or subtree) that cannot be read."""


@dataclass(eq=False)
class Tile:
    geometric_error: float
    refine: str  # "ADD" or "REPLACE"
    transform: np.ndarray  # (4, 4) computed: tile frame -> root frame (ECEF when geo)
    volume_kind: str  # "box", "region" or "sphere"
    volume: np.ndarray
    contents: list[Path] = field(default_factory=list)
    parent: Tile | None = None
    depth: int = 0
    children: list[Tile] = field(default_factory=list)
    #: makes the children that live in another file (external tileset, subtree)
    expander: Callable[[], list[Tile]] | None = None
    passthrough: bool = False
    #: an implicit tiling's placeholder (the declared tile): not counted twice
    implicit_root: bool = False
    index: int = -1  # in TilesetTree.tiles
    #: placed in the layer CRS (TilesetTree.place): centre, radius, box
    centre: np.ndarray = field(default_factory=lambda: np.zeros(3))
    radius: float = 0.0
    bbox: np.ndarray = field(default_factory=lambda: np.zeros(6))

    @property
    def expanded(self) -> bool:
        return self.expander is None


def _matrix(values: Any) -> np.ndarray:
    if values is None:
        return np.eye(4)
    m = np.asarray(values, np.float64)
    if m.shape != (16,) or not np.isfinite(m).all():
        raise TilesetError("transform must be 16 numbers")
    return m.reshape(4, 4).T  # column-major


def _volume(doc: Any, where: str) -> tuple[str, np.ndarray]:
    if not isinstance(doc, dict):
        raise TilesetError(f"{where}: boundingVolume is missing")
    for kind, size in (("box", 12), ("region", 6), ("sphere", 4)):
        if kind in doc:
            v = np.asarray(doc[kind], np.float64)
            if v.shape != (size,) or not np.isfinite(v).all():
                raise TilesetError(f"{where}: boundingVolume.{kind} must be {size} numbers")
            return kind, v
    raise TilesetError(f"{where}: boundingVolume has no box, region or sphere")


def _uri(item: Any) -> str | None:
    if isinstance(item, dict):
        value = item.get("uri", item.get("url"))
        return value if isinstance(value, str) and value else None
    return None


def _read_json(path: Path) -> dict:
    try:
        doc = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise TilesetError("file not found") from None
    except OSError as exc:
        raise TilesetError(f"cannot be read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TilesetError(f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("root"), dict):
        raise TilesetError("not a 3D Tiles tileset (no root tile)")
    return doc


class TilesetTree:
    """All tiles known so far (``tiles``), the root, and what went wrong while reading.

    ``on_new`` is told about every batch of tiles made (placement in the layer CRS)."""

    def __init__(self, path: Path):
        self.path = path
        doc = _read_json(path)
        asset = doc.get("asset")
        if not isinstance(asset, dict) or "version" not in asset:
            raise TilesetError("asset.version is missing")
        self.version = str(asset["version"])
        #: the glTF up axis of the contents (1.0's ``asset.gltfUpAxis``; glTF's is Y)
        self.up_axis = str(asset.get("gltfUpAxis", "Y")).upper()
        self.properties = doc.get("properties") or {}
        self.tiles: list[Tile] = []
        self.problems: list[str] = []
        self.on_new: Callable[[list[Tile]], None] = lambda _tiles: None
        made: list[Tile] = []
        self.root = self._parse(doc["root"], np.eye(4), path.parent, None, "REPLACE",
                                "root", made, 0)
        self._add(made)

    # --- tiles ----------------------------------------------------------------------
    def _add(self, made: list[Tile]) -> None:
        for tile in made:
            tile.index = len(self.tiles)
            self.tiles.append(tile)
        if made:
            self.on_new(made)

    def _parse(self, doc: dict, parent_transform: np.ndarray, base: Path,
               parent: Tile | None, refine: str, where: str, made: list[Tile],
               external_depth: int) -> Tile:
        if not isinstance(doc, dict):
            raise TilesetError(f"{where}: a tile must be a JSON object")
        error = doc.get("geometricError", parent.geometric_error if parent else 0.0)
        if not isinstance(error, (int, float)) or not np.isfinite(error) or error < 0:
            raise TilesetError(f"{where}: geometricError must be a number >= 0")
        own_refine = str(doc.get("refine", refine)).upper()
        if own_refine not in ("ADD", "REPLACE"):
            own_refine = refine
        transform = parent_transform @ _matrix(doc.get("transform"))
        kind, volume = _volume(doc.get("boundingVolume"), where)
        tile = Tile(float(error), own_refine, transform, kind, volume, parent=parent,
                    depth=0 if parent is None else parent.depth + 1)
        made.append(tile)
        items = list(doc.get("contents") or [])
        if doc.get("content") is not None:
            items.insert(0, doc["content"])
        implicit = doc.get("implicitTiling")
        if isinstance(implicit, dict):
            self._implicit_root(tile, doc, implicit, base, where)
            return tile
        externals = []
        for item in items:
            uri = _uri(item)
            if uri is None:
                continue
            if "://" in uri and not uri.startswith("file://"):
                self.problems.append(f"{where}: remote content {uri} is not read")
                continue
            target = base / unquote(uri.removeprefix("file://"))
            if target.suffix.lower() == ".json":
                externals.append(target)
            else:
                tile.contents.append(target)
        for i, child in enumerate(doc.get("children") or []):
            tile.children.append(self._parse(child, transform, base, tile, own_refine,
                                             f"{where}.children[{i}]", made,
                                             external_depth))
        if externals:
            tile.passthrough = not tile.contents
            tile.expander = lambda: self._externals(tile, externals, external_depth + 1)
        return tile

    def _externals(self, tile: Tile, paths: list[Path], depth: int) -> list[Tile]:
        out = []
        for path in paths:
            if depth > MAX_EXTERNAL_DEPTH:
                self.problems.append(f"{path.name}: external tilesets nested deeper than "
                                     f"{MAX_EXTERNAL_DEPTH} (a cycle?): not read")
                continue
            try:
                doc = _read_json(path)
                made: list[Tile] = []
                root = self._parse(doc["root"], tile.transform, path.parent, tile,
                                   tile.refine, f"{path.name} root", made, depth)
            except TilesetError as exc:
                self.problems.append(f"external tileset {self._name(path)}: {exc}")
                continue
            self._add(made)
            out.append(root)
        return out

    def _name(self, path: Path) -> str:
        try:
            return path.relative_to(self.path.parent).as_posix()
        except ValueError:
            return path.name

    def expand(self, tile: Tile) -> None:
        """Make the tile's children that live in other files (once)."""
        expander, tile.expander = tile.expander, None
        if expander is not None:
            tile.children.extend(expander())

    def expand_all(self, limit: int = 5_000_000) -> None:
        """Every external tileset and subtree read (for counts): up to ``limit`` tiles."""
        stack = [self.root]
        while stack and len(self.tiles) < limit:
            tile = stack.pop()
            if tile.expander is not None:
                self.expand(tile)
            stack.extend(tile.children)

    @property
    def n_tiles(self) -> int:
        return sum(1 for t in self.tiles if not t.implicit_root)

    # --- implicit tiling --------------------------------------------------------------
    def _implicit_root(self, tile: Tile, doc: dict, implicit: dict, base: Path,
                       where: str) -> None:
        scheme = str(implicit.get("subdivisionScheme", "")).upper()
        if scheme not in ("QUADTREE", "OCTREE"):
            raise TilesetError(f"{where}: implicitTiling.subdivisionScheme must be QUADTREE "
                               "or OCTREE")
        try:
            levels = int(implicit["subtreeLevels"])
            available = int(implicit["availableLevels"])
            subtrees = _uri(implicit["subtrees"])
        except (KeyError, TypeError, ValueError):
            raise TilesetError(f"{where}: implicitTiling needs subtreeLevels, "
                               "availableLevels and subtrees.uri") from None
        if subtrees is None or levels < 1 or available < 1:
            raise TilesetError(f"{where}: implicitTiling is incomplete")
        if tile.volume_kind == "sphere":
            raise TilesetError(f"{where}: implicit tiling needs a box or region volume")
        items = list(doc.get("contents") or [])
        if doc.get("content") is not None:
            items.insert(0, doc["content"])
        spec = _Implicit(scheme, levels, available, subtrees,
                         [u for u in (_uri(i) for i in items) if u], base, tile)
        tile.implicit_root = True
        tile.passthrough = True
        tile.expander = lambda: self._subtree(spec, 0, 0, 0, 0, tile)

    def _subtree(self, spec: _Implicit, level: int, x: int, y: int, z: int,
                 parent: Tile) -> list[Tile]:
        """The tiles of one subtree (its root at ``level, x, y, z``), children of
        ``parent``; its leaves read their child subtrees when reached."""
        uri = spec.fill(spec.subtree_uri, level, x, y, z)
        try:
            tiles_bits, content_bits, child_bits = _read_subtree(spec.base / uri, spec)
        except TilesetError as exc:
            self.problems.append(f"subtree {uri}: {exc}")
            return []
        octree = spec.octree
        branch = 8 if octree else 4
        made: list[Tile] = []
        by_key: dict[tuple[int, int], Tile] = {}
        offset = 0
        for rel in range(spec.subtree_levels):  # per level, then per available tile
            count = branch ** rel
            if level + rel >= spec.available_levels:
                break
            present = np.flatnonzero(tiles_bits[offset:offset + count])
            for m in present.tolist():
                lx, ly, lz = _demorton(m, octree)
                gx, gy, gz = (x << rel) + lx, (y << rel) + ly, (z << rel) + lz
                up = by_key.get((rel - 1, m // branch)) if rel else parent
                if up is None:
                    continue
                tile = spec.tile(level + rel, gx, gy, gz, up)
                for k, bits in enumerate(content_bits):
                    if k < len(spec.contents) and bits[offset + m]:
                        tile.contents.append(spec.base / spec.fill(spec.contents[k],
                                                                   level + rel, gx, gy, gz))
                up.children.append(tile)
                by_key[(rel, m)] = tile
                made.append(tile)
            offset += count
        # the leaves' child subtrees, read when the traversal reaches them
        last = spec.subtree_levels - 1
        if level + spec.subtree_levels < spec.available_levels:
            for m in np.flatnonzero(child_bits).tolist():
                leaf = by_key.get((last, m // branch))
                if leaf is None:
                    continue
                cx, cy, cz = _demorton(m, octree)
                rel = spec.subtree_levels
                key = (level + rel, (x << rel) + cx, (y << rel) + cy, (z << rel) + cz)
                previous = leaf.expander
                leaf.expander = _chain(previous, key, spec, leaf, self)
        self._add(made)
        return [t for t in made if t.parent is parent]


def _chain(previous: Callable[[], list[Tile]] | None, key: tuple[int, int, int, int],
           spec: _Implicit, leaf: Tile, tree: TilesetTree) -> Callable[[], list[Tile]]:
    def expand() -> list[Tile]:
        before = previous() if previous is not None else []
        return before + tree._subtree(spec, *key, leaf)
    return expand


def _demorton(m: int, octree: bool) -> tuple[int, int, int]:
    x = y = z = 0
    bit = 0
    step = 3 if octree else 2
    while m >> (bit * step):
        x |= ((m >> (bit * step)) & 1) << bit
        y |= ((m >> (bit * step + 1)) & 1) << bit
        if octree:
            z |= ((m >> (bit * step + 2)) & 1) << bit
        bit += 1
    return x, y, z


@dataclass
class _Implicit:
    scheme: str
    subtree_levels: int
    available_levels: int
    subtree_uri: str
    contents: list[str]
    base: Path
    root: Tile

    @property
    def octree(self) -> bool:
        return self.scheme == "OCTREE"

    @staticmethod
    def fill(template: str, level: int, x: int, y: int, z: int) -> str:
        return unquote(template.replace("{level}", str(level)).replace("{x}", str(x))
                       .replace("{y}", str(y)).replace("{z}", str(z)))

    def tile(self, level: int, x: int, y: int, z: int, parent: Tile) -> Tile:
        """The implicit tile at these coordinates: the root volume subdivided."""
        root = self.root
        n = float(1 << level)
        v = root.volume
        if root.volume_kind == "box":
            c, u, w_, h = v[:3], v[3:6], v[6:9], v[9:12]
            fx, fy = (2 * x + 1) / n - 1, (2 * y + 1) / n - 1
            centre = c + u * fx + w_ * fy
            if self.octree:
                centre = centre + h * ((2 * z + 1) / n - 1)
                h = h / n
            volume = np.concatenate([centre, u / n, w_ / n, h])
        else:
            west, south, east, north, low, high = v
            dx, dy = (east - west) / n, (north - south) / n
            if self.octree:
                dz = (high - low) / n
                low, high = low + z * dz, low + (z + 1) * dz
            volume = np.array([west + x * dx, south + y * dy, west + (x + 1) * dx,
                               south + (y + 1) * dy, low, high])
        return Tile(root.geometric_error / n, root.refine, root.transform,
                    root.volume_kind, volume, parent=parent, depth=parent.depth + 1)


def _bits(spec: Any, count: int, views: list[bytes], where: str) -> np.ndarray:
    if not isinstance(spec, dict):
        raise TilesetError(f"{where} is missing")
    if "constant" in spec:
        return np.full(count, bool(spec["constant"]))
    try:
        data = views[int(spec["bitstream"] if "bitstream" in spec else spec["bufferView"])]
    except (KeyError, IndexError, ValueError, TypeError):
        raise TilesetError(f"{where}: no bitstream") from None
    bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little").astype(bool)
    if len(bits) < count:
        raise TilesetError(f"{where}: bitstream too short")
    return bits[:count]


def _read_subtree(path: Path, spec: _Implicit) -> tuple[np.ndarray, list[np.ndarray],
                                                        np.ndarray]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TilesetError("file not found") from None
    except OSError as exc:
        raise TilesetError(f"cannot be read: {exc.strerror or exc}") from None
    binary = b""
    try:
        if data[:4] == b"subt":
            json_len, bin_len = struct.unpack_from("<QQ", data, 8)
            doc = json.loads(data[24:24 + json_len])
            binary = data[24 + json_len:24 + json_len + bin_len]
        else:
            doc = json.loads(data)
    except (struct.error, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TilesetError(f"not a subtree: {exc}") from None
    if not isinstance(doc, dict):
        raise TilesetError("not a subtree")
    buffers = []
    for i, buf in enumerate(doc.get("buffers") or []):
        uri = _uri(buf)
        if uri is None:
            buffers.append(binary)
        else:
            try:
                buffers.append((path.parent / unquote(uri)).read_bytes())
            except OSError as exc:
                raise TilesetError(f"buffer {i} ({uri}): {exc.strerror or exc}") from None
    views = []
    for bv in doc.get("bufferViews") or []:
        try:
            buf = buffers[int(bv["buffer"])]
            start = int(bv.get("byteOffset", 0))
            views.append(buf[start:start + int(bv["byteLength"])])
        except (KeyError, IndexError, ValueError, TypeError):
            raise TilesetError("a bufferView is broken") from None
    branch = 8 if spec.octree else 4
    n_levels = spec.subtree_levels
    n_tiles = (branch ** n_levels - 1) // (branch - 1)
    tiles = _bits(doc.get("tileAvailability"), n_tiles, views, "tileAvailability")
    contents = [_bits(c, n_tiles, views, f"contentAvailability[{k}]")
                for k, c in enumerate(doc.get("contentAvailability") or [])]
    children = _bits(doc.get("childSubtreeAvailability", {"constant": 0}),
                     branch ** n_levels, views, "childSubtreeAvailability")
    return tiles, contents, children
