"""p-median and set covering (HiGHS) against brute-force enumeration on small instances."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from datacenter_siting.edge import EdgeError, p_median, set_cover


def brute_p_median(lat, w, p, cap=None):
    best = np.inf
    for combo in combinations(range(lat.shape[0]), p):
        sub = lat[list(combo)]
        if cap is not None:
            sub = np.where(sub <= cap, sub, np.inf)
        best = min(best, float((w * sub.min(axis=0)).sum()))
    return best


def brute_cover(lat, cap):
    for k in range(1, lat.shape[0] + 1):
        for combo in combinations(range(lat.shape[0]), k):
            if (lat[list(combo)] <= cap).any(axis=0).all():
                return k
    return None


@pytest.mark.parametrize("seed", range(6))
def test_p_median_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_c, n_d = rng.integers(4, 8), rng.integers(5, 12)
    cand, dem = rng.uniform(0, 100, (n_c, 2)), rng.uniform(0, 100, (n_d, 2))
    lat = np.hypot(*(cand[:, None] - dem[None]).transpose(2, 0, 1)) * 0.01 + 0.2
    w = rng.integers(1, 10, n_d).astype(float)
    for p in (1, 2, 3):
        plan = p_median(lat, w, p)
        assert len(plan.selected) == p and plan.optimal
        expected = brute_p_median(lat, w, p)
        assert plan.objective == pytest.approx(expected, rel=1e-7)
        # the plan's own assignment costs what it claims
        assert float((w * plan.latency).sum()) == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("seed", range(6))
def test_set_cover_matches_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    n_c, n_d = rng.integers(5, 9), rng.integers(6, 14)
    lat = rng.uniform(1, 20, (n_c, n_d))
    cap = float(np.quantile(lat, 0.3))
    lat[rng.integers(n_c), :] = np.minimum(lat[0], cap)  # one candidate reaches everyone
    plan = set_cover(lat, cap)
    assert len(plan.selected) == brute_cover(lat, cap)
    assert (plan.latency <= cap + 1e-9).all()


def test_unreachable_demand_is_named():
    lat = np.array([[1.0, 30.0], [2.0, 40.0]])
    with pytest.raises(EdgeError, match=r"1 demand centre.*within 10 ms.*index 1"):
        set_cover(lat, 10.0)
    with pytest.raises(EdgeError, match="p: must be between 1 and the 2 candidates"):
        p_median(lat, np.ones(2), 3)
