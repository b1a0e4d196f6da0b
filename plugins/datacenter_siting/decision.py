"""One scoring of sites: hard constraints first, then WLC or TOPSIS on the feasible
sites only. Excluded sites get no score (NaN) and no rank (0)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacenter_siting.criteria import Criterion, standardise_all
from datacenter_siting.ranking import ranks
from datacenter_siting.topsis import topsis_scores
from datacenter_siting.wlc import wlc_many, wlc_scores

METHODS = ("wlc", "topsis")


@dataclass
class Decision:
    scores: np.ndarray          # (sites,), NaN where excluded
    ranks: np.ndarray           # (sites,), 1 best, 0 excluded
    contributions: np.ndarray   # (sites, criteria): w_j * standardised value
    standardised: np.ndarray    # (sites, criteria) in [0, 1]


def decide(values: np.ndarray, criteria: list[Criterion], weights: np.ndarray,
           method: str = "wlc", feasible: np.ndarray | None = None) -> Decision:
    """Score and rank. ``values`` (sites x criteria, raw), ``weights`` summing to 1.

    Scales (min / max, TOPSIS norms and ideals) come from the feasible sites only, so an
    excluded site never changes the others' scores."""
    x = np.asarray(values, float)
    ok = np.ones(len(x), bool) if feasible is None else np.asarray(feasible, bool).copy()
    ok &= np.isfinite(x).all(axis=1)
    s = standardise_all(x, criteria, ok)
    s[~ok] = np.nan  # excluded sites are not on the scale
    scores = np.full(len(x), np.nan)
    contributions = np.full(x.shape, np.nan)
    if ok.any():
        wlc, contrib = wlc_scores(s[ok], weights)
        contributions[ok] = contrib
        if method == "wlc":
            scores[ok] = wlc
        elif method == "topsis":
            benefit = np.array([c.direction == "benefit" for c in criteria])
            scores[ok] = topsis_scores(x[ok], weights, benefit)
        else:
            raise ValueError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    return Decision(scores, ranks(scores, ok), contributions, s)


def scores_for_weight_sets(values: np.ndarray, criteria: list[Criterion],
                           weight_sets: np.ndarray, method: str,
                           feasible: np.ndarray) -> np.ndarray:
    """Scores (feasible sites, sets) for many weight vectors at once (vectorised)."""
    x = np.asarray(values, float)[feasible]
    if method == "wlc":
        return wlc_many(standardise_all(x, criteria), weight_sets)
    benefit = np.array([c.direction == "benefit" for c in criteria])
    return topsis_scores(x, weight_sets, benefit)
