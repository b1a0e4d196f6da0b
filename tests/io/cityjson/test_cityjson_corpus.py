"""The CityJSON conformance corpus: every positive case loads and its invariants hold;
every invalid case gives a ReadError that names the problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from cimviewer.core.citymodel import CityModel
from cimviewer.core.semantics import OTHER_SEMANTIC, SEMANTIC_CODES, semantic_code
from cimviewer.io.cityjson.model import parse_transform, parse_vertices
from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.io.errors import ReadError

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cityjson" / "corpus"
CASES = sorted(p for p in (CORPUS / "conformance" / "v2_0").glob("*") if p.is_dir())
INVALID = sorted(p for p in (CORPUS / "invalid").glob("*") if p.is_dir())
DEPTH = {"MultiSurface": 1, "CompositeSurface": 1, "Solid": 2, "MultiSolid": 3,
         "CompositeSolid": 3}


def data_file(case: Path) -> Path:
    return next(p for p in case.iterdir() if p.name.startswith(case.name + "."))


def load_doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# -- independent expectations from the raw JSON -----------------------------------------

def doc_vertices(doc: dict) -> np.ndarray:
    v = np.array(doc.get("vertices", []), float).reshape(-1, 3)
    t = doc.get("transform")
    return v * t["scale"] + t["translate"] if t else v


def newell(pts: np.ndarray) -> np.ndarray:
    nxt = np.roll(pts, -1, axis=0)
    return 0.5 * np.array([
        np.sum((pts[:, 1] - nxt[:, 1]) * (pts[:, 2] + nxt[:, 2])),
        np.sum((pts[:, 2] - nxt[:, 2]) * (pts[:, 0] + nxt[:, 0])),
        np.sum((pts[:, 0] - nxt[:, 0]) * (pts[:, 1] + nxt[:, 1])),
    ])


def surface_area_vector(rings: list[list[int]], verts: np.ndarray) -> np.ndarray:
    """Vector area of a surface: exterior minus holes, whatever the holes' orientation."""
    ext = newell(verts[rings[0]]) if len(rings[0]) >= 3 else np.zeros(3)
    for hole in rings[1:]:
        h = newell(verts[hole]) if len(hole) >= 3 else np.zeros(3)
        ext = ext - (h if np.dot(h, ext) >= 0 else -h)
    return ext


def _segments_cross(p1, p2, q1, q2) -> bool:
    def orient(a, b, c):
        return np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))

    return (orient(p1, p2, q1) * orient(p1, p2, q2) < 0
            and orient(q1, q2, p1) * orient(q1, q2, p2) < 0)


def is_simple_planar(rings: list[list[int]], verts: np.ndarray) -> bool:
    """Planar, and no two edges of the surface cross (the fixture has fake bow-ties)."""
    pts = verts[[i for r in rings for i in r]]
    n = newell(verts[rings[0]]) if len(rings[0]) >= 3 else np.zeros(3)
    if np.linalg.norm(n) < 1e-12:
        return True  # zero area either way
    n = n / np.linalg.norm(n)
    if np.abs((pts - pts[0]) @ n).max() > 1e-6:
        return False
    keep = [a for a in range(3) if a != int(np.argmax(np.abs(n)))]
    edges = [(verts[r[k]][keep], verts[r[(k + 1) % len(r)]][keep])
             for r in rings for k in range(len(r))]
    return not any(_segments_cross(*edges[i], *edges[j])
                   for i in range(len(edges)) for j in range(i + 1, len(edges)))


def surfaces_of(boundaries: list, depth: int) -> list:
    for _ in range(depth - 1):
        boundaries = [s for shell in boundaries for s in shell]
    return boundaries


def values_of(values: list, depth: int) -> list:
    for _ in range(depth - 1):
        values = [v for shell in values for v in (shell if shell is not None else [None])]
    return values


def expected_areas(doc: dict, key: Callable[[str, dict, int], object]) -> dict[object, np.ndarray]:
    """Sum of surface vector areas grouped by ``key(object id, geometry, surface index)``."""
    verts = doc_vertices(doc)
    out: dict[object, np.ndarray] = {}
    templates = doc.get("geometry-templates", {})
    for oid, co in doc["CityObjects"].items():
        for geom in co.get("geometry", []):
            gverts = verts
            if geom["type"] == "GeometryInstance":
                m = np.array(geom["transformationMatrix"], float).reshape(4, 4)
                tv = np.array(templates["vertices-templates"], float)
                gverts = tv @ m[:3, :3].T + m[:3, 3] + verts[geom["boundaries"][0]]
                geom = templates["templates"][geom["template"]]
            if geom["type"] not in DEPTH:
                continue
            for i, rings in enumerate(surfaces_of(geom["boundaries"], DEPTH[geom["type"]])):
                k = key(oid, geom, i)
                if not is_simple_planar(rings, gverts):
                    out[k] = np.full(3, np.nan)  # not comparable
                out[k] = out.get(k, np.zeros(3)) + surface_area_vector(rings, gverts)
    return out


def model_areas(model: CityModel, key: Callable[[int, int, int], object]) -> dict:
    """Sum of triangle vector areas grouped by ``key(object, semantic code, triangle)``."""
    out: dict[object, np.ndarray] = {}
    for mesh in model.meshes.values():
        a, b, c = (mesh.vertices[mesh.triangles[:, i]] for i in range(3))
        areas = 0.5 * np.cross(b - a, c - a)
        for t in range(mesh.n_triangles):
            k = key(int(mesh.tri_object[t]), int(mesh.tri_semantic[t]), t)
            out[k] = out.get(k, np.zeros(3)) + areas[t]
    return out


def assert_same_areas(got: dict, expected: dict) -> None:
    keys = {k for k, v in expected.items() if np.linalg.norm(v) > 1e-9} | set(got)
    keys -= {k for k, v in expected.items() if np.isnan(v).any()}
    for k in keys:
        np.testing.assert_allclose(got.get(k, np.zeros(3)), expected.get(k, np.zeros(3)),
                                   atol=1e-6, err_msg=f"area of {k!r}")


def expected_semantic_code(geom: dict, i: int) -> int:
    sem = geom.get("semantics")
    if not sem:
        return 0
    vals = values_of(sem["values"], DEPTH[geom["type"]])
    v = vals[i]
    return 0 if v is None else semantic_code(sem["surfaces"][v]["type"])


# -- checks per invariant id --------------------------------------------------------------

def check_roundtrip(model: CityModel, doc: dict, path: Path) -> None:
    """Objects, types, vertices, metadata and extra root members are all kept."""
    assert model.objects.ids == list(doc["CityObjects"])
    assert model.objects.types == [co["type"] for co in doc["CityObjects"].values()]
    assert model.n_vertices == len(doc["vertices"])
    assert model.metadata == doc.get("metadata", {})
    assert model.version == doc["version"]
    for key, value in doc.items():
        if key not in ("type", "version", "CityObjects", "vertices", "metadata", "appearance",
                       "geometry-templates"):
            assert model.extras[key] == value
    for i, co in enumerate(doc["CityObjects"].values()):
        for key, value in co.get("attributes", {}).items():
            assert model.objects.attributes[i][key] == value
    check_areas(model, doc, path)


def check_areas(model: CityModel, doc: dict, path: Path) -> None:
    """Triangles cover exactly the surfaces of each object (vector area per object)."""
    ids = model.objects.ids
    assert_same_areas(model_areas(model, lambda o, s, t: ids[o]),
                      expected_areas(doc, lambda oid, g, i: oid))
    for mesh in model.meshes.values():
        mesh.validate()


def check_hierarchy(model: CityModel, doc: dict, path: Path) -> None:
    """Every parents/children link of the file is a parent link of the model."""
    objs = model.objects
    for i, (oid, co) in enumerate(doc["CityObjects"].items()):
        for pid in co.get("parents", []):
            assert objs.index_of(pid) in objs.parents[i], (oid, pid)
        for cid in co.get("children", []):
            assert i in objs.parents[objs.index_of(cid)], (oid, cid)
            assert objs.index_of(cid) in objs.children_of(i)
    for i in range(len(objs)):
        root = objs.root_of(i)
        assert not objs.parents[root] or objs.root_of(root) == root


def check_extension_types(model: CityModel, doc: dict, path: Path) -> None:
    plus = [co["type"] for co in doc["CityObjects"].values() if co["type"].startswith("+")]
    assert plus and all(t in model.objects.types for t in plus)
    check_roundtrip(model, doc, path)
    check_hierarchy(model, doc, path)


def check_address(model: CityModel, doc: dict, path: Path) -> None:
    verts = doc_vertices(doc)
    for i, co in enumerate(doc["CityObjects"].values()):
        if "address" not in co:
            continue
        got = model.objects.attributes[i]["address"]
        assert len(got) == len(co["address"])
        for g, e in zip(got, co["address"], strict=True):
            assert {k: v for k, v in g.items() if k != "location"} == \
                   {k: v for k, v in e.items() if k != "location"}
            if "location" in e:
                np.testing.assert_allclose(g["location"]["coordinates"],
                                           verts[e["location"]["boundaries"]])
                assert g["location"]["boundaries"] == e["location"]["boundaries"]
        assert "geometry" in co or not any(
            (m.tri_object == i).any() for m in model.meshes.values())


def check_precision(model: CityModel, doc: dict, path: Path) -> None:
    """float64 world coordinates are within 1e-4 m of the exact value and round-trip."""
    assert model.n_vertices == len(doc["vertices"])
    t = doc["transform"]
    got = parse_vertices(doc["vertices"], parse_transform(t))
    scale = [Fraction(s) for s in t["scale"]]
    translate = [Fraction(s) for s in t["translate"]]
    for row, v in zip(got, doc["vertices"], strict=True):
        for axis in range(3):
            exact = v[axis] * scale[axis] + translate[axis]
            assert abs(Fraction(float(row[axis])) - exact) < Fraction(1, 10_000)
            back = round((float(row[axis]) - t["translate"][axis]) / t["scale"][axis])
            assert back == v[axis]


def check_coordinates_rd(model: CityModel, doc: dict, path: Path) -> None:
    check_precision(model, doc, path)
    got = parse_vertices(doc["vertices"], parse_transform(doc["transform"]))
    np.testing.assert_allclose(got[1], [84710.1, 446846.0, -5.3], atol=1e-9)
    np.testing.assert_allclose(got[2], [84757.1, 446944.0, 40.9], atol=1e-9)


def check_extension_member(model: CityModel, doc: dict, path: Path) -> None:
    assert model.extras["extensions"] == doc["extensions"]
    check_roundtrip(model, doc, path)


def check_instances(model: CityModel, doc: dict, path: Path) -> None:
    """Template points are placed by matrix and reference point."""
    verts = doc_vertices(doc)
    tv = np.array(doc["geometry-templates"]["vertices-templates"], float)
    expected = []
    for geom in doc["CityObjects"]["fixture"]["geometry"]:
        m = np.array(geom["transformationMatrix"], float).reshape(4, 4)
        expected.append(tv @ m[:3, :3].T + m[:3, 3] + verts[geom["boundaries"][0]])
    np.testing.assert_allclose(model.points["1"].vertices, np.concatenate(expected))
    assert (model.points["1"].point_object == 0).all()


def check_materials(model: CityModel, doc: dict, path: Path) -> None:
    """Every triangle of a geometry with a material carries it (theme chosen, no colour)."""
    assert model.extras["material_theme"] == "material-0"
    check_areas(model, doc, path)
    for mesh in model.meshes.values():
        assert mesh.tri_has_color is not None and not mesh.tri_has_color.any()


def check_geometry_semantics(model: CityModel, doc: dict, path: Path) -> None:
    """Area per semantic code equals the file's; lines and points keep their vertices."""
    ids = model.objects.ids

    def key(oid: str, geom: dict, i: int) -> tuple[str, int]:
        return oid, expected_semantic_code(geom, i)

    assert_same_areas(model_areas(model, lambda o, s, t: (ids[o], s)), expected_areas(doc, key))
    verts = doc_vertices(doc)
    for geom in doc["CityObjects"]["fixture"]["geometry"]:
        if geom["type"] == "MultiPoint":
            np.testing.assert_allclose(model.points[geom["lod"]].vertices,
                                       verts[geom["boundaries"]])
        if geom["type"] == "MultiLineString":
            lines = model.lines[geom["lod"]]
            assert np.diff(lines.offsets).tolist() == [len(b) for b in geom["boundaries"]]
            np.testing.assert_allclose(lines.vertices,
                                       verts[[i for b in geom["boundaries"] for i in b]])
    check_semantic_surfaces(model, doc, path)


def check_semantic_surfaces(model: CityModel, doc: dict, path: Path) -> None:
    """Semantic surface objects of surfaces are kept with their type and attributes.

    (Semantics of MultiPoint / MultiLineString are not kept: points and lines carry none.)
    """
    expected = [s for co in doc["CityObjects"].values() for g in co.get("geometry", [])
                if "semantics" in g and g["type"] in DEPTH for s in g["semantics"]["surfaces"]]
    got = model.semantic_surfaces
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert {k: v for k, v in g.items() if k not in ("parent", "children")} == \
               {k: v for k, v in e.items() if k not in ("parent", "children")}
    for mesh in model.meshes.values():
        has = mesh.tri_surface >= 0
        codes = [semantic_code(got[i]["type"]) for i in mesh.tri_surface[has]]
        assert mesh.tri_semantic[has].tolist() == codes
        assert (mesh.tri_semantic[~has] == 0).all()


def check_semantic_hierarchy(model: CityModel, doc: dict, path: Path) -> None:
    surfaces = model.semantic_surfaces
    assert any("parent" in s for s in surfaces)
    for i, s in enumerate(surfaces):
        if "parent" in s:
            assert i in surfaces[s["parent"]]["children"]


def check_semantic_extension(model: CityModel, doc: dict, path: Path) -> None:
    check_semantic_surfaces(model, doc, path)
    plus = [s for s in model.semantic_surfaces if s["type"].startswith("+")]
    assert plus and all(semantic_code(s["type"]) == OTHER_SEMANTIC for s in plus)
    assert plus[0]["integer"] == 42


def check_all_semantic_types(model: CityModel, doc: dict, path: Path) -> None:
    check_semantic_surfaces(model, doc, path)
    for s in model.semantic_surfaces:
        assert (semantic_code(s["type"]) == OTHER_SEMANTIC) == s["type"].startswith("+")
    if path.name.startswith("semantic_all_types"):
        assert {s["type"] for s in model.semantic_surfaces} == set(SEMANTIC_CODES)


def check_textures(model: CityModel, doc: dict, path: Path) -> None:
    """Geometry with textures loads; missing images give one warning naming one."""
    check_areas(model, doc, path)
    missing = [t["image"] for t in doc["appearance"]["textures"]
               if not (path.parent / t["image"]).exists()]
    texture_warnings = [w for w in model.warnings if "texture" in w]
    assert len(texture_warnings) == (1 if missing else 0)
    if missing:
        assert missing[0] in texture_warnings[0]


def check_appearance(model: CityModel, doc: dict, path: Path) -> None:
    app = {k: v for k, v in doc["appearance"].items() if k != "vertices-texture"}
    assert model.extras["appearance"] == app
    check_textures(model, doc, path)


def check_default_material(model: CityModel, doc: dict, path: Path) -> None:
    """The default theme "warm" colours building-0 with its diffuseColor."""
    assert model.extras["material_theme"] == doc["appearance"]["default-theme-material"]
    mesh = model.meshes["2"]
    b0 = mesh.tri_object == 0
    assert mesh.tri_has_color[b0].all()
    rgb = np.round(np.array(doc["appearance"]["materials"][0]["diffuseColor"]) * 255)
    assert (mesh.tri_color[b0] == rgb).all()


def check_multiple_themes(model: CityModel, doc: dict, path: Path) -> None:
    """building-1 only has the "cool" theme: no colour under the chosen "warm" theme."""
    mesh = model.meshes["2"]
    assert not mesh.tri_has_color[mesh.tri_object == 1].any()
    assert len(model.extras["appearance"]["materials"]) == 2


def check_uniform_material(model: CityModel, doc: dict, path: Path) -> None:
    mesh = model.meshes["2"]
    b0 = mesh.tri_object == 0
    assert len(np.unique(mesh.tri_color[b0], axis=0)) == 1


def check_metadata(model: CityModel, doc: dict, path: Path) -> None:
    assert model.metadata == doc["metadata"]
    if "referenceSystem" in doc["metadata"]:
        code = doc["metadata"]["referenceSystem"].rsplit("/", 1)[-1]
        assert model.crs == f"EPSG:{code}"


def check_feature(model: CityModel, doc: dict, path: Path) -> None:
    assert model.source_format == "CityJSONSeq"
    assert model.objects.ids == list(doc["CityObjects"])
    assert model.objects.types == [co["type"] for co in doc["CityObjects"].values()]
    assert model.n_vertices == len(doc["vertices"])


def check_loads(model: CityModel, doc: dict, path: Path) -> None:
    assert model.objects.ids == list(doc.get("CityObjects", {}))


CHECKS: dict[str, Callable[[CityModel, dict, Path], None]] = {
    "address_location_resolved": check_address,
    "appearance_preserved": check_appearance,
    "building_address_preserved": check_address,
    "cityobject_extension_members_preserved": check_extension_types,
    "cityobject_extension_type_preserved": check_extension_types,
    "cityobject_hierarchy_resolved": check_hierarchy,
    "cityobject_structure_preserved": check_roundtrip,
    "coordinates_precision_roundtrip": check_precision,
    "coordinates_preserved": check_coordinates_rd,
    "default_material_texture_set": check_default_material,
    "empty_geometry_member": check_loads,
    "extension_member_preserved": check_extension_member,
    "feature_boundaries_preserved": check_feature,
    "full_surface_roundtrip": check_roundtrip,
    "geometry_instance_preserved": check_areas,
    "geometry_instance_resolved": check_instances,
    "geometry_material_preserved": check_materials,
    "geometry_semantics_preserved": check_geometry_semantics,
    "geometry_texture_preserved": check_textures,
    "material_assignment": check_uniform_material,
    "metadata_extra_properties_preserved": check_metadata,
    "metadata_properties_preserved": check_metadata,
    "missing_geometry_member": check_address,
    "multiple_material_texture_set": check_multiple_themes,
    "roundtrip_stable": check_roundtrip,
    "roundtrip_stable_with_extra_members": check_roundtrip,
    "semantic_attributes_resolved": check_semantic_surfaces,
    "semantic_extension_members_preserved": check_semantic_extension,
    "semantic_extension_type_preserved": check_semantic_extension,
    "semantic_hierarchy_resolved": check_semantic_hierarchy,
    "semantic_surface_preserved": check_all_semantic_types,
    "transform_preserved": lambda m, d, p: (m.extras["transform"] == d["transform"]),
    "vertex_indices_preserved": lambda m, d, p: check_roundtrip(m, d, p),
}


def case_checks() -> list:
    params = []
    for case in CASES:
        inv = load_doc(case / "invariants.json")
        if inv.get("kind") != "positive":
            continue
        for check in inv["checks"]:
            params.append(pytest.param(case, check["id"], id=f"{case.name}:{check['id']}"))
    return params


@pytest.mark.parametrize(("case", "check_id"), case_checks())
def test_conformance_invariant(shared_data, case: Path, check_id: str) -> None:
    path = data_file(case)
    model = read_cityjson(path)
    doc = load_doc(path)
    assert check_id in CHECKS, f"no check written for invariant {check_id!r}"
    result = CHECKS[check_id](model, doc, path)
    assert result is None or result is True


def test_corpus_is_present(shared_data) -> None:
    assert len(CASES) >= 30 and len(INVALID) >= 4


#: Words that the error message of each invalid case must contain.
INVALID_MESSAGES = {
    "invalid_cityjsonfeature_root_id_unresolved": ('"id"', "missing-main-object",
                                                   "does not match"),
    "invalid_missing_type": ('missing "type"',),
    "invalid_out_of_range_vertex_index": ("vertex index 99 out of range", "3 vertices",
                                          "boundaries[0][0][0][2]"),
    "invalid_u64_f64_bounds": ("out of range", "vertices[1]"),
}


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_is_rejected(shared_data, case: Path) -> None:
    inv = load_doc(case / "invariants.json")
    assert inv["kind"] == "negative"
    path = case / inv["fixture"]
    with pytest.raises(ReadError) as info:
        read_cityjson(path)
    message = str(info.value)
    assert str(path) in message
    for word in INVALID_MESSAGES[case.name]:
        assert word in message
