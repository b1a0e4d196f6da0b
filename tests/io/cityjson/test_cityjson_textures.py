"""CityJSON textures: per-corner texture coordinates, images found next to the file,
missing images counted in one warning and left untextured."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cimviewer.core.citymodel import concat_meshes
from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.io.summary import summarize_path
from tests.render.texcity import box_city, quadrant_image


def test_walls_carry_their_texture_and_corner_coordinates(tmp_path):
    quadrant_image(tmp_path / "img" / "a.png")
    quadrant_image(tmp_path / "img" / "b.png")
    path = box_city(tmp_path / "city.json", (2, 1), images=["img/a.png", "img/b.png"])
    model = read_cityjson(path)
    assert model.textures == [(tmp_path / "img" / n).resolve() for n in ("a.png", "b.png")]
    assert model.appearance == {"textures": 2, "textures_missing": 0, "materials": 0}
    assert not [w for w in model.warnings if "texture" in w]
    mesh = model.meshes["2"]
    mesh.validate()
    walls = mesh.tri_semantic == mesh.tri_semantic[mesh.tri_texture >= 0][0]
    assert (mesh.tri_texture[walls] == mesh.tri_object[walls]).all()  # b0: a, b1: b
    assert (mesh.tri_texture[~walls] == -1).all()  # roofs and grounds
    # each corner's (u, v) is where the vertex sits on its wall: u along, v up
    corners = mesh.vertices[mesh.triangles[walls]]
    height = corners[..., 2] / 10.0
    np.testing.assert_allclose(mesh.tri_uv[walls][..., 1], height, atol=1e-6)
    assert set(np.round(mesh.tri_uv[walls][..., 0], 6).ravel()) == {0.0, 1.0}


def test_textures_survive_subset_and_concat(tmp_path):
    quadrant_image(tmp_path / "a.png")
    mesh = read_cityjson(box_city(tmp_path / "c.json", (3, 1), images=["a.png"])).meshes["2"]
    part = mesh.subset(mesh.tri_object == 1)
    assert part.tri_uv.shape == (part.n_triangles, 3, 2)
    both = concat_meshes([part, mesh.subset(mesh.tri_object == 2)])
    assert both.tri_texture.shape == (both.n_triangles,)
    np.testing.assert_array_equal(both.tri_uv[: part.n_triangles], part.tri_uv)


def test_missing_images_one_warning_and_fallback(tmp_path):
    quadrant_image(tmp_path / "here.png")
    path = box_city(tmp_path / "c.json", (2, 1), images=["here.png", "gone/away.jpg"])
    model = read_cityjson(path)
    warnings = [w for w in model.warnings if "texture" in w]
    assert len(warnings) == 1 and warnings[0].startswith("1 texture images not found")
    assert "gone/away.jpg" in warnings[0]
    mesh = model.meshes["2"]
    assert (mesh.tri_texture[mesh.tri_object == 1] == -1).all()  # the style colour instead
    assert (mesh.tri_texture[mesh.tri_object == 0] >= 0).any()
    info = summarize_path(path)
    assert info["appearance"] == {"textures": 1, "textures_missing": 1, "materials": 0}


def test_values_that_do_not_fit_are_dropped_with_a_warning(tmp_path):
    quadrant_image(tmp_path / "a.png")
    path = box_city(tmp_path / "c.json", (2, 1), images=["a.png"])
    doc = json.loads(path.read_text())
    doc["CityObjects"]["b1"]["geometry"][0]["texture"]["photo"]["values"][0][2] = [[0, 1]]
    path.write_text(json.dumps(doc))
    model = read_cityjson(path)
    assert any("texture values" in w and '"b1"' in w for w in model.warnings)
    mesh = model.meshes["2"]
    assert (mesh.tri_texture[mesh.tri_object == 1] == -1).all()
    assert (mesh.tri_texture[mesh.tri_object == 0] >= 0).any()


def test_info_of_a_file_without_appearance_has_zero_counts(shared_data):
    info = summarize_path(shared_data / "cityjson" / "real" / "delft.json")
    assert info["appearance"] == {"textures": 0, "textures_missing": 0, "materials": 0}


def _two_themes(tmp_path):
    quadrant_image(tmp_path / "summer.png")
    quadrant_image(tmp_path / "winter.png")
    path = box_city(tmp_path / "c.json", (2, 1), images=["summer.png", "winter.png"])
    doc = json.loads(path.read_text())
    for co in doc["CityObjects"].values():
        texture = co["geometry"][0]["texture"]
        values = json.loads(json.dumps(texture["photo"]["values"]).replace("[0, 0, 1", "[1, 0, 1"))
        texture["winter"] = {"values": values}
    path.write_text(json.dumps(doc))
    return path


def test_the_layer_chooses_the_theme_and_a_project_keeps_it(tmp_path):
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.testing import open_project, save_project

    path = _two_themes(tmp_path)
    mesh = read_cityjson(path).meshes["2"]  # the default texture theme: "photo"
    assert set(mesh.tri_texture[mesh.tri_object == 0].tolist()) == {-1, 0}
    winter = read_cityjson(path, theme="winter").meshes["2"]
    assert set(winter.tri_texture[winter.tri_object == 0].tolist()) == {-1, 1}
    project = Project()
    project.add_layer(open_layer(path, options={"theme": "winter"}))
    reopened = open_project(save_project(project, tmp_path / "p.cimproj"))
    layer = reopened.layers[0]
    assert layer.load_options == {"theme": "winter"}
    mesh = layer.model.meshes["2"]
    assert set(mesh.tri_texture[mesh.tri_object == 0].tolist()) == {-1, 1}


def test_concave_surface_with_a_hole_maps_every_corner(tmp_path):
    """An L-shaped wall with a window (earcut, not the fan path): every corner's (u, v)
    is the planar map the file gives (u = x / 10, v = z / 10)."""
    quadrant_image(tmp_path / "a.png")
    outer = [(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10)]  # (x, z), concave
    hole = [(1, 1), (1, 3), (3, 3), (3, 1)]
    pts = outer + hole
    doc = {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [0.001] * 3, "translate": [0, 0, 0]},
        "CityObjects": {"w": {"type": "Building", "geometry": [{
            "type": "MultiSurface", "lod": "2",
            "boundaries": [[list(range(6)), list(range(6, 10))]],
            "texture": {"t": {"values": [[[0, *range(6)], [0, *range(6, 10)]]]}},
        }]}},
        "vertices": [[x * 1000, 0, z * 1000] for x, z in pts],
        "appearance": {"textures": [{"type": "PNG", "image": "a.png"}],
                       "vertices-texture": [[x / 10, z / 10] for x, z in pts]},
    }
    path = tmp_path / "l.json"
    path.write_text(json.dumps(doc))
    mesh = read_cityjson(path).meshes["2"]
    assert mesh.n_triangles >= 8 and (mesh.tri_texture == 0).all()
    corners = mesh.vertices[mesh.triangles]
    np.testing.assert_allclose(mesh.tri_uv[..., 0], corners[..., 0] / 10, atol=1e-6)
    np.testing.assert_allclose(mesh.tri_uv[..., 1], corners[..., 2] / 10, atol=1e-6)


def test_corpus_appearance_case_with_its_images_present(shared_data, tmp_path):
    """The conformance corpus's appearance_complete case, its images written next to a
    copy: the default texture theme ("day") on building-0, "night" on both."""
    import shutil

    case = shared_data / "cityjson" / "corpus" / "conformance" / "v2_0" / "appearance_complete"
    path = Path(shutil.copy(case / "appearance_complete.city.json", tmp_path))
    quadrant_image(tmp_path / "day.png")
    quadrant_image(tmp_path / "night.png")
    model = read_cityjson(path)
    assert model.appearance == {"textures": 2, "textures_missing": 0, "materials": 2}
    assert not [w for w in model.warnings if "texture" in w]
    mesh = model.meshes["2"]
    assert mesh.tri_texture.tolist() == [0, 0, -1, -1]
    corners = mesh.vertices[mesh.triangles[:2]]
    np.testing.assert_allclose(mesh.tri_uv[:2], corners[..., :2])  # unit square: u = x, v = y
    night = read_cityjson(path, theme="night-textures").meshes["2"]
    assert night.tri_texture.tolist() == [1, 1, 1, 1]


def test_bad_texture_coordinates_cost_the_textures_not_the_file(tmp_path):
    quadrant_image(tmp_path / "a.png")
    path = box_city(tmp_path / "c.json", (2, 1), images=["a.png"])
    doc = json.loads(path.read_text())
    doc["appearance"]["vertices-texture"] = [[0.0, 0.0], [1.0], "x"]
    path.write_text(json.dumps(doc))
    model = read_cityjson(path)
    assert model.meshes["2"].n_triangles == 24 and not model.meshes["2"].textured
    assert any("vertices-texture" in w for w in model.warnings)


def test_streamed_tiles_keep_textures_and_the_layer_theme(tmp_path):
    from cimviewer.io.cityjson.streamed import open_streamed
    from tests.render.texcity import box_city_seq

    quadrant_image(tmp_path / "a.png")
    whole = box_city(tmp_path / "w.json", (2, 2), images=["a.png"])
    path = box_city_seq(tmp_path / "s.city.jsonl", whole)
    tile = open_streamed(path, cache=False).tile_source.load(0)
    assert tile.textured and tile.tri_uv.shape == (tile.n_triangles, 3, 2)
    other = open_streamed(path, cache=False, theme="winter").tile_source.load(0)
    assert not other.textured
