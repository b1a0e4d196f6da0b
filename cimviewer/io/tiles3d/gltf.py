"""glTF 2.0 (glb or gltf JSON) to triangle arrays, with pygltflib.

Accessors become numpy arrays in one call each (strided or packed, normalized or not);
node transforms are applied per primitive as one matrix product; the result is in the
3D Tiles frame: glTF's y-up turned z-up (x, y, z) -> (x, -z, y), as the 3D Tiles
specification asks, and CESIUM_RTC's centre added.

Per triangle the mesh carries its feature id (``_BATCHID`` of 3D Tiles 1.0,
``EXT_mesh_features`` attribute feature ids of 1.1; -1: none), its material colour
(``baseColorFactor``) and, for textured materials, its image and texture coordinates per
corner. Per-feature properties come from ``EXT_structural_metadata`` property tables
(1.1); 1.0 batch tables are read by :mod:`cimviewer.io.tiles3d.content`.

Draco-compressed primitives (``KHR_draco_mesh_compression``) are decoded with DracoPy;
meshopt (``EXT_meshopt_compression``) is not supported and reported per content.
"""

from __future__ import annotations

import base64
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ContentMesh", "GltfError", "read_gltf"]

_COMPONENTS = {5120: np.int8, 5121: np.uint8, 5122: np.int16, 5123: np.uint16,
               5125: np.uint32, 5126: np.float32}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
# dataclasses_json (under pygltflib) warns about every image without a uri, i.e. every
# image in a buffer view as in every glb: not a problem of the file. A filter for the
# process (catch_warnings is not thread-safe, and contents are read on worker threads)
warnings.filterwarnings("ignore", message="Missing value of non-optional type uri",
                        category=RuntimeWarning)
#: glTF y-up to 3D Tiles z-up: a rotation of +90 degrees about x
Y_UP_TO_Z_UP = np.array([[1.0, 0, 0, 0], [0, 0, -1, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
#: the turn into z-up by the tileset's ``asset.gltfUpAxis`` (1.0; default Y): X and Z
#: as CesiumJS reads them
UP_AXIS = {"Y": Y_UP_TO_Z_UP, "Z": np.eye(4),
           "X": np.array([[0.0, 0, -1, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]])}


class GltfError(ValueError):
    """A glTF that cannot be read (the message says what is wrong)."""


@dataclass
class ContentMesh:
    """Triangles of one content in its tile's frame (z-up, before the tile transform).

    ``tri_feature`` indexes ``features`` (property dicts; -1: no feature);
    ``tri_texture`` indexes ``images`` (encoded PNG / JPEG bytes; -1: untextured).
    """

    vertices: np.ndarray  # (n, 3) float64
    triangles: np.ndarray  # (m, 3) int32
    tri_feature: np.ndarray  # (m,) int32
    tri_color: np.ndarray  # (m, 3) uint8
    tri_texture: np.ndarray | None = None  # (m,) int32
    tri_uv: np.ndarray | None = None  # (m, 3, 2) float32
    images: list[bytes] = field(default_factory=list)
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def empty(cls) -> ContentMesh:
        return cls(np.zeros((0, 3)), np.zeros((0, 3), np.int32), np.zeros(0, np.int32),
                   np.zeros((0, 3), np.uint8))

    @property
    def n_triangles(self) -> int:
        return len(self.triangles)


def _matrix(node: Any) -> np.ndarray:
    if node.matrix is not None and len(node.matrix) == 16:
        return np.array(node.matrix, np.float64).reshape(4, 4).T  # column-major
    m = np.eye(4)
    if node.scale is not None:
        m = np.diag([*node.scale, 1.0]) @ m
    if node.rotation is not None:
        x, y, z, w = node.rotation
        r = np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                      [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                      [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])
        rot = np.eye(4)
        rot[:3, :3] = r
        m = rot @ m
    if node.translation is not None:
        t = np.eye(4)
        t[:3, 3] = node.translation
        m = t @ m
    return m


class _Gltf:
    """A parsed glTF with its buffers as bytes."""

    def __init__(self, data: bytes, base: Path | None):
        from pygltflib import GLTF2

        self.base = base
        try:
            if data[:4] == b"glTF":
                self.doc = GLTF2.load_from_bytes(data)
            else:
                self.doc = GLTF2.from_json(data.decode("utf-8"))
        except Exception as exc:
            raise GltfError(f"not a valid glTF: {type(exc).__name__}: {exc}") from None
        if self.doc is None:
            raise GltfError("not a valid glTF (empty or truncated)")
        blob = self.doc.binary_blob() if data[:4] == b"glTF" else None
        self.buffers: list[bytes] = []
        for i, buf in enumerate(self.doc.buffers):
            if buf.uri is None:
                if blob is None and i == 0:
                    raise GltfError("buffer 0 has no data")
                self.buffers.append(blob or b"")
            elif buf.uri.startswith("data:"):
                self.buffers.append(base64.b64decode(buf.uri.split(",", 1)[1]))
            else:
                self.buffers.append(self._file(buf.uri))

    def _file(self, uri: str) -> bytes:
        from urllib.parse import unquote

        if self.base is None:
            raise GltfError(f"external file {uri} of an embedded glTF")
        path = self.base / unquote(uri)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise GltfError(f"{uri}: {exc.strerror or exc}") from None

    def view(self, index: int) -> tuple[bytes, int, int, int | None]:
        """(buffer, offset, length, stride) of a buffer view."""
        bv = self.doc.bufferViews[index]
        return (self.buffers[bv.buffer], bv.byteOffset or 0, bv.byteLength,
                bv.byteStride)

    def view_bytes(self, index: int) -> bytes:
        buf, off, length, _ = self.view(index)
        return buf[off:off + length]

    def accessor(self, index: int) -> np.ndarray:
        acc = self.doc.accessors[index]
        dtype = np.dtype(_COMPONENTS[acc.componentType]).newbyteorder("<")
        width = _WIDTH[acc.type]
        count = acc.count
        if acc.bufferView is None:
            out = np.zeros((count, width), dtype)
        else:
            buf, off, _length, stride = self.view(acc.bufferView)
            off += acc.byteOffset or 0
            item = dtype.itemsize * width
            if stride and stride != item:
                raw = np.ndarray((count,), np.dtype((np.void, item)), buf, off, (stride,))
                out = np.frombuffer(raw.tobytes(), dtype).reshape(count, width)
            else:
                out = np.frombuffer(buf, dtype, count * width, off).reshape(count, width)
        if acc.sparse is not None:
            raise GltfError("sparse accessors are not supported")
        if acc.normalized and dtype.kind in "iu":
            info = np.iinfo(dtype)
            out = np.maximum(out.astype(np.float64) / info.max, -1.0)
        return out

    def image(self, index: int) -> bytes | None:
        img = self.doc.images[index]
        if img.bufferView is not None:
            return self.view_bytes(img.bufferView)
        if img.uri:
            if img.uri.startswith("data:"):
                return base64.b64decode(img.uri.split(",", 1)[1])
            return self._file(img.uri)
        return None


def _primitive_triangles(mode: int | None, indices: np.ndarray) -> np.ndarray:
    mode = 4 if mode is None else mode
    if mode == 4:
        return indices[: len(indices) // 3 * 3].reshape(-1, 3)
    if mode == 5 and len(indices) >= 3:  # strip: every other triangle flipped
        k = np.arange(len(indices) - 2)
        tris = np.stack([indices[k], indices[k + 1], indices[k + 2]], axis=1)
        odd = k % 2 == 1
        tris[odd] = tris[odd][:, [1, 0, 2]]
        return tris
    if mode == 6 and len(indices) >= 3:  # fan
        k = np.arange(1, len(indices) - 1)
        return np.stack([np.full(len(k), indices[0]), indices[k], indices[k + 1]], axis=1)
    return np.zeros((0, 3), np.int64)


def _draco(gltf: _Gltf, ext: dict) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Attributes by glTF name and the triangle indices of a Draco primitive."""
    try:
        import DracoPy
    except ImportError:
        raise GltfError("Draco-compressed content is not supported (DracoPy is not "
                        "installed)") from None
    mesh = DracoPy.decode(gltf.view_bytes(int(ext["bufferView"])))
    out = {}
    for name, unique_id in (ext.get("attributes") or {}).items():
        attr = mesh.get_attribute_by_unique_id(int(unique_id))
        if attr is not None and attr.get("data") is not None:
            data = np.asarray(attr["data"])
            out[name] = data.reshape(len(data), -1)
    faces = getattr(mesh, "faces", None)
    if faces is None:
        raise GltfError("Draco point clouds are not supported")
    return out, np.asarray(faces, np.int64).ravel()


def _property_tables(gltf: _Gltf) -> list[list[dict[str, Any]]]:
    """EXT_structural_metadata property tables as per-feature dicts (scalars and
    strings; arrays are left out)."""
    ext = (gltf.doc.extensions or {}).get("EXT_structural_metadata")
    if not isinstance(ext, dict):
        return []
    classes = ((ext.get("schema") or {}).get("classes")) or {}
    tables = []
    for table in ext.get("propertyTables") or []:
        count = int(table.get("count", 0))
        rows: list[dict[str, Any]] = [{} for _ in range(count)]
        cls = classes.get(table.get("class"), {}).get("properties", {})
        columns: dict[str, list] = {}
        for name, prop in (table.get("properties") or {}).items():
            kind = cls.get(name, {})
            values = _property_values(gltf, prop, kind, count)
            if values is not None:
                columns[name] = values
        for name, values in columns.items():  # per column, then per feature
            for row, value in zip(rows, values, strict=False):
                row[name] = value
        tables.append(rows)
    return tables


_SCALAR_TYPES = {"INT8": np.int8, "UINT8": np.uint8, "INT16": np.int16,
                 "UINT16": np.uint16, "INT32": np.int32, "UINT32": np.uint32,
                 "INT64": np.int64, "UINT64": np.uint64, "FLOAT32": np.float32,
                 "FLOAT64": np.float64}
_OFFSET_TYPES = {"UINT8": np.uint8, "UINT16": np.uint16, "UINT32": np.uint32,
                 "UINT64": np.uint64}


def _property_values(gltf: _Gltf, prop: dict, kind: dict, count: int) -> list | None:
    if kind.get("array"):
        return None
    values = gltf.view_bytes(int(prop["values"]))
    ptype = kind.get("type")
    if ptype == "STRING":
        otype = _OFFSET_TYPES[prop.get("stringOffsetType", "UINT32")]
        offsets = np.frombuffer(gltf.view_bytes(int(prop["stringOffsets"])), otype,
                                count + 1)
        return [values[a:b].decode("utf-8", "replace")
                for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
    if ptype == "BOOLEAN":
        bits = np.unpackbits(np.frombuffer(values, np.uint8), bitorder="little")
        return [bool(b) for b in bits[:count]]
    if ptype == "SCALAR":
        dtype = _SCALAR_TYPES[kind.get("componentType", "FLOAT32")]
        array = np.frombuffer(values, dtype, count).astype(np.float64)
        array = array * float(prop.get("scale", kind.get("scale", 1.0))) + float(
            prop.get("offset", kind.get("offset", 0.0)))
        return array.tolist()
    return None


def _feature_ids(gltf: _Gltf, prim: Any, attrs: dict[str, int | np.ndarray],
                 n_vertices: int) -> tuple[np.ndarray | None, int | None]:
    """Per-vertex feature ids and the property table they index (or None)."""
    ext = (prim.extensions or {}).get("EXT_mesh_features")
    if isinstance(ext, dict):
        for fid in ext.get("featureIds") or []:
            table = fid.get("propertyTable")
            if "attribute" in fid:
                name = f"_FEATURE_ID_{int(fid['attribute'])}"
                if name in attrs:
                    return _attribute(gltf, attrs[name])[:, 0].astype(np.int64), table
            elif "texture" not in fid:  # implicit: the vertex index
                return np.arange(n_vertices, dtype=np.int64), table
    for name in ("_BATCHID", "BATCHID", "_FEATURE_ID_0"):
        if name in attrs:
            return _attribute(gltf, attrs[name])[:, 0].astype(np.int64), None
    return None, None


def _attribute(gltf: _Gltf, ref: int | np.ndarray) -> np.ndarray:
    return gltf.accessor(ref) if isinstance(ref, int) else ref


def read_gltf(data: bytes, base: Path | None = None,
              rtc_center: np.ndarray | None = None, up_axis: str = "Y") -> tuple[ContentMesh, bool]:
    """A glb / glTF document as a :class:`ContentMesh` in z-up tile coordinates;
    ``base`` resolves external buffers and images. Returns (mesh, has its own
    property tables)."""
    gltf = _Gltf(data, base)
    doc = gltf.doc
    needed = set(doc.extensionsRequired or [])
    if "EXT_meshopt_compression" in needed:
        raise GltfError("meshopt-compressed content (EXT_meshopt_compression) is not "
                        "supported")
    rtc = (doc.extensions or {}).get("CESIUM_RTC")
    centre = np.zeros(3)
    if isinstance(rtc, dict) and rtc.get("center"):
        centre = np.asarray(rtc["center"], np.float64)
    if rtc_center is not None:
        centre = centre + rtc_center
    tables = _property_tables(gltf)
    problems: list[str] = []
    parts: list[tuple] = []
    scene = doc.scenes[doc.scene or 0] if doc.scenes else None
    roots = scene.nodes if scene is not None else list(range(len(doc.nodes)))
    turn = UP_AXIS.get(up_axis, Y_UP_TO_Z_UP)
    stack = [(int(n), turn) for n in roots]
    images: dict[int, int] = {}  # glTF image -> index in the content's images
    image_bytes: list[bytes] = []
    features: list[dict[str, Any]] = []
    table_offsets: dict[int, int] = {}
    while stack:
        index, parent = stack.pop()
        node = doc.nodes[index]
        matrix = parent @ _matrix(node)
        stack.extend((int(c), matrix) for c in node.children or [])
        if node.mesh is None:
            continue
        for prim in doc.meshes[node.mesh].primitives:
            if prim.mode not in (None, 4, 5, 6):
                problems.append("points and lines in glTF content are not shown")
                continue
            attrs: dict[str, Any] = {k: v for k, v in vars(prim.attributes).items()
                                     if v is not None}
            draco = (prim.extensions or {}).get("KHR_draco_mesh_compression")
            if isinstance(draco, dict):
                decoded, indices = _draco(gltf, draco)
                attrs = {**attrs, **decoded}
            else:
                indices = None
            if "POSITION" not in attrs:
                continue
            pos = _attribute(gltf, attrs["POSITION"]).astype(np.float64)[:, :3]
            if indices is None:
                indices = (gltf.accessor(prim.indices)[:, 0].astype(np.int64)
                           if prim.indices is not None else np.arange(len(pos)))
            tris = _primitive_triangles(prim.mode, indices)
            if len(tris) and (tris.max() >= len(pos) or tris.min() < 0):
                raise GltfError("triangle index out of range")
            world = pos @ matrix[:3, :3].T + matrix[:3, 3]
            fids, table = _feature_ids(gltf, prim, attrs, len(pos))
            if fids is not None and table is not None and table < len(tables):
                if table not in table_offsets:
                    table_offsets[table] = len(features)
                    features.extend(tables[table])
                base_id = table_offsets[table]
                tri_f = np.where(fids[tris[:, 0]] >= 0, fids[tris[:, 0]] + base_id, -1)
            elif fids is not None:
                tri_f = fids[tris[:, 0]]
            else:
                tri_f = np.full(len(tris), -1, np.int64)
            color, tex, uv = _material(gltf, prim, attrs, tris, images, image_bytes)
            parts.append((world, tris, tri_f, color, tex, uv))
    if not parts:
        mesh = ContentMesh.empty()
        mesh.problems = problems
        return mesh, bool(tables)
    offsets = np.cumsum([0] + [len(p[0]) for p in parts[:-1]])
    vertices = np.concatenate([p[0] for p in parts]) + centre
    triangles = np.concatenate([p[1] + o for p, o in zip(parts, offsets, strict=True)])
    n = [len(p[1]) for p in parts]
    textured = any(p[4] is not None for p in parts)
    mesh = ContentMesh(
        vertices, triangles.astype(np.int32),
        np.concatenate([p[2] for p in parts]).astype(np.int32),
        np.concatenate([p[3] for p in parts]).astype(np.uint8),
        np.concatenate([p[4] if p[4] is not None else np.full(k, -1, np.int32)
                        for p, k in zip(parts, n, strict=True)]) if textured else None,
        np.concatenate([p[5] if p[5] is not None else np.zeros((k, 3, 2), np.float32)
                        for p, k in zip(parts, n, strict=True)]) if textured else None,
        image_bytes, features, sorted(set(problems)))
    return mesh, bool(tables)


def _material(gltf: _Gltf, prim: Any, attrs: dict, tris: np.ndarray, images: dict[int, int],
              image_bytes: list[bytes]) -> tuple[np.ndarray, np.ndarray | None,
                                                 np.ndarray | None]:
    """Per-triangle colour, image and corner texture coordinates of a primitive."""
    doc = gltf.doc
    rgb = np.array([200, 200, 200], np.uint8)
    tex = uv = None
    if prim.material is not None and prim.material < len(doc.materials):
        mat = doc.materials[prim.material]
        pbr = mat.pbrMetallicRoughness
        if pbr is not None and pbr.baseColorFactor:
            rgb = np.clip(np.round(np.asarray(pbr.baseColorFactor[:3]) ** (1 / 2.2) * 255),
                          0, 255).astype(np.uint8)
        info = pbr.baseColorTexture if pbr is not None else None
        if info is not None and info.index is not None and info.index < len(doc.textures):
            source = doc.textures[info.index].source
            name = f"TEXCOORD_{info.texCoord or 0}"
            if source is not None and name in attrs:
                if source not in images:
                    data = gltf.image(source)
                    images[source] = len(image_bytes) if data else -1
                    if data:
                        image_bytes.append(data)
                if images[source] >= 0:
                    coords = _attribute(gltf, attrs[name]).astype(np.float32)[:, :2]
                    corner = coords[tris]  # (m, 3, 2)
                    corner[..., 1] = 1.0 - corner[..., 1]  # glTF v runs down the image
                    tex = np.full(len(tris), images[source], np.int32)
                    uv = corner
                    rgb = np.array([255, 255, 255], np.uint8)
    return np.broadcast_to(rgb, (len(tris), 3)), tex, uv


def glb_json_chunk(data: bytes) -> dict:
    """The JSON chunk of a glb (for quick checks)."""
    import json

    length = struct.unpack_from("<I", data, 12)[0]
    return json.loads(data[20:20 + length])
