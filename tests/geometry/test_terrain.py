import numpy as np

from cimviewer.core.datasets import TerrainGrid
from cimviewer.geometry.ribbons import ribbons
from cimviewer.geometry.terrain import decimate, fit_under, grid_mesh, sample_heights


def _plane(rows=20, cols=30, nodata=None):
    x0, y0, dx, dy = 1000.0, 5000.0, 2.0, 3.0
    cx = x0 + (np.arange(cols) + 0.5) * dx
    cy = y0 - (np.arange(rows) + 0.5) * dy
    gx, gy = np.meshgrid(cx, cy)
    heights = 0.1 * (gx - x0) + 0.2 * (y0 - gy) + 7
    if nodata:
        heights[nodata] = np.nan
    return TerrainGrid(heights, x0, y0, dx, dy, "EPSG:32633")


def test_bilinear_sampling_is_exact_on_a_plane():
    grid = _plane()
    rng = np.random.default_rng(1)
    x = rng.uniform(1001, 1059, 200)
    y = rng.uniform(4941.5, 4998.5, 200)  # between the outer pixel centres
    expected = 0.1 * (x - 1000) + 0.2 * (5000 - y) + 7
    np.testing.assert_allclose(sample_heights(grid, x, y), expected, atol=1e-9)


def test_sampling_outside_or_on_nodata_gives_fill():
    grid = _plane(nodata=(slice(5, 7), slice(5, 7)))
    z = sample_heights(grid, np.array([0.0, 1000 + 6 * 2 + 1]), np.array([0.0, 5000 - 6 * 3 - 1]),
                       fill=-1)
    assert z.tolist() == [-1, -1]


def test_grid_mesh_covers_area_and_leaves_nodata_holes():
    grid = _plane()
    verts, tris = grid_mesh(grid)
    a, b, c = (verts[tris[:, i]] for i in range(3))
    normals = np.cross(b - a, c - a)
    assert (normals[:, 2] > 0).all()  # facing up
    area = 0.5 * np.abs(normals[:, 2]).sum()
    assert np.isclose(area, (30 - 1) * 2 * (20 - 1) * 3)
    holed = _plane(nodata=(10, 10))
    _, tris2 = grid_mesh(holed)
    assert len(tris) - len(tris2) == 8  # 4 cells around the pixel, 2 triangles each


def test_decimate_limits_cells_and_keeps_extent():
    grid = _plane(200, 300)
    small = decimate(grid, 10_000)
    assert small.heights.size <= 10_000
    assert small.source_shape == (200, 300)
    # every kept pixel stays where it was: same place, same height as in the full grid
    coarse, _ = grid_mesh(small)
    np.testing.assert_allclose(sample_heights(grid, coarse[:, 0], coarse[:, 1]),
                               coarse[:, 2], atol=1e-9)
    full, _ = grid_mesh(grid)
    kept = {tuple(v) for v in np.round(full[:, :2], 6)}
    assert all(tuple(v) in kept for v in np.round(coarse[:, :2], 6))


def test_highest_decimation_never_dips_under_the_terrain():
    rng = np.random.default_rng(3)
    grid = _plane(120, 120)
    grid.heights[:] = rng.uniform(0, 50, grid.shape)
    grid.heights[60, 60] = np.nan
    drape = decimate(grid, 400, highest=True)
    plain = decimate(grid, 400)
    assert (drape.heights[np.isfinite(plain.heights)] >=
            plain.heights[np.isfinite(plain.heights)]).all()
    assert np.nanmean(drape.heights) > np.nanmean(plain.heights) + 10  # maxima of blocks
    assert np.isnan(drape.heights).sum() == np.isnan(plain.heights).sum()


def test_ribbons_have_the_requested_width():
    verts = np.array([[0, 0, 0], [100, 0, 0], [0, 50, 0], [0, 80, 0]], float)
    out, tris, tri_line = ribbons(verts, np.array([0, 2, 4]), np.array([10.0, 4.0]))
    a, b, c = (out[tris[:, i]] for i in range(3))
    area = 0.5 * np.cross(b - a, c - a)[:, 2]
    assert (area > 0).all()
    assert np.isclose(area[tri_line == 0].sum(), 100 * 10)
    assert np.isclose(area[tri_line == 1].sum(), 30 * 4)
    assert len(tris) == 4  # no segment bridges the two lines


def _mesh_height(grid, x, y):
    """Height of the triangulated grid (as ``grid_mesh`` cuts it) at points (x, y)."""
    col = (x - grid.x0) / grid.dx - 0.5
    row = (grid.y0 - y) / grid.dy - 0.5
    i = np.minimum(np.floor(row).astype(int), grid.shape[0] - 2)
    j = np.minimum(np.floor(col).astype(int), grid.shape[1] - 2)
    fu, fv = col - j, row - i
    h = grid.heights
    ha, hb, hc, hd = h[i, j], h[i, j + 1], h[i + 1, j + 1], h[i + 1, j]
    # triangles (a, d, c) where fv >= fu and (a, c, b) otherwise, as grid_mesh cuts them
    return np.where(fv >= fu, ha + fu * (hc - hd) + fv * (hd - ha),
                    ha + fu * (hb - ha) + fv * (hc - hb))


def test_the_fitted_coarse_mesh_stays_under_the_fine_one():
    rng = np.random.default_rng(5)
    grid = _plane(150, 130)
    grid.heights[:] = rng.uniform(0, 4, grid.shape) + np.linspace(0, 80, 130)
    grid.heights[70, 40] = np.nan
    coarse = decimate(grid, 500)
    fitted = fit_under(coarse, grid)
    assert fitted.shape == coarse.shape and fitted.dx == coarse.dx
    # at random points where both meshes exist the fitted one is (nearly) never above
    xs = coarse.x0 + coarse.dx * rng.uniform(0.5, coarse.shape[1] - 0.5, 20_000)
    ys = coarse.y0 - coarse.dy * rng.uniform(0.5, coarse.shape[0] - 0.5, 20_000)
    fine_z = _mesh_height(grid, xs, ys)
    ok = np.isfinite(fine_z)
    fine_z, xs, ys = fine_z[ok], xs[ok], ys[ok]
    assert (_mesh_height(fitted, xs, ys) <= fine_z + 0.25).all()
    # plain samples poke through in places: the test can tell the difference
    assert (_mesh_height(coarse, xs, ys) > fine_z + 1).any()
    # and it is lowered only as much as needed (a few metres of roughness, not the slope)
    assert 0 < np.nanmean(coarse.heights - fitted.heights) < 4


def test_a_smooth_slope_is_not_lowered():
    grid = _plane(150, 130)  # a plane: the coarse mesh lies exactly on it
    coarse = decimate(grid, 500)
    np.testing.assert_allclose(fit_under(coarse, grid).heights, coarse.heights, atol=1e-9)
