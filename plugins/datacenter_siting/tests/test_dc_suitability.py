"""The suitability raster on synthetic layers whose answers are known by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cimviewer.api import (
    AlgorithmError,
    RasterLayer,
    TerrainGrid,
    TerrainLayer,
    VectorData,
    VectorLayer,
)
from cimviewer.testing import drape, legend_rows, raster_colours

PLUGIN_DIR = Path(__file__).resolve().parents[1]  # (not from conftest: its name is shared)

CRS = "EPSG:4547"


def tilted(slope: float, size: int = 100, dx: float = 10.0) -> TerrainLayer:
    """A plane rising ``slope`` (rise / run) to the east, 1 km square."""
    x = (np.arange(size) + 0.5) * dx
    heights = np.tile(10.0 + slope * x, (size, 1))
    return TerrainLayer("t", TerrainGrid(heights, 0.0, size * dx, dx, dx, CRS))


def points(xy) -> VectorLayer:
    xyz = np.column_stack([np.asarray(xy, float), np.zeros(len(xy))])
    return VectorLayer("p", VectorData("point", xyz, crs=CRS, n_features=len(xy)))


def square(x0, y0, x1, y1) -> VectorLayer:
    ring = np.array([[x0, y0, 0], [x1, y0, 0], [x1, y1, 0], [x0, y1, 0], [x0, y0, 0]], float)
    data = VectorData("polygon", ring, np.array([0, 5]), np.array([0, 1]), crs=CRS,
                      n_features=1)
    return VectorLayer("x", data)


@pytest.fixture
def run(cim_plugins, cim_run):
    manager = cim_plugins(PLUGIN_DIR)
    return lambda **p: cim_run(manager, "datacenter_siting.suitability", **p)


def test_slope_cap_by_hand(run):
    # rise 0.1 per metre: slope atan(0.1) = 5.711 degrees everywhere
    terrain = tilted(0.1)
    out = run(terrain=terrain, substations=points([[500, 500]]), cell_m=50,
              criteria="substation_m:cost", weights="1", constraints="slope_deg<=5.6")
    assert out["suitable_cells"] == 0 and out["best_score"] is None
    out = run(terrain=terrain, substations=points([[500, 500]]), cell_m=50,
              criteria="substation_m:cost", weights="1", constraints="slope_deg<=5.8")
    assert out["suitable_cells"] == out["cells"] == 400  # 1 km / 50 m = 20 x 20


def test_best_cell_is_next_to_the_substation_and_exclusions_are_holes(run):
    terrain = tilted(0.0)
    out = run(terrain=terrain, substations=points([[612, 388]]), cell_m=20,
              criteria="substation_m:cost", weights="1", constraints="",
              exclusion=square(0, 0, 300, 1000))
    # the cell whose centre is nearest (612, 388) on a 20 m grid from x = 0 is (610, 390)
    assert (out["best_x"], out["best_y"]) == (610.0, 390.0)
    raster = out["score"]
    assert isinstance(raster, RasterLayer)  # a result, never offered as terrain
    scores = raster.grid.values  # row 0 is the north edge (y 1000..980)
    cols_excluded = 300 // 20  # centres 10 ... 290 are inside x < 300
    assert np.isnan(scores[:, :cols_excluded]).all()
    assert np.isfinite(scores[:, cols_excluded:]).all()
    # draped on the terrain (1 m above the flat 10 m ground), a hole where excluded
    drape([terrain, raster])
    np.testing.assert_allclose(raster.surface_heights(), 11.0)
    # best cells are green (the top class), the farthest red
    far = np.unravel_index(np.nanargmin(scores), scores.shape)
    near = np.unravel_index(np.nanargmax(scores), scores.shape)
    colours = raster_colours(raster)
    assert tuple(colours[near]) == (26, 152, 80)
    assert tuple(colours[far]) == (215, 48, 39)
    assert legend_rows(raster)[0][1] == (26, 152, 80)


def test_unknown_grid_criterion_is_named(run):
    with pytest.raises(AlgorithmError, match="no grid column 'water'"):
        run(terrain=tilted(0.0), cell_m=100, criteria="water:cost", weights="1")
