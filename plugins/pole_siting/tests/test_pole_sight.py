"""Line of sight past the buildings: cameras blocked, 5G LOS / NLOS loss, the kernel
against a brute-force reference, and RSRP / SINR of the chosen plan on the demo city."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from pole_siting import radio
from pole_siting.equipment import coverage_for
from pole_siting.sightlines import BuildingGrid, Sight, blocked, has_numba, sight_from_layer

from cimviewer.api import Context, VectorData, VectorLayer, execute, validate

PLUGIN = Path(__file__).resolve().parents[1]


def footprints(boxes, heights):
    """A polygon layer of axis-aligned boxes (xmin, ymin, xmax, ymax) with height_m."""
    rings = [[(a, b), (c, b), (c, d), (a, d), (a, b)] for a, b, c, d in boxes]
    v = np.array([[x, y, 0.0] for ring in rings for x, y in ring])
    offsets = np.arange(0, 5 * len(rings) + 1, 5)
    data = VectorData("polygon", v, vertex_offsets=offsets,
                      part_offsets=np.arange(len(rings) + 1),
                      columns={"height_m": list(heights)}, crs="EPSG:4547",
                      n_features=len(rings))
    return VectorLayer("Blocks", data)


# One 20 m x 20 m block, 20 m tall, centred 50 m east of a pole at the origin.
# Behind it (100, 0): hidden. Beside it (100, 40): the line passes y = 16..24 over
# x = 40..60, clear of the block (y <= 10). A second block (block 1) around (150, 0).
BLOCKS = [(40, -10, 60, 10), (140, -10, 160, 10)]
POLE = np.array([[0.0, 0.0]])
POINTS = np.array([[100.0, 0.0], [100.0, 40.0]])


@pytest.fixture
def sight():
    grid, note = sight_from_layer(footprints(BLOCKS, [20.0, 20.0]), np.array([[0, 0]]), 200,
                                  cell=1.0)
    assert note is None
    return Sight(grid, {})


def test_a_building_between_blocks_the_camera_and_a_point_beside_it_is_seen(sight):
    camera = {"department": "Police", "equipment": "camera", "demand": "junctions",
              "radius_m": 120}
    A = coverage_for(camera, POLE, POINTS, None, sight, None, np.array([6.0]))
    assert A.toarray().ravel().tolist() == [0, 1]
    # without the buildings both are in range
    assert coverage_for(camera, POLE, POINTS, None).toarray().ravel().tolist() == [1, 1]
    # a lens 60 m up sees over the block (the line is 36.4 m high at its near face)
    high = coverage_for(camera, POLE, POINTS, None, sight, None, np.array([60.0]))
    assert high.toarray().ravel().tolist() == [1, 1]


def test_5g_takes_the_nlos_loss_behind_the_building(sight):
    from coverage_5g.models import path_loss

    h_tx, h_rx, eirp = 10.0, 1.5, 40.0
    d = np.hypot(*POINTS.T)
    los = path_loss("umi_street_canyon", 3.5, d, h_tx, h_rx, los=True)
    nlos = path_loss("umi_street_canyon", 3.5, d, h_tx, h_rx, los=False)
    assert (nlos - los > 10).all()
    # a threshold between the LOS and NLOS RSRP at both distances
    threshold = eirp - (max(los) + min(nlos)) / 2
    req = {"department": "Telecom", "equipment": "small_cell_5g", "demand": "buildings",
           "radius_m": 200}

    def loss(dist, hb, hu, flag):
        return -radio.received_dbm(0.0, dist, hb, hu, flag)

    signal = {"eirp_dbm": eirp, "threshold_dbm": threshold, "path_loss": loss}
    A = coverage_for(req, POLE, POINTS, signal, sight, None, np.array([h_tx]))
    assert A.toarray().ravel().tolist() == [0, 1]
    # 5G by radius (the fast option) ignores the buildings
    assert coverage_for(req, POLE, POINTS, None, sight, None,
                        np.array([h_tx])).toarray().ravel().tolist() == [1, 1]
    # without buildings every pair is NLOS (the former behaviour): neither covered
    assert coverage_for(req, POLE, POINTS, signal).toarray().ravel().tolist() == [0, 0]
    out = radio.evaluate(POLE, np.array([h_tx]), POINTS, eirp, sight)
    assert out["rsrp_dbm"] == pytest.approx(eirp - np.array([nlos[0], los[1]]))
    # one cell, no interference: SINR = RSRP - noise
    assert out["sinr_db"] == pytest.approx(out["rsrp_dbm"] - radio.noise_dbm())


def test_a_demand_point_inside_a_building_is_on_its_facade(sight):
    """Buildings as demand: the centroid of the building, its own cells ignored: block 0
    is seen from the pole (its facade faces the pole), block 1 is hidden behind block 0."""
    centres = np.array([[50.0, 0.0], [150.0, 0.0]])
    i, j = np.array([0, 1]), np.array([0, 0])
    own = Sight(sight.grid, {7: np.array([0, 1])})
    assert own.visible(7, POLE, np.array([10.0]), centres, 1.5, i, j).tolist() == [True,
                                                                                    False]
    # unknown owners: the building under the point is taken
    assert sight.visible(None, POLE, np.array([10.0]), centres, 1.5, i, j).tolist() == [
        True, False]


def brute_force(grid, a, b, own):
    """Every cell of the grid: clip the segment to the cell square; blocked when the
    cell is higher than the segment's lowest point inside it (cells of ``own`` ignored)."""
    rows, cols = grid.height.shape
    R, C = (m.ravel() for m in np.mgrid[0:rows, 0:cols])
    height, owner = grid.height.ravel(), grid.owner.ravel()
    out = np.zeros(len(a), bool)
    for p in range(len(a)):
        u0 = (a[p, 0] - grid.x0) / grid.cell
        v0 = (grid.y0 - a[p, 1]) / grid.cell
        du = (b[p, 0] - grid.x0) / grid.cell - u0
        dv = (grid.y0 - b[p, 1]) / grid.cell - v0
        lo, hi = np.zeros(len(R)), np.ones(len(R))
        for d, s0, first in ((du, u0, C), (dv, v0, R)):
            if d == 0:
                hi = np.where((s0 >= first) & (s0 < first + 1), hi, -1.0)
                continue
            t1, t2 = (first - s0) / d, (first + 1 - s0) / d
            lo, hi = np.maximum(lo, np.minimum(t1, t2)), np.minimum(hi, np.maximum(t1, t2))
        dz = b[p, 2] - a[p, 2]
        z = np.minimum(a[p, 2] + lo * dz, a[p, 2] + hi * dz)
        others = (owner < 0) | (owner != own[p])
        out[p] = ((hi - lo > 1e-12) & others & (height > z)).any()
    return out


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_the_kernel_matches_a_brute_force_reference(backend):
    if backend == "numba" and not has_numba():
        pytest.skip("numba is not installed")
    rng = np.random.default_rng(13)
    for _ in range(12):
        rows, cols = (int(v) for v in rng.integers(4, 25, 2))
        h = np.where(rng.random((rows, cols)) < 0.3, rng.uniform(2, 20, (rows, cols)), 0)
        o = np.where(h > 0, rng.integers(0, 4, (rows, cols)), -1)
        grid = BuildingGrid(h.astype(np.float32), o.astype(np.int32), 100.0, 200.0,
                            float(rng.uniform(0.5, 3)))
        n = 150
        span = np.array([cols, rows]) * grid.cell

        def ends(span=span, n=n):
            return np.column_stack([100 + rng.uniform(-2, span[0] + 2, n),
                                    200 - rng.uniform(-2, span[1] + 2, n),
                                    rng.uniform(0, 25, n)])

        a, b = ends(), ends()
        b[:10, :2] = a[:10, :2] + rng.uniform(-0.3, 0.3, (10, 2))  # short and vertical-ish
        b[10:20, 0] = a[10:20, 0]  # due north / south
        b[20:30, 1] = a[20:30, 1]  # due east / west
        own = rng.integers(-1, 4, n)
        expected = brute_force(grid, a, b, own)
        assert 0.1 < expected.mean() < 0.9
        assert (blocked(grid, a, b, own, backend) == expected).all()


@pytest.fixture
def rsrp_plan(demo_layers, demo_area, cim_plugins):
    algorithm = cim_plugins(PLUGIN).algorithm("pole_siting.plan")
    params = validate(algorithm, {"roads": demo_layers["Roads"], "poles": demo_layers["Poles"],
                                  "buildings": demo_layers["Buildings"],
                                  "terrain": demo_layers["Terrain"], "area": demo_area,
                                  "coverage_5g": "rsrp", "time_limit_s": 30})
    return execute(algorithm, params, Context(plugin="pole_siting"))


def test_demo_plan_reports_rsrp_and_sinr_recomputed_from_the_chosen_cells(
        rsrp_plan, demo_layers, demo_area):
    from pole_siting.inputs import building_points
    from pole_siting.plan import _inside

    plan = rsrp_plan
    assert plan["optimal"] is True
    for key in ("rsrp_share_above", "rsrp_median_dbm", "sinr_median_db", "sinr_p5_db"):
        assert plan[key] is not None
    assert plan["sinr_p5_db"] <= plan["sinr_median_db"]
    assert plan["rsrp_median_dbm"] >= -100  # every point covered by one cell above it
    text = plan["report"].text
    assert "SINR median" in text and "ignored interference" in text
    assert "line of sight past the buildings" in text
    # recomputed here from the chosen poles of the layer, independently of the plan
    cols = plan["plan"].data.columns
    cells = np.array(cols["has_small_cell_5g"], bool)
    poles = plan["plan"].data.vertices[:, :2]
    xy, _attrs, ids = building_points(demo_layers["Buildings"], with_ids=True)
    area = np.array([[float(v) for v in p.split(",")] for p in demo_area.split(";")])
    inside = _inside(xy, area)
    grid, _ = sight_from_layer(demo_layers["Buildings"], poles, radio.REACH_M + 130)
    sight = Sight(grid, {0: ids[inside]})
    out = radio.evaluate(poles[cells], np.array(cols["height_m"], float)[cells], xy[inside],
                         40.0, sight, 0)
    figures = radio.summary(out["rsrp_dbm"], out["sinr_db"], np.ones(inside.sum()), -100.0)
    assert plan["rsrp_share_above"] == pytest.approx(figures["rsrp_share_above"], abs=1e-6)
    assert plan["sinr_median_db"] == pytest.approx(figures["sinr_median_db"], abs=0.02)
    met = plan["requirements_met"].columns
    row = met["equipment"].index("small_cell_5g")
    # what the covering model covered is above the threshold in the recomputation too
    assert plan["rsrp_share_above"] >= met["covered"][row] / met["points"][row] - 1e-9
    # some links are LOS, some NLOS
    assert 0.05 < float(out["los_share"]) < 0.95


def test_demo_cameras_do_not_see_through_buildings(demo_layers, demo_instance):
    cand = demo_instance["candidates"]
    grid, _ = sight_from_layer(demo_layers["Buildings"], cand, 60)
    sight = Sight(grid, {})
    rng = np.random.default_rng(5)
    lo, hi = cand.min(axis=0), cand.max(axis=0)
    pts = rng.uniform(lo, hi, (3000, 2))
    camera = {"department": "Police", "equipment": "camera", "demand": "junctions",
              "radius_m": 40}
    blocked(grid, np.zeros((1, 3)), np.ones((1, 3)))  # compile outside the timing
    t = time.perf_counter()
    seen = coverage_for(camera, cand, pts, None, sight, None, np.full(len(cand), 6.0))
    seconds = time.perf_counter() - t
    near = coverage_for(camera, cand, pts, None)
    assert seen.nnz < near.nnz and (seen.toarray() <= near.toarray()).all()
    print(f"camera LOS on the demo piece: {near.nnz} pairs in {seconds:.2f} s")
    # the 5G pairs of the demo instance: every pole to every building within 120 m
    from pole_siting import covering

    t = time.perf_counter()
    grid, _ = sight_from_layer(demo_layers["Buildings"], cand, 130)
    t_grid = time.perf_counter() - t
    demand = demo_instance["demand"]
    t = time.perf_counter()
    i, j, _d = covering.pair_distances(cand, demand, 120)
    vis = Sight(grid, {}).visible(None, cand, np.full(len(cand), 10.0), demand, 1.5, i, j)
    seconds = time.perf_counter() - t
    assert 0.05 < vis.mean() < 0.95
    print(f"5G LOS on the demo instance: {len(i)} pairs in {seconds:.2f} s "
          f"(raster {grid.height.shape[1]} x {grid.height.shape[0]} in {t_grid:.2f} s)")
