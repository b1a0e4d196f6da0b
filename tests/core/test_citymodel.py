import numpy as np
import pytest

from cimviewer.core.citymodel import CityModel, ObjectTable, TriangleMesh, best_lod_mesh


def _mesh(objects, n_tris_each=1, x=0.0):
    verts, tris, owner = [], [], []
    for k, obj in enumerate(objects):
        base = len(verts)
        verts += [[x + k, 0, 0], [x + k + 1, 0, 0], [x + k, 1, 0]]
        for _ in range(n_tris_each):
            tris.append([base, base + 1, base + 2])
            owner.append(obj)
    return TriangleMesh(np.array(verts, float), np.array(tris, np.int32),
                        np.array(owner, np.int32), np.zeros(len(owner), np.uint8))


def test_best_lod_takes_each_objects_highest_lod():
    low = _mesh([0, 1, 2], n_tris_each=1)
    high = _mesh([1], n_tris_each=5, x=10)
    merged = best_lod_mesh([low, high], 3)
    merged.validate()
    counts = np.bincount(merged.tri_object, minlength=3)
    assert counts.tolist() == [1, 5, 1]


def test_mesh_for_lod_default_and_explicit():
    model = CityModel(meshes={"1": _mesh([0, 1]), "2.2": _mesh([0], 3)})
    model.objects.add("a", "Building")
    model.objects.add("b", "Building")
    assert model.lods == ["1", "2.2"]
    assert model.highest_lod == "2.2"
    assert model.mesh_for_lod("1").n_triangles == 2
    assert model.mesh_for_lod(None).n_triangles == 4  # a at 2.2 (3), b at 1 (1)
    assert model.mesh_for_lod("3").n_triangles == 0


def test_subset_drops_unused_vertices():
    mesh = _mesh([0, 1, 2])
    sub = mesh.subset(mesh.tri_object == 1)
    assert sub.n_vertices == 3 and sub.n_triangles == 1
    np.testing.assert_allclose(sub.vertices[:, 0], [1, 2, 1])


def test_validate_rejects_bad_index_and_nan():
    mesh = _mesh([0])
    mesh.triangles[0, 0] = 7
    with pytest.raises(ValueError, match="out of range"):
        mesh.validate()
    mesh = _mesh([0])
    mesh.vertices[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        mesh.validate()


def test_object_table_hierarchy():
    table = ObjectTable()
    parent = table.add("B1", "Building")
    child = table.add("B1-p1", "BuildingPart")
    table.parents[child].append(parent)
    assert table.children_of(parent) == [child]
    assert table.root_of(child) == parent
    assert table.index_of("B1-p1") == child
    assert table.type_counts() == {"Building": 1, "BuildingPart": 1}


def test_bbox_covers_all_lods():
    model = CityModel(meshes={"1": _mesh([0]), "2": _mesh([0], x=100)})
    np.testing.assert_allclose(model.bbox(), [0, 0, 0, 101, 1, 0])
