"""Every problem a reader records carries its place in the file: the line and gml:id of
the CityGML element (LinearRing, Polygon, Solid, feature), the path into a CityJSON
document (after the feature's line in CityJSONSeq), the layer and FID of a footprint.
CityGML solids (2.0 and 3.0, inline or by xlink, CompositeSolid members) get the same
shell checks as CityJSON solids. Files are written here; lines are found in the text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cimviewer import cli
from cimviewer.core import citymodel
from cimviewer.core.citymodel import CityModel
from cimviewer.geometry import validity as v
from cimviewer.io.registry import read_dataset
from tests.io.test_geometry_problems import FACES, box_vertices, write_cityjson

GML2 = ('<?xml version="1.0" encoding="UTF-8"?>\n<CityModel '
        'xmlns="http://www.opengis.net/citygml/2.0" xmlns:gml="http://www.opengis.net/gml" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:bldg="http://www.opengis.net/citygml/building/2.0">\n')
GML3 = ('<?xml version="1.0" encoding="UTF-8"?>\n<CityModel '
        'xmlns="http://www.opengis.net/citygml/3.0" xmlns:gml="http://www.opengis.net/gml/3.2" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:bldg="http://www.opengis.net/citygml/building/3.0">\n')


def polygon(pid: str, points: list[list[float]], ring_id: str = "") -> str:
    pos = " ".join(f"{c:g}" for p in [*points, points[0]] for c in p)
    rid = f' gml:id="{ring_id}"' if ring_id else ""
    return (f'<gml:Polygon gml:id="{pid}"><gml:exterior><gml:LinearRing{rid}>'
            f"<gml:posList>{pos}</gml:posList></gml:LinearRing></gml:exterior>"
            "</gml:Polygon>")


def faces(k: int, height: float | None = None) -> list[list[list[float]]]:
    vertices = box_vertices(k)
    if height is not None:
        vertices = [[x, y, min(z, height)] for x, y, z in vertices]
    return [[vertices[i] for i in face] for face in FACES]


def citygml2_building(k: int, shell_faces: list[list[list[float]]], bad_ring: bool = False,
                      ) -> list[str]:
    """A CityGML 2.0 building: a lod2Solid whose shell points by xlink at the polygons of
    its boundary surfaces, one line per element of interest."""
    lines = [f'<cityObjectMember><bldg:Building gml:id="b{k}">',
             f'<bldg:lod2Solid><gml:Solid gml:id="solid{k}"><gml:exterior>'
             "<gml:CompositeSurface>"]
    lines += [f'<gml:surfaceMember xlink:href="#b{k}p{i}"/>' for i in range(len(shell_faces))]
    lines.append("</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>")
    for i, points in enumerate(shell_faces):
        if bad_ring and i == 2:  # two distinct points: val3dity TOO_FEW_POINTS
            points = [points[0], points[1], points[0]]
        lines.append("<bldg:boundedBy><bldg:WallSurface><bldg:lod2MultiSurface>"
                     "<gml:MultiSurface><gml:surfaceMember>"
                     + polygon(f"b{k}p{i}", points, f"b{k}r{i}" if bad_ring else "")
                     + "</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface>"
                     "</bldg:WallSurface></bldg:boundedBy>")
    lines.append("</bldg:Building></cityObjectMember>")
    return lines


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text in line)


def test_citygml2_bad_ring_collapsed_solid_and_too_few_polygons_are_placed(tmp_path):
    lines = [GML2.rstrip("\n")]
    lines += citygml2_building(0, faces(0))  # clean
    lines += citygml2_building(1, faces(1), bad_ring=True)
    lines += citygml2_building(2, faces(2, height=0.0))  # roof on the ground: no volume
    lines += citygml2_building(3, faces(3)[:3])  # a shell of 3 faces
    lines += citygml2_building(4, faces(4))  # clean
    lines.append("</CityModel>")
    path = tmp_path / "dirty.gml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = read_dataset(path)
    counts = model.problem_counts()
    assert counts[v.TOO_FEW_POLYGONS] == 1 and counts[v.COLLAPSED_SOLID] == 1
    # the bad ring of b1, and the four walls of the flat box b2 (top on bottom)
    assert counts[v.TOO_FEW_POINTS] == 5
    assert set(counts) == {v.TOO_FEW_POLYGONS, v.COLLAPSED_SOLID, v.TOO_FEW_POINTS}
    entries = model.problem_list()
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry["kind"], []).append((entry["object"], entry["place"]))
    assert by_kind[v.COLLAPSED_SOLID] == [
        ("b2", f'<gml:Solid gml:id="solid2"> line {line_of(path, "solid2")}')]
    assert by_kind[v.TOO_FEW_POLYGONS] == [
        ("b3", f'<gml:Solid gml:id="solid3"> line {line_of(path, "solid3")}')]
    ring = ("b1", f'<gml:LinearRing gml:id="b1r2"> line {line_of(path, "b1r2")}')
    assert ring in by_kind[v.TOO_FEW_POINTS]
    walls = [place for obj, place in by_kind[v.TOO_FEW_POINTS] if obj == "b2"]
    assert walls == [f'<gml:LinearRing> line {line_of(path, "id=" + chr(34) + f"b2p{i}")} in '
                     f'<gml:Polygon gml:id="b2p{i}">' for i in range(2, 6)]
    # the objects keep their other surfaces: b1 lost one face (2 triangles), the
    # solids with problems are drawn as they are
    mesh = model.mesh_for_lod(None)
    per_object = np.bincount(mesh.tri_object, minlength=len(model.objects))
    ids = model.objects.ids
    assert per_object[ids.index("b0")] == 12 and per_object[ids.index("b1")] == 10
    assert per_object[ids.index("b3")] == 6 and per_object[ids.index("b4")] == 12
    assert any(w.startswith("COLLAPSED_SOLID: 1 shell(s) of 1 object(s)") for w in
               model.warnings)


def test_citygml3_composite_solid_members_and_inline_shells_are_checked(tmp_path):
    """CityGML 3.0 (GML 3.2): a CompositeSolid of two solids with gml:Shell exteriors
    written inline, one of them flat; a lod1Solid elsewhere with 3 faces."""
    def solid(sid: str, polys: list[list[list[float]]], prefix: str) -> str:
        members = "".join(f"<gml:surfaceMember>{polygon(f'{prefix}{i}', p)}"
                          "</gml:surfaceMember>" for i, p in enumerate(polys))
        return (f'<gml:Solid gml:id="{sid}"><gml:exterior><gml:Shell>{members}</gml:Shell>'
                "</gml:exterior></gml:Solid>")

    text = (GML3 + '<cityObjectMember><bldg:Building gml:id="c">\n<lod2Solid>\n'
            "<gml:CompositeSolid>\n"
            f"<gml:solidMember>{solid('good', faces(0), 'g')}</gml:solidMember>\n"
            f"<gml:solidMember>{solid('flat', faces(1, height=0.0), 'f')}</gml:solidMember>\n"
            "</gml:CompositeSolid>\n</lod2Solid>\n</bldg:Building></cityObjectMember>\n"
            '<cityObjectMember><bldg:Building gml:id="d">\n<lod1Solid>\n'
            f"{solid('three', faces(2)[:3], 't')}\n</lod1Solid>\n"
            "</bldg:Building></cityObjectMember>\n</CityModel>\n")
    path = tmp_path / "v3.gml"
    path.write_text(text, encoding="utf-8")
    model = read_dataset(path)
    assert model.version == "3.0"
    places = model.problem_places
    assert model.objects.ids[int(model.problem_objects[v.COLLAPSED_SOLID][0])] == "c"
    assert places[v.COLLAPSED_SOLID] == [f'<gml:Solid gml:id="flat"> line {line_of(path, "flat")}']
    assert model.objects.ids[int(model.problem_objects[v.TOO_FEW_POLYGONS][0])] == "d"
    assert places[v.TOO_FEW_POLYGONS] == [
        f'<gml:Solid gml:id="three"> line {line_of(path, "three")}']
    assert "good" not in json.dumps(model.problem_list())


def test_a_shell_with_a_reference_not_found_is_not_judged(tmp_path):
    lines = [GML2.rstrip("\n"), *citygml2_building(0, faces(0)[:3])]
    lines[2] = lines[2] + '<gml:surfaceMember xlink:href="#elsewhere"/>'
    lines += ["</CityModel>"]
    path = tmp_path / "href.gml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = read_dataset(path)
    assert v.TOO_FEW_POLYGONS not in model.problem_counts()
    assert any("could not be resolved" in w for w in model.warnings)


def test_an_object_left_out_is_placed_at_its_feature_line(tmp_path):
    lines = [GML2.rstrip("\n"), *citygml2_building(0, faces(0)),
             *citygml2_building(1, [[[x, y, 1e20] for x, y, _ in f] for f in faces(1)]),
             "</CityModel>"]
    path = tmp_path / "far.gml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = read_dataset(path)
    assert model.problem_list() == [{
        "kind": "ABSURD_COORDINATES", "object": "b1",
        "place": f'<Building gml:id="b1"> line {line_of(path, "gml:id=" + chr(34) + "b1")}'}]


def test_cityjson_problems_are_placed_by_their_path_in_the_document(tmp_path):
    path = write_cityjson(tmp_path / "a.city.json", bad=4, face=3, kind=v.TOO_FEW_POINTS)
    doc = json.loads(path.read_text(encoding="utf-8"))
    # b6: a MultiSurface whose second surface has a hole repeating a point
    shell = doc["CityObjects"]["b6"]["geometry"][0]["boundaries"][0]
    hole = [shell[1][0][0], shell[1][0][1], shell[1][0][1], shell[1][0][2]]
    shell[1] = [shell[1][0], hole[::-1]]
    doc["CityObjects"]["b6"]["geometry"] = [
        {"type": "MultiPoint", "lod": "0", "boundaries": [0]},
        {"type": "MultiSurface", "lod": "1", "boundaries": shell}]
    # b9: a MultiSolid whose second solid is a shell of three faces
    solid = doc["CityObjects"]["b9"]["geometry"][0]["boundaries"]
    doc["CityObjects"]["b9"]["geometry"][0] = {
        "type": "MultiSolid", "lod": "1", "boundaries": [solid, [solid[0][:3]]]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    model = read_dataset(path)
    assert model.problem_places == {
        v.TOO_FEW_POINTS: ["CityObjects/b4/geometry/0/boundaries/0/3/0"],
        v.CONSECUTIVE_POINTS_SAME: ["CityObjects/b6/geometry/1/boundaries/1/1"],
        v.TOO_FEW_POLYGONS: ["CityObjects/b9/geometry/0/boundaries/1/0"],
    }
    assert {e["object"] for e in model.problem_list()} == {"b4", "b6", "b9"}


def test_a_planarity_problem_is_placed_on_its_surface(tmp_path):
    path = write_cityjson(tmp_path / "bent.city.json", bad=0, face=5, kind=v.NON_PLANAR)
    model = read_dataset(path)
    assert model.problem_places == {v.NON_PLANAR: ["CityObjects/b0/geometry/0/boundaries/0/5"]}


def test_cityjsonseq_problems_name_the_line_of_their_feature(tmp_path):
    path = write_cityjson(tmp_path / "a.city.json", bad=2, face=1, kind=v.TOO_FEW_POINTS)
    doc = json.loads(path.read_text(encoding="utf-8"))
    header = {"type": "CityJSON", "version": "2.0", "transform": doc["transform"],
              "CityObjects": {}, "vertices": []}
    lines = [json.dumps(header)]
    for oid, co in doc["CityObjects"].items():
        used = sorted({i for s in co["geometry"][0]["boundaries"][0] for r in s for i in r})
        remap = {old: new for new, old in enumerate(used)}
        shell = [[[remap[i] for i in r] for r in s] for s in co["geometry"][0]["boundaries"][0]]
        geometry = {**co["geometry"][0], "boundaries": [shell]}
        lines.append(json.dumps({"type": "CityJSONFeature", "id": oid,
                                 "CityObjects": {oid: {**co, "geometry": [geometry]}},
                                 "vertices": [doc["vertices"][i] for i in used]}))
        if oid == "b5":
            lines.append("{not json")
    seq = tmp_path / "a.city.jsonl"
    seq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = read_dataset(seq)
    assert model.problem_counts() == {v.TOO_FEW_POINTS: 1, "UNREADABLE_FEATURE": 1}
    # b2 is the third feature: line 4 (after the header)
    assert model.problem_places[v.TOO_FEW_POINTS] == [
        "line 4: CityObjects/b2/geometry/0/boundaries/0/1/0"]
    assert model.problem_places["UNREADABLE_FEATURE"] == ["line 8"]
    assert model.object_origin is not None
    assert model.object_origin[model.objects.index_of("b7")] == 10


def test_footprint_problems_name_the_layer_and_feature_id(tmp_path):
    import geopandas as gpd
    import shapely

    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    line_like = shapely.Polygon([(20, 0), (30, 0), (25, 0)])
    frame = gpd.GeoDataFrame(
        {"name": ["a", "b", "c", "d"]},
        geometry=[shapely.box(40, 0, 50, 10), bowtie, shapely.box(60, 0, 70, 10), line_like],
        crs="EPSG:32650")
    path = tmp_path / "footprints.gpkg"
    frame.to_file(path, layer="buildings", driver="GPKG")
    model = read_dataset(path, options={"extrude": True})
    counts = model.problem_counts()
    assert counts == {"RING_SELF_INTERSECTION": 1, v.DEGENERATE_POLYGON: 1}
    # GeoPackage FIDs count from 1: the bowtie is feature 2, the flat one feature 4
    assert model.problem_places["RING_SELF_INTERSECTION"] == ["layer buildings, FID 2"]
    assert model.problem_places[v.DEGENERATE_POLYGON] == ["layer buildings, FID 4"]
    assert model.objects.attributes[int(model.problem_objects[v.DEGENERATE_POLYGON][0])][
        "name"] == "d"


def test_info_lists_problems_with_their_places_and_keeps_its_keys(tmp_path, capsys):
    path = write_cityjson(tmp_path / "a.city.json", bad=5, face=0,
                          kind=v.CONSECUTIVE_POINTS_SAME)
    assert cli.main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert {"format", "crs", "objects", "types", "lods", "bbox", "vertices", "triangles",
            "warnings", "problems", "appearance"} <= set(info)
    assert info["problems"] == {v.CONSECUTIVE_POINTS_SAME: 1}
    assert info["problem_list"] == [{"kind": v.CONSECUTIVE_POINTS_SAME, "object": "b5",
                                     "place": "CityObjects/b5/geometry/0/boundaries/0/0/0"}]
    assert cli.main(["info", str(path)]) == 0
    assert ("problem: CONSECUTIVE_POINTS_SAME b5 CityObjects/b5/geometry/0/boundaries/0/0/0"
            in capsys.readouterr().out)


def test_places_are_kept_for_the_first_occurrences_and_the_rest_counted(monkeypatch):
    monkeypatch.setattr(citymodel, "PLACES_KEPT", 5)
    model = CityModel()
    for name in "abc":
        model.objects.add(name, "Building")
    model.add_problem("K", [0, 1], ["p0", "p1"])
    model.add_problem("K", [2, 2, 2])  # places not known
    model.add_problem("K", [1, 1], ["q0", "q1"])  # beyond the places kept
    model.add_problem("L", [0] * 8, [f"l{i}" for i in range(8)])
    assert model.problem_counts() == {"K": 7, "L": 8}
    assert model.problem_places == {"K": ["p0", "p1", "", "", ""],
                                    "L": ["l0", "l1", "l2", "l3", "l4"]}
    listed = model.problem_list(limit=4)  # shared: two of each kind
    assert listed == [{"kind": "K", "object": "a", "place": "p0"},
                      {"kind": "K", "object": "b", "place": "p1"},
                      {"kind": "L", "object": "a", "place": "l0"},
                      {"kind": "L", "object": "a", "place": "l1"}]
    model.add_problem("M", [-1], ["line 3"])
    assert len(model.problem_list(limit=3)) == 3
    assert {e["kind"] for e in model.problem_list(limit=3)} == {"K", "L", "M"}
    assert model.problem_list()[-1] == {"kind": "M", "object": None, "place": "line 3"}


@pytest.mark.parametrize("kind", [v.TOO_FEW_POINTS, v.CONSECUTIVE_POINTS_SAME])
def test_many_problems_keep_memory_bounded(tmp_path, monkeypatch, kind):
    """More occurrences than places kept: every one counted, the first ones placed."""
    monkeypatch.setattr("cimviewer.io.cityjson.geometry.PLACES_KEPT", 3)
    monkeypatch.setattr(citymodel, "PLACES_KEPT", 3)
    path = write_cityjson(tmp_path / "a.city.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    for k in range(6):
        ring = doc["CityObjects"][f"b{k}"]["geometry"][0]["boundaries"][0][0][0]
        ring[:] = [ring[0], ring[1], ring[0]] if kind == v.TOO_FEW_POINTS else \
            [ring[0], ring[1], ring[1], *ring[2:]]
    path.write_text(json.dumps(doc), encoding="utf-8")
    model = read_dataset(path)
    assert model.problem_counts() == {kind: 6}
    assert model.problem_places[kind] == [
        f"CityObjects/b{k}/geometry/0/boundaries/0/0/0" for k in range(3)]
