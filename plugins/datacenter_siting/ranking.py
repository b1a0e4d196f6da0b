"""Ranks from scores: 1 is best; ties share the best rank; excluded sites get none."""

from __future__ import annotations

import numpy as np


def ranks(scores: np.ndarray, feasible: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) by descending score along axis 0; 0 for infeasible.

    ``scores`` may be (sites,) or (sites, sets); ranks are computed per column."""
    s = np.asarray(scores, float)
    flat = s.ndim == 1
    s2 = s[:, None] if flat else s
    ok = np.ones(s2.shape[0], bool) if feasible is None else np.asarray(feasible, bool)
    masked = np.where(ok[:, None] & np.isfinite(s2), s2, -np.inf)
    # rank = 1 + number of feasible sites with a strictly higher score (vectorised sort)
    order = np.sort(masked, axis=0)[::-1]  # descending per column
    higher = np.empty(s2.shape, int)
    for col in range(s2.shape[1]):  # columns are weight sets, never cells
        higher[:, col] = np.searchsorted(-order[:, col], -masked[:, col], side="left")
    out = np.where(ok[:, None] & np.isfinite(s2), higher + 1, 0)
    return out[:, 0] if flat else out
