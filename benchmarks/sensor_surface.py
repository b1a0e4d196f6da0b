#!/usr/bin/env python3
"""The interpolated sensor surface: nearest-sensor IDW (k-d tree, kept plan) against
all-pairs IDW, for N sensors on the largest surface grid the app makes (160 x 160).

    .venv/bin/python benchmarks/sensor_surface.py [--sensors 5000]
Goal: an update (new values, same sensors) well under a frame (< 20 ms).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cimviewer.geometry.idw import IdwInterpolator
from cimviewer.geometry.placement import SURFACE_MAX_CELLS


def all_pairs_idw(xy: np.ndarray, values: np.ndarray, targets: np.ndarray,
                  power: float = 2.0, chunk: int = 2000) -> np.ndarray:
    """The textbook form: every sensor weighs on every pixel (what the app did before)."""
    out = np.empty(len(targets))
    for start in range(0, len(targets), chunk):
        d2 = ((targets[start:start + chunk, None, :] - xy[None]) ** 2).sum(axis=2)
        w = 1.0 / np.maximum(d2, 1e-12) ** (power / 2)
        out[start:start + chunk] = (w @ values) / w.sum(axis=1)
    return out


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensors", type=int, default=5000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    side = int(np.sqrt(SURFACE_MAX_CELLS))
    g = (np.arange(side) + 0.5) * (1500 / side)
    targets = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])
    xy = rng.uniform(0, 1500, (args.sensors, 2))
    values = rng.uniform(0, 150, args.sensors)
    interpolate = IdwInterpolator(targets)
    plan = best_of(lambda: IdwInterpolator(targets)(xy, values), 3)
    interpolate(xy, values)
    update = best_of(lambda: interpolate(xy, rng.uniform(0, 150, args.sensors)))
    reference = best_of(lambda: all_pairs_idw(xy, values, targets), 1)
    print(f"{args.sensors} sensors, {len(targets):,} surface pixels")
    print(f"all-pairs IDW (every update):         {reference * 1000:9.1f} ms")
    print(f"nearest-12 IDW, first (k-d tree plan): {plan * 1000:8.1f} ms "
          f"({reference / plan:.0f}x faster)")
    print(f"nearest-12 IDW, new values (kept plan): {update * 1000:7.1f} ms "
          f"({reference / update:.0f}x faster)")
    print("GOAL MET" if update < 0.02 else "goal NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
