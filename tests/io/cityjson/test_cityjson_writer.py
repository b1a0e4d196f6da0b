"""City models written as CityJSON 2.0 and read back: same objects, attributes, surfaces."""

from __future__ import annotations

import json

import numpy as np

from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.io.cityjson.writer import write_cityjson
from cimviewer.io.demo import demo_building_path


def surface_area(mesh) -> float:
    tri = mesh.vertices[mesh.triangles]
    return float(np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]),
                                axis=1).sum() / 2)


def test_a_derived_model_round_trips(tmp_path):
    model = read_cityjson(demo_building_path())
    model.objects.attributes[0]["solar_kwh"] = 1234.5  # what an algorithm adds
    model.objects.attributes[1]["solar_kwh"] = float("nan")  # not computed: null
    path = write_cityjson(model, tmp_path / "derived.city.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["type"] == "CityJSON" and raw["version"] == "2.0"
    assert raw["metadata"]["referenceSystem"].endswith("/4547")
    back = read_cityjson(path)
    assert back.objects.ids == model.objects.ids
    assert back.objects.types == model.objects.types
    assert back.objects.attributes[0]["solar_kwh"] == 1234.5
    assert back.objects.attributes[1].get("solar_kwh") is None
    assert sorted(back.lods) == sorted(lod for lod in model.lods if lod in model.meshes)
    for lod, mesh in model.meshes.items():
        again = back.meshes[lod]
        assert again.n_triangles == mesh.n_triangles
        assert abs(surface_area(again) - surface_area(mesh)) < 1e-3 * surface_area(mesh)
        # the same semantic surfaces
        assert (np.bincount(again.tri_semantic, minlength=256)
                == np.bincount(mesh.tri_semantic, minlength=256)).all()
    # parents and children survive (building parts)
    assert back.objects.parents == model.objects.parents
