"""Opening a CityJSONSeq file streamed the ordinary way: by size or by the ``streamed``
load option, reprojected into the project CRS tile by tile, summarised by ``info``,
saved in projects, and read whole when an algorithm needs every triangle."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimviewer import cli
from cimviewer.core.citymodel import CityModel
from cimviewer.core.project import Project
from cimviewer.io import registry
from cimviewer.io.cityjson import streamed
from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.io.layers import open_layer
from cimviewer.testing import open_project, save_project
from tests.render.seqcity import write_city_seq

N = 900


@pytest.fixture
def city(tmp_path, monkeypatch):
    monkeypatch.setattr(streamed, "FEATURES_PER_TILE", 200)
    return write_city_seq(tmp_path / "city.city.jsonl", N)


def per_object_boxes(model: CityModel, mesh) -> np.ndarray:
    """Boxes from triangles (the core computation on a plain in-memory model)."""
    plain = CityModel(objects=model.objects, meshes={"1": mesh}, crs=model.crs)
    return plain.object_boxes()


def test_files_over_the_threshold_open_streamed_and_smaller_ones_whole(city, monkeypatch):
    assert not registry.read_dataset(city).streamed
    monkeypatch.setattr(registry, "STREAM_AUTO_BYTES", city.stat().st_size - 1)
    model = registry.read_dataset(city)
    assert model.streamed and model.meshes == {} and len(model.objects) == N
    # the layer's own option wins either way
    assert not registry.read_dataset(city, options={"streamed": False}).streamed
    monkeypatch.setattr(registry, "STREAM_AUTO_BYTES", 10**12)
    assert registry.read_dataset(city, options={"streamed": True}).streamed


def test_streamed_layer_is_reprojected_tile_by_tile_like_the_whole_read(city):
    target = "EPSG:32650"
    whole = open_layer(city, project_crs=target).model
    layer = open_layer(city, project_crs=target, options={"streamed": True})
    model = layer.model
    assert model.streamed and model.crs == target
    assert layer.load_options == {"streamed": True}
    mine = per_object_boxes(model, model.mesh_for_lod(None))
    theirs = per_object_boxes(whole, whole.mesh_for_lod(None))
    np.testing.assert_allclose(mine, theirs, atol=1e-6)
    # the feature boxes (what tiles, blocks and framing use before a read) follow too
    np.testing.assert_allclose(model.object_boxes(), theirs, atol=0.05)
    np.testing.assert_allclose(model.bbox(), whole.bbox(), atol=0.05)
    # and they are far from the file's own coordinates: the transform really ran
    raw = read_cityjson(city).bbox()
    assert abs(model.bbox()[0] - raw[0]) > 1000


def test_reading_whole_matches_the_file_and_object_boxes_need_no_read(city):
    model = streamed.open_streamed(city)
    whole = read_cityjson(city)
    box = model.object_bbox(17)
    np.testing.assert_allclose(box, whole.object_bbox(17), atol=1e-9)
    assert model.tile_source.stats["read"] == 0  # framing one object reads no tile
    assert model.lods == whole.lods == ["1"]
    mesh = model.mesh_for_lod(None)
    assert mesh.n_triangles == whole.mesh_for_lod(None).n_triangles
    np.testing.assert_array_equal(
        np.bincount(mesh.tri_object, minlength=N),
        np.bincount(whole.mesh_for_lod(None).tri_object, minlength=N))
    assert model.mesh_for_lod(None) is mesh  # read once for repeated runs


def test_too_large_to_read_whole_is_a_clear_error(city, monkeypatch):
    model = streamed.open_streamed(city)
    monkeypatch.setattr(streamed, "MAX_WHOLE_TRIANGLES", 100)
    with pytest.raises(MemoryError, match=r"city\.city\.jsonl is streamed from disk"):
        model.mesh_for_lod(None)


def test_info_reports_a_streamed_file_with_estimated_triangles(city, monkeypatch, capsys):
    monkeypatch.setattr(registry, "STREAM_AUTO_BYTES", 0)
    assert cli.main(["info", str(city), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["streamed"] is True and info["triangles_estimated"] is True
    assert info["objects"] == N and info["types"] == {"Building": N}
    whole_triangles = read_cityjson(city).mesh_for_lod(None).n_triangles
    assert 0.3 * whole_triangles < info["triangles"] < 3 * whole_triangles


def test_projects_reopen_a_streamed_layer_streamed(city, tmp_path):
    project = Project()
    project.add_layer(open_layer(city, options={"streamed": True}))
    path = save_project(project, tmp_path / "city.cimproj")
    reopened = open_project(path)
    (layer,) = reopened.layers
    assert layer.model.streamed and layer.load_options["streamed"] is True
    assert len(layer.model.objects) == N


def test_sensors_anchor_on_streamed_buildings_without_reading_tiles(city):
    from cimviewer.geometry.placement import anchor_positions

    layer = open_layer(city, options={"streamed": True})
    anchors = anchor_positions([layer])
    whole = read_cityjson(city)
    top = whole.object_bbox(5)[5]
    assert anchors["B5"][2] == pytest.approx(top)
    assert layer.model.tile_source.stats["read"] == 0


def test_the_index_pass_reads_unusual_feature_lines_like_the_whole_file(tmp_path):
    """The index skips geometry while decoding; lines of another shape (a geometry that
    is not an object, vertices that are not number triples, floats, no vertices,
    whitespace, parts with parents) still get the same objects and boxes."""
    box = [[[[0, 1, 2, 3]], [[4, 5, 6, 7]], [[0, 1, 5, 4]]]]

    def solid(lod=1):
        return {"type": "Solid", "lod": lod, "boundaries": box}

    cube = [[0, 0, 0], [10, 0, 0], [10, 10, 0], [0, 10, 0],
            [0, 0, 5], [10, 0, 5], [10, 10, 5], [0, 10, 5]]
    header = {"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": [],
              "transform": {"scale": [0.5, 0.5, 1.0], "translate": [100.0, 200.0, 0.0]}}
    features = [
        {"type": "CityJSONFeature", "id": "a", "CityObjects": {
            "a": {"type": "Building", "attributes": {"h": 5, "name": "A"},
                  "geometry": [solid()], "children": ["a1"]},
            "a1": {"type": "BuildingPart", "parents": ["a"], "geometry": [solid(2)]}},
         "vertices": cube},
        {"type": "CityJSONFeature", "id": "b", "CityObjects": {
            "b": {"type": "Building", "geometry": [solid("2.2")]}},
         "vertices": [[v[0] + 40, v[1] + 0.5, v[2]] for v in cube]},
        {"type": "CityJSONFeature", "id": "c", "CityObjects": {
            "c": {"type": "Building", "geometry": ["not an object"]}},
         "vertices": [[v[0] + 80, v[1], v[2] * 2] for v in cube]},
        {"type": "CityJSONFeature", "id": "d", "CityObjects": {
            "d": {"type": "Building", "attributes": {}, "geometry": []}}, "vertices": []},
        {"type": "CityJSONFeature", "id": "e", "CityObjects": {
            "e": {"type": "Building", "geometry": [solid()]}},
         "vertices": [[v[0] + 120, v[1], v[2]] for v in cube[:7]] + [[130, 10]]},
    ]
    lines = [json.dumps(header)] + [json.dumps(f, indent=None, separators=(", ", ": "))
                                    for f in features]
    path = tmp_path / "odd.city.jsonl"
    path.write_text("\n".join(lines) + "\n")
    model = streamed.open_streamed(path, cache=False)
    assert model.objects.ids == ["a", "a1", "b", "c", "d", "e"]
    assert model.objects.types == ["Building", "BuildingPart"] + ["Building"] * 4
    assert model.objects.parents == [[], [0], [], [], [], []]
    assert model.objects.attributes[0] == {"h": 5, "name": "A"}
    assert model.objects.attributes[4] == {}
    assert model.index_lods == ["1", "2", "2.2"]
    boxes = model.tile_source.feature_bbox
    np.testing.assert_allclose(boxes[0], [100, 200, 0, 105, 205, 5])
    np.testing.assert_allclose(boxes[1], [120, 200.25, 0, 125, 205.25, 5])
    np.testing.assert_allclose(boxes[2], [140, 200, 0, 145, 205, 10])
    assert np.isnan(boxes[3]).all()
    # a vertex of two numbers: that feature has no box, the rest of its chunk keeps theirs
    assert np.isnan(boxes[4]).all()


def test_streamed_attributes_are_read_searched_and_changed_from_the_index_and_cache(city):
    from cimviewer.core.layers import CityModelLayer
    from cimviewer.core.search import find_objects

    whole = read_cityjson(city)
    for attempt in range(2):  # the index pass, then the tile cache
        model = streamed.open_streamed(city)
        assert model.tile_source.stats["index_cached"] == attempt
        attrs = model.objects.attributes
        assert attrs[7] == whole.objects.attributes[7]
        assert find_objects(model.objects, "B8") == find_objects(whole.objects, "B8")
        layer = CityModelLayer("city", model)
        layer.set_object_values("score", {3: 1.5})
        assert attrs[3]["score"] == 1.5 and "score" not in attrs[4]
        assert list(attrs) == [
            dict(a, score=1.5) if i == 3 else a for i, a in enumerate(whole.objects.attributes)]
