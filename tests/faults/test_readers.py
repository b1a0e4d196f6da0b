"""Hostile reader input: absurd values, empty and degenerate geometry, bad lines, special
files, huge headers. The promise: the bad part is named and left out, the rest kept."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from cimviewer.io.errors import ReadError
from cimviewer.io.layers import open_layer
from tests.faults import hostile
from tests.faults.hostile import one_line_error, posix_only, run_cli


def triangles(layer) -> int:
    return sum(mesh.n_triangles for mesh in layer.model.meshes.values())


def assert_framed(layer, size: float = 1000.0) -> None:
    bbox = layer.bbox()
    assert bbox is not None and np.isfinite(bbox).all()
    assert (bbox[3:] - bbox[:3] < size).all(), bbox


@pytest.mark.parametrize("value", ["1e20", "-1e20", "3e300", "123456789012"])
def test_citygml_one_absurd_coordinate_costs_one_building(tmp_path, value):
    clean = open_layer(hostile.citygml(tmp_path / "clean.gml", n=100))
    layer = open_layer(hostile.citygml(tmp_path / "bad.gml", n=100, bad={37: value}))
    per_building = triangles(clean) // 100
    assert triangles(layer) == triangles(clean) - per_building
    assert any("'b37'" in p and "left out" in p for p in layer.model.problems)
    assert_framed(layer)


@pytest.mark.parametrize("where", [(1e12, 1e12, 10.0), (5.3e7, 2.5e6, 10.0),
                                   (5e5, 2.5e6, 5e9)])
def test_cityjson_object_far_away_is_left_out_and_named(tmp_path, where):
    layer = open_layer(hostile.cityjson(tmp_path / "far.city.json", n=20, far={3: where}))
    assert triangles(layer) == 19 * 12
    assert any("'b3'" in p for p in layer.model.problems)
    assert_framed(layer)


def test_footprint_height_1e300_is_left_out(tmp_path):
    features = []
    for i in range(10):
        x, y = 500000 + i * 20, 2500000
        ring = [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]
        features.append({"type": "Feature", "properties": {"fid_name": f"f{i}",
                                                           "height": 1e300 if i == 4 else 12},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path = tmp_path / "footprints.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name", "properties": {
                                    "name": "urn:ogc:def:crs:EPSG::32650"}}}))
    layer = open_layer(path, options={"extrude": True, "height_attribute": "height"})
    assert len(layer.model.problems) == 1 and "left out" in layer.model.problems[0]
    assert_framed(layer)
    assert triangles(layer) > 0


@pytest.mark.parametrize("kind", ["no geometry", "points only", "degenerate"])
def test_model_without_triangles_loads_empty_with_a_warning(tmp_path, kind):
    doc = hostile.cityjson_doc(n=3, geometry=kind != "no geometry")
    if kind == "points only":
        for obj in doc["CityObjects"].values():
            obj["geometry"] = [{"type": "MultiPoint", "lod": "0", "boundaries": [0, 1]}]
    elif kind == "degenerate":  # every face has all its vertices in one place
        doc["vertices"] = [[500000.0, 2500000.0, 0.0]] * len(doc["vertices"])
    path = tmp_path / "empty.city.json"
    path.write_text(json.dumps(doc))
    layer = open_layer(path)
    assert triangles(layer) == 0
    if kind == "points only":  # drawn as points: not a problem, but said
        assert not layer.model.problems
        assert any("only points and lines" in w for w in layer.model.warnings)
    else:
        assert any("no drawable triangles" in p for p in layer.model.problems)


def test_cityjsonseq_one_bad_line_among_1000(tmp_path):
    header = {"type": "CityJSON", "version": "2.0",
              "transform": {"scale": [0.001, 0.001, 0.001], "translate": [0, 0, 0]},
              "CityObjects": {}, "vertices": []}
    lines = [json.dumps(header)]
    for i in range(1000):
        if i == 500:
            lines.append('{"type": "CityJSONFeature", "id": ')
            continue
        x = i * 20000
        lines.append(json.dumps({
            "type": "CityJSONFeature", "id": f"f{i}",
            "CityObjects": {f"f{i}": {"type": "Building", "geometry": [{
                "type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2, 3]]]}]}},
            "vertices": [[x, 0, 0], [x + 10000, 0, 0], [x + 10000, 10000, 0], [x, 10000, 0]]}))
    path = tmp_path / "city.city.jsonl"
    path.write_text("\n".join(lines) + "\n")
    layer = open_layer(path)
    assert len(layer.model.objects) == 999
    assert any("line 502" in p and "skipped" in p for p in layer.model.problems)


def test_raster_cell_cap_holds_for_a_strip(tmp_path):
    from cimviewer.io.raster import decimated_shape, read_dem

    for rows, cols in [(1, 2_000_000_000), (2_000_000_000, 1), (3, 10**9), (7, 7)]:
        out = decimated_shape(rows, cols, 1_000_000)
        assert out[0] * out[1] <= 1_000_000 and out[0] <= rows and out[1] <= cols
    rasterio = pytest.importorskip("rasterio")
    from rasterio.transform import from_origin

    path = tmp_path / "strip.tif"
    with rasterio.open(path, "w", driver="GTiff", width=5000, height=1, count=1,
                       dtype="float32", crs="EPSG:32650",
                       transform=from_origin(500000, 2500000, 1, 1)) as dst:
        dst.write(np.ones((1, 1, 5000), np.float32))
    grid = read_dem(path, max_cells=100)
    assert grid.heights.size <= 100


@posix_only
def test_fifo_as_data_file_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "city.city.json"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="FIFO"):
        open_layer(fifo)
    proc = run_cli("info", str(fifo), timeout=30)
    one_line_error(proc, str(fifo), "FIFO")


@posix_only
def test_fifo_project_file_does_not_hang_info(tmp_path):
    fifo = tmp_path / "p.cimproj"
    os.mkfifo(fifo)
    one_line_error(run_cli("info", str(fifo), timeout=30), str(fifo), "FIFO")


@posix_only
def test_imagery_option_naming_a_fifo_does_not_hang(tmp_path):
    rasterio = pytest.importorskip("rasterio")
    from rasterio.transform import from_origin

    dem = tmp_path / "dem.tif"
    with rasterio.open(dem, "w", driver="GTiff", width=20, height=20, count=1,
                       dtype="float32", crs="EPSG:32650",
                       transform=from_origin(500000, 2500200, 10, 10)) as dst:
        dst.write(np.zeros((1, 20, 20), np.float32))
    os.mkfifo(tmp_path / "photo.tif")
    city = hostile.cityjson(tmp_path / "city.city.json", n=4)
    project = hostile.project(tmp_path / "p.cimproj", [
        {"type": "terrain", "name": "Ground", "source": "dem.tif",
         "load_options": {"imagery": "photo.tif"}},
        {"type": "citymodel", "name": "City", "source": city.name}])
    proc = run_cli("screenshot", str(project), "--out", str(tmp_path / "o.png"), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "photo.tif" in proc.stderr and "FIFO" in proc.stderr
    assert (tmp_path / "o.png").stat().st_size > 0


def test_huge_file_header_is_one_line(tmp_path):
    path = tmp_path / "huge.city.json"
    path.write_text('{"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": '
                    + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ReadError) as info:
        open_layer(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_project_with_bad_layers_keeps_the_rest(tmp_path):
    hostile.cityjson(tmp_path / "empty.city.json", n=2, geometry=False)
    hostile.cityjson(tmp_path / "far.city.json", n=10, far={0: (1e15, 0.0, 1.0)})
    hostile.cityjson(tmp_path / "good.city.json", n=10)
    camera = {"position": [500100.0, 2499800.0, 300.0],
              "focal_point": [500100.0, 2500020.0, 0.0]}
    project = hostile.project(tmp_path / "p.cimproj", [
        {"type": "citymodel", "name": "Empty", "source": "empty.city.json"},
        {"type": "citymodel", "name": "Far", "source": "far.city.json"},
        {"type": "citymodel", "name": "Good", "source": "good.city.json"}],
        bookmarks=[{"name": "north", "camera": camera}], camera=camera)
    out = tmp_path / "o.png"
    proc = run_cli("screenshot", str(project), "--out", str(out), "--bookmark", "north",
                   timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert any("Empty" in w and "no drawable triangles" in w for w in warnings)
    assert any("Far" in w and "'b0'" in w for w in warnings)
    assert out.stat().st_size > 0
    from cimviewer.io.project.file import open_project

    opened = open_project(project)
    assert [layer.name for layer in opened.project.layers] == ["Empty", "Far", "Good"]
    assert [mark.name for mark in opened.project.bookmarks] == ["north"]


def footprints(path, extra: dict[str, list]) -> object:
    """Ten 10 m squares ``f0..f9`` plus ``extra`` footprints (id -> exterior ring)."""
    rings = {}
    for i in range(10):
        x, y = hostile.ORIGIN[0] + i * 20, hostile.ORIGIN[1]
        rings[f"f{i}"] = [[x, y], [x + 10, y], [x + 10, y + 10], [x, y + 10], [x, y]]
    rings.update(extra)
    features = [{"type": "Feature", "properties": {"id": key, "height": 12},
                 "geometry": {"type": "Polygon", "coordinates": [ring]}}
                for key, ring in rings.items()]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name", "properties": {
                                    "name": "urn:ogc:def:crs:EPSG::32650"}}}))
    return path


X, Y = hostile.ORIGIN[0] + 300, hostile.ORIGIN[1]
BOWTIE = [[X, Y], [X + 10, Y + 10], [X + 10, Y], [X, Y + 10], [X, Y]]
FLAT = [[X, Y + 50], [X + 10, Y + 50], [X + 20, Y + 50], [X, Y + 50]]  # a line: no area


def faces(layer, key: str, surface: str) -> float:
    """Area of ``surface`` triangles of object ``key``."""
    from cimviewer.core.semantics import SEMANTIC_CODES

    model = layer.model
    mesh = model.meshes["1"]
    mine = (mesh.tri_object == model.objects.ids.index(key)) \
        & (mesh.tri_semantic == SEMANTIC_CODES[surface])
    a, b, c = (mesh.vertices[mesh.triangles[mine, k]] for k in range(3))
    return float(np.linalg.norm(np.cross(b - a, c - a), axis=1).sum() / 2)


def test_self_intersecting_footprint_is_repaired_and_named(tmp_path):
    layer = open_layer(footprints(tmp_path / "fp.geojson", {"bowtie": BOWTIE}),
                       options={"extrude": True, "height_attribute": "height"})
    assert faces(layer, "bowtie", "RoofSurface") == pytest.approx(50.0)  # both lobes
    assert faces(layer, "bowtie", "GroundSurface") == pytest.approx(50.0)
    assert faces(layer, "f3", "RoofSurface") == pytest.approx(100.0)
    assert any("repaired" in w and "self-intersection" in w and "'bowtie'" in w
               for w in layer.model.warnings), layer.model.warnings
    assert not layer.model.problems  # nothing was left out


def test_zero_area_footprint_is_left_out_and_named(tmp_path):
    layer = open_layer(footprints(tmp_path / "fp.geojson", {"flat": FLAT, "bowtie": BOWTIE}),
                       options={"extrude": True, "height_attribute": "height"})
    model = layer.model
    assert "flat" in model.objects.ids  # kept in the object table, without geometry
    assert faces(layer, "flat", "WallSurface") == 0.0
    assert (model.meshes["1"].tri_object != model.objects.ids.index("flat")).all()
    assert [p for p in model.problems if "zero area" in p and "'flat'" in p], model.problems
    for key in ("f0", "f9", "bowtie"):  # every other footprint has its roof
        assert faces(layer, key, "RoofSurface") > 0


def test_footprint_faults_reach_info_json_and_project_messages(tmp_path):
    from cimviewer.io.project.file import open_project
    from cimviewer.io.registry import read_dataset
    from cimviewer.io.summary import summarize

    path = footprints(tmp_path / "fp.geojson", {"flat": FLAT, "bowtie": BOWTIE})
    summary = summarize(read_dataset(path, options={"extrude": True}), "vector")
    assert any("'bowtie'" in w for w in summary["warnings"])
    assert any("'flat'" in w and "zero area" in w for w in summary["warnings"])
    project = hostile.project(tmp_path / "p.cimproj", [
        {"type": "citymodel", "name": "Blocks", "source": "fp.geojson",
         "load_options": {"extrude": True}}])
    messages = open_project(project).messages
    assert any("Blocks" in m and "'flat'" in m and "zero area" in m for m in messages), messages
