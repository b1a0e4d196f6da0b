"""Bad CityJSON gives one ReadError naming the place and the problem; never another error."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.io.errors import ReadError


def cube_doc() -> dict:
    """A valid CityJSON 2.0 file: one building, a unit-cube Solid with semantics."""
    return {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.001, 0.001, 0.001], "translate": [1000.0, 2000.0, 0.0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
        "CityObjects": {
            "b1": {
                "type": "Building",
                "attributes": {"height": 1.0},
                "geometry": [{
                    "type": "Solid",
                    "lod": "2",
                    "boundaries": [[[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]],
                                    [[1, 2, 6, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 7]]]],
                    "semantics": {"surfaces": [{"type": "GroundSurface"},
                                               {"type": "RoofSurface"},
                                               {"type": "WallSurface"}],
                                  "values": [[0, 1, 2, 2, 2, 2]]},
                }],
            }
        },
        "vertices": [[0, 0, 0], [1000, 0, 0], [1000, 1000, 0], [0, 1000, 0],
                     [0, 0, 1000], [1000, 0, 1000], [1000, 1000, 1000], [0, 1000, 1000]],
    }


def write(tmp_path: Path, doc: object, name: str = "x.city.json") -> Path:
    path = tmp_path / name
    if isinstance(doc, bytes):
        path.write_bytes(doc)
    else:
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def read_error(tmp_path: Path, doc: object, name: str = "x.city.json") -> str:
    path = write(tmp_path, doc, name)
    with pytest.raises(ReadError) as info:
        read_cityjson(path)
    assert type(info.value) is ReadError
    message = str(info.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    return message


def mutated(**changes) -> dict:
    """The cube with changes given as dotted paths, e.g. ``geom__lod=[2]``."""
    doc = cube_doc()
    geom = doc["CityObjects"]["b1"]["geometry"][0]
    for key, value in changes.items():
        target, _, name = key.partition("__")
        where = {"geom": geom, "obj": doc["CityObjects"]["b1"], "root": doc}[target]
        if value is KeyError:
            del where[name]
        else:
            where[name] = value
    return doc


def test_valid_cube_loads(tmp_path):
    model = read_cityjson(write(tmp_path, cube_doc()))
    assert model.crs == "EPSG:7415"
    assert model.meshes["2"].n_triangles == 12


@pytest.mark.parametrize(("content", "words"), [
    (b"", ["file is empty"]),
    (b"   \n ", ["file is empty"]),
    (b'{"type": "CityJSON", "vers', ["not valid JSON"]),
    (b'{"type": "CityJSON"}\xff\xfe', ["not valid JSON"]),
    (b'\xff\xfe{\x00"\x00', ["not valid JSON", "UTF-8"]),
    (b"[1, 2, 3]", ["expected a JSON object", "a list of 3"]),
    (b'"CityJSON"', ["expected a JSON object"]),
    (b'{"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": [[NaN, 0, 0]]}',
     ["not valid JSON"]),
    (b'{"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": [[1e400, 0, 0]]}',
     ["not valid JSON", "infinity"]),
    (b"[" * 5000 + b"]" * 5000, ["not valid JSON"]),
])
def test_unreadable_json(tmp_path, content, words):
    message = read_error(tmp_path, content)
    for word in words:
        assert word in message


@pytest.mark.parametrize(("doc", "where", "words"), [
    (mutated(root__type=KeyError), "", ['missing "type"']),
    (mutated(root__type="FeatureCollection"), "", ["FeatureCollection", '"CityJSON"']),
    (mutated(root__version=2.0), "version", ['"version" must be a string']),
    (mutated(root__CityObjects=KeyError), "", ['missing "CityObjects"']),
    (mutated(root__CityObjects=[]), "CityObjects", ["expected an object"]),
    (mutated(root__vertices=KeyError), "", ['missing "vertices"']),
    (mutated(root__vertices={"a": 1}), "vertices", ["expected a list"]),
    (mutated(root__vertices=[[0, 0]]), "vertices[0]", ["expected [x, y, z]"]),
    (mutated(root__vertices=[[0, 0, 0], 7]), "vertices[1]", ["expected [x, y, z]"]),
    (mutated(root__vertices=[[0, "1", 0]]), "vertices[0]", ["must be numbers"]),
    (mutated(root__vertices=[[0, None, 0]]), "vertices[0]", ["must be numbers"]),
    (mutated(root__vertices=[[2**70, 0, 0]]), "vertices[0]", ["out of range"]),
    (mutated(root__vertices=[[-(2**64), 0, 0]]), "vertices[0]", ["out of range"]),
    (mutated(root__transform={"scale": [1, 1], "translate": [0, 0, 0]}), "transform.scale",
     ["3 numbers"]),
    (mutated(root__transform={"scale": [0, 1, 1], "translate": [0, 0, 0]}), "transform.scale",
     ["zero"]),
    (mutated(root__transform={"scale": [1, 1, 1], "translate": [0, 1e308, 0]}),
     "transform.translate", ["float64"]),
    (mutated(root__transform=[1, 2]), "transform", ["expected an object"]),
    (mutated(obj__type=KeyError), 'CityObjects["b1"]', ['missing "type"']),
    (mutated(obj__type=5), 'CityObjects["b1"]', ['"type" must be a string']),
    (mutated(obj__attributes=[1]), 'CityObjects["b1"].attributes', ["expected an object"]),
    (mutated(obj__geometry={"type": "Solid"}), 'CityObjects["b1"].geometry',
     ["expected a list"]),
    (mutated(obj__geometry=[3]), 'CityObjects["b1"].geometry[0]', ["expected a geometry"]),
    (mutated(obj__parents="b2"), 'CityObjects["b1"].parents', ["expected a list of ids"]),
    (mutated(geom__type=KeyError), 'CityObjects["b1"].geometry[0]', ['no "type"']),
    (mutated(geom__type=["Solid"]), 'CityObjects["b1"].geometry[0].type',
     ['"type" must be a string']),
    (mutated(geom__boundaries=KeyError), 'CityObjects["b1"].geometry[0]',
     ['missing "boundaries"']),
    (mutated(geom__boundaries=5), 'CityObjects["b1"].geometry[0].boundaries',
     ["expected a list, found number 5"]),
    (mutated(geom__boundaries=[[[0, 1, 2]]]), 'CityObjects["b1"].geometry[0].boundaries[0][0][0]',
     ["expected a list, found number 0"]),
    (mutated(geom__boundaries=[[[[0, 1.5, 2]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][1]', ["integer", "1.5"]),
    (mutated(geom__boundaries=[[[[0, "1", 2]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][1]', ['string "1"']),
    (mutated(geom__boundaries=[[[[0, None, 2]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][1]', ["null"]),
    (mutated(geom__boundaries=[[[[0, [[[[[[1]]]]]], 2]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][1]', ["found a list"]),
    (mutated(geom__boundaries=[[[[0, 1, -1]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][2]', ["negative vertex index -1"]),
    (mutated(geom__boundaries=[[[[0, 1, 123]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][2]',
     ["vertex index 123 out of range (file has 8 vertices)"]),
    (mutated(geom__boundaries=[[[[0, 1, 2**70]]]]),  # parsed as a float beyond int64
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][2]', ["vertex index", "e+21"]),
    (mutated(geom__boundaries=[[[[0, 1, 2**63]]]]),
     'CityObjects["b1"].geometry[0].boundaries[0][0][0][2]', ["vertex index 9223372036854775808"]),
    (mutated(geom__lod=[2]), 'CityObjects["b1"].geometry[0].lod',
     ['"lod" must be a string or a number']),
    (mutated(geom__lod=True), 'CityObjects["b1"].geometry[0].lod', ["true"]),
    (mutated(geom__lod=KeyError), 'CityObjects["b1"].geometry[0]', ['missing "lod"']),
])
def test_bad_structure(tmp_path, doc, where, words):
    message = read_error(tmp_path, doc)
    assert f": {where}: " in message if where else True
    for word in words:
        assert word in message


def test_the_whole_message(tmp_path):
    path = write(tmp_path, mutated(geom__boundaries=[[[[0, 1, 123]]]]))
    with pytest.raises(ReadError) as info:
        read_cityjson(path)
    assert str(info.value) == (
        f'{path}: CityObjects["b1"].geometry[0].boundaries[0][0][0][2]: '
        "vertex index 123 out of range (file has 8 vertices)")
    assert info.value.where == 'CityObjects["b1"].geometry[0].boundaries[0][0][0][2]'
    assert info.value.path == path


def test_missing_and_folder_paths(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read_cityjson(tmp_path / "nope.city.json")
    with pytest.raises(ReadError, match="cannot read"):
        read_cityjson(tmp_path)


def test_unknown_version_is_a_warning(tmp_path):
    model = read_cityjson(write(tmp_path, mutated(root__version="3.7")))
    assert model.meshes["2"].n_triangles == 12
    assert any("3.7" in w for w in model.warnings)
    model = read_cityjson(write(tmp_path, mutated(root__version=KeyError)))
    assert any('no "version"' in w for w in model.warnings)


def test_cityjson_1_0_without_transform(tmp_path):
    doc = cube_doc()
    del doc["transform"]
    doc["version"] = "1.0"
    doc["metadata"] = {"referenceSystem": "urn:ogc:def:crs:EPSG::28992"}
    doc["vertices"] = [[v[0] / 1000 + 0.5, v[1] / 1000, v[2] / 1000] for v in doc["vertices"]]
    doc["CityObjects"]["b1"]["geometry"][0]["lod"] = 2
    model = read_cityjson(write(tmp_path, doc))
    assert model.crs == "EPSG:28992"
    assert model.lods == ["2"]
    assert model.meshes["2"].vertices[:, 0].min() == 0.5


@pytest.mark.parametrize(("name", "semantics", "warning"), [
    ("not an object", [1, 2], "semantics"),
    ("values too short", {"surfaces": [{"type": "RoofSurface"}], "values": [[0, 0]]},
     "semantics"),
    ("index too big", {"surfaces": [{"type": "RoofSurface"}], "values": [[0, 0, 0, 0, 0, 5]]},
     "semantics"),
    ("string values", {"surfaces": [{"type": "RoofSurface"}], "values": [["a"] * 6]},
     "semantics"),
    ("huge values", {"surfaces": [{"type": "RoofSurface"}], "values": [[2**64 + 5] * 6]},
     "semantics"),
])
def test_bad_semantics_are_dropped_with_a_warning(tmp_path, name, semantics, warning):
    model = read_cityjson(write(tmp_path, mutated(geom__semantics=semantics)))
    mesh = model.meshes["2"]
    assert mesh.n_triangles == 12
    assert (mesh.tri_semantic == 0).all()
    assert any(warning in w and 'CityObjects["b1"].geometry[0]' in w for w in model.warnings)


def test_null_semantics_for_a_whole_shell(tmp_path):
    doc = mutated(geom__semantics={"surfaces": [{"type": "RoofSurface"}], "values": [None]})
    mesh = read_cityjson(write(tmp_path, doc)).meshes["2"]
    assert (mesh.tri_semantic == 0).all()
    doc = mutated(geom__semantics={"surfaces": [{"type": "RoofSurface"}], "values": None})
    mesh = read_cityjson(write(tmp_path, doc)).meshes["2"]
    assert (mesh.tri_semantic == 0).all() and mesh.n_triangles == 12


def test_bad_materials_are_dropped_with_a_warning(tmp_path):
    doc = mutated(geom__material={"t": {"values": [[0, 0]]}})
    doc["appearance"] = {"materials": [{"name": "m", "diffuseColor": [1, 0, 0]}]}
    model = read_cityjson(write(tmp_path, doc))
    assert not model.meshes["2"].tri_has_color.any() if model.meshes["2"].tri_has_color \
        is not None else True
    assert any("materials" in w for w in model.warnings)


def test_unknown_geometry_type_and_parents_are_warnings(tmp_path):
    doc = cube_doc()
    obj = doc["CityObjects"]["b1"]
    obj["geometry"].append({"type": "Polygon", "lod": "2", "boundaries": []})
    obj["parents"] = ["nobody"]
    model = read_cityjson(write(tmp_path, doc))
    assert model.meshes["2"].n_triangles == 12
    assert any("'Polygon'" in w for w in model.warnings)
    assert any("nobody" in w for w in model.warnings)


@pytest.mark.parametrize(("instance", "words"), [
    ({"template": 3}, ['"template" must be an index below 1']),
    ({"boundaries": [99]}, ["one vertex index below 8"]),
    ({"boundaries": []}, ["one vertex index"]),
    ({"transformationMatrix": [1, 0, 0]}, ["16 numbers"]),
    ({"transformationMatrix": ["a"] * 16}, ["16 numbers"]),
])
def test_bad_geometry_instances(tmp_path, instance, words):
    doc = cube_doc()
    doc["geometry-templates"] = {
        "templates": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2]]]}],
        "vertices-templates": [[0, 0, 0], [1, 0, 0], [0, 1, 0]],
    }
    geom = {"type": "GeometryInstance", "template": 0, "boundaries": [1],
            "transformationMatrix": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]}
    geom.update(instance)
    doc["CityObjects"]["tree"] = {"type": "SolitaryVegetationObject", "geometry": [geom]}
    message = read_error(tmp_path, doc)
    assert 'CityObjects["tree"].geometry[0]' in message
    for word in words:
        assert word in message


def test_template_boundaries_errors_name_the_template(tmp_path):
    doc = cube_doc()
    doc["geometry-templates"] = {
        "templates": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 7]]]}],
        "vertices-templates": [[0, 0, 0], [1, 0, 0], [0, 1, 0]],
    }
    doc["CityObjects"]["tree"] = {"type": "SolitaryVegetationObject", "geometry": [
        {"type": "GeometryInstance", "template": 0, "boundaries": [1],
         "transformationMatrix": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]}]}
    message = read_error(tmp_path, doc)
    assert "geometry-templates.templates[0].boundaries[0][0][2]" in message
    assert "template has 3 vertices" in message


def test_internal_errors_become_read_errors(tmp_path, monkeypatch):
    import cimviewer.io.cityjson.geometry as geometry

    def boom(*args, **kwargs):
        raise ValueError("kaboom")

    monkeypatch.setattr(geometry, "triangulate_polygons", boom)
    message = read_error(tmp_path, cube_doc())
    assert "unexpected ValueError" in message and "kaboom" in message


def test_doc_is_not_modified_between_reads(tmp_path):
    """Reading twice gives the same result (no state kept between reads)."""
    path = write(tmp_path, cube_doc())
    a, b = read_cityjson(path), read_cityjson(path)
    assert (a.meshes["2"].triangles == b.meshes["2"].triangles).all()
    assert copy.deepcopy(a.objects.attributes) == b.objects.attributes
