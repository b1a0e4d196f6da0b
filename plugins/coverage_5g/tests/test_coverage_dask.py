"""The same job on a 2-process dask LocalCluster gives identical arrays."""

from __future__ import annotations

import numpy as np
import pytest
from coverage_5g import Site, build_height_raster, run_local, surface_points

pytest.importorskip("dask.distributed")


def test_dask_result_is_identical_to_single_process(make_box):
    from coverage_5g.distributed import run_dask

    parts = [make_box(30 + 40 * i, 40 + 25 * (i % 3), 50 + 40 * i, 70 + 25 * (i % 3), 0, 12 + 6 * i)
             for i in range(5)]
    v = np.concatenate([p[0] for p in parts])
    t = np.concatenate([p[1] + 8 * i for i, p in enumerate(parts)])
    obj = np.repeat(np.arange(5), 12)
    r = build_height_raster((0, 0, 240, 200), 2.0, vertices=v, triangles=t, tri_object=obj,
                            crs="EPSG:4547")
    sites = [Site(x=20.0 + 50 * i, y=15.0 + 80 * (i % 2), height_m=9.0, antenna="sector",
                  azimuth_deg=45.0 * i) for i in range(5)]
    pts = surface_points(v, t, obj, spacing_m=6.0)
    params = {"raster": r, "sites": sites, "points": pts, "tile_size": 40, "sites_per_task": 2,
              "point_chunk": 64}
    local = run_local(params)
    remote = run_dask(params, n_workers=2)
    for key in ("rsrp_dbm", "sinr_db", "best_server", "mask"):
        assert np.array_equal(local[key], remote[key], equal_nan=key in ("rsrp_dbm", "sinr_db"))
    for key in ("rsrp_dbm", "sinr_db", "indoor_sinr_db", "best_server"):
        assert np.array_equal(local["points"][key], remote["points"][key],
                              equal_nan=key != "best_server")
    assert local["stats"]["total"] == remote["stats"]["total"]
    assert np.isfinite(local["sinr_db"]).any()
