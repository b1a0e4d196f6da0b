"""Writing small real 3D Tiles tilesets for tests and the benchmark: glb by pygltflib,
b3dm / i3dm / subtree containers by the 3D Tiles 1.0 / 1.1 layouts."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np
import pygltflib

# a box of 12 triangles, z-up, unit size, origin at its bottom centre
_BOX_V = np.array([[x, y, z] for z in (0, 1) for y in (-0.5, 0.5) for x in (-0.5, 0.5)],
                  np.float32)
_BOX_T = np.array([[0, 2, 1], [1, 2, 3], [4, 5, 6], [5, 7, 6], [0, 1, 4], [1, 5, 4],
                   [2, 6, 3], [3, 6, 7], [0, 4, 2], [2, 4, 6], [1, 3, 5], [3, 7, 5]],
                  np.uint32)


def png_bytes(rgb=(220, 30, 30), size=4) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), rgb).save(out, "PNG")
    return out.getvalue()


def _pad(data: bytes, to: int = 8, fill: bytes = b"\x00") -> bytes:
    return data + fill * (-len(data) % to)


def glb(vertices: np.ndarray, triangles: np.ndarray, *, batch_ids: np.ndarray | None = None,
        color=(0.5, 0.5, 0.5, 1.0), png: bytes | None = None, uv: np.ndarray | None = None,
        feature_attr: str = "_BATCHID", property_table: dict | None = None,
        draco: bool = False) -> bytes:
    """A glb of one primitive; ``vertices`` z-up (written y-up, as glTF wants)."""
    v = np.asarray(vertices, np.float32)
    yup = np.column_stack([v[:, 0], v[:, 2], -v[:, 1]]).astype(np.float32)
    tris = np.asarray(triangles, np.uint32)
    blob = b""
    views, accessors = [], []

    def add(array: np.ndarray, ctype: int, kind: str, target=None, minmax=False) -> int:
        nonlocal blob
        data = array.tobytes()
        views.append(pygltflib.BufferView(buffer=0, byteOffset=len(blob),
                                          byteLength=len(data), target=target))
        blob += _pad(data, 4)
        acc = pygltflib.Accessor(bufferView=len(views) - 1, componentType=ctype,
                                 count=len(array), type=kind)
        if minmax:
            acc.min, acc.max = array.min(axis=0).tolist(), array.max(axis=0).tolist()
        accessors.append(acc)
        return len(accessors) - 1

    attrs = pygltflib.Attributes()
    extensions: dict = {}
    used: list[str] = []
    if draco:
        import DracoPy

        encoded = DracoPy.encode(yup, tris.reshape(-1, 3),
                                 tex_coord=None if uv is None else np.asarray(uv, np.float64))
        views.append(pygltflib.BufferView(buffer=0, byteOffset=0, byteLength=len(encoded)))
        blob += _pad(encoded, 4)
        ids = {"POSITION": 1, "TEXCOORD_0": 0} if uv is not None else {"POSITION": 0}
        accessors.append(pygltflib.Accessor(componentType=5126, count=len(yup), type="VEC3",
                                            min=yup.min(axis=0).tolist(),
                                            max=yup.max(axis=0).tolist()))
        attrs.POSITION = 0
        if uv is not None:
            accessors.append(pygltflib.Accessor(componentType=5126, count=len(yup),
                                                type="VEC2"))
            attrs.TEXCOORD_0 = 1
        accessors.append(pygltflib.Accessor(componentType=5125, count=tris.size,
                                            type="SCALAR"))
        indices = len(accessors) - 1
        prim_ext = {"KHR_draco_mesh_compression": {"bufferView": 0, "attributes": ids}}
        used.append("KHR_draco_mesh_compression")
    else:
        attrs.POSITION = add(yup, 5126, "VEC3", 34962, minmax=True)
        if uv is not None:
            attrs.TEXCOORD_0 = add(np.asarray(uv, np.float32), 5126, "VEC2", 34962)
        if batch_ids is not None:
            setattr(attrs, feature_attr, add(np.asarray(batch_ids, np.float32), 5126,
                                             "SCALAR", 34962))
        indices = add(tris.reshape(-1), 5125, "SCALAR", 34963)
        prim_ext = {}
    material = pygltflib.Material(pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
        baseColorFactor=list(color), metallicFactor=0.0))
    images, textures = [], []
    if png is not None:
        views.append(pygltflib.BufferView(buffer=0, byteOffset=len(blob), byteLength=len(png)))
        blob += _pad(png, 4)
        images.append(pygltflib.Image(bufferView=len(views) - 1, mimeType="image/png"))
        textures.append(pygltflib.Texture(source=0))
        material.pbrMetallicRoughness.baseColorTexture = pygltflib.TextureInfo(index=0)
    if property_table is not None:
        table_ext, table_views = _property_table(property_table, len(views))
        for data in table_views:
            views.append(pygltflib.BufferView(buffer=0, byteOffset=len(blob),
                                              byteLength=len(data)))
            blob += _pad(data, 8)
        extensions["EXT_structural_metadata"] = table_ext
        prim_ext["EXT_mesh_features"] = {"featureIds": [
            {"featureCount": property_table["count"], "attribute": 0, "propertyTable": 0}]}
        used += ["EXT_structural_metadata", "EXT_mesh_features"]
    doc = pygltflib.GLTF2(
        asset=pygltflib.Asset(version="2.0"), scene=0, scenes=[pygltflib.Scene(nodes=[0])],
        nodes=[pygltflib.Node(mesh=0)],
        meshes=[pygltflib.Mesh(primitives=[pygltflib.Primitive(
            attributes=attrs, indices=indices, material=0, extensions=prim_ext)])],
        materials=[material], accessors=accessors, bufferViews=views,
        buffers=[pygltflib.Buffer(byteLength=len(blob))], images=images, textures=textures,
        samplers=[], extensions=extensions, extensionsUsed=used)
    doc.set_binary_blob(blob)
    return b"".join(doc.save_to_bytes())


def _property_table(spec: dict, first_view: int) -> tuple[dict, list[bytes]]:
    """EXT_structural_metadata with one class: float64 and string columns."""
    views, props, classes = [], {}, {}
    for name, values in spec["columns"].items():
        if isinstance(values[0], str):
            encoded = [v.encode() for v in values]
            offsets = np.cumsum([0] + [len(e) for e in encoded]).astype(np.uint32)
            views += [b"".join(encoded), offsets.tobytes()]
            props[name] = {"values": first_view + len(views) - 2,
                           "stringOffsets": first_view + len(views) - 1}
            classes[name] = {"type": "STRING"}
        else:
            views.append(np.asarray(values, np.float64).tobytes())
            props[name] = {"values": first_view + len(views) - 1}
            classes[name] = {"type": "SCALAR", "componentType": "FLOAT64"}
    ext = {"schema": {"id": "s", "classes": {"building": {"properties": classes}}},
           "propertyTables": [{"class": "building", "count": spec["count"],
                               "properties": props}]}
    return ext, views


def box(center=(0.0, 0.0, 0.0), size=(10.0, 10.0, 10.0)) -> tuple[np.ndarray, np.ndarray]:
    return _BOX_V * np.asarray(size, np.float32) + np.asarray(center, np.float32), _BOX_T


def boxes(centres, size=(10.0, 10.0, 10.0)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Several boxes: vertices, triangles and each vertex's box number (batch id)."""
    verts, tris, ids = [], [], []
    for i, c in enumerate(centres):
        v, t = box(c, size)
        tris.append(t + 8 * i)
        verts.append(v)
        ids.append(np.full(8, i))
    return np.concatenate(verts), np.concatenate(tris), np.concatenate(ids)


def _tables(feature: dict, batch: dict | None, feature_bin: bytes = b"",
            batch_bin: bytes = b"") -> tuple[bytes, bytes, bytes, bytes]:
    fj = _pad(json.dumps(feature).encode(), 8, b" ")
    bj = _pad(json.dumps(batch).encode(), 8, b" ") if batch else b""
    return fj, _pad(feature_bin), bj, _pad(batch_bin)


def b3dm(glb_bytes: bytes, batch: dict | None = None, batch_length: int = 0,
         rtc_center=None, batch_bin: bytes = b"") -> bytes:
    feature: dict = {"BATCH_LENGTH": batch_length}
    if rtc_center is not None:
        feature["RTC_CENTER"] = list(rtc_center)
    fj, fb, bj, bb = _tables(feature, batch, b"", batch_bin)
    body = fj + fb + bj + bb + glb_bytes
    header = struct.pack("<4s6I", b"b3dm", 1, 28 + len(body), len(fj), len(fb), len(bj),
                         len(bb))
    return header + body


def i3dm(glb_bytes: bytes, positions: np.ndarray, batch: dict | None = None,
         east_north_up: bool = False, scale: np.ndarray | None = None) -> bytes:
    pos = np.asarray(positions, np.float32)
    feature: dict = {"INSTANCES_LENGTH": len(pos), "POSITION": {"byteOffset": 0}}
    binary = pos.tobytes()
    if scale is not None:
        feature["SCALE"] = {"byteOffset": len(binary)}
        binary += np.asarray(scale, np.float32).tobytes()
    if east_north_up:
        feature["EAST_NORTH_UP"] = True
    fj, fb, bj, bb = _tables(feature, batch, binary)
    body = fj + fb + bj + bb + glb_bytes
    header = struct.pack("<4s7I", b"i3dm", 1, 32 + len(body), len(fj), len(fb), len(bj),
                         len(bb), 1)
    return header + body


def enu_matrix(lon: float, lat: float, height: float) -> list[float]:
    """Column-major 4x4: local east-north-up metres at a place -> ECEF."""
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    origin = np.array(t.transform(lon, lat, height))
    lo, la = np.radians(lon), np.radians(lat)
    east = [-np.sin(lo), np.cos(lo), 0.0]
    north = [-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)]
    up = [np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = east, north, up, origin
    return m.T.ravel().tolist()


def box_volume(cx, cy, cz, hx, hy, hz) -> dict:
    return {"box": [cx, cy, cz, hx, 0, 0, 0, hy, 0, 0, 0, hz]}


def write_json(path: Path, doc: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def quad_tileset(folder: Path, lon=113.0, lat=23.0, height=10.0, levels=3, size=400.0,
                 textured=False, version="1.0", errors=None) -> Path:
    """A REPLACE quadtree of ``levels`` levels (root + children...) under an ENU
    transform at (lon, lat, height): each tile a b3dm of one box per quarter with a
    batch table (name, level, height), textured boxes when asked."""
    png = png_bytes() if textured else None
    errors = errors or [size / 4 / 2 ** k for k in range(levels)]

    def tile(level: int, x0: float, y0: float, span: float, key: str) -> dict:
        cx, cy = x0 + span / 2, y0 + span / 2
        centres = [(x0 + span * fx, y0 + span * fy, 0.0) for fx in (0.25, 0.75)
                   for fy in (0.25, 0.75)]
        v, t, ids = boxes(centres, (span / 4, span / 4, 20.0 + level))
        uv = None
        if textured:
            uv = np.column_stack([(v[:, 0] - x0) / span, (v[:, 1] - y0) / span])
        data = b3dm(glb(v, t, batch_ids=ids, png=png, uv=uv, color=(0.8, 0.8, 0.8, 1)),
                    {"name": [f"{key}-{i}" for i in range(4)], "level": [level] * 4,
                     "height": [20.0 + level] * 4}, 4)
        name = f"tiles/{key}.b3dm"
        (folder / "tiles").mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        doc = {"boundingVolume": box_volume(cx, cy, 12.0, span / 2, span / 2, 12.0),
               "geometricError": errors[level], "content": {"uri": name}}
        if level + 1 < levels:
            half = span / 2
            doc["children"] = [tile(level + 1, x0 + half * i, y0 + half * j, half,
                                    f"{key}{i}{j}") for j in (0, 1) for i in (0, 1)]
        return doc

    root = tile(0, -size / 2, -size / 2, size, "r")
    root["transform"] = enu_matrix(lon, lat, height)
    root["refine"] = "REPLACE"
    return write_json(folder / "tileset.json", {
        "asset": {"version": version}, "geometricError": errors[0] * 2, "root": root})


def subtree_bytes(tile_bits: list[int], content_bits: list[int],
                  child_bits: list[int] | None = None) -> bytes:
    """A binary .subtree with bitstreams (child subtrees: constant 0 unless given)."""
    blob = b""
    views = []
    for bits in (tile_bits, content_bits, child_bits):
        if bits is None:
            continue
        packed = np.packbits(np.asarray(bits, np.uint8), bitorder="little").tobytes()
        views.append({"buffer": 0, "byteOffset": len(blob), "byteLength": len(packed)})
        blob += _pad(packed, 8)
    doc = {"buffers": [{"byteLength": len(blob)}], "bufferViews": views,
           "tileAvailability": {"bitstream": 0}, "contentAvailability": [{"bitstream": 1}],
           "childSubtreeAvailability": ({"bitstream": 2} if child_bits is not None
                                        else {"constant": 0})}
    js = _pad(json.dumps(doc).encode(), 8, b" ")
    return struct.pack("<4sIQQ", b"subt", 1, len(js), len(blob)) + js + blob
