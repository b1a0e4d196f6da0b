#!/usr/bin/env python3
"""5G coverage: 50 pole sites over a 2 km x 2 km piece of the demo city at 2 m (1M cells).

Times, in one run:

* ours — height raster + ``coverage_5g.run_local`` (numba kernel when installed), with
  numba's one-off compilation timed separately;
* a plain reference written here: per (site, receiver) pair a Python loop iteration that
  samples the ray every cell with numpy (no early exit) and evaluates the same path-loss
  formula with ``math``. It is timed on a random sample of pairs and **extrapolated** to
  the number of pairs our run evaluated (all pairs within ``max_radius_m``);
* the same job on dask.distributed (LocalCluster, 2 worker processes), checked to be
  identical to the single-process result.

    /tmp/venv/bin/python benchmarks/coverage_5g.py [--sample 3000] [--no-dask]
Goal: < 60 s for the 50-site job on a 2-core machine, >= 10x the reference.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from coverage_5g import build_height_raster, run_local, sites_from_points, spread_points
from coverage_5g.los import has_numba, trace
from coverage_5g.models import umi_los, umi_nlos
from coverage_5g.sites import resolve_sites

BOUNDS = (498100.0, 2492100.0, 500100.0, 2494100.0)
CELL = 2.0
N_SITES = 50
RADIUS = 1000.0


def load_scene():
    from cimviewer.io.demo import open_demo_project

    project = open_demo_project()
    layers = {layer.name: layer for layer in project.layers}
    terrain = layers["Terrain"].grid
    mesh = layers["Buildings"].model.meshes["2.2"]
    poles = layers["Poles"].data
    xyz = poles.vertices.copy()
    xyz[:, 2] = np.asarray(poles.columns["z"], float)
    heights = np.asarray(poles.columns["height_m"], float)
    return terrain, mesh, xyz, heights


def reference_pairs(raster, sites, pairs, pts):
    """The plain reference: one Python iteration per (site, receiver) pair."""
    out = np.empty(len(pairs))
    for k, (s, i) in enumerate(pairs):
        site = sites[s]
        x, y, z = pts[i]
        d2 = math.hypot(x - site["x"], y - site["y"])
        n = max(int(d2 / raster.cell), 1)
        t = np.linspace(0.0, 1.0, n + 1)[1:-1]
        sx = x + t * (site["x"] - x)
        sy = y + t * (site["y"] - y)
        sz = z + t * (site["z"] - z)
        col = np.floor((sx - raster.x0) / raster.cell).astype(int)
        row = np.floor((raster.y0 - sy) / raster.cell).astype(int)
        ok = (row >= 0) & (col >= 0) & (row < raster.shape[0]) & (col < raster.shape[1])
        blocked = bool(np.any(raster.surface[row[ok], col[ok]] > sz[ok]))
        f, hb = site["frequency_ghz"], site["h_bs"]
        d = max(d2, 1.0)
        pl = float(umi_nlos(f, d, hb, 1.5)) if blocked else float(umi_los(f, d, hb, 1.5))
        out[k] = site["eirp_peak_dbm"] - pl - 10 * math.log10(12 * site["n_rb"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=3000, help="reference pairs to time")
    ap.add_argument("--radius", type=float, default=RADIUS, help="max site radius, m")
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    radius = args.radius

    terrain, mesh, xyz, pole_h = load_scene()
    t0 = time.perf_counter()
    raster = build_height_raster(BOUNDS, CELL, dem=(terrain.heights, terrain.x0, terrain.y0,
                                                    terrain.dx, terrain.dy),
                                 vertices=mesh.vertices, triangles=mesh.triangles,
                                 tri_object=mesh.tri_object, crs=terrain.crs)
    t_raster = time.perf_counter() - t0
    inside = ((xyz[:, 0] > BOUNDS[0]) & (xyz[:, 0] < BOUNDS[2])
              & (xyz[:, 1] > BOUNDS[1]) & (xyz[:, 1] < BOUNDS[3]))
    idx = np.flatnonzero(inside)[spread_points(xyz[inside], N_SITES)]
    sites = sites_from_points(xyz[idx], pole_h[idx])
    params = {"raster": raster, "sites": sites, "max_radius_m": radius}

    t0 = time.perf_counter()
    trace(raster.surface, raster.x0, raster.y0, raster.cell, (BOUNDS[0], BOUNDS[1], 50.0),
          np.array([[BOUNDS[0] + 10, BOUNDS[1] + 10, 1.0]]))
    t_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = run_local(params)
    t_job = time.perf_counter() - t0
    ours = t_raster + t_job
    n_rx = int(result["mask"].sum())
    pairs_total = int(result["site_counts"]["in_radius"]["grid"].sum())

    # the reference, on a random sample of the same (site, receiver-within-radius) pairs
    rsites = resolve_sites(sites, raster)
    rows, cols = np.nonzero(result["mask"])
    xs, ys = raster.centres()
    pts = np.column_stack([xs[cols], ys[rows], raster.ground[rows, cols] + 1.5])
    rng = np.random.default_rng(0)
    pairs = []
    while len(pairs) < args.sample:
        s, i = int(rng.integers(len(rsites))), int(rng.integers(len(pts)))
        if math.hypot(pts[i, 0] - rsites[s]["x"], pts[i, 1] - rsites[s]["y"]) <= radius:
            pairs.append((s, i))
    t0 = time.perf_counter()
    ref = reference_pairs(raster, rsites, pairs, pts)
    t_sample = time.perf_counter() - t0
    t_ref = t_sample / len(pairs) * pairs_total
    assert np.isfinite(ref).all()

    print(f"scene: {raster.shape[0]} x {raster.shape[1]} cells of {CELL:g} m, {n_rx} street "
          f"receivers, {len(sites)} sites, radius {radius:g} m, {pairs_total:,} site-receiver "
          f"pairs; numba: {has_numba()}")
    print(f"ours:      {ours:7.2f} s  (height raster {t_raster:.2f} s + job {t_job:.2f} s; "
          f"numba compile/cache load {t_compile:.2f} s not included)")
    print(f"reference: {t_ref:7.1f} s  (extrapolated from {len(pairs)} pairs timed in "
          f"{t_sample:.2f} s, {1e6 * t_sample / len(pairs):.0f} us per pair)")
    print(f"speed-up:  {t_ref / ours:7.1f} x")
    st = result["stats"]["total"]
    print(f"coverage:  RSRP >= {result['meta']['rsrp_threshold_dbm']:g} dBm on "
          f"{100 * st['area_share_above_threshold']:.1f} % of the area, median SINR "
          f"{st['median_sinr_db']:.1f} dB")
    if not args.no_dask:
        from coverage_5g.distributed import run_dask

        t0 = time.perf_counter()
        remote = run_dask(params, n_workers=2)
        t_dask = time.perf_counter() - t0
        same = all(np.array_equal(result[k], remote[k], equal_nan=k != "best_server")
                   for k in ("rsrp_dbm", "sinr_db", "best_server"))
        print(f"dask:      {t_dask:7.2f} s  (LocalCluster 2 processes incl. start-up and "
              f"worker-side numba cache load; identical to single process: {same})")


if __name__ == "__main__":
    main()
