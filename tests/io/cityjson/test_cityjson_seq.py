"""CityJSONSeq (.city.jsonl): a header line, then one CityJSONFeature per line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cimviewer.io.cityjson.reader import ReadCancelledError, read_cityjson
from cimviewer.io.errors import ReadError

HEADER = {
    "type": "CityJSON",
    "version": "2.0",
    "transform": {"scale": [0.01, 0.01, 0.01], "translate": [85000.0, 447000.0, 0.0]},
    "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
    "CityObjects": {},
    "vertices": [],
}


def square_feature(fid: str, x0: int, with_part: bool = False) -> dict:
    """A building whose LoD2 geometry is one horizontal 1 m square (local indices 0..3)."""
    cos = {fid: {"type": "Building", "attributes": {"name": fid},
                 "geometry": [{"type": "MultiSurface", "lod": "2",
                               "boundaries": [[[0, 1, 2, 3]]],
                               "semantics": {"surfaces": [{"type": "RoofSurface"}],
                                             "values": [0]}}]}}
    if with_part:
        cos[fid]["children"] = [fid + "-part"]
        cos[fid + "-part"] = {"type": "BuildingPart", "parents": [fid]}
    return {"type": "CityJSONFeature", "id": fid, "CityObjects": cos,
            "vertices": [[x0, 0, 0], [x0 + 100, 0, 0], [x0 + 100, 100, 0], [x0, 100, 0]]}


def write_lines(tmp_path: Path, items: list, name: str = "city.city.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i) for i in items) + "\n",
                    encoding="utf-8")
    return path


def test_header_and_features(tmp_path):
    path = write_lines(tmp_path, [HEADER, square_feature("a", 0, with_part=True), "",
                                  square_feature("b", 500)])
    model = read_cityjson(path)
    assert model.source_format == "CityJSONSeq"
    assert model.version == "2.0"
    assert model.crs == "EPSG:7415"
    assert model.objects.ids == ["a", "a-part", "b"]
    assert model.objects.parents == [[], [0], []]
    assert model.n_vertices == 8
    mesh = model.meshes["2"]
    assert mesh.n_triangles == 4
    # each feature's local indices point at its own, transformed vertices
    for obj, x0 in ((0, 85000.0), (2, 85005.0)):
        pts = mesh.vertices[mesh.triangles[mesh.tri_object == obj].ravel()]
        np.testing.assert_allclose(pts.min(axis=0), [x0, 447000.0, 0.0])
        np.testing.assert_allclose(pts.max(axis=0), [x0 + 1, 447001.0, 0.0])
    assert (mesh.tri_semantic == 1).all()
    assert len(model.semantic_surfaces) == 2


def test_features_without_header(tmp_path):
    path = write_lines(tmp_path, [square_feature("a", 0)])
    model = read_cityjson(path)
    assert model.objects.ids == ["a"]
    assert model.meshes["2"].vertices[:, 0].max() == 100
    assert any("no CityJSON header" in w for w in model.warnings)


def test_seq_detected_in_a_json_file(tmp_path):
    path = write_lines(tmp_path, [HEADER, square_feature("a", 0)], name="city.json")
    model = read_cityjson(path)
    assert model.source_format == "CityJSONSeq"
    assert model.objects.ids == ["a"]


def test_single_line_cityjson_is_not_seq(tmp_path):
    doc = dict(HEADER, CityObjects=square_feature("a", 0)["CityObjects"],
               vertices=square_feature("a", 0)["vertices"])
    path = write_lines(tmp_path, [doc], name="city.json")
    assert read_cityjson(path).source_format == "CityJSON"


def test_feature_materials_and_textures(tmp_path):
    feature = square_feature("a", 0)
    feature["appearance"] = {"materials": [{"name": "red", "diffuseColor": [1.0, 0.0, 0.0]}],
                             "textures": [{"type": "PNG", "image": "missing.png"}]}
    feature["CityObjects"]["a"]["geometry"][0]["material"] = {"paint": {"value": 0}}
    model = read_cityjson(write_lines(tmp_path, [HEADER, feature]))
    mesh = model.meshes["2"]
    assert mesh.tri_has_color.all() and (mesh.tri_color == (255, 0, 0)).all()
    assert any("missing.png" in w for w in model.warnings)


@pytest.mark.parametrize(("lines", "words"), [
    ([HEADER, "{not json"], ["line 2", "not valid JSON"]),
    ([HEADER, "[1, 2]"], ["line 2", "expected a CityJSONFeature"]),
    ([HEADER, HEADER], ["line 2", '"CityJSON"', '"CityJSONFeature"']),
    ([HEADER, dict(square_feature("a", 0), id="zzz")], ["line 2", '"zzz"', "does not match"]),
    ([HEADER, dict(square_feature("a", 0), id=None)], ["line 2", "does not match"]),
    ([HEADER, square_feature("a", 0), square_feature("a", 9)], ['"a"', "more than once"]),
    ([HEADER, dict(square_feature("a", 0), vertices=[[0, 0, 0]])],
     ['line 2: CityObjects["a"].geometry[0].boundaries[0][0][1]',
      "vertex index 1 out of range (feature has 1 vertices)"]),
    ([HEADER, dict(square_feature("a", 0), vertices=[[0, 0]])],
     ["line 2: vertices[0]", "expected [x, y, z]"]),
    ([dict(HEADER, transform={"scale": "x"}), square_feature("a", 0)],
     ["line 1: transform.scale"]),
    ([HEADER, "\xff"], ["line 2"]),
])
def test_bad_lines(tmp_path, lines, words):
    path = write_lines(tmp_path, lines)
    with pytest.raises(ReadError) as info:
        read_cityjson(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for word in words:
        assert word in message


def test_empty_seq_file(tmp_path):
    path = tmp_path / "e.city.jsonl"
    path.write_bytes(b"\n\n")
    with pytest.raises(ReadError, match="empty"):
        read_cityjson(path)


def test_streaming_progress_and_cancel(tmp_path):
    items = [HEADER] + [square_feature(f"f{i}", i * 200) for i in range(2000)]
    path = write_lines(tmp_path, items)
    seen: list[float] = []
    model = read_cityjson(path, progress=seen.append)
    assert len(model.objects) == 2000 and model.meshes["2"].n_triangles == 4000
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 5
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3  # during the streaming of lines

    with pytest.raises(ReadCancelledError):
        read_cityjson(path, cancelled=cancel)


def test_corpus_feature_case(shared_data):
    case = shared_data / "cityjson/corpus/conformance/v2_0/cityjsonfeature_minimal"
    model = read_cityjson(case / "cityjsonfeature_minimal.city.jsonl")
    assert model.source_format == "CityJSONSeq"
    assert model.objects.ids == ["myid"] and model.objects.types == ["Building"]
    assert model.meshes == {} and not model.warnings


def test_corpus_unresolved_root_id(shared_data):
    case = shared_data / "cityjson/corpus/invalid/invalid_cityjsonfeature_root_id_unresolved"
    with pytest.raises(ReadError, match="missing-main-object"):
        read_cityjson(case / "invalid_cityjsonfeature_root_id_unresolved.city.jsonl")
