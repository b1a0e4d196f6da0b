"""Reading LAS / LAZ point clouds: info keys, CRS, scale and offset, chunks, errors."""

from __future__ import annotations

from pathlib import Path

import laspy
import numpy as np
import pytest

from cimviewer.io import registry
from cimviewer.io.errors import ReadError
from cimviewer.io.layers import open_layer
from cimviewer.io.pointcloud import reader
from cimviewer.io.pointcloud.reader import read_pointcloud
from cimviewer.io.summary import summarize_path
from tests.io.lasfiles import terrain, write_las


def test_info_of_a_las_with_crs_rgb_classes(tmp_path):
    xyz = terrain(5000)
    classes = np.where(xyz[:, 0] > 500_100, 6, 2)
    rgb = np.tile([10, 200, 30], (5000, 1))
    path = write_las(tmp_path / "a.las", xyz, crs="EPSG:32650", rgb=rgb,
                     intensity=np.arange(5000) % 700, classification=classes)
    info = summarize_path(path)
    for key in ("format", "crs", "objects", "types", "lods", "bbox", "vertices",
                "triangles", "points"):
        assert key in info
    assert info["format"] == "LAS" and info["point_format"] == 3
    assert info["crs"] == "EPSG:32650"
    assert (info["objects"], info["types"], info["lods"], info["triangles"]) == (0, {}, [], 0)
    assert info["points"] == info["vertices"] == 5000
    # the file's coordinates are rounded to its scale (1 mm): the box is theirs exactly
    stored = np.round(xyz / 0.001) * 0.001
    np.testing.assert_allclose(info["bbox"], [*stored.min(axis=0), *stored.max(axis=0)],
                               atol=1e-6)
    assert info["classes"] == {"2": int((classes == 2).sum()), "6": int((classes == 6).sum())}
    assert info["fields"] == ["rgb", "intensity", "classification"]


def test_laz_point_format_7_keeps_values_in_lod_order(tmp_path):
    xyz = terrain(3000, seed=3)
    rgb = np.column_stack([np.arange(3000) % 256, np.full(3000, 7), np.full(3000, 250)])
    path = write_las(tmp_path / "b.laz", xyz, point_format=7, rgb=rgb,
                     intensity=np.arange(3000), classification=np.arange(3000) % 20)
    cloud = read_pointcloud(path)
    assert cloud.source_format == "LAZ" and cloud.version == "1.4"
    assert cloud.point_format == 7 and cloud.crs is None and cloud.n_points == 3000
    # each point keeps its own attributes through the LoD reordering
    index = cloud.intensity.astype(np.int64)  # intensity was the original index
    assert sorted(index.tolist()) == list(range(3000))
    np.testing.assert_allclose(cloud.positions(), xyz[index], atol=0.0015)
    np.testing.assert_array_equal(cloud.rgb, rgb[index].astype(np.uint8))
    np.testing.assert_array_equal(cloud.classification, index % 20)
    assert cloud.color_modes() == ["rgb", "intensity", "classification", "height"]


def test_format_6_without_colour_offers_no_rgb(tmp_path):
    path = write_las(tmp_path / "c.las", terrain(100), point_format=6,
                     classification=np.full(100, 2))
    cloud = read_pointcloud(path)
    assert cloud.rgb is None and cloud.default_color_mode() == "intensity"
    assert "rgb" not in cloud.color_modes()


def test_chunked_reading_gives_the_same_cloud(tmp_path, monkeypatch):
    xyz = terrain(20_000, seed=5)
    path = write_las(tmp_path / "d.laz", xyz, intensity=np.arange(20_000) % 65535)
    whole = read_pointcloud(path)
    monkeypatch.setattr(reader, "CHUNK_POINTS", 3000)  # seven chunks
    chunked = read_pointcloud(path)
    np.testing.assert_array_equal(whole.local, chunked.local)
    np.testing.assert_array_equal(whole.offset, chunked.offset)
    np.testing.assert_array_equal(whole.bbox(), chunked.bbox())


def test_a_file_without_crs_takes_the_project_crs_with_a_warning(tmp_path):
    path = write_las(tmp_path / "e.las", terrain(200))
    layer = open_layer(path, project_crs="EPSG:32650")
    assert layer.kind == "pointcloud"
    assert any("assumed to be in the project CRS" in w for w in layer.cloud.warnings)


def test_the_crs_option_names_the_crs_of_a_file_without_one(tmp_path):
    path = write_las(tmp_path / "f.las", terrain(200))
    cloud = registry.read_dataset(path, options={"crs": "EPSG:32650"})
    assert cloud.crs == "EPSG:32650"
    with pytest.raises(ReadError, match="crs option 'no such crs'"):
        registry.read_dataset(path, options={"crs": "no such crs"})


def test_geographic_points_are_reprojected_to_known_utm_coordinates(tmp_path):
    # on zone 50's central meridian (117 E): the equator is at easting 500000, northing 0
    lon_lat = np.array([[117.0, 0.0, 5.0], [117.0, 0.001, 6.0], [117.001, 0.0, 7.0]])
    path = write_las(tmp_path / "g.laz", lon_lat, crs="EPSG:4326", scale=1e-7,
                     intensity=np.arange(3))
    layer = open_layer(path, project_crs="EPSG:32650")
    cloud = layer.cloud
    assert cloud.crs == "EPSG:32650"
    world = cloud.positions()[np.argsort(cloud.intensity)]
    np.testing.assert_allclose(world[0], [500_000.0, 0.0, 5.0], atol=0.01)
    # 0.001 degree of latitude at the equator is 110.574 m, times the UTM scale 0.9996
    np.testing.assert_allclose(world[1, :2], [500_000.0, 110.574 * 0.9996], atol=0.05)
    assert world[2, 0] == pytest.approx(500_000 + 111.319 * 0.9996, abs=0.05)
    np.testing.assert_allclose(world[:, 2], [5.0, 6.0, 7.0], atol=1e-6)
    assert layer.bbox()[0] == pytest.approx(500_000.0, abs=0.01)


def test_a_broken_las_gives_one_clear_line(tmp_path):
    bad = tmp_path / "broken.las"
    bad.write_bytes(b"LASF" + b"\x00" * 50)
    with pytest.raises(ReadError) as info:
        registry.read_dataset(bad)
    message = str(info.value)
    assert "\n" not in message and str(bad) in message and "LAS" in message
    other = tmp_path / "notlas.laz"
    other.write_bytes(b"PK\x03\x04 something else")
    with pytest.raises(ReadError, match="LASF signature"):
        registry.read_dataset(other)


def test_a_truncated_laz_is_refused_in_one_line(tmp_path):
    path = write_las(tmp_path / "h.laz", terrain(50_000, seed=9))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])  # its chunk table is gone
    with pytest.raises(ReadError) as info:
        registry.read_dataset(path)
    assert "\n" not in str(info.value) and "not a readable LAS/LAZ file" in str(info.value)


def test_a_copc_file_is_named_and_read_as_the_laz_it_is(tmp_path):
    import laspy

    xyz = terrain(500, seed=11)
    path = write_las(tmp_path / "i.laz", xyz, point_format=6)
    las = laspy.read(path)
    # the COPC info VLR (user "copc", record 1) marks a COPC file; its points are LAZ 1.4
    las.header.vlrs.append(laspy.VLR("copc", 1, "copc info", b"\0" * 160))
    copc = tmp_path / "i.copc.laz"
    las.write(str(copc))
    info = summarize_path(copc)
    assert info["format"] == "COPC" and info["points"] == 500
    stored = np.round(xyz / 0.001) * 0.001
    np.testing.assert_allclose(info["bbox"], [*stored.min(axis=0), *stored.max(axis=0)],
                               atol=1e-6)


LASPY_DATA = Path(__file__).resolve().parents[1] / "data" / "laspy"


@pytest.mark.parametrize("name", ["simple.las", "simple.copc.laz", "autzen_geo_proj.las"])
def test_real_files_from_laspy_open_with_their_counts_box_and_crs(name):
    """Files written by other tools (laspy's test data, Autzen lidar; BSD-2, see
    tests/data/laspy/README.md): every point read, the box of the header, the CRS of
    the GeoTIFF keys or WKT."""
    path = LASPY_DATA / name
    header = laspy.read(path).header
    info = summarize_path(path)
    assert info["points"] == header.point_count
    np.testing.assert_allclose(info["bbox"], [*header.mins, *header.maxs], atol=0.01)
    expected_crs = {"simple.las": None, "autzen_geo_proj.las": "EPSG:2994"}
    if name in expected_crs:
        assert info["crs"] == expected_crs[name]
    else:
        assert info["format"] == "COPC" and 'ID["EPSG",2991]' in info["crs"]


def test_a_real_file_is_reprojected_into_the_project_crs():
    from pyproj import Transformer

    path = LASPY_DATA / "autzen_geo_proj.las"
    las = laspy.read(path)
    layer = open_layer(path, project_crs="EPSG:32610")
    x, y = Transformer.from_crs("EPSG:2994", "EPSG:32610", always_xy=True).transform(
        np.asarray(las.x), np.asarray(las.y))
    box = layer.bbox()
    assert box[0] == pytest.approx(x.min(), abs=0.05) and box[4] == pytest.approx(y.max(),
                                                                                 abs=0.05)
