"""Tile contents: b3dm, i3dm, cmpt, glb / glTF; pnts is reported, not drawn.

Each decoder returns a :class:`ContentMesh` in the tile's frame (z-up, RTC centre
added, before the tile transform). Batch tables (JSON values and binary columns) give
the features' properties; a b3dm's ``_BATCHID`` vertex attribute says which feature
each triangle belongs to. An i3dm's instances repeat its glTF once per instance in one
array operation (positions plain or quantized, NORMAL_UP / NORMAL_RIGHT or
EAST_NORTH_UP, uniform or per-axis scale).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.io.tiles3d.gltf import ContentMesh, GltfError, read_gltf

__all__ = ["ContentError", "decode_content"]

_TYPES: dict[str, type[np.generic]] = {
    "BYTE": np.int8, "UNSIGNED_BYTE": np.uint8, "SHORT": np.int16,
          "UNSIGNED_SHORT": np.uint16, "INT": np.int32, "UNSIGNED_INT": np.uint32,
          "FLOAT": np.float32, "DOUBLE": np.float64}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}


class ContentError(ValueError):
    """A content file that cannot be decoded (the message says why)."""


def _json(data: bytes, what: str) -> dict:
    if not data.strip(b" \x00"):
        return {}
    try:
        doc = json.loads(data.rstrip(b" \x00").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentError(f"{what} is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ContentError(f"{what} is not a JSON object")
    return doc


def _binary_property(binary: bytes, ref: dict, count: int, default: str | None = None,
                     kind: str = "SCALAR") -> np.ndarray:
    ctype = str(ref.get("componentType", default))
    dtype = np.dtype(_TYPES[ctype]).newbyteorder("<")
    width = _WIDTH[ref.get("type", kind)]
    offset = int(ref.get("byteOffset", 0))
    if offset + count * width * dtype.itemsize > len(binary):
        raise ContentError("a binary property runs past the end of its table")
    return np.frombuffer(binary, dtype, count * width, offset).reshape(count, width)


def _split(data: bytes, header: int) -> tuple[dict, bytes, dict, bytes, bytes]:
    """Feature table JSON and binary, batch table JSON and binary, and the rest."""
    if len(data) < header:
        raise ContentError("file is shorter than its header")
    ft_json, ft_bin, bt_json, bt_bin = struct.unpack_from("<4I", data, 12)
    end = header + ft_json + ft_bin + bt_json + bt_bin
    if end > len(data):
        raise ContentError("tables run past the end of the file (truncated?)")
    p = header
    feature = _json(data[p:p + ft_json], "feature table")
    p += ft_json
    feature_bin = data[p:p + ft_bin]
    p += ft_bin
    batch = _json(data[p:p + bt_json], "batch table")
    p += bt_json
    batch_bin = data[p:p + bt_bin]
    return feature, feature_bin, batch, batch_bin, data[end:]


def batch_properties(batch: dict, binary: bytes, count: int) -> list[dict[str, Any]]:
    """Per-feature property dicts of a batch table (JSON arrays and binary columns)."""
    rows: list[dict[str, Any]] = [{} for _ in range(count)]
    for name, values in batch.items():
        if name in ("extensions", "extras"):
            continue
        if isinstance(values, dict) and "byteOffset" in values:
            try:
                array = _binary_property(binary, values, count)
            except (KeyError, ContentError):
                continue
            column = array[:, 0].tolist() if array.shape[1] == 1 else array.tolist()
        elif isinstance(values, list):
            column = values
        else:
            continue
        for row, value in zip(rows, column, strict=False):  # per feature
            row[name] = value
    return rows


def _vec3(feature: dict, binary: bytes, name: str, count: int = 1) -> np.ndarray | None:
    value = feature.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        return np.asarray(value, np.float64).reshape(-1, 3)
    return _binary_property(binary, value, count, "FLOAT", "VEC3").astype(np.float64)


def _b3dm(data: bytes, base: Path, up: str) -> ContentMesh:
    feature, feature_bin, batch, batch_bin, glb = _split(data, 28)
    count = int(feature.get("BATCH_LENGTH", 0) or 0)
    rtc = _vec3(feature, feature_bin, "RTC_CENTER")
    mesh, own_tables = read_gltf(glb, base, None if rtc is None else rtc[0], up)
    if not own_tables:
        mesh.features = batch_properties(batch, batch_bin, count)
        if not count and len(mesh.tri_feature):
            n = int(mesh.tri_feature.max()) + 1
            mesh.features = [{} for _ in range(max(n, 0))]
    return mesh


def _enu(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """East and north unit vectors at ECEF positions (WGS 84, geodetic normal)."""
    a, e2 = 6378137.0, 6.69437999014e-3
    x, y, z = positions.T
    lon = np.arctan2(y, x)
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(3):
        n = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        lat = np.arctan2(z + e2 * n * np.sin(lat), p)
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=1)
    north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)],
                     axis=1)
    return east, north


def _i3dm(data: bytes, base: Path, transform: np.ndarray, up_axis: str) -> ContentMesh:
    feature, fbin, batch, batch_bin, body = _split(data, 32)
    gltf_format = struct.unpack_from("<I", data, 28)[0]
    count = int(feature.get("INSTANCES_LENGTH", 0) or 0)
    if count <= 0:
        raise ContentError("INSTANCES_LENGTH is missing or 0")
    if gltf_format == 0:
        uri = body.rstrip(b" \x00").decode("utf-8", "replace")
        try:
            body = (base / uri).read_bytes()
        except OSError as exc:
            raise ContentError(f"instanced model {uri}: {exc.strerror or exc}") from None
    proto, _ = read_gltf(body, base, None, up_axis)
    if "POSITION" in feature:
        positions = _vec3(feature, fbin, "POSITION", count)
    elif "POSITION_QUANTIZED" in feature:
        q = _binary_property(fbin, feature["POSITION_QUANTIZED"], count, "UNSIGNED_SHORT",
                             "VEC3").astype(np.float64)
        offset = np.asarray(feature.get("QUANTIZED_VOLUME_OFFSET", [0, 0, 0]), np.float64)
        scale = np.asarray(feature.get("QUANTIZED_VOLUME_SCALE", [1, 1, 1]), np.float64)
        positions = q / 65535.0 * scale + offset
    else:
        raise ContentError("instances have no POSITION")
    assert positions is not None
    rtc = _vec3(feature, fbin, "RTC_CENTER")
    if rtc is not None:
        positions = positions + rtc[0]
    up = _vec3(feature, fbin, "NORMAL_UP", count)
    right = _vec3(feature, fbin, "NORMAL_RIGHT", count)
    if up is None or right is None:
        if feature.get("EAST_NORTH_UP"):
            world = positions @ transform[:3, :3].T + transform[:3, 3]
            east, north = _enu(world)
            inverse = np.linalg.inv(transform[:3, :3])  # back into the tile's frame
            right, up = east @ inverse.T, north @ inverse.T
        else:
            right = np.tile([1.0, 0.0, 0.0], (count, 1))
            up = np.tile([0.0, 1.0, 0.0], (count, 1))
    forward = np.cross(right, up)
    # the instance rotation has columns right, up, forward (CesiumJS), applied to the
    # model after its y-up to z-up turn (read_gltf)
    rot = np.stack([right, up, forward], axis=2)  # (k, 3, 3)
    scale = np.ones((count, 3))
    if "SCALE" in feature:
        scale *= _binary_property(fbin, feature["SCALE"], count, "FLOAT").astype(np.float64)
    if "SCALE_NON_UNIFORM" in feature:
        scale *= _binary_property(fbin, feature["SCALE_NON_UNIFORM"], count, "FLOAT",
                                  "VEC3").astype(np.float64)
    if "BATCH_ID" in feature:
        ids = _binary_property(fbin, feature["BATCH_ID"], count, "UNSIGNED_SHORT")[:, 0]
        ids = ids.astype(np.int32)
    else:
        ids = np.arange(count, dtype=np.int32)
    n, m = len(proto.vertices), proto.n_triangles
    local = proto.vertices[None, :, :] * scale[:, None, :]
    verts = np.einsum("kij,knj->kni", rot, local) + positions[:, None, :]
    tris = (proto.triangles[None, :, :] + (np.arange(count) * n)[:, None, None]).reshape(-1, 3)
    mesh = ContentMesh(verts.reshape(-1, 3), tris.astype(np.int32), np.repeat(ids, m),
                       np.tile(proto.tri_color, (count, 1)),
                       None if proto.tri_texture is None else np.tile(proto.tri_texture, count),
                       None if proto.tri_uv is None else np.tile(proto.tri_uv, (count, 1, 1)),
                       proto.images, [], proto.problems)
    n_features = int(feature.get("BATCH_LENGTH", 0) or 0) or int(ids.max()) + 1
    mesh.features = batch_properties(batch, batch_bin, n_features)
    return mesh


def _cmpt(data: bytes, base: Path, transform: np.ndarray, up: str) -> ContentMesh:
    count = struct.unpack_from("<I", data, 12)[0]
    p = 16
    parts = []
    for _ in range(count):
        if p + 12 > len(data):
            raise ContentError("composite ends before its inner tiles")
        length = struct.unpack_from("<I", data, p + 8)[0]
        parts.append(decode_bytes(data[p:p + length], base, transform, up))
        p += length
    return concat_contents(parts)


def concat_contents(parts: list[ContentMesh]) -> ContentMesh:
    """One mesh of several contents (features and images renumbered)."""
    parts = [p for p in parts if p.n_triangles]
    if not parts:
        return ContentMesh.empty()
    if len(parts) == 1:
        return parts[0]
    v_off = np.cumsum([0] + [len(p.vertices) for p in parts[:-1]])
    f_off = np.cumsum([0] + [len(p.features) for p in parts[:-1]])
    i_off = np.cumsum([0] + [len(p.images) for p in parts[:-1]])
    textured = any(p.tri_texture is not None for p in parts)
    return ContentMesh(
        np.concatenate([p.vertices for p in parts]),
        np.concatenate([p.triangles + o for p, o in zip(parts, v_off, strict=True)]),
        np.concatenate([np.where(p.tri_feature >= 0, p.tri_feature + o, -1)
                        for p, o in zip(parts, f_off, strict=True)]).astype(np.int32),
        np.concatenate([p.tri_color for p in parts]),
        np.concatenate([np.where(p.tri_texture >= 0, p.tri_texture + o, -1)
                        if p.tri_texture is not None
                        else np.full(p.n_triangles, -1, np.int32)
                        for p, o in zip(parts, i_off, strict=True)]).astype(np.int32)
        if textured else None,
        np.concatenate([p.tri_uv if p.tri_uv is not None
                        else np.zeros((p.n_triangles, 3, 2), np.float32) for p in parts])
        if textured else None,
        [img for p in parts for img in p.images],
        [f for p in parts for f in p.features],
        sorted({q for p in parts for q in p.problems}))


def decode_bytes(data: bytes, base: Path, transform: np.ndarray,
                 up: str = "Y") -> ContentMesh:
    magic = data[:4]
    try:
        if magic == b"b3dm":
            return _b3dm(data, base, up)
        if magic == b"i3dm":
            return _i3dm(data, base, transform, up)
        if magic == b"cmpt":
            return _cmpt(data, base, transform, up)
        if magic == b"glTF" or data.lstrip()[:1] == b"{":
            return read_gltf(data, base, None, up)[0]
        if magic == b"pnts":
            raise ContentError("point cloud content (pnts) is not shown")
    except ContentError:
        raise
    except GltfError as exc:
        raise ContentError(str(exc)) from None
    except (struct.error, KeyError, IndexError, TypeError, ValueError) as exc:
        raise ContentError(f"broken content: {type(exc).__name__}: {exc}") from None
    raise ContentError(f"unknown content type (starts with {magic!r})")


def decode_content(path: Path, transform: np.ndarray, up: str = "Y") -> ContentMesh:
    """Read and decode one content file (``up``: the glTF up axis, ``asset.gltfUpAxis``
    of 1.0 tilesets); ContentError says what is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError("file not found") from None
    except OSError as exc:
        raise ContentError(f"cannot be read: {exc.strerror or exc}") from None
    if not data:
        raise ContentError("file is empty")
    return decode_bytes(data, path.parent, transform, up)
