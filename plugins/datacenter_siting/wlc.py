"""Weighted linear combination: score = sum_j w_j s_ij over standardised values s."""

from __future__ import annotations

import numpy as np


def wlc_scores(standardised: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, contributions)``: contributions[i, j] = w_j s_ij, scores their row sums.

    ``standardised`` is (sites, criteria) in [0, 1]; ``weights`` sum to 1."""
    s = np.asarray(standardised, float)
    contributions = s * np.asarray(weights, float)[None, :]
    return contributions.sum(axis=1), contributions


def wlc_many(standardised: np.ndarray, weight_sets: np.ndarray) -> np.ndarray:
    """Scores for many weight vectors at once: (sites, sets) = S @ W.T."""
    return np.asarray(standardised, float) @ np.asarray(weight_sets, float).T
