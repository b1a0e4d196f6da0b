"""Real CityJSON files (3DBAG, Delft, Den Haag, Rotterdam): counts, LoDs, CRS, geometry."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimviewer.core.citymodel import TriangleMesh
from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.io.cityjson.reader import read_cityjson

ROOF, WALL, GROUND = (SEMANTIC_CODES[k] for k in ("RoofSurface", "WallSurface", "GroundSurface"))


@pytest.fixture
def real(shared_data):
    return shared_data / "cityjson" / "real"


def signed_volumes(mesh: TriangleMesh, n_objects: int) -> tuple[np.ndarray, np.ndarray]:
    """Per object: signed volume (divergence theorem) and the summed area vector.

    The origin is the centre of the object's lowest level, so a shell that lacks only
    its floor (as Delft's LoD1 blocks do) still has its true, positive volume.
    """
    volumes = np.zeros(n_objects)
    closure = np.zeros((n_objects, 3))
    for obj in np.unique(mesh.tri_object):
        tris = mesh.triangles[mesh.tri_object == obj]
        pts = mesh.vertices[tris.ravel()]
        origin = np.array([*pts[:, :2].mean(axis=0), pts[:, 2].min()])
        a, b, c = (mesh.vertices[tris[:, i]] - origin for i in range(3))
        volumes[obj] = np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0
        closure[obj] = 0.5 * np.cross(b - a, c - a).sum(axis=0)
    return volumes, closure


def doc_area_vectors(doc: dict, n_objects: int) -> np.ndarray:
    """Summed Newell area vector of each object's surfaces, straight from the JSON."""
    t = doc["transform"]
    verts = np.array(doc["vertices"], float) * t["scale"] + t["translate"]
    out = np.zeros((n_objects, 3))
    for i, co in enumerate(doc["CityObjects"].values()):
        for geom in co.get("geometry", []):
            surfaces = geom["boundaries"]
            if geom["type"] == "Solid":
                surfaces = [s for shell in surfaces for s in shell]
            for rings in surfaces:
                for ring in rings:
                    p = verts[ring] - verts[ring[0]]
                    q = np.roll(p, -1, axis=0)
                    out[i] += 0.5 * np.cross(p, q).sum(axis=0)
    return out


def test_delft(real):
    model = read_cityjson(real / "delft.json")
    assert model.source_format == "CityJSON" and model.version == "2.0"
    assert model.crs == "EPSG:7415"
    assert len(model.objects) == 570
    assert model.objects.type_counts() == {
        "Bridge": 3, "Building": 160, "GenericCityObject": 54, "LandUse": 81,
        "PlantCover": 126, "Road": 143, "WaterBody": 3}
    assert model.lods == ["1"]
    mesh = model.meshes["1"]
    mesh.validate()
    assert set(np.unique(mesh.tri_object)) == set(range(570))
    doc = json.loads((real / "delft.json").read_text())
    assert model.n_vertices == len(doc["vertices"])
    ext = np.array(doc["metadata"]["geographicalExtent"])
    assert (mesh.vertices.min(axis=0) >= ext[:3] - 1e-3).all()
    assert (mesh.vertices.max(axis=0) <= ext[3:] + 1e-3).all()
    assert model.objects.attributes[0] == next(iter(doc["CityObjects"].values()))["attributes"]
    # triangles cover each object's surfaces exactly; building solids face outward
    volumes, closure = signed_volumes(mesh, len(model.objects))
    np.testing.assert_allclose(closure, doc_area_vectors(doc, 570), atol=1e-6)
    buildings = [i for i, t in enumerate(model.objects.types) if t == "Building"]
    assert (volumes[buildings] > 0).all()


def test_multi_lod(real):
    model = read_cityjson(real / "multi_lod.json")
    assert model.objects.type_counts() == {"Building": 10}
    assert model.lods == ["1.2", "1.3", "2.2"]
    assert model.crs is None
    for lod in model.lods:
        mesh = model.meshes[lod]
        mesh.validate()
        assert set(np.unique(mesh.tri_object)) == set(range(10))
        volumes, closure = signed_volumes(mesh, 10)
        assert (volumes > 0).all(), lod
        assert (np.linalg.norm(closure, axis=1) < 1e-6 * volumes).all(), lod
    assert set(np.unique(model.meshes["1.2"].tri_semantic)) == {0}
    assert {ROOF, WALL, GROUND} <= set(np.unique(model.meshes["2.2"].tri_semantic))
    # roofs face up, ground surfaces face down
    mesh = model.meshes["2.2"]
    a, b, c = (mesh.vertices[mesh.triangles[:, i]] for i in range(3))
    nz = np.cross(b - a, c - a)[:, 2]
    assert (nz[mesh.tri_semantic == GROUND] <= 1e-9).all()
    assert (nz[mesh.tri_semantic == ROOF] >= -1e-9).all()
    assert model.mesh_for_lod(None).n_triangles == mesh.n_triangles


def test_den_haag_building_parts(real):
    model = read_cityjson(real / "DH_01_subs.city.json")
    assert model.version == "1.1"
    assert model.objects.type_counts() == {"Building": 4, "BuildingPart": 8}
    objs = model.objects
    for i, t in enumerate(objs.types):
        if t == "BuildingPart":
            assert len(objs.parents[i]) == 1
            assert objs.types[objs.parents[i][0]] == "Building"
        else:
            assert objs.parents[i] == []
    assert model.lods == ["2"]
    mesh = model.meshes["2"]
    mesh.validate()
    # materials of the default (unnamed) theme colour every triangle
    assert mesh.tri_has_color is not None and mesh.tri_has_color.all()
    assert {(235, 235, 235), (128, 0, 0), (128, 128, 128)} == {
        tuple(c) for c in np.unique(mesh.tri_color, axis=0)}
    assert (mesh.tri_color[mesh.tri_semantic == ROOF] == (128, 0, 0)).all()


def test_rotterdam_textures_missing(real):
    model = read_cityjson(real / "rotterdam_subset.json")
    assert model.objects.type_counts() == {"Building": 16}
    assert model.lods == ["2"]
    assert model.meshes["2"].n_triangles > 0
    warnings = [w for w in model.warnings if "texture" in w]
    assert len(warnings) == 1
    assert "appearances/" in warnings[0] and "style colour" in warnings[0]
    assert warnings[0].startswith("74 texture images not found")
    assert model.appearance == {"textures": 0, "textures_missing": 74, "materials": 0}
    assert not model.meshes["2"].textured  # every surface falls back to its colour


def test_progress_and_cancel(real):
    seen: list[float] = []
    read_cityjson(real / "delft.json", progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)

    from cimviewer.io.cityjson.reader import ReadCancelledError

    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ReadCancelledError):
        read_cityjson(real / "delft.json", cancelled=cancel)
