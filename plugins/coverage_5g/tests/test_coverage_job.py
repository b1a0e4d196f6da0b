"""The coverage job: hand-checked receivers, determinism, outputs, statistics."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from coverage_5g import Site, build_height_raster, combine, run_local, run_task, tasks
from coverage_5g.coverage import noise_dbm
from coverage_5g.link import link_budget
from coverage_5g.models import path_loss
from coverage_5g.outputs import building_rows, statistics_rows, write_csv, write_rasters
from coverage_5g.receivers import grid_receivers, surface_points
from coverage_5g.sites import sites_from_points, spread_points
from coverage_5g.stats import report_markdown


@pytest.fixture(scope="module")
def block_scene(make_box):
    """Flat ground, one 30 m block in the middle of a 200 m square, 2 m cells."""
    v, t = make_box(90, 60, 110, 140, 0, 30)
    r = build_height_raster((0, 0, 200, 200), 2.0, vertices=v, triangles=t,
                            tri_object=np.zeros(len(t), np.int64), crs="EPSG:4547")
    return r, v, t


def test_hand_checked_rsrp_and_sinr(block_scene):
    r, _, _ = block_scene
    sites = [Site(x=50.0, y=100.0, height_m=10.0), Site(x=150.0, y=100.0, height_m=10.0,
                                                           tx_power_dbm=30.0)]
    res = run_local({"raster": r, "sites": sites, "tile_size": 40, "sites_per_task": 1,
                     "load": 0.5, "noise_figure_db": 9.0})
    xs, ys = r.centres()
    row, col = 50, 10  # cell centre (21, 99): west site in LOS, east site behind the block
    x, y = xs[col], ys[row]
    assert res["best_server"][row, col] == 0
    pl_a = path_loss("umi_street_canyon", 3.5, math.hypot(x - 50, y - 100), 10.0, 1.5, True)
    pl_b = path_loss("umi_street_canyon", 3.5, math.hypot(x - 150, y - 100), 10.0, 1.5, False)
    p_a, p_b = 35.0 - pl_a, 30.0 - pl_b
    rsrp = p_a - 10 * math.log10(12 * 273)
    assert res["rsrp_dbm"][row, col] == pytest.approx(rsrp, abs=1e-4)
    noise = -174 + 10 * math.log10(100e6) + 9.0
    sinr = p_a - 10 * math.log10(0.5 * 10 ** (p_b / 10) + 10 ** (noise / 10))
    assert res["sinr_db"][row, col] == pytest.approx(sinr, abs=1e-3)
    assert noise_dbm(100.0, 9.0) == pytest.approx(noise)
    # inside the block: masked (street receivers); the block's cells are all masked
    assert np.isnan(res["rsrp_dbm"][50, 50]) and not res["mask"][50, 50]
    assert (~res["mask"]).sum() == 10 * 40
    # symmetric spot east of the block is served by the east site
    assert res["best_server"][50, 90] == 1


def test_shadow_behind_block_is_nlos(block_scene):
    r, _, _ = block_scene
    res = run_local({"raster": r, "sites": [Site(x=50.0, y=100.0, height_m=10.0)]})
    xs, ys = r.centres()
    row = 50
    west, east = res["rsrp_dbm"][row, 20], res["rsrp_dbm"][row, 60]
    d_w, d_e = math.hypot(xs[20] - 50, ys[row] - 100), math.hypot(xs[60] - 50, ys[row] - 100)
    assert west == pytest.approx(35 - path_loss("umi_street_canyon", 3.5, d_w, 10, 1.5, True)
                                 - 10 * np.log10(12 * 273), abs=1e-4)
    assert east == pytest.approx(35 - path_loss("umi_street_canyon", 3.5, d_e, 10, 1.5, False)
                                 - 10 * np.log10(12 * 273), abs=1e-4)
    counts = res["site_counts"]
    assert 0 < counts["los"]["grid"][0] < counts["in_radius"]["grid"][0]


def test_decomposition_and_order_do_not_change_results(block_scene):
    r, v, t = block_scene
    pts = surface_points(v, t, np.zeros(len(t), np.int64), spacing_m=8.0, offset_m=2.0)
    sites = [Site(x=30.0 + 35 * i, y=20.0 + 40 * (i % 3), height_m=8.0 + i, antenna="sector",
                  azimuth_deg=60.0 * i) for i in range(5)]
    params = {"raster": r, "sites": sites, "points": pts, "tile_size": 32, "sites_per_task": 2,
              "point_chunk": 50}
    specs = tasks(params)
    partials = [run_task(s) for s in specs]
    a = combine(partials)
    shuffled = partials[:]
    random.Random(4).shuffle(shuffled)
    b = combine(shuffled)
    for key in ("rsrp_dbm", "sinr_db", "best_server"):
        assert np.array_equal(a[key], b[key], equal_nan=key != "best_server")
    other = run_local({**params, "tile_size": 100, "sites_per_task": 5, "point_chunk": 1000})
    assert np.array_equal(a["rsrp_dbm"], other["rsrp_dbm"], equal_nan=True)
    assert np.array_equal(a["best_server"], other["best_server"])
    assert np.allclose(a["sinr_db"], other["sinr_db"], equal_nan=True, atol=1e-4)
    assert np.array_equal(a["points"]["rsrp_dbm"], other["points"]["rsrp_dbm"], equal_nan=True)


def test_max_radius_and_area_mode(block_scene):
    r, _, _ = block_scene
    res = run_local({"raster": r, "sites": [Site(x=10.0, y=10.0)], "max_radius_m": 60.0,
                     "receiver_mode": "area"})
    assert res["mask"].all()  # area mode keeps the roof cells
    xs, ys = r.centres()
    gx, gy = np.meshgrid(xs, ys)
    far = np.hypot(gx - 10, gy - 10) > 60
    assert np.isnan(res["rsrp_dbm"][far]).all() and np.isfinite(res["rsrp_dbm"][~far]).all()
    assert (res["best_server"][far] == -1).all()
    pts, _mask = grid_receivers(r, (45, 55, 45, 55), mode="area", ue_height_m=1.5)
    assert pts[:, 2].max() == pytest.approx(31.5)


def test_facades_buildings_stats_and_outputs(demo_arrays, demo_raster, tmp_path):
    import rasterio

    r = demo_raster
    mesh = demo_arrays["mesh"]
    pts = surface_points(mesh.vertices, mesh.triangles, mesh.tri_object, spacing_m=15.0,
                         offset_m=2.0)
    poles = demo_arrays["poles"]
    inside = ((poles[:, 0] > r.x0 + 100) & (poles[:, 0] < r.x0 + 700)
              & (poles[:, 1] < r.y0 - 100) & (poles[:, 1] > r.y0 - 700))
    idx = np.flatnonzero(inside)[spread_points(poles[inside], 4)]
    sites = sites_from_points(poles[idx], demo_arrays["pole_heights"][idx])
    near = np.hypot(pts["xyz"][:, 0] - r.x0 - 400, pts["xyz"][:, 1] - r.y0 + 400) < 250
    pts = {k: v[near] for k, v in pts.items()}
    window = (100, 300, 100, 300)  # 400 m x 400 m of receivers
    res = run_local({"raster": r, "sites": sites, "points": pts, "window": window,
                     "max_radius_m": 400.0})
    assert res["rsrp_dbm"].shape == (200, 200)
    st = res["stats"]
    assert 0.0 < st["total"]["area_share_above_threshold"] <= 1.0
    assert len(st["sites"]) == 4
    served = sum(row["area_share_served"] for row in st["sites"])
    assert served == pytest.approx(st["total"]["area_share_above_threshold"])
    assert st["total"]["buildings"] == len(np.unique(pts["building"])) > 10
    # indoor = façade - penetration loss; façade points facing away from every site: NaN-free
    p = res["points"]
    ok = np.isfinite(p["rsrp_dbm"])
    assert np.allclose(p["indoor_rsrp_dbm"][ok], p["rsrp_dbm"][ok] - 20.0)
    hist = st["rsrp_histogram"]
    assert sum(hist["counts"]) == np.isfinite(res["rsrp_dbm"]).sum()
    assert hist["cdf"][-1] == pytest.approx(1.0) and np.all(np.diff(hist["cdf"]) >= 0)
    files = write_rasters(res, tmp_path)
    with rasterio.open(files[0]) as src:
        assert src.crs.to_epsg() == 4547
        assert src.transform.c == pytest.approx(r.x0 + 100 * r.cell)
        assert src.transform.f == pytest.approx(r.y0 - 100 * r.cell)
        assert np.array_equal(src.read(1), res["rsrp_dbm"], equal_nan=True)
    write_csv(statistics_rows(res), tmp_path / "stats.csv")
    assert (tmp_path / "stats.csv").read_text(encoding="utf-8").count("\n") == 6
    rows = building_rows(res)
    assert len(rows) == st["total"]["buildings"]
    text = report_markdown(res)
    assert "# 5G coverage report" in text and "site-1" in text
    assert any("h_bs" in w for w in res["warnings"])  # poles are not 10 m UMi sites


def test_link_budget(block_scene):
    r, _, _ = block_scene
    plain = link_budget("uma", 3.5, (0, 0, 25.0), (300, 400, 1.5), eirp_dbm=46.0, los=False)
    assert plain["path_loss_db"] == pytest.approx(path_loss("uma", 3.5, 500.0, 25.0, 1.5, False))
    assert plain["received_power_dbm"] == pytest.approx(46.0 - plain["path_loss_db"])
    assert plain["warnings"] == [] and plain["profile"] is None
    behind = link_budget("umi_street_canyon", 3.5, (50, 100, 10.0), (170, 100, 1.5), raster=r)
    assert behind["los"] is False
    assert max(behind["profile"]["surface_m"]) == pytest.approx(30.0)
    clear = link_budget("umi_street_canyon", 3.5, (50, 100, 10.0), (50, 180, 1.5), raster=r)
    assert clear["los"] is True
    ke = link_budget("fspl", 3.5, (50, 100, 10.0), (170, 100, 1.5), raster=r, diffraction=True)
    assert ke["diffraction_db"] > 20 and ke["path_loss_db"] == pytest.approx(
        path_loss("fspl", 3.5, 120.0, 10.0, 1.5) + ke["diffraction_db"])
    assert any("distance" in w for w in link_budget("umi_street_canyon", 3.5, (0, 0, 10.0),
                                                    (3, 4, 1.5))["warnings"])


def test_knife_edge_mode_in_the_job(block_scene):
    r, _, _ = block_scene
    res = run_local({"raster": r, "sites": [Site(x=50.0, y=100.0)], "model": "fspl",
                     "diffraction": True})
    los = run_local({"raster": r, "sites": [Site(x=50.0, y=100.0)], "model": "fspl"})
    # in the block's shadow the knife-edge run loses more; in clear LOS both agree
    assert res["rsrp_dbm"][50, 70] < los["rsrp_dbm"][50, 70] - 10
    assert res["rsrp_dbm"][50, 5] == pytest.approx(los["rsrp_dbm"][50, 5], abs=1e-5)


def test_numpy_backend_gives_the_same_job(block_scene):
    r, _, _ = block_scene
    sites = [Site(x=50.0, y=100.0), Site(x=160.0, y=30.0, antenna="sector", azimuth_deg=300.0)]
    a = run_local({"raster": r, "sites": sites, "backend": "numpy"})
    b = run_local({"raster": r, "sites": sites})
    assert np.array_equal(a["best_server"], b["best_server"])
    assert np.allclose(a["rsrp_dbm"], b["rsrp_dbm"], equal_nan=True, atol=1e-5)
