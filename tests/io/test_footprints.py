"""Footprint reader: GeoPackage / GeoJSON / Shapefile polygons extruded to LoD1."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.io.errors import ReadError
from cimviewer.io.footprints import read_footprints

gpd = pytest.importorskip("geopandas")
shapely_geometry = pytest.importorskip("shapely.geometry")
Point, Polygon, MultiPolygon = (shapely_geometry.Point, shapely_geometry.Polygon,
                                shapely_geometry.MultiPolygon)

X0, Y0 = 500_000.0, 4_000_000.0  # UTM-like coordinates: precision must survive


def _frame(with_point: bool = False):
    square_with_hole = Polygon(
        [(X0, Y0), (X0 + 10, Y0), (X0 + 10, Y0 + 10), (X0, Y0 + 10)],
        [[(X0 + 2, Y0 + 2), (X0 + 4, Y0 + 2), (X0 + 4, Y0 + 4), (X0 + 2, Y0 + 4)]],
    )
    two_parts = MultiPolygon([
        Polygon([(X0 + 20, Y0), (X0 + 26, Y0), (X0 + 26, Y0 + 5), (X0 + 20, Y0 + 5)]),
        Polygon([(X0 + 30, Y0), (X0 + 34, Y0), (X0 + 34, Y0 + 4)]),
    ])
    clockwise = Polygon([(X0 + 40, Y0), (X0 + 40, Y0 + 8), (X0 + 48, Y0 + 8), (X0 + 48, Y0)])
    rows = {
        "bid": ["a", "b", "c"],
        "name": ["hole", "multi", "cw"],
        "h": [12.5, None, 7.0],
        "floors": [4, 2, 3],
        "geometry": [square_with_hole, two_parts, clockwise],
    }
    if with_point:
        for key, value in (("bid", "p"), ("name", "pt"), ("h", 3.0), ("floors", 1),
                           ("geometry", Point(X0, Y0))):
            rows[key].append(value)
    return gpd.GeoDataFrame(rows, crs="EPSG:32650")


AREAS = np.array([100 - 4, 30 + 8, 64])


def _volumes(model) -> np.ndarray:
    mesh = model.meshes["1"]
    centre = mesh.vertices.mean(axis=0)
    a, b, c = (mesh.vertices[mesh.triangles[:, i]] - centre for i in range(3))
    vol = np.einsum("ij,ij->i", a, np.cross(b, c)) / 6
    return np.bincount(mesh.tri_object, weights=vol, minlength=len(model.objects))


@pytest.mark.parametrize(("suffix", "driver"), [
    (".gpkg", "GPKG"), (".geojson", "GeoJSON"), (".shp", "ESRI Shapefile")])
def test_formats_volume_counts_and_attributes(tmp_path: Path, suffix: str, driver: str) -> None:
    path = tmp_path / f"fp{suffix}"
    _frame().to_file(path, driver=driver)
    model = read_footprints(path, height_attribute="h", default_height=10.0)

    assert model.objects.type_counts() == {"Building": 3}
    assert model.objects.ids == ["0", "1", "2"]  # "bid" is not an id-like column name
    assert model.lods == ["1"]
    assert model.crs == "EPSG:32650"
    heights = np.array([12.5, 10.0, 7.0])  # "b" has no height: default
    assert _volumes(model) == pytest.approx(AREAS * heights)
    attrs = model.objects.attributes[0]
    assert attrs["name"] == "hole" and attrs["h"] == 12.5 and attrs["floors"] == 4
    assert type(attrs["floors"]) is int and type(attrs["h"]) is float
    assert model.objects.attributes[1]["h"] is None
    assert any("default height" in w for w in model.warnings)
    mesh = model.meshes["1"]
    mesh.validate()
    assert model.n_vertices == 8 + 4 + 3 + 4
    assert np.isclose(mesh.vertices[:, 0].min(), X0)


def test_ids_from_id_column_and_feature_index(tmp_path: Path) -> None:
    path = tmp_path / "ids.gpkg"
    frame = _frame().rename(columns={"bid": "ID"})
    frame.to_file(path)
    assert read_footprints(path).objects.ids == ["a", "b", "c"]
    path2 = tmp_path / "noid.gpkg"
    _frame().drop(columns=["bid"]).to_file(path2)
    assert read_footprints(path2).objects.ids == ["0", "1", "2"]


def test_storeys_and_default_height(tmp_path: Path) -> None:
    path = tmp_path / "fp.gpkg"
    _frame().to_file(path)
    by_storeys = read_footprints(path, storeys_attribute="floors", storey_height=2.5)
    assert _volumes(by_storeys) == pytest.approx(AREAS * [10.0, 5.0, 7.5])
    default = read_footprints(path, default_height=4.0)
    assert _volumes(default) == pytest.approx(AREAS * 4.0)
    # height attribute first, storeys where it is missing
    both = read_footprints(path, height_attribute="h", storeys_attribute="floors")
    assert _volumes(both) == pytest.approx(AREAS * [12.5, 6.0, 7.0])


def test_all_faces_outward_and_semantics(tmp_path: Path) -> None:
    path = tmp_path / "fp.geojson"
    _frame().to_file(path, driver="GeoJSON")
    mesh = read_footprints(path, height_attribute="h").meshes["1"]
    a, b, c = (mesh.vertices[mesh.triangles[:, i]] for i in range(3))
    normal = np.cross(b - a, c - a)
    assert (normal[mesh.tri_semantic == SEMANTIC_CODES["RoofSurface"], 2] > 0).all()
    assert (normal[mesh.tri_semantic == SEMANTIC_CODES["GroundSurface"], 2] < 0).all()
    # each object's volume positive means its walls face out too (closed mesh)
    assert set(np.unique(mesh.tri_semantic)) == {
        SEMANTIC_CODES[n] for n in ("RoofSurface", "WallSurface", "GroundSurface")}


def test_base_z_constant_array_and_sampler(tmp_path: Path) -> None:
    path = tmp_path / "fp.gpkg"
    _frame().to_file(path)
    model = read_footprints(path, base_z=100.0, default_height=5.0)
    assert model.meshes["1"].vertices[:, 2].min() == pytest.approx(100.0)
    model = read_footprints(path, base_z=np.array([1.0, 2.0, 3.0]), default_height=5.0)
    mesh = model.meshes["1"]
    for obj, base in enumerate([1.0, 2.0, 3.0]):
        z = mesh.vertices[mesh.triangles[mesh.tri_object == obj]][..., 2]
        assert z.min() == pytest.approx(base) and z.max() == pytest.approx(base + 5)

    def slope(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (x - X0) * 0.1  # terrain rising to the east

    model = read_footprints(path, base_z=slope, default_height=5.0)
    mesh = model.meshes["1"]
    # each polygon stands on its lowest sample (its west edge)
    z = mesh.vertices[mesh.triangles[mesh.tri_object == 2]][..., 2]
    assert z.min() == pytest.approx(4.0) and z.max() == pytest.approx(9.0)
    assert _volumes(model) == pytest.approx(AREAS * 5.0)


def test_non_polygons_are_skipped_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "mixed.geojson"
    _frame(with_point=True).to_file(path, driver="GeoJSON")
    model = read_footprints(path, height_attribute="h")
    assert len(model.objects) == 3 and "p" not in model.objects.ids
    assert any("without polygon geometry" in w for w in model.warnings)


def test_missing_attribute_lists_fields(tmp_path: Path) -> None:
    path = tmp_path / "fp.gpkg"
    _frame().to_file(path)
    with pytest.raises(ReadError, match=r"'height'.*available attributes: bid, name, h, floors"):
        read_footprints(path, height_attribute="height")
    with pytest.raises(ReadError, match="'levels'"):
        read_footprints(path, storeys_attribute="levels")


@pytest.mark.parametrize("content", [b"", b"not a vector file at all", b"\x00\x01\x02"])
def test_unreadable_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.gpkg"
    path.write_bytes(content)
    with pytest.raises(ReadError):
        read_footprints(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="does not exist"):
        read_footprints(tmp_path / "nope.gpkg")


def test_non_numeric_heights_fall_back(tmp_path: Path) -> None:
    frame = _frame()
    frame["h"] = ["12.5", "tall", "-3"]
    path = tmp_path / "text.gpkg"
    frame.to_file(path)
    model = read_footprints(path, height_attribute="h", default_height=2.0)
    assert _volumes(model) == pytest.approx(AREAS * [12.5, 2.0, 2.0])
    assert any("2 features" in w for w in model.warnings)
