"""TOPSIS (Hwang & Yoon 1981): closeness to the ideal solution.

Classic form: vector normalisation of each raw column (``r = x / ||x||``), weighting,
the ideal (best value of each column: max for a benefit, min for a cost) and the
anti-ideal, Euclidean distances ``D+`` and ``D-``, closeness ``C = D- / (D+ + D-)``.
"""

from __future__ import annotations

import numpy as np


def topsis_scores(values: np.ndarray, weights: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Closeness in [0, 1] (1: the ideal itself) for each row of ``values`` (sites x
    criteria). ``benefit`` is a bool per criterion. Weights may be (criteria,) or
    (sets, criteria): then the result is (sites, sets)."""
    x = np.asarray(values, float)
    w = np.asarray(weights, float)
    norm = np.sqrt((x * x).sum(axis=0))
    norm[norm == 0] = 1.0
    r = x / norm
    ben = np.asarray(benefit, bool)
    best = np.where(ben, r.max(axis=0), r.min(axis=0))
    worst = np.where(ben, r.min(axis=0), r.max(axis=0))
    if w.ndim == 1:
        d_plus = np.sqrt((((r - best) * w) ** 2).sum(axis=1))
        d_minus = np.sqrt((((r - worst) * w) ** 2).sum(axis=1))
    else:  # many weight sets at once: (sites, sets)
        d_plus = np.sqrt(((r - best) ** 2) @ (w.T ** 2))
        d_minus = np.sqrt(((r - worst) ** 2) @ (w.T ** 2))
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 1.0)
