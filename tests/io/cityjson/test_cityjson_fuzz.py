"""Fuzzing: mutated CityJSON documents and random bytes give a model or a ReadError only."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.io.errors import ReadError

TIME_LIMIT = 2.0  # seconds per read: no hang, no runaway work

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)


def seed_doc() -> dict:
    """A small valid document touching most features the reader has."""
    return {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.01, 0.01, 0.01], "translate": [10.0, 20.0, 0.0]},
        "metadata": {"referenceSystem": "urn:ogc:def:crs:EPSG::7415"},
        "appearance": {"materials": [{"name": "a", "diffuseColor": [0.5, 0.5, 0.5]}],
                       "textures": [{"type": "PNG", "image": "t.png"}]},
        "geometry-templates": {
            "templates": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2]]]}],
            "vertices-templates": [[0, 0, 0], [1, 0, 0], [0, 1, 0]],
        },
        "CityObjects": {
            "b": {"type": "Building", "children": ["p"], "attributes": {"h": 3},
                  "geometry": [{
                      "type": "Solid", "lod": "2",
                      "boundaries": [[[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]],
                                      [[1, 2, 6, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 7]]]],
                      "semantics": {"surfaces": [{"type": "GroundSurface"},
                                                 {"type": "RoofSurface", "children": [2]},
                                                 {"type": "+X", "parent": 1}],
                                    "values": [[0, 1, 2, None, 2, 2]]},
                      "material": {"a": {"values": [[0, 0, None, 0, 0, 0]]}},
                  }]},
            "p": {"type": "BuildingPart", "parents": ["b"],
                  "address": [{"location": {"type": "MultiPoint", "lod": "1",
                                            "boundaries": [0]}}],
                  "geometry": [{"type": "MultiSurface", "lod": 1.2,
                                "boundaries": [[[0, 1, 2, 3], [8, 9, 10]]]},
                               {"type": "MultiLineString", "lod": "0",
                                "boundaries": [[0, 1], [2, 3, 4]]},
                               {"type": "MultiPoint", "lod": "0", "boundaries": [5, 6]}]},
            "t": {"type": "SolitaryVegetationObject", "geometry": [
                {"type": "GeometryInstance", "template": 0, "boundaries": [7],
                 "transformationMatrix": [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]}]},
        },
        "vertices": [[0, 0, 0], [100, 0, 0], [100, 100, 0], [0, 100, 0], [0, 0, 100],
                     [100, 0, 100], [100, 100, 100], [0, 100, 100], [20, 20, 0], [40, 20, 0],
                     [20, 40, 0]],
    }


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def apply(doc: dict, path: tuple, action: str, value: Any) -> dict:
    if not path:
        return value if action == "replace" else doc
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if action == "replace":
        parent[key] = value
    elif action == "delete":
        del parent[key]
    elif action == "wrap":
        parent[key] = [parent[key]]
    elif action == "unwrap" and isinstance(parent[key], list) and parent[key]:
        parent[key] = parent[key][0]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    return doc


@st.composite
def mutated_docs(draw) -> Any:
    doc = seed_doc()
    for _ in range(draw(st.integers(1, 4))):
        if not isinstance(doc, dict):
            break
        all_paths = paths(doc)
        path = all_paths[draw(st.integers(0, len(all_paths) - 1))]
        action = draw(st.sampled_from(["replace", "delete", "wrap", "unwrap", "duplicate"]))
        doc = apply(doc, path, action, draw(json_values))
    return doc


def read_safely(path: Path) -> None:
    start = time.perf_counter()
    try:
        model = read_cityjson(path)
    except ReadError as err:
        assert str(err).startswith(str(path))
    else:
        for mesh in model.meshes.values():
            mesh.validate()
    assert time.perf_counter() - start < TIME_LIMIT


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def test_seed_doc_is_valid(tmp_path):
    path = tmp_path / "seed.city.json"
    path.write_text(json.dumps(seed_doc()))
    model = read_cityjson(path)
    assert set(model.meshes) == {"1", "1.2", "2"}
    assert model.meshes["2"].n_triangles == 12 and model.meshes["1.2"].n_triangles > 2


@SETTINGS
@given(doc=mutated_docs())
def test_mutated_documents(tmp_path, doc):
    path = tmp_path / "m.city.json"
    path.write_text(json.dumps(doc))
    read_safely(path)


@SETTINGS
@given(data=st.data())
def test_mutated_bytes(tmp_path, data):
    raw = bytearray(json.dumps(seed_doc()).encode())
    for _ in range(data.draw(st.integers(1, 5))):
        i = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["set", "insert", "delete", "truncate"]))
        byte = data.draw(st.sampled_from(b'0123456789[]{},:"-.eE \xff\x00'))
        if op == "set":
            raw[i] = byte
        elif op == "insert":
            raw.insert(i, byte)
        elif op == "delete":
            del raw[i]
        else:
            del raw[i:]
            break
    name = data.draw(st.sampled_from(["m.city.json", "m.city.jsonl"]))
    path = tmp_path / name
    path.write_bytes(bytes(raw))
    read_safely(path)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=300), name=st.sampled_from(["r.json", "r.city.jsonl"]))
def test_random_bytes(tmp_path, blob, name):
    path = tmp_path / name
    path.write_bytes(blob)
    read_safely(path)
