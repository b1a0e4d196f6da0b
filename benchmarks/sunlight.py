#!/usr/bin/env python3
"""Sunlight hours: the demo city's façades (10 m samples) on the Major Cold day,
08:00-16:00 true solar time at 10-minute steps (48 sun positions).

Times, in one run:

* ours — ``sunlight.sunlit_minutes`` (per step: projection onto the sun's plane, a 2D grid
  and exact point-in-triangle tests; numba kernel when installed, numba's one-off
  compilation timed separately), and the same with the numpy-only path;
* a plain reference written here: per step, all sampled rays x all triangles with a
  vectorized Möller-Trumbore in numpy. It is timed on a random sample of receivers and
  **extrapolated** to all of them; its hours are checked against ours on the sample.

    /work/main/.venv/bin/python benchmarks/sunlight.py [--sample 200] [--spacing 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

import sunlight.shadow as shadow
from sunlight import facade_points, sun_steps, sunlit_minutes

LAT, LON = 22.54, 114.06


def plain_lit(vertices, triangles, points, normals, directions, step):
    """Minutes of sun per point: every ray against every triangle, step by step."""
    a = vertices[triangles[:, 0]]
    e1 = vertices[triangles[:, 1]] - a
    e2 = vertices[triangles[:, 2]] - a
    minutes = np.zeros(len(points))
    for d in directions:
        if d[2] <= 0:
            continue
        h = np.cross(d, e2)                 # (m, 3)
        det = np.einsum("ij,ij->i", e1, h)
        ok = np.abs(det) > 1e-12
        inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
        for i, p in enumerate(points):
            if normals[i] @ d <= 1e-6:
                continue
            s = p - a
            u = np.einsum("ij,ij->i", s, h) * inv
            q = np.cross(s, e1)
            v = (q @ d) * inv
            t = np.einsum("ij,ij->i", e2, q) * inv
            hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 1e-4)
            if not hit.any():
                minutes[i] += step
    return minutes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--spacing", type=float, default=10.0)
    args = parser.parse_args()
    from cimviewer.io.demo import open_demo_project

    project = open_demo_project()
    layer = next(la for la in project.layers if la.kind == "citymodel")
    mesh = layer.model.mesh_for_lod(layer.lod)
    steps = sun_steps(date(2025, 1, 20), LAT, LON, 8, 16, 10)
    rec = facade_points(mesh.vertices, mesh.triangles, mesh.tri_object, spacing_m=args.spacing)
    n = len(rec["xyz"])
    print(f"{mesh.n_triangles} triangles, {n} façade samples, {len(steps.hours)} steps")

    t = time.perf_counter()
    sunlit_minutes(mesh.vertices, mesh.triangles, rec["xyz"][:10], rec["normal"][:10],
                   steps.directions[:1], 10)
    print(f"numba compile + warm-up: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    ours = sunlit_minutes(mesh.vertices, mesh.triangles, rec["xyz"], rec["normal"],
                          steps.directions, steps.step_minutes)
    t_ours = time.perf_counter() - t
    print(f"ours (numba):        {t_ours:8.2f} s  mean {ours.mean() / 60:.2f} h")

    kernel, shadow._kernel = shadow._kernel, None
    t = time.perf_counter()
    ours_np = sunlit_minutes(mesh.vertices, mesh.triangles, rec["xyz"], rec["normal"],
                             steps.directions, steps.step_minutes)
    t_np = time.perf_counter() - t
    shadow._kernel = kernel
    print(f"ours (numpy only):   {t_np:8.2f} s  identical: {bool((ours_np == ours).all())}")

    pick = np.random.default_rng(1).choice(n, min(args.sample, n), replace=False)
    t = time.perf_counter()
    plain = plain_lit(mesh.vertices, np.asarray(mesh.triangles), rec["xyz"][pick],
                      rec["normal"][pick], steps.directions, steps.step_minutes)
    t_plain = (time.perf_counter() - t) * n / len(pick)
    agree = np.abs(plain - ours[pick]) <= steps.step_minutes + 1e-9
    print(f"plain rays x triangles, {len(pick)} samples extrapolated: {t_plain:8.1f} s")
    print(f"agreement on the sample (within one step): {agree.mean():.1%}, "
          f"exact: {(plain == ours[pick]).mean():.1%}")
    print(f"speed-up: numba {t_plain / t_ours:.0f}x, numpy {t_plain / t_np:.0f}x")


if __name__ == "__main__":
    main()
