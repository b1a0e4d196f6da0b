"""Value rasters (an analysis result, not terrain): draped on the terrain, every cell in
a colour of its legend, written and read back as values, kept in projects."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimviewer.algorithms.parameters import LayerParam, ParameterError, ValidationContext
from cimviewer.core.camera import top_down_camera
from cimviewer.core.datasets import TerrainGrid, ValueGrid
from cimviewer.core.layers import RasterLayer, TerrainLayer
from cimviewer.core.legend import layer_legend
from cimviewer.core.project import Project
from cimviewer.core.style import ValueClass
from cimviewer.geometry.placement import drape_layers
from cimviewer.io.layers import open_layer
from cimviewer.io.project.file import open_project, save_project
from cimviewer.io.raster import write_values
from cimviewer.io.summary import summarize_path
from cimviewer.testing import render_image

CRS = "EPSG:32650"
X0, Y0 = 500000.0, 2500200.0
RED, BLUE = (215, 48, 39), (40, 90, 200)
CLASSES = (ValueClass(float("-inf"), RED, "low"), ValueClass(5.0, BLUE, "high"))


def terrain_layer(height: float = 30.0) -> TerrainLayer:
    heights = np.full((100, 100), height)
    return TerrainLayer("ground", TerrainGrid(heights, X0, Y0, 2.0, 2.0, CRS))


def two_halves(classes=CLASSES) -> ValueGrid:
    """20 x 20 cells of 10 m: west half 1.0, east half 9.0, the north-west quarter empty."""
    values = np.ones((20, 20))
    values[:, 10:] = 9.0
    values[:10, :10] = np.nan
    return ValueGrid(values, X0, Y0, 10.0, 10.0, CRS, name="noise", unit="dB(A)",
                     classes=classes)


def draw(project: Project, size=(200, 200)) -> np.ndarray:
    project.camera.state = top_down_camera(np.array([X0 + 100, Y0 - 100, 30.0]), 260)
    return render_image(project, size).astype(int)


def test_cells_are_drawn_in_their_class_colours_on_the_terrain():
    project = Project()
    terrain = project.add_layer(terrain_layer())
    raster = RasterLayer("noise", two_halves())
    drape_layers([terrain, raster])
    project.add_layer(raster)
    np.testing.assert_allclose(raster.surface_heights(), 31.0)  # 1 m above the ground
    img = draw(project)
    # flat colours, no lighting: the pixels are exactly the legend's colours
    assert tuple(img[150, 50]) == RED  # south-west: value 1
    assert tuple(img[100, 150]) == BLUE  # east: value 9
    empty = img[50, 50]  # north-west: no value, the terrain shows through
    assert tuple(empty) not in (RED, BLUE)
    assert [c for _label, c in layer_legend(raster).rows] == [BLUE, RED]
    assert layer_legend(raster).title == "noise: noise (dB(A))"


def test_graduated_cells_show_only_legend_colours_and_follow_the_style():
    """Without classes of its own a raster is classed by the colour map; what is drawn
    is in legend colours (no blends between classes; anti-aliasing only touches the
    class borders), also where the drawing is coarser than the data (the classes come
    from all cells, as the legend's)."""
    values = np.tile(np.linspace(0.0, 100.0, 600), (600, 1))  # rising to the east
    values[:, :30] = 1000.0  # a few extreme cells: equal intervals stretch to them
    grid = ValueGrid(values, X0, Y0, 200 / 600, 200 / 600, CRS, name="density")
    project = Project()
    raster = project.add_layer(RasterLayer("density", grid))

    def drawn_colours() -> tuple[np.ndarray, set]:
        project.camera.state = top_down_camera(np.array([X0 + 100, Y0 - 100, 0.0]), 600)
        img = render_image(project, (160, 160)).astype(int)
        inner = img[75:110, 30:125].reshape(-1, 3)  # inside the raster, clear of overlays
        legend = {c for _label, c in layer_legend(raster).rows}
        exact = np.array([tuple(c) in legend for c in inner])
        return exact, {tuple(c) for c, ok in zip(inner, exact, strict=True) if ok}

    exact, colours = drawn_colours()
    assert exact.mean() > 0.95
    # 0..100 is the lowest of five 0..1000 classes, 1000 the highest: two colours only
    rows = layer_legend(raster).rows
    assert colours == {rows[0][1], rows[-1][1]}
    raster.style = raster.style.with_(classification="quantile", classes=3)
    exact, colours = drawn_colours()
    assert exact.mean() > 0.95 and len(colours) == 3


def test_a_value_raster_is_never_taken_for_terrain():
    raster = RasterLayer("noise", two_halves())
    param = LayerParam("terrain", "Terrain", kinds=("terrain",))
    with pytest.raises(ParameterError, match="raster"):
        param.convert(raster, ValidationContext())
    assert not isinstance(raster, TerrainLayer)


def test_written_values_open_again_as_values_with_name_unit_and_classes(tmp_path):
    path = write_values(two_halves(), tmp_path / "noise.tif")
    layer = open_layer(path)
    assert isinstance(layer, RasterLayer)
    grid = layer.grid
    assert (grid.name, grid.unit) == ("noise", "dB(A)")
    assert grid.classes == CLASSES
    assert np.isnan(grid.values[:10, :10]).all() and grid.values[15, 15] == 9.0
    assert layer.style.classification == "fixed"
    # forced either way by the load option
    assert isinstance(open_layer(path, options={"values": False}), TerrainLayer)
    info = summarize_path(path)
    assert info["values"] == {"name": "noise", "unit": "dB(A)", "range": [1.0, 9.0],
                              "classes": 2}
    assert info["bbox"] == [X0, Y0 - 200, 0.0, X0 + 200, Y0, 0.0]


def test_values_are_reprojected_into_the_project_crs(tmp_path):
    grid = two_halves()
    grid.crs = "EPSG:4326"
    grid.x0, grid.y0, grid.dx, grid.dy = 114.0, 22.6, 0.0001, 0.0001
    path = write_values(grid, tmp_path / "deg.tif")
    layer = open_layer(path, project_crs=CRS)
    assert isinstance(layer, RasterLayer) and layer.grid.crs == CRS
    assert layer.grid.name == "noise" and layer.grid.classes == CLASSES
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform(114.0, 22.6)
    assert layer.grid.x0 == pytest.approx(x, abs=15) and layer.grid.y0 == pytest.approx(y, abs=15)


def test_a_project_keeps_the_raster_its_style_and_its_drape(tmp_path):
    path = write_values(two_halves(classes=()), tmp_path / "density.tif")
    project = Project()
    ground = tmp_path / "ground.tif"
    from cimviewer.algorithms.writers import write_terrain

    write_terrain(terrain_layer(12.0).grid, ground)
    project.add_layer(open_layer(ground))
    raster = project.add_layer(open_layer(path, options={"drape_offset": 2.5}))
    raster.style = raster.style.with_(colormap="reds", classes=4)
    saved = tmp_path / "p.cimproj"
    save_project(project, saved)
    record = json.loads(saved.read_text("utf-8"))["layers"][1]
    assert record["type"] == "raster" and record["style"]["colormap"] == "reds"
    opened = open_project(saved)
    assert opened.messages == []
    again = opened.project.layers[1]
    assert isinstance(again, RasterLayer)
    assert again.style.colormap == "reds" and again.style.classes == 4
    np.testing.assert_allclose(again.surface_heights(), 14.5)  # on the terrain + 2.5 m
    # a result's own classes (as the tutorial's noise bands) are kept without a word
    banded = project.add_layer(open_layer(write_values(two_halves(), tmp_path / "b.tif")))
    assert banded.style.fixed_classes == CLASSES
    save_project(project, saved)
    opened = open_project(saved)
    assert opened.messages == [] and opened.project.layers[2].style.fixed_classes == CLASSES
