"""Dirty geometry as it is published: valid files mutated into each problem kind still
open, the problem is counted under its kind (val3dity's names) on the right object, and
every other object is drawn exactly as before. Checked on CityJSON and CityGML written
here, and on a real file against an independent count."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cimviewer import cli
from cimviewer.geometry import validity as v
from cimviewer.io.registry import read_dataset

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
N_BUILDINGS = 12
# a box: ground, roof, four walls, as CityJSON rings (outward, counter-clockwise)
FACES = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]]


def box_vertices(k: int) -> list[list[float]]:
    x, y, h = 30.0 * (k % 4), 30.0 * (k // 4), 10.0 + k
    return [[x, y, 0], [x + 12, y, 0], [x + 12, y + 9, 0], [x, y + 9, 0],
            [x, y, h], [x + 12, y, h], [x + 12, y + 9, h], [x, y + 9, h]]


def mutate(rings: list[list[int]], vertices: list[list[float]], face: int, kind: str,
           ) -> None:
    """Turn one face of a box into a polygon with the problem ``kind`` (in place)."""
    ring = rings[face]
    if kind == v.CONSECUTIVE_POINTS_SAME:
        ring.insert(2, ring[1])
    elif kind == v.TOO_FEW_POINTS:
        ring[:] = [ring[0], ring[1], ring[0]]
    elif kind == v.DEGENERATE_POLYGON:  # three points on one edge of the box
        a, b = np.array(vertices[ring[0]]), np.array(vertices[ring[1]])
        vertices.append(list((a + b) / 2))
        ring[:] = [ring[0], len(vertices) - 1, ring[1]]
    elif kind == v.NON_PLANAR:  # one corner moved half a metre off the face's plane
        a, b, c = (np.array(vertices[i]) for i in ring[:3])
        normal = np.cross(b - a, c - b)
        vertices.append(list(np.array(vertices[ring[2]]) + 0.5 * normal / np.linalg.norm(normal)))
        ring[2] = len(vertices) - 1


def write_cityjson(path: Path, bad: int | None = None, face: int = 0, kind: str = "") -> Path:
    vertices: list[list[float]] = []
    objects = {}
    for k in range(N_BUILDINGS):
        base = len(vertices)
        vertices += box_vertices(k)
        rings = [[base + i for i in f] for f in FACES]
        if k == bad:
            mutate(rings, vertices, face, kind)
        shell = [[ring] for ring in rings]  # a solid's shell: surfaces of one ring each
        objects[f"b{k}"] = {"type": "Building", "geometry": [
            {"type": "Solid", "lod": "1", "boundaries": [shell]}]}
    doc = {"type": "CityJSON", "version": "2.0",
           "transform": {"scale": [0.001, 0.001, 0.001], "translate": [0, 0, 0]},
           "CityObjects": objects,
           "vertices": [[round(c * 1000) for c in p] for p in vertices]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


GML = ('<?xml version="1.0" encoding="UTF-8"?>\n<CityModel '
       'xmlns="http://www.opengis.net/citygml/2.0" xmlns:gml="http://www.opengis.net/gml" '
       'xmlns:bldg="http://www.opengis.net/citygml/building/2.0">\n{members}</CityModel>\n')


def write_citygml(path: Path, bad: int | None = None, face: int = 0, kind: str = "") -> Path:
    members = []
    for k in range(N_BUILDINGS):
        vertices = box_vertices(k)
        rings = [list(f) for f in FACES]
        if k == bad and kind != v.RING_NOT_CLOSED:
            mutate(rings, vertices, face, kind)
        polygons = []
        for i, ring in enumerate(rings):
            closed = ring if k == bad and kind == v.RING_NOT_CLOSED and i == face \
                else [*ring, ring[0]]
            pos = " ".join(f"{c:g}" for index in closed for c in vertices[index])
            polygons.append(f"<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
                            f"<gml:posList>{pos}</gml:posList></gml:LinearRing></gml:exterior>"
                            "</gml:Polygon></gml:surfaceMember>")
        members.append(f'<cityObjectMember><bldg:Building gml:id="b{k}"><bldg:lod1MultiSurface>'
                       f'<gml:MultiSurface srsDimension="3">{"".join(polygons)}'
                       "</gml:MultiSurface></bldg:lod1MultiSurface></bldg:Building>"
                       "</cityObjectMember>\n")
    path.write_text(GML.format(members="".join(members)), encoding="utf-8")
    return path


def triangles_by_object(model) -> dict[str, np.ndarray]:
    """Each object's triangles as sorted rows of corner coordinates (order-free)."""
    mesh = model.mesh_for_lod(None)
    corners = np.round(mesh.vertices[mesh.triangles].reshape(-1, 9), 6)
    out = {}
    for index, oid in enumerate(model.objects.ids):
        rows = corners[mesh.tri_object == index]
        out[oid] = rows[np.lexsort(rows.T[::-1])] if len(rows) else rows
    return out


CASES = [(fmt, kind) for fmt in ("cityjson", "citygml")
         for kind in (v.CONSECUTIVE_POINTS_SAME, v.TOO_FEW_POINTS, v.DEGENERATE_POLYGON,
                      v.NON_PLANAR)] + [("citygml", v.RING_NOT_CLOSED)]


@pytest.mark.parametrize(("fmt", "kind"), CASES)
def test_each_problem_kind_is_counted_on_its_object_and_the_rest_is_intact(
        tmp_path, fmt, kind):
    write = write_cityjson if fmt == "cityjson" else write_citygml
    suffix = ".city.json" if fmt == "cityjson" else ".gml"
    clean = read_dataset(write(tmp_path / f"clean{suffix}"))
    assert clean.problem_counts() == {}
    rng = np.random.default_rng(sum(map(ord, fmt + kind)))
    for _trial in range(3):
        bad, face = int(rng.integers(N_BUILDINGS)), int(rng.integers(len(FACES)))
        model = read_dataset(write(tmp_path / f"bad{suffix}", bad, face, kind))
        assert model.problem_counts() == {kind: 1}
        assert model.objects.ids[int(model.problem_objects[kind][0])] == f"b{bad}"
        assert any(w.startswith(f"{kind}: 1 polygon(s) of 1 object(s)") and f"'b{bad}'" in w
                   for w in model.warnings)
        mine, theirs = triangles_by_object(model), triangles_by_object(clean)
        for oid in theirs:
            if oid != f"b{bad}":
                np.testing.assert_array_equal(mine[oid], theirs[oid])
        kept = len(mine[f"b{bad}"])
        if kind in (v.TOO_FEW_POINTS, v.DEGENERATE_POLYGON):
            assert kept == len(theirs[f"b{bad}"]) - 2  # only that face (2 triangles) skipped
        elif kind in (v.CONSECUTIVE_POINTS_SAME, v.RING_NOT_CLOSED):
            np.testing.assert_array_equal(mine[f"b{bad}"], theirs[f"b{bad}"])  # repaired
        else:
            assert kept == len(theirs[f"b{bad}"])  # drawn, as triangulated


def reference_ring_problems(doc: dict) -> dict[str, int]:
    """An independent count over a CityJSON document, polygon by polygon, in plain
    Python: consecutive repeats (with the wrap-around) and fewer than 3 distinct points."""
    counts = {v.CONSECUTIVE_POINTS_SAME: 0, v.TOO_FEW_POINTS: 0}

    def surfaces(boundaries, depth):
        if depth == 0:
            yield boundaries
        else:
            for item in boundaries:
                yield from surfaces(item, depth - 1)

    depth = {"MultiSurface": 1, "CompositeSurface": 1, "Solid": 2, "MultiSolid": 3,
             "CompositeSolid": 3}
    points = [tuple(p) for p in doc["vertices"]]
    for co in doc["CityObjects"].values():
        for geometry in co.get("geometry", []):
            for surface in surfaces(geometry["boundaries"], depth[geometry["type"]]):
                few = repeated = False
                for ring in surface:
                    ring_points = [points[i] for i in ring]
                    pairs = list(zip(ring_points, ring_points[1:] + ring_points[:1], strict=True))
                    n_repeats = sum(a == b for a, b in pairs)
                    if len(ring_points) - n_repeats < 3:
                        few = True
                    elif n_repeats:
                        repeated = True
                counts[v.TOO_FEW_POINTS] += few
                counts[v.CONSECUTIVE_POINTS_SAME] += repeated and not few
    return {k: n for k, n in counts.items() if n}


def test_a_real_city_file_is_reported_like_an_independent_count(capsys):
    path = DATA / "cityjson" / "real" / "rotterdam_subset.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    expected = reference_ring_problems(doc)
    assert expected  # this published file has such rings
    assert cli.main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert {k: info["problems"].get(k, 0) for k in expected} == expected
    assert set(info["problems"]) <= {*expected, v.DEGENERATE_POLYGON, v.NON_PLANAR}
    assert info["objects"] == len(doc["CityObjects"])  # nothing refused, nothing lost


def test_shells_of_solids_with_too_few_faces_or_no_volume(tmp_path):
    """val3dity's TOO_FEW_POLYGONS (a shell of 3 faces) and a collapsed solid (a box of
    height zero: roof on the ground) are counted on their objects; the rest is clean."""
    path = write_cityjson(tmp_path / "solids.city.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["CityObjects"]["b2"]["geometry"][0]["boundaries"][0] = \
        doc["CityObjects"]["b2"]["geometry"][0]["boundaries"][0][:3]
    flat = doc["CityObjects"]["b5"]["geometry"][0]["boundaries"][0]
    used = {i for surface in flat for ring in surface for i in ring}
    for i in used:
        doc["vertices"][i][2] = 0
    path.write_text(json.dumps(doc), encoding="utf-8")
    model = read_dataset(path)
    counts = model.problem_counts()
    assert counts[v.TOO_FEW_POLYGONS] == 1 and counts[v.COLLAPSED_SOLID] == 1
    ids = model.objects.ids
    assert ids[int(model.problem_objects[v.TOO_FEW_POLYGONS][0])] == "b2"
    assert ids[int(model.problem_objects[v.COLLAPSED_SOLID][0])] == "b5"
    # the flat box's walls have two distinct points each (their top on their bottom)
    assert set(counts) == {v.TOO_FEW_POLYGONS, v.COLLAPSED_SOLID, v.TOO_FEW_POINTS}
    assert counts[v.TOO_FEW_POINTS] == 4
