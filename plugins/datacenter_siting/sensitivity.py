"""How stable is each site's rank when the weights change?

* **One at a time (OAT)**: each weight in turn is scaled by ``1 + d`` for d in ``steps``
  (e.g. -50 % ... +50 %), the others rescaled so the weights still sum to 1;
* **Monte Carlo**: every weight multiplied by ``1 + U(-spread, spread)`` and renormalised,
  ``runs`` times (seeded);
* **rank reversal**: each site removed in turn (or one added) and the others re-ranked:
  a pair of sites whose order flips is a rank reversal (WLC with min-max scaling and
  TOPSIS both can show it, because the scale depends on the set of sites).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacenter_siting.criteria import Criterion
from datacenter_siting.decision import decide, scores_for_weight_sets
from datacenter_siting.ranking import ranks

DEFAULT_STEPS = (-0.5, -0.4, -0.3, -0.2, -0.1, 0.1, 0.2, 0.3, 0.4, 0.5)


@dataclass
class Stability:
    """Per feasible site (in site order): statistics of its rank over the weight sets."""

    base_rank: np.ndarray
    same_rank_share: np.ndarray  # share of weight sets giving the base rank
    top_share: np.ndarray        # share of weight sets ranking it first
    rank_min: np.ndarray
    rank_max: np.ndarray
    rank_mean: np.ndarray


def oat_weight_sets(weights: np.ndarray, steps: tuple[float, ...] = DEFAULT_STEPS
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sets, criterion index, step) for every criterion and step."""
    w = np.asarray(weights, float)
    n = len(w)
    crit = np.repeat(np.arange(n), len(steps))
    step = np.tile(np.asarray(steps, float), n)
    sets = np.tile(w, (len(crit), 1))
    new = np.clip(w[crit] * (1.0 + step), 0.0, 1.0)
    rest = 1.0 - w[crit]
    scale = np.where(rest > 0, (1.0 - new) / np.where(rest > 0, rest, 1.0), 0.0)
    sets *= scale[:, None]
    sets[np.arange(len(crit)), crit] = new
    return sets / sets.sum(axis=1, keepdims=True), crit, step


def monte_carlo_weight_sets(weights: np.ndarray, runs: int = 1000, spread: float = 0.3,
                            seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = np.asarray(weights, float)
    sets = w[None, :] * (1.0 + rng.uniform(-spread, spread, (runs, len(w))))
    return sets / sets.sum(axis=1, keepdims=True)


def stability(values: np.ndarray, criteria: list[Criterion], weights: np.ndarray,
              weight_sets: np.ndarray, method: str, feasible: np.ndarray) -> Stability:
    """Rank statistics of the feasible sites over ``weight_sets`` (vectorised)."""
    ok = np.asarray(feasible, bool)
    base = decide(values, criteria, weights, method, ok).ranks[ok]
    r = ranks(scores_for_weight_sets(values, criteria, weight_sets, method, ok))
    return Stability(base, (r == base[:, None]).mean(axis=1), (r == 1).mean(axis=1),
                     r.min(axis=1), r.max(axis=1), r.mean(axis=1))


def rank_reversals(values: np.ndarray, criteria: list[Criterion], weights: np.ndarray,
                   method: str, feasible: np.ndarray) -> list[tuple[int, int, int]]:
    """Remove each feasible site in turn; ``(removed, a, b)`` for each pair a, b (site
    indices, a ranked above b before) whose order flips without the removed site."""
    ok = np.flatnonzero(np.asarray(feasible, bool))
    x = np.asarray(values, float)
    full = decide(x, criteria, weights, method, feasible).scores
    out: list[tuple[int, int, int]] = []
    for k in ok:
        keep = ok[ok != k]
        if len(keep) < 2:
            continue
        sub = decide(x[keep], criteria, weights, method).scores
        before = np.sign(full[keep][:, None] - full[keep][None, :])
        after = np.sign(sub[:, None] - sub[None, :])
        flips = np.argwhere((before > 0) & (after < 0))
        out += [(int(k), int(keep[a]), int(keep[b])) for a, b in flips]
    return out


def added_site_reversals(values: np.ndarray, extra: np.ndarray, criteria: list[Criterion],
                         weights: np.ndarray, method: str) -> list[tuple[int, int]]:
    """Add a site with raw values ``extra``: pairs (a, b) of the existing sites whose
    order flips (a was above b)."""
    x = np.asarray(values, float)
    before = decide(x, criteria, weights, method).scores
    after = decide(np.vstack([x, np.asarray(extra, float)[None, :]]), criteria, weights,
                   method).scores[: len(x)]
    flips = np.argwhere((np.sign(before[:, None] - before[None, :]) > 0)
                        & (np.sign(after[:, None] - after[None, :]) < 0))
    return [(int(a), int(b)) for a, b in flips]
