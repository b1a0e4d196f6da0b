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
