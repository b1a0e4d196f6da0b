"""A folder of CityJSON tiles opens as one streamed city layer (io.cityjson.folder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import orjson
import pytest

from cimviewer.core.project import Project
from cimviewer.io.cityjson import folder as city_folder
from cimviewer.io.cityjson import streamed
from cimviewer.io.errors import ReadError
from cimviewer.io.layers import open_layer
from cimviewer.io.project.file import open_project, save_project
from cimviewer.io.registry import detect_format, read_dataset
from cimviewer.io.summary import summarize
from tests.io.cityfolder import ORIGIN_RD, RD, rd_to_utm, row, tile_document, write_city_folder


def test_info_counts_objects_and_types_across_files(tmp_path):
    folder = write_city_folder(tmp_path / "tiles")
    assert detect_format(folder) == "cityjsonfolder"
    model = read_dataset(folder)
    info = summarize(model, "cityjsonfolder")
    assert info["format"] == "CityJSON folder" and info["streamed"] is True
    assert info["crs"] == f"EPSG:{RD}"
    assert info["objects"] == 5 * 2 + 4 + 3  # a has a BuildingPart per building
    assert info["types"] == {"Building": 12, "BuildingPart": 5}
    assert info["lods"] == ["1"]
    # the UTM file is moved into RD: the three rows are 60 m apart, one above the other
    x0, y0 = ORIGIN_RD
    np.testing.assert_allclose(info["bbox"], [x0, y0, 0, x0 + 90, y0 + 130, 20], atol=0.05)
    # the broken file is named, the rest opens; the non-CityJSON JSON is only mentioned
    assert info["problems"] == {"UNREADABLE_FEATURE": 1}
    assert any("broken.city.json" in w and "not valid JSON" in w for w in info["warnings"])
    assert any("notes.json" in w for w in info["warnings"])
    assert any("reprojected" in w for w in info["warnings"])
    # parts belong to their building; attributes are there without the geometry
    objects = model.objects
    part = objects.ids.index("a-2-part")
    assert objects.parents[part] == [objects.ids.index("a-2")]
    assert objects.attributes[objects.ids.index("b-1")] == {"tile": "b", "number": 1}


def test_cli_info_json_on_a_folder(tmp_path):
    folder = write_city_folder(tmp_path / "tiles", broken=False)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-m", "cimviewer", "info", str(folder), "--json"],
                         capture_output=True, text=True, env=env, check=True)
    info = json.loads(out.stdout)
    assert info["objects"] == 17 and info["problems"] == {}


def test_tiles_read_back_in_the_folder_crs_with_global_object_ids(tmp_path):
    folder = write_city_folder(tmp_path / "tiles")
    model = city_folder.open_folder(folder)
    source = model.tile_source
    assert isinstance(source, city_folder.FolderTileSource)
    ids = model.objects.ids
    seen = {}
    for k in range(len(source.tiles)):
        mesh = source.load(k)
        for obj in np.unique(mesh.tri_object).tolist():
            pts = mesh.vertices[mesh.triangles[mesh.tri_object == obj].ravel()]
            seen[ids[obj]] = (pts.min(axis=0) + pts.max(axis=0)) / 2
    assert len(seen) == 17
    assert sorted(set(source.file_crs)) == ["EPSG:28992", "EPSG:32631"]
    x0, y0 = ORIGIN_RD
    np.testing.assert_allclose(seen["a-1"], [x0 + 25, y0 + 5, 6.5], atol=1e-3)
    np.testing.assert_allclose(seen["b-3"], [x0 + 65, y0 + 65, 7.5], atol=1e-3)
    # from UTM: the centre of c-2 is where pyproj puts it in RD
    from pyproj import Transformer

    ux, uy = rd_to_utm(x0, y0 + 120)
    back = Transformer.from_crs("EPSG:32631", "EPSG:28992", always_xy=True)
    cx, cy = back.transform(ux + 45, uy + 5)
    np.testing.assert_allclose(seen["c-2"], [cx, cy, 7.0], atol=0.05)
    # an object's box (no tile read) is its feature's
    box = model.object_bbox(ids.index("c-2"))
    np.testing.assert_allclose((box[:2] + box[3:5]) / 2, [cx, cy], atol=0.05)


def test_small_files_are_grouped_and_big_ones_are_tiles_of_their_own(tmp_path, monkeypatch):
    monkeypatch.setattr(city_folder, "FEATURES_PER_TILE", 8)
    folder = tmp_path / "tiles"
    folder.mkdir()
    x0, y0 = ORIGIN_RD
    (folder / "big.city.json").write_bytes(orjson.dumps(
        tile_document("big", row(x0, y0, 6), RD)))
    for i in range(4):  # four small files side by side, far from the big one
        (folder / f"small{i}.city.json").write_bytes(orjson.dumps(
            tile_document(f"s{i}", row(x0 + 40 * i, y0 + 5000, 2), RD)))
    source = city_folder.open_folder(folder).tile_source
    groups = sorted(len(g) for g in source.tile_files)
    assert groups[-1] == 1 or 1 in groups  # the big file alone
    assert len(source.tiles) < 5  # small files share tiles
    assert sum(len(t.features) for t in source.tiles) == 6 + 8


def test_cache_is_used_and_invalidated_when_a_file_changes(tmp_path):
    folder = write_city_folder(tmp_path / "tiles")
    first = city_folder.open_folder(folder)
    assert first.tile_source.stats["index_cached"] == 0
    first.tile_source.load(0)
    again = city_folder.open_folder(folder)
    assert again.tile_source.stats["index_cached"] == 1
    assert again.objects.ids == first.objects.ids
    assert again.problem_counts() == {"UNREADABLE_FEATURE": 1}
    assert any("broken.city.json" in w for w in again.warnings)
    again.tile_source.load(0)
    assert again.tile_source.stats["cached"] == 1 and again.tile_source.stats["read"] == 0
    # touching one file (same bytes, a new time) is a change
    b = folder / "north" / "b.city.json"
    st = b.stat()
    os.utime(b, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    touched = city_folder.open_folder(folder)
    assert touched.tile_source.stats["index_cached"] == 0
    assert len(list(streamed.cache_root().iterdir())) == 1  # the stale cache is gone
    # a file added is a change too, and its buildings are there
    x0, y0 = ORIGIN_RD
    (folder / "d.city.json").write_bytes(orjson.dumps(
        tile_document("d", row(x0, y0 + 200, 2), RD)))
    added = city_folder.open_folder(folder)
    assert added.tile_source.stats["index_cached"] == 0
    assert len(added.objects) == 17 + 2
    # and one removed
    (folder / "d.city.json").unlink()
    assert len(city_folder.open_folder(folder).objects) == 17


def test_a_folder_with_a_tileset_is_not_claimed_and_empty_folders_are_refused(tmp_path):
    folder = write_city_folder(tmp_path / "tiles")
    (folder / "tileset.json").write_text('{"asset": {"version": "1.0"}}')
    assert not city_folder.is_city_folder(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ReadError, match="folder"):
        detect_format(empty)
    only_broken = tmp_path / "bad"
    only_broken.mkdir()
    (only_broken / "x.city.json").write_bytes(b'{"type": "CityJSON", "Ci')
    with pytest.raises(ReadError, match=r"x\.city\.json"):
        read_dataset(only_broken)


def test_a_folder_of_cityjsonseq_files(tmp_path):
    folder = tmp_path / "seq"
    folder.mkdir()
    x0, y0 = ORIGIN_RD
    for name, dy in (("one", 0), ("two", 80)):
        doc = tile_document(name, row(x0, y0 + dy, 3), RD, translate=(x0, y0, 0.0))
        header = {k: v for k, v in doc.items() if k not in ("CityObjects", "vertices")}
        header.update(CityObjects={}, vertices=[])
        lines = [orjson.dumps(header)]
        for oid, co in doc["CityObjects"].items():  # one feature per building
            lines.append(orjson.dumps({"type": "CityJSONFeature", "id": oid,
                                       "CityObjects": {oid: co},
                                       "vertices": doc["vertices"]}))
        (folder / f"{name}.city.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    model = read_dataset(folder)
    assert len(model.objects) == 6
    source = model.tile_source
    assert len(source.tiles) == 1  # two small files: one tile
    mesh = source.load(0)
    assert mesh.n_triangles == 6 * 12
    assert sorted(np.unique(mesh.tri_object).tolist()) == list(range(6))
    np.testing.assert_allclose(model.bbox()[:2], [x0, y0], atol=1e-3)


def test_project_save_and_reopen_with_the_folder_as_source(tmp_path):
    folder = write_city_folder(tmp_path / "data" / "tiles")
    project = Project()
    layer = project.add_layer(open_layer(folder))
    assert layer.name == "tiles" and layer.model.streamed
    saved = save_project(project, tmp_path / "city.cimproj")
    doc = json.loads(saved.read_text())
    (record,) = doc["layers"]
    assert record["format"] == "cityjsonfolder" and record["source"].endswith("tiles")
    opened = open_project(saved)
    (again,) = opened.project.layers
    assert again.model.streamed and len(again.model.objects) == 17
    assert again.source is not None and again.source.resolve() == folder.resolve()



def test_group_boxes_parse_all_groups_at_once_and_fall_back_on_odd_boundaries():
    vertices = np.array([[0, 0, 0], [1, 2, 3], [5, 5, 5], [9, 9, 9.0]])
    texts = [orjson.dumps([[[0, 1]]]), orjson.dumps([]), orjson.dumps([[[2, 3, 7]]])]
    boxes = city_folder._group_boxes(texts, vertices)
    np.testing.assert_array_equal(boxes[0], [0, 0, 0, 1, 2, 3])
    assert np.isnan(boxes[1]).all()
    np.testing.assert_array_equal(boxes[2], [5, 5, 5, 9, 9, 9])  # 7: no such vertex
    odd = city_folder._group_boxes([orjson.dumps([[0, "x"]]), texts[2]], vertices)
    assert np.isnan(odd[0]).all()
    np.testing.assert_array_equal(odd[1], [5, 5, 5, 9, 9, 9])
