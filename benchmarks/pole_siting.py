#!/usr/bin/env python3
"""Smart pole siting: LSCP and MCLP to proven optimality with HiGHS, against spopt.

The instance comes from the demo city: the ~20 km of road centrelines nearest the
district centre, 5,000 candidate poles evenly along them (alternating sides, 8 m off the
centreline) and 20,000 demand points scattered beside the roads (weights
1-50), 5-35 m off. Coverage radius 40 m (a camera, Wi-Fi or sensor reach).

Times, in one run, on the same 0/1 coverage matrices:

* ours — ``pole_siting.covering.radius_matrix`` + ``solve_lscp`` / ``solve_mclp``
  (HiGHS through highspy, sparse, after removing identical and dominated demand rows),
  time to the proven optimum;
* spopt (``LSCP`` / ``MCLP.from_cost_matrix`` solved with CBC through PuLP, its usual
  setup): spopt takes a dense cost matrix and builds one PuLP term per (demand,
  candidate) pair, zeros included: 100M terms at full size, far beyond this machine's
  memory. So spopt runs on a random sub-instance of the same instance (``--spopt-share``
  of the candidates and demand, default 1/4: 1,250 x 5,000 pairs), and ours runs on that
  same sub-matrix too; the ratio is measured there. ``--spopt-full`` tries spopt at full
  size (needs tens of GB).

Both solvers' objectives are checked to be equal on the shared matrices.

    python benchmarks/pole_siting.py [--spopt-share 0.25] [--spopt-full] [--p 60]
Goal: optimal < 30 s at full size on a 2-core machine, >= 10x faster than spopt.

Measured now (2 shared cores, load average 1.8-4.8 from other sessions, HiGHS 1.16,
spopt 0.7 + CBC, ``--no-los``, ``--time-limit 30`` per model), eight runs:

* quarter matrix (4,935 x 1,250, p=50), ours LSCP 0.07-0.13 s + MCLP 1.8-3.0 s, both
  proven optimal; spopt 30.3-45.3 s + 33.2-50.9 s, same objectives (385 poles, weight
  48,050): **23.8x to 43.2x** (23.8, 24.2, 29.2, 34.7, 35.9, 39.5, 41.6, 43.2; before:
  9.3-10.7x). The MCLP path now: greedy + swaps (47,313), the LP by interior point (0.3
  s, bound 48,092), the LP's plan rounded and swapped (48,043), Lagrangian reduced-cost
  fixing with the LP's row prices (``mclp_fixing``: 817 of 1,131 columns fixed to 0,
  leaving 1,072 x 314), then HiGHS on the fixed model from that plan (1.6-1.8 s; 6.5 s
  without the start, 2.5 s without presolve; ``mip_heuristic_effort`` 0 or 0.2 the
  same). When the plan meets the bound, no branch and bound runs at all.
* full size, LSCP: **420 poles against a bound of 415, gap 1.2 %, not proven** (two
  runs; before: 424 vs 415, gap 2.1 %). The block is large, so under the time limit the
  LP (2.5-3.8 s) comes first and HiGHS solves the block restricted to the columns with
  LP value above 0.5, 0.3, 0.2, 0.1 (552-807 columns, 0.0-0.6 s each: 452, 435, 430, 426
  poles); HiGHS on the whole block then starts from 426 instead of the greedy's 476.
  Going on to 0.05 and 0.02 (5 s each, 422) leaves HiGHS too little time: 422 vs 414.
  MCLP p=200: **438,501 = 85.94 % against a proven bound of 442,453 = 86.71 %, gap 0.89
  %, not proven** (before: 84.46 % vs 86.71 %, gap 2.6 %). The plan: the LP's rounded
  plan after swaps (437,743), then, since HiGHS cannot even finish the root LP of so
  large a model in the time, models restricted to the columns with LP value above 0.3,
  0.2, 0.15, ... (239, 307, 364 columns: 0.2-3 s each, each from the best plan) until
  one is not solved in its time (438,501 in ~4 s).
* where the proof stops (same instance recipe, 30 s limit, load 1.5-3.5): 10 km (2,500 x
  10,000, p=100): LSCP 260 proven in 0.6 s, MCLP 192,102 proven in 1.8 s (the fixing
  takes 2,249 columns out and 30 in, leaving 655 x 168). 15 km (3,750 x 15,000, p=150):
  LSCP 380 proven in 5.6 s; MCLP 286,892 against 287,385, gap 0.17 %, not proven
  (284,933 and gap 0.85 % without the restricted models).

Proven optimality at full size in 30 s is out of reach with what was tried; evidence:

* the LP bounds are the limit, not the plans. LSCP: root LP 407.94 (1,107 fractional
  columns); LP reduced costs all lie in [0, 1] (unit costs), so LP reduced-cost fixing
  (``lscp_fixing``) needs the incumbent within 2 of the bound and fixes **0 of 2,939**
  columns against 420 or 424 (or 418; the benchmark prints this check); HiGHS restricted
  to the LP's 1,187 support columns (reduced to 2,086 x 989) still ends at 422 vs 417
  after 60 s. MCLP: Lagrangian fixing at the LP prices fixes 0 of 4,871 columns with the
  gap of 4,710; it would need an incumbent within ~300 of the bound (36 columns at 300,
  1,128 at 100). HiGHS on the LP's 1,125 support columns (6,028 x 1,125) started from
  437,743 found nothing better in 300 s and lowered the bound only to 442,343, so the
  true gap is near 1 %.
* OR-Tools CP-SAT 9.15 on the reduced full LSCP, 2 workers, 30 s, greedy hint: 432 vs a
  bound of 55 (default), 430 vs 55 (``linearization_level=2``), 428 vs 408 (``max_lp`` +
  ``core`` subsolvers): worse than HiGHS on both sides. On the quarter MCLP after fixing
  (1,072 x 314) it ends at 47,450 vs 65,204 after 30 s where HiGHS proves 48,050 in
  under 2 s. So ortools is not a dependency.
* HiGHS's dual simplex root LP of the full MCLP (from the plan, no presolve) had not
  finished after several minutes.

Before (session 5; load average 4.0-5.8, same setup), full size (20.2 km,
5,000 x 20,000, 480,836 pairs): not proven within 30 s; the models are one connected
block and their LP bounds are weak:

* LSCP: the fixpoint reduction (essential columns forced, dominated rows and columns
  dropped, repeated) leaves 4,731 x 2,939 plus 55 forced poles (before: 5,273 x 3,658);
  the component split finds a single block (28 components, one with 5,238 of the 5,273
  rows), so it does not help here. At 30 s: **424 poles against a bound of 415, gap
  2.1 %** (before: 428 vs 414, 3.3 %, same load). Without a limit: 418 vs 415 (gap 0.7 %)
  after 1,200 s, still unproven; the root LP is 408 (1,100 fractional columns). HiGHS
  options tried at 30 s: default 424/415, ``mip_heuristic_effort=0.3`` 426/415,
  ``presolve=off`` 431/415.
* MCLP p=200 (17,329 x 4,871 after merging rows and dropping dominated columns; only 3
  rows have a single candidate): **84.46 % of the weight against a proven bound of
  86.71 %, gap 2.6 %** at 30 s. The plan was the greedy (82.9 %) improved by one-for-one
  swaps (2 s); the bound comes from the LP's row prices (``mclp_dual_bound``: interior
  point without crossover, 6-14 s; HiGHS's dual simplex root LP takes over 60 s,
  ``mip_lp_solver=ipm`` ignored the time limit, ``hipo`` over 60 s), with a Lagrangian
  subgradient bound (87.1-88.2 % in 2-5 s) as the fallback when the LP does not finish
  under load.

On the shared quarter matrix then, three runs at load 2.6-4.5: ours LSCP 0.08-0.12 s +
MCLP 7.9-8.5 s (HiGHS's root cuts and sub-MIP heuristics on the unfixed model), spopt
35.6-41.4 s + 39.5-45.1 s: 9.3-10.7x.

Line of sight (``--los-only``; load average 5-7 on the 2 cores, three runs): the demo
city's buildings on a 1 m raster of 2,465 x 2,459 cells (1.1-2.8 s); r = 40 m: 480,836
pairs, pair search 0.2-0.35 s + LOS 0.32-0.34 s (numba) = **0.55-0.68 s**; numpy
backend 3.0-3.7 s with the same answers; coverage_5g's per-site ray march
(``los.trace``, one call per candidate) 4.8-16 s: **14-50x** (it is a Python loop of
5,000 calls, so it suffers most from the shared cores). r = 120 m (the 5G radius):
2,927,672 pairs, 0.5-1.0 s + 2.6-3.0 s = **3.5-3.6 s** (4.8 s before the pairs were
run pole by pole). The
march agrees on 92.2 % of the pairs: 16.6 % of these random demand points lie inside a
building (here on its facade, there blocked) and 14.5 % of the candidates 8 m off the
centreline stand in a building cell; on pairs with both ends in the street the two agree
on 99.8 %, the rest being corners of cells the march steps over.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

from pole_siting import covering  # noqa: E402

RADIUS = 40.0


def instance(km: float = 20.0, n_cand: int = 5000, n_demand: int = 20000,
             seed: int = 20241118, max_off: float = 35.0) -> dict:
    import shapely

    from cimviewer.api import open_layer

    roads = open_layer(ROOT / "resources" / "demo" / "roads.gpkg").data
    counts = np.diff(roads.vertex_offsets)
    lines = shapely.linestrings(roads.vertices[:, :2],
                                indices=np.repeat(np.arange(len(counts)), counts))
    centre = np.array([499100.0, 2493100.0])
    mid = shapely.get_coordinates(shapely.centroid(lines))
    order = np.argsort(np.hypot(*(mid - centre).T))
    length = shapely.length(lines)[order]
    take = order[: int(np.searchsorted(np.cumsum(length), km * 1000)) + 1]
    lines = lines[take]
    length = shapely.length(lines)
    total = float(length.sum())
    rng = np.random.default_rng(seed)

    def along(n: int, dist: np.ndarray, offset: np.ndarray) -> np.ndarray:
        cum = np.concatenate([[0], np.cumsum(length)])
        which = np.searchsorted(cum, dist, side="right") - 1
        which = np.clip(which, 0, len(lines) - 1)
        d = dist - cum[which]
        a = shapely.get_coordinates(shapely.line_interpolate_point(lines[which], d - 0.5))
        b = shapely.get_coordinates(shapely.line_interpolate_point(lines[which], d + 0.5))
        c = shapely.get_coordinates(shapely.line_interpolate_point(lines[which], d))
        t = b - a
        t /= np.maximum(np.hypot(t[:, 0], t[:, 1]), 1e-9)[:, None]
        return c + np.column_stack([-t[:, 1], t[:, 0]]) * offset[:, None]

    cd = (np.arange(n_cand) + 0.5) * total / n_cand
    cand = along(n_cand, cd, np.where(np.arange(n_cand) % 2 == 0, 8.0, -8.0))
    dd = rng.uniform(0, total, n_demand)
    off = rng.uniform(5, max_off, n_demand) * rng.choice([-1.0, 1.0], n_demand)
    demand = along(n_demand, dd, off)
    weights = rng.integers(1, 51, n_demand).astype(float)
    return {"candidates": cand, "demand": demand, "weights": weights, "km": total / 1000}


def ours(A, weights, p, limit=None):
    t0 = time.perf_counter()
    lscp = covering.solve_lscp(A, time_limit=limit)
    t1 = time.perf_counter()
    mclp = covering.solve_mclp(A, weights, p=p, time_limit=limit)
    t2 = time.perf_counter()
    return lscp, mclp, t1 - t0, t2 - t1


def lscp_fixing_evidence(A, incumbent: float) -> None:
    """Why LP reduced-cost fixing does not shrink the full-size LSCP (not timed): with
    unit costs every reduced cost is at most 1, far below the gap to the incumbent."""
    m, n = A.shape
    R, _cols, need, forced = covering.reduce_lscp(A, np.ones(n), np.ones(m, np.int64))
    k = R.shape[1]
    t = time.perf_counter()
    lp = covering.solve_mip(np.ones(k), R, need.astype(float), np.full(R.shape[0], np.inf),
                            np.zeros(k), np.ones(k), np.zeros(k, bool))
    if lp["row_dual"] is None:
        print("LSCP LP reduced-cost fixing: no LP duals")
        return
    fix0, fix1, bound = covering.lscp_fixing(R, np.ones(k), need, lp["row_dual"],
                                             incumbent - len(forced))
    d = 1.0 - np.asarray(sparse_csc(R).T @ np.maximum(lp["row_dual"], 0)).ravel()
    print(f"LSCP LP reduced-cost fixing (evidence, not timed): LP bound "
          f"{bound + len(forced):.2f} ({time.perf_counter() - t:.1f} s), reduced costs in "
          f"[{d.min():.2f}, {d.max():.2f}], gap to {incumbent:g} poles "
          f"{incumbent - bound - len(forced):.2f}: {int(fix0.sum())} of {k} columns fixed "
          f"to 0, {int(fix1.sum())} to 1")


def sparse_csc(A):
    from scipy import sparse

    return sparse.csc_matrix(A, dtype=np.float64)


def spopt_run(A, weights, p):
    import pulp
    from spopt.locate import LSCP, MCLP

    cost = np.where(A.toarray() > 0, 0.0, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        lscp = LSCP.from_cost_matrix(cost, 1.0).solve(pulp.PULP_CBC_CMD(msg=False))
        t1 = time.perf_counter()
        mclp = MCLP.from_cost_matrix(cost, weights, 1.0, p_facilities=p).solve(
            pulp.PULP_CBC_CMD(msg=False))
        t2 = time.perf_counter()
    return (float(pulp.value(lscp.problem.objective)), float(pulp.value(mclp.problem.objective)),
            t1 - t0, t2 - t1)


def los_step(inst: dict, radii: tuple[float, ...] = (40.0, 120.0),
             baseline: bool = True) -> None:
    """Line of sight past the demo city's buildings for every (candidate, demand) pair
    within each radius: pole_siting.sightlines (exact grid traversal, numba over all
    pairs) against the 5G coverage plugin's ray march (coverage_5g.los.trace, one call
    per candidate over its receivers) on the same raster and pairs."""
    from pole_siting.sightlines import Sight, blocked, grid_from_mesh

    from cimviewer.api import open_layer

    t = time.perf_counter()
    layer = open_layer(ROOT / "resources" / "demo" / "buildings.city.json")
    mesh = layer.model.mesh_for_lod(layer.lod)
    t_read = time.perf_counter() - t
    cand, demand = inst["candidates"], inst["demand"]
    both = np.vstack([cand, demand])
    margin = max(radii) + 10
    t = time.perf_counter()
    grid = grid_from_mesh(mesh.vertices, mesh.triangles, mesh.tri_object,
                          (both[:, 0].min() - margin, both[:, 1].min() - margin,
                           both[:, 0].max() + margin, both[:, 1].max() + margin), 1.0)
    t_grid = time.perf_counter() - t
    print(f"LOS raster: {grid.height.shape[1]} x {grid.height.shape[0]} cells of "
          f"{grid.cell:g} m, {int((grid.owner >= 0).sum())} building cells "
          f"({t_grid:.2f} s; city model read {t_read:.1f} s)")
    sight = Sight(grid, {})
    tx_h = np.full(len(cand), 10.0)
    # compile (or load the cached kernel) once, outside the timings
    blocked(grid, np.zeros((1, 3)), np.ones((1, 3)))
    for radius in radii:
        t = time.perf_counter()
        i, j, _d = covering.pair_distances(cand, demand, radius)
        t_pairs = time.perf_counter() - t
        t = time.perf_counter()
        vis = sight.visible(None, cand, tx_h, demand, 1.5, i, j)
        t_los = time.perf_counter() - t
        print(f"LOS r={radius:g} m: {len(i):,} pairs, {vis.mean():.1%} visible; "
              f"pairs {t_pairs:.2f} s + LOS {t_los:.2f} s (numba) = {t_pairs + t_los:.2f} s  "
              f"[goal a few seconds: {'met' if t_pairs + t_los < 5 else 'NOT met'}]")
        if radius == radii[0]:
            t = time.perf_counter()
            vis_np = Sight(grid, {}, backend="numpy").visible(None, cand, tx_h, demand, 1.5,
                                                              i, j)
            t_np = time.perf_counter() - t
            print(f"LOS r={radius:g} m numpy backend: {t_np:.2f} s "
                  f"(same answers: {bool((vis_np == vis).all())})")
        if baseline and radius == radii[0]:
            from coverage_5g.los import trace

            order = np.argsort(j, kind="stable")
            starts = np.searchsorted(j[order], np.arange(len(cand) + 1))
            rx = np.column_stack([demand, np.full(len(demand), 1.5)])
            base = np.zeros(len(i), bool)
            trace(grid.height, grid.x0, grid.y0, grid.cell, (*cand[0], 10.0), rx[:1])
            t = time.perf_counter()
            for c in range(len(cand)):
                sel = order[starts[c]:starts[c + 1]]
                if len(sel):
                    hit, _nu = trace(grid.height, grid.x0, grid.y0, grid.cell,
                                     (cand[c, 0], cand[c, 1], 10.0), rx[i[sel]])
                    base[sel] = ~hit
            t_base = time.perf_counter() - t
            print(f"baseline coverage_5g.los.trace per candidate (sampled every cell): "
                  f"{t_base:.2f} s; agrees on {(base == vis).mean():.2%} of pairs; "
                  f"ratio baseline / ours = {t_base / max(t_los, 1e-9):.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spopt-share", type=float, default=0.25)
    parser.add_argument("--spopt-full", action="store_true")
    parser.add_argument("--p", type=int, default=200, help="MCLP: number of poles")
    parser.add_argument("--time-limit", type=float, default=30,
                        help="HiGHS time limit per model at full size (s)")
    parser.add_argument("--los-only", action="store_true",
                        help="only the line-of-sight step (no solvers, no spopt)")
    parser.add_argument("--no-los", action="store_true", help="skip the line-of-sight step")
    parser.add_argument("--small", action="store_true",
                        help="a quarter-size instance (5 km, 1,250 x 5,000)")
    args = parser.parse_args()
    t = time.perf_counter()
    inst = (instance(5.0, 1250, 5000) if args.small else instance())
    print(f"instance: {inst['km']:.1f} km of roads, {len(inst['candidates'])} candidates, "
          f"{len(inst['demand'])} demand points, radius {RADIUS:g} m "
          f"({time.perf_counter() - t:.1f} s to build)")
    if not args.no_los:
        los_step(inst)
    if args.los_only:
        return 0
    t = time.perf_counter()
    A_full = covering.radius_matrix(inst["candidates"], inst["demand"], RADIUS)
    t_matrix = time.perf_counter() - t
    reach = np.diff(A_full.indptr) > 0
    A = A_full[reach]
    w = inst["weights"][reach]
    print(f"coverage matrix: {A.shape[0]} x {A.shape[1]}, {A.nnz} pairs "
          f"({t_matrix:.2f} s; {int((~reach).sum())} demand points beyond every candidate "
          "dropped)")
    print(f"load average before the solves: {Path('/proc/loadavg').read_text().split()[0]}"
          if Path("/proc/loadavg").exists() else "")
    lscp, mclp, tl, tm = ours(A, w, args.p, args.time_limit)
    print(f"ours  full  LSCP: {lscp.objective:g} poles (bound {lscp.bound:g}, "
          f"gap {lscp.gap:.2%}), optimal={lscp.optimal}, {tl:.2f} s "
          f"(model {lscp.model_size})")
    print(f"ours  full  MCLP p={args.p}: weight {mclp.objective:g} "
          f"({mclp.covered_share:.2%}, bound {mclp.bound:g} = "
          f"{mclp.bound / max(float(w.sum()), 1e-9):.2%}, gap {mclp.gap:.2%}), "
          f"optimal={mclp.optimal}, "
          f"{tm:.2f} s "
          f"(model {mclp.model_size})")
    lscp_fixing_evidence(A, lscp.objective)
    full_total = t_matrix + tl + tm
    met = full_total < 30 and lscp.optimal and mclp.optimal
    print(f"ours  full  total (matrix + both solves): {full_total:.2f} s  "
          f"[goal < 30 s: {'met' if met else 'NOT met'}]")

    if args.spopt_full:
        share = 1.0
        sub, sw = A, w
    else:
        share = args.spopt_share
        rng = np.random.default_rng(7)
        cols = np.sort(rng.choice(A.shape[1], int(A.shape[1] * share), replace=False))
        rows = np.sort(rng.choice(A.shape[0], int(A.shape[0] * share), replace=False))
        sub = A[rows][:, cols]
        keep = np.diff(sub.indptr) > 0
        sub, sw = sub[keep], w[rows][keep]
    p_sub = max(1, round(args.p * share))
    print(f"shared matrix for the comparison: {sub.shape[0]} x {sub.shape[1]}, {sub.nnz} "
          f"pairs, MCLP p={p_sub}")
    l2, m2, tl2, tm2 = ours(sub, sw, p_sub)
    print(f"ours  LSCP {l2.objective:g} ({tl2:.2f} s, optimal={l2.optimal}); "
          f"MCLP {m2.objective:g} ({tm2:.2f} s, optimal={m2.optimal})")
    s_l, s_m, stl, stm = spopt_run(sub, sw, p_sub)
    print(f"spopt LSCP {s_l:g} ({stl:.2f} s); MCLP {s_m:g} ({stm:.2f} s)")
    same = abs(s_l - l2.objective) < 1e-6 and abs(s_m - m2.objective) <= 1e-6 * max(1, s_m)
    print(f"same optimal objectives: {same}")
    ratio = (stl + stm) / max(tl2 + tm2, 1e-9)
    print(f"speed-up on the shared matrix: spopt {stl + stm:.2f} s / ours {tl2 + tm2:.2f} s "
          f"= {ratio:.1f}x  [goal >= 10x: {'met' if ratio >= 10 else 'NOT met'}]")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
