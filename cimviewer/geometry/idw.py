"""Inverse-distance-weighted interpolation (vectorized numpy, chunked to bound memory)."""

from __future__ import annotations

import numpy as np

CHUNK_ELEMENTS = 4_000_000  # targets x samples per chunk (~32 MB of float64)


def idw(sample_xy: np.ndarray, sample_values: np.ndarray, target_xy: np.ndarray,
        power: float = 2.0) -> np.ndarray:
    """Values at ``target_xy`` (m, 2) from samples (n, 2) weighted by 1 / distance**power.

    Samples with NaN values are ignored; a target on a sample takes its value; with no
    valid sample the result is NaN.
    """
    sample_xy = np.asarray(sample_xy, np.float64).reshape(-1, 2)
    values = np.asarray(sample_values, np.float64).ravel()
    ok = np.isfinite(values) & np.isfinite(sample_xy).all(axis=1)
    sample_xy, values = sample_xy[ok], values[ok]
    target_xy = np.asarray(target_xy, np.float64).reshape(-1, 2)
    out = np.full(len(target_xy), np.nan)
    if not len(values):
        return out
    step = max(1, CHUNK_ELEMENTS // len(values))
    half_power = power / 2.0
    for start in range(0, len(target_xy), step):  # chunks, not points
        t = target_xy[start:start + step]
        d2 = ((t[:, None, :] - sample_xy[None, :, :]) ** 2).sum(axis=2)
        exact = d2 < 1e-12
        with np.errstate(divide="ignore"):
            w = 1.0 / np.power(d2, half_power)
        w[exact] = 0.0
        result = (w @ values) / w.sum(axis=1)
        hit = exact.any(axis=1)
        if hit.any():
            result[hit] = values[exact[hit].argmax(axis=1)]
        out[start:start + step] = result
    return out
