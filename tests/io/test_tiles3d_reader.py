"""3D Tiles reading: tile trees (external, implicit), contents, placement, info."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Transformer

from cimviewer.io.registry import detect_format
from cimviewer.io.summary import summarize_path
from cimviewer.io.tiles3d import read_tileset
from tests.io.tiles3d_data import (
    b3dm,
    box,
    box_volume,
    boxes,
    enu_matrix,
    glb,
    i3dm,
    quad_tileset,
    subtree_bytes,
    write_json,
)

LON, LAT, H = 113.264, 23.129, 15.0  # Guangzhou: UTM zone 49 N


def utm49(lon, lat):
    t = Transformer.from_crs("EPSG:4326", "EPSG:32649", always_xy=True)
    return np.array(t.transform(lon, lat))


def of(mesh, k):
    """Vertices of object k's triangles."""
    return mesh.vertices[mesh.triangles[mesh.tri_object == k].ravel()]


def single(folder, content: bytes, name="a.b3dm", transform=True, volume=None, extra=None):
    (folder / name).write_bytes(content)
    root = {"boundingVolume": volume or box_volume(0, 0, 10, 50, 50, 10),
            "geometricError": 0, "content": {"uri": name}}
    if transform:
        root["transform"] = enu_matrix(LON, LAT, H)
    root.update(extra or {})
    return write_json(folder / "tileset.json", {"asset": {"version": "1.1"},
                                                "geometricError": 10, "root": root})


def test_quad_tileset_info(tmp_path):
    path = quad_tileset(tmp_path, lon=LON, lat=LAT, height=H)
    assert detect_format(path) == "tiles3d"
    info = summarize_path(path)
    assert info["format"] == "3D Tiles" and info["version"] == "1.0"
    assert info["crs"] == "EPSG:32649"
    assert info["tiles"] == 1 + 4 + 16
    assert info["objects"] == 4 and info["types"] == {"Feature": 4}  # the root content
    assert info["triangles"] == 4 * 12 and info["vertices"] == 4 * 8
    east, north = utm49(LON, LAT)
    bbox = np.array(info["bbox"])
    assert bbox[0] < east < bbox[3] and bbox[1] < north < bbox[4]
    # the root box, 400 m wide, turned by the grid convergence (0.9 degrees here)
    assert 400 < bbox[3] - bbox[0] < 400 * (np.cos(0.016) + np.sin(0.016))
    assert bbox[2] == pytest.approx(H, abs=0.1) and bbox[5] == pytest.approx(H + 24, abs=0.1)
    assert info["lods"] == [] and info["problems"] == {}


def test_root_transform_places_content_at_known_coordinates(tmp_path):
    v, t = box((0, 0, 0), (10, 10, 10))
    model = read_tileset(single(tmp_path, b3dm(glb(v, t))))
    mesh = model.load_content(model.tree.root).mesh
    bottom = mesh.vertices[np.isclose(mesh.vertices[:, 2], H, atol=0.01)]
    assert len(bottom) == 4
    assert bottom[:, :2].mean(axis=0) == pytest.approx(utm49(LON, LAT), abs=0.005)
    assert mesh.vertices[:, 2].max() == pytest.approx(H + 10, abs=0.01)
    # 10 m east in the local frame is 10 m in UTM (grid convergence turns it a little)
    width = np.ptp(bottom[:, 0])
    assert width == pytest.approx(10.0, abs=0.2)


def test_rtc_center_and_project_crs(tmp_path):
    """No transform: the b3dm's RTC_CENTER puts it in ECEF; placed in a project CRS
    (a neighbouring UTM zone) through to_crs."""
    from cimviewer.io.reproject import to_crs

    to_ecef = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    centre = to_ecef.transform(LON, LAT, H)
    v, t = box((0, 0, 0), (2, 2, 2))
    volume = {"sphere": [*centre, 10.0]}
    model = read_tileset(single(tmp_path, b3dm(glb(v, t), rtc_center=centre),
                                transform=False, volume=volume))
    to_crs(model, "EPSG:32650")
    assert model.crs == "EPSG:32650"
    mesh = model.load_content(model.tree.root).mesh
    expect = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True).transform(LON, LAT)
    # the glTF box is y-up: its "up" (z after the turn) is ECEF z here, so compare
    # the centre of all vertices, 1 m around the point
    assert mesh.vertices[:, :2].mean(axis=0) == pytest.approx(expect, abs=1.5)
    assert model.tree.root.centre[:2] == pytest.approx(expect, abs=0.01)


def test_region_volume(tmp_path):
    w, s, e, n = np.radians([LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01])
    v, t = box()
    model = read_tileset(single(tmp_path, b3dm(glb(v, t)),
                                volume={"region": [w, s, e, n, 0.0, 50.0]}))
    bbox = model.bbox()
    corners = np.array([utm49(LON + dx, LAT + dy) for dx in (-.01, .01) for dy in (-.01, .01)])
    assert bbox[:2] == pytest.approx(corners.min(axis=0), abs=1.0)
    assert bbox[3:5] == pytest.approx(corners.max(axis=0), abs=1.0)
    assert bbox[2] == 0 and bbox[5] == 50


def test_sniffing_tileset_before_cityjson(tmp_path):
    doc = {"asset": {"version": "1.0"}, "geometricError": 1,
           "root": {"boundingVolume": box_volume(0, 0, 0, 1, 1, 1), "geometricError": 0}}
    other = write_json(tmp_path / "city.json", doc)
    assert detect_format(other) == "tiles3d"
    cj = write_json(tmp_path / "cj" / "tileset.json",
                    {"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": []})
    assert detect_format(cj) == "cityjson"
    # a folder opens as the tileset at its top
    write_json(tmp_path / "tiles" / "tileset.json", doc)
    assert detect_format(tmp_path / "tiles") == "tiles3d"
    assert summarize_path(tmp_path / "tiles")["tiles"] == 1


def test_batch_table_json_and_binary(tmp_path):
    v, t, ids = boxes([(0, 0, 0), (20, 0, 0), (40, 0, 0)])
    heights = np.array([11.5, 22.5, 33.5], np.float32)
    batch = {"name": ["a", "b", "c"],
             "height": {"byteOffset": 0, "componentType": "FLOAT", "type": "SCALAR"}}
    data = b3dm(glb(v, t, batch_ids=ids), batch, 3, batch_bin=heights.tobytes())
    model = read_tileset(single(tmp_path, data))
    mesh = model.load_content(model.tree.root).mesh
    attrs = model.objects.attributes
    assert [a["name"] for a in attrs] == ["a", "b", "c"]
    assert [a["height"] for a in attrs] == pytest.approx([11.5, 22.5, 33.5])
    assert np.bincount(mesh.tri_object).tolist() == [12, 12, 12]
    # a second read keeps the objects (eviction and reload)
    model.load_content(model.tree.root)
    assert len(model.objects) == 3


def test_i3dm_instances(tmp_path):
    v, t = box((0, 0, 0), (2, 2, 4))
    positions = np.array([[0, 0, 0], [10, 0, 0], [0, 20, 0]], np.float32)
    data = i3dm(glb(v, t), positions, {"kind": ["pole", "pole", "tree"]},
                scale=np.array([1.0, 2.0, 1.0]))
    model = read_tileset(single(tmp_path, data, "poles.i3dm"))
    mesh = model.load_content(model.tree.root).mesh
    assert mesh.n_triangles == 3 * 12
    assert [a["kind"] for a in model.objects.attributes] == ["pole", "pole", "tree"]
    tops = [of(mesh, k)[:, 2].max() for k in range(3)]
    assert tops == pytest.approx([H + 4, H + 8, H + 4], abs=0.01)  # instance 1 twice as tall
    centre0 = of(mesh, 0)[:, :2].mean(axis=0)
    centre1 = of(mesh, 1)[:, :2].mean(axis=0)
    assert np.linalg.norm(centre1 - centre0) == pytest.approx(10, abs=0.05)


def test_i3dm_east_north_up_in_ecef(tmp_path):
    """Instances at ECEF positions, oriented east-north-up: the model stands upright."""
    to_ecef = Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)
    positions = np.array([to_ecef.transform(LON, LAT, H), to_ecef.transform(LON + 0.001,
                                                                             LAT, H)])
    rtc = positions[0]
    v, t = box((0, 0, 0), (2, 2, 30))
    data = i3dm(glb(v, t), positions - rtc, east_north_up=True)
    # positions relative to an RTC centre kept in the tile transform (float32 positions)
    m = np.eye(4)
    m[:3, 3] = rtc
    volume = {"sphere": [0, 0, 0, 200.0]}
    model = read_tileset(single(tmp_path, data, "p.i3dm", transform=False, volume=volume,
                                extra={"transform": m.T.ravel().tolist()}))
    mesh = model.load_content(model.tree.root).mesh
    first = of(mesh, 0)
    assert np.ptp(first[:, 2]) == pytest.approx(30, abs=0.05)  # upright: 30 m tall
    assert np.ptp(first[:, 0]) == pytest.approx(2, abs=0.1)
    assert first[:, :2].mean(axis=0) == pytest.approx(utm49(LON, LAT), abs=0.05)


def test_external_tileset(tmp_path):
    v, t = box()
    sub = tmp_path / "district"
    sub.mkdir()
    (sub / "b.b3dm").write_bytes(b3dm(glb(v, t)))
    write_json(sub / "district.json", {
        "asset": {"version": "1.0"}, "geometricError": 5,
        "root": {"boundingVolume": box_volume(0, 0, 5, 20, 20, 5), "geometricError": 5,
                 "content": {"uri": "b.b3dm"},
                 "children": [{"boundingVolume": box_volume(0, 0, 5, 10, 10, 5),
                               "geometricError": 0, "content": {"uri": "b.b3dm"}}]}})
    (tmp_path / "r.b3dm").write_bytes(b3dm(glb(v, t)))
    path = write_json(tmp_path / "tileset.json", {
        "asset": {"version": "1.0"}, "geometricError": 100,
        "root": {"boundingVolume": box_volume(0, 0, 5, 100, 100, 5), "geometricError": 50,
                 "transform": enu_matrix(LON, LAT, H), "content": {"url": "r.b3dm"},
                 "children": [{"boundingVolume": box_volume(0, 0, 5, 20, 20, 5),
                               "geometricError": 5,
                               "content": {"uri": "district/district.json"}}]}})
    model = read_tileset(path)
    assert model.tree.n_tiles == 2  # not read yet
    pointer = model.tree.root.children[0]
    assert pointer.passthrough and pointer.expander is not None
    model.tree.expand(pointer)
    external_root = pointer.children[0]
    assert external_root.contents == [sub / "b.b3dm"]
    mesh = model.load_content(external_root).mesh
    assert mesh.vertices[:, :2].mean(axis=0) == pytest.approx(utm49(LON, LAT), abs=0.01)
    assert summarize_path(path)["tiles"] == 4


def test_implicit_quadtree_with_subtrees(tmp_path):
    """subtreeLevels 2, availableLevels 4: the root subtree (levels 0-1) has all five
    tiles; one child subtree (level 2, x 0, y 0) has its root and two children."""
    v, t = box((0, 0, 0), (5, 5, 5))
    content = glb(v, t)
    (tmp_path / "subtrees").mkdir()
    child_bits = [0] * 16
    child_bits[0] = 1
    (tmp_path / "subtrees" / "0.0.0.subtree").write_bytes(
        subtree_bytes([1] * 5, [1, 0, 1, 1, 1], child_bits))
    # level 2 (0, 0): root + level-3 children morton 0 and 3, content on the root and 3
    (tmp_path / "subtrees" / "2.0.0.subtree").write_bytes(
        subtree_bytes([1, 1, 0, 0, 1], [1, 0, 0, 0, 1]))
    for level, x, y in [(0, 0, 0), (1, 1, 0), (1, 0, 1), (1, 1, 1), (2, 0, 0), (3, 1, 1)]:
        folder = tmp_path / "content" / str(level) / str(x)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{y}.glb").write_bytes(content)
    path = write_json(tmp_path / "tileset.json", {
        "asset": {"version": "1.1"}, "geometricError": 400,
        "root": {"boundingVolume": box_volume(0, 0, 10, 400, 400, 10),
                 "geometricError": 200, "refine": "REPLACE",
                 "transform": enu_matrix(LON, LAT, H),
                 "content": {"uri": "content/{level}/{x}/{y}.glb"},
                 "implicitTiling": {"subdivisionScheme": "QUADTREE", "subtreeLevels": 2,
                                    "availableLevels": 4,
                                    "subtrees": {"uri": "subtrees/{level}.{x}.{y}.subtree"}}}})
    model = read_tileset(path)
    model.tree.expand_all()
    assert model.tree.n_tiles == 5 + 3
    tiles = [t for t in model.tree.tiles if not t.implicit_root]
    errors = sorted({t.geometric_error for t in tiles}, reverse=True)
    assert errors == [200, 100, 50, 25]
    deepest = [t for t in tiles if t.geometric_error == 25]
    assert len(deepest) == 2
    with_content = [t for t in tiles if t.contents]
    assert len(with_content) == 6
    # the level-3 tile (1, 1) of the level-2 tile (0, 0): box centre and half size
    t3 = next(t for t in deepest if t.contents)
    assert t3.contents[0] == tmp_path / "content" / "3" / "1" / "1.glb"
    assert t3.volume[:2] == pytest.approx([-400 + 50 * 3, -400 + 50 * 3])
    assert t3.volume[3] == pytest.approx(50)
    assert model.load_content(t3).mesh.n_triangles == 12
    assert summarize_path(path)["tiles"] == 8


def test_glb_content_with_structural_metadata(tmp_path):
    v, t, ids = boxes([(0, 0, 0), (30, 0, 0)])
    table = {"count": 2, "columns": {"name": ["hall", "tower"], "floors": [3.0, 12.0]}}
    data = glb(v, t, batch_ids=ids, feature_attr="_FEATURE_ID_0", property_table=table)
    model = read_tileset(single(tmp_path, data, "b.glb"))
    mesh = model.load_content(model.tree.root).mesh
    assert [a["name"] for a in model.objects.attributes] == ["hall", "tower"]
    assert [a["floors"] for a in model.objects.attributes] == [3.0, 12.0]
    assert np.bincount(mesh.tri_object).tolist() == [12, 12]


def test_textured_glb_uvs(tmp_path):
    from tests.io.tiles3d_data import png_bytes

    v, t = box()
    uv = np.tile([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], (2, 1))
    model = read_tileset(single(tmp_path, glb(v, t, png=png_bytes(), uv=uv), "t.glb"))
    loaded = model.load_content(model.tree.root)
    assert len(loaded.images) == 1 and loaded.images[0][:4] == b"\x89PNG"
    assert (loaded.mesh.tri_texture == 0).all()
    first = t[0]  # corners 0, 2, 1: v flipped (glTF v runs down the image)
    assert loaded.mesh.tri_uv[0].tolist() == [[0, 1], [0, 0], [1, 1]]
    assert first.tolist() == [0, 2, 1]


def test_draco_content(tmp_path):
    pytest.importorskip("DracoPy")
    v, t = box((0, 0, 0), (10, 10, 10))
    uv = np.tile([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], (2, 1))
    model = read_tileset(single(tmp_path, glb(v, t, draco=True, uv=uv), "d.glb"))
    mesh = model.load_content(model.tree.root).mesh
    assert mesh.n_triangles == 12
    assert np.ptp(mesh.vertices[:, 2]) == pytest.approx(10, abs=0.05)
    assert model.problems == []


def test_missing_and_corrupt_contents_are_reported(tmp_path):
    v, t = box()
    (tmp_path / "good.b3dm").write_bytes(b3dm(glb(v, t)))
    (tmp_path / "broken.b3dm").write_bytes(b"b3dm" + b"\x01\x00\x00\x00" + b"\xff" * 40)
    (tmp_path / "junk.glb").write_bytes(b"glTF" + b"\x02\x00\x00\x00" + b"\x00" * 8)
    children = [{"boundingVolume": box_volume(0, 0, 5, 10, 10, 5), "geometricError": 0,
                 "content": {"uri": name}}
                for name in ("good.b3dm", "missing.b3dm", "broken.b3dm", "junk.glb")]
    path = write_json(tmp_path / "tileset.json", {
        "asset": {"version": "1.0"}, "geometricError": 10,
        "root": {"boundingVolume": box_volume(0, 0, 5, 50, 50, 5), "geometricError": 10,
                 "transform": enu_matrix(LON, LAT, H), "children": children}})
    model = read_tileset(path)
    loaded = [model.load_content(c) for c in model.tree.root.children]
    assert loaded[0] is not None and loaded[0].mesh.n_triangles == 12
    assert loaded[1:] == [None, None, None]
    assert model.content_problems["missing.b3dm"] == "file not found"
    assert "broken.b3dm" in model.content_problems
    assert "junk.glb" in model.content_problems
    assert any(p.startswith("missing.b3dm: ") for p in model.problems)
    assert model.problem_counts() == {"content_not_shown": 3}


def test_broken_tileset_json_is_one_line(tmp_path):
    from cimviewer.io.errors import ReadError
    from cimviewer.io.registry import read_dataset

    path = tmp_path / "tileset.json"
    path.write_text(json.dumps({"asset": {"version": "1.0"}, "root": {"geometricError": 1}}))
    with pytest.raises(ReadError, match="boundingVolume is missing"):
        read_dataset(path)


def test_feature_box_and_project_round_trip(tmp_path):
    """A feature read has a box (the inspector flies to it); a project saved with a
    tileset layer opens it again as a tileset in the same place."""
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.io.project.file import open_project, save_project

    v, t, ids = boxes([(0, 0, 0), (40, 0, 0)], (10, 10, 20))
    path = single(tmp_path, b3dm(glb(v, t, batch_ids=ids), {"id": [1, 2]}, 2))
    project = Project()
    layer = project.add_layer(open_layer(path, project_crs="EPSG:32650"))
    model = layer.model
    model.load_content(model.tree.root)
    box1 = model.object_bbox(1)
    assert box1[5] - box1[2] == pytest.approx(20, abs=0.01)
    assert box1[3] - box1[0] == pytest.approx(10, abs=0.3)
    save_project(project, tmp_path / "p.cimproj")
    again = open_project(tmp_path / "p.cimproj")
    assert again.messages == []
    reopened = again.project.layers[0].model
    assert reopened.tree is not None and reopened.crs == "EPSG:32650"
    np.testing.assert_allclose(reopened.bbox(), model.bbox())


def test_implicit_octree_with_json_subtree_and_constants(tmp_path):
    v, t = box((0, 0, 0), (5, 5, 5))
    write_json(tmp_path / "sub" / "0.0.0.0.json", {
        "tileAvailability": {"constant": 1}, "contentAvailability": [{"constant": 1}],
        "childSubtreeAvailability": {"constant": 0}})
    for level, x, y, z in [(0, 0, 0, 0)] + [(1, i, j, k) for i in (0, 1) for j in (0, 1)
                                               for k in (0, 1)]:
        folder = tmp_path / "c"
        folder.mkdir(exist_ok=True)
        (folder / f"{level}-{x}-{y}-{z}.glb").write_bytes(glb(v, t))
    path = write_json(tmp_path / "tileset.json", {
        "asset": {"version": "1.1"}, "geometricError": 100,
        "root": {"boundingVolume": box_volume(0, 0, 50, 100, 100, 50), "geometricError": 40,
                 "refine": "ADD", "transform": enu_matrix(LON, LAT, H),
                 "content": {"uri": "c/{level}-{x}-{y}-{z}.glb"},
                 "implicitTiling": {"subdivisionScheme": "OCTREE", "subtreeLevels": 2,
                                    "availableLevels": 2,
                                    "subtrees": {"uri": "sub/{level}.{x}.{y}.{z}.json"}}}})
    model = read_tileset(path)
    assert summarize_path(path)["tiles"] == 9
    model.tree.expand_all()
    children = [t for t in model.tree.tiles if t.geometric_error == 20]
    assert len(children) == 8 and all(c.refine == "ADD" for c in children)
    top = next(c for c in children if c.contents[0].name == "1-1-0-1.glb")
    assert top.volume[:3] == pytest.approx([50, -50, 75])
    assert top.volume[[3, 7, 11]] == pytest.approx([50, 50, 25])
    assert model.load_content(top).mesh.n_triangles == 12


def test_gltf_up_axis_z(tmp_path):
    """1.0 tilesets may say their glTF is already z-up (asset.gltfUpAxis)."""
    v, t = box((0, 0, 0), (2, 2, 10))
    zup = np.column_stack([v[:, 0], -v[:, 2], v[:, 1]])  # written y-up by glb(): undo
    path = single(tmp_path, b3dm(glb(zup, t)))
    doc = json.loads(path.read_text())
    doc["asset"]["gltfUpAxis"] = "Z"
    path.write_text(json.dumps(doc))
    model = read_tileset(path)
    mesh = model.load_content(model.tree.root).mesh
    assert np.ptp(mesh.vertices[:, 2]) == pytest.approx(10, abs=0.02)
