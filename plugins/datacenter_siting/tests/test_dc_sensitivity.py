"""Weight perturbation and rank reversal."""

from __future__ import annotations

import numpy as np
from datacenter_siting.criteria import parse_criteria
from datacenter_siting.sensitivity import (
    added_site_reversals,
    monte_carlo_weight_sets,
    oat_weight_sets,
    rank_reversals,
    stability,
)


def test_oat_sets_move_one_weight_and_keep_the_sum():
    w = np.array([0.5, 0.3, 0.2])
    sets, crit, step = oat_weight_sets(w, (-0.5, 0.5))
    np.testing.assert_allclose(sets.sum(axis=1), 1.0)
    # weight 0 scaled by 1.5 -> 0.75; the others share 0.25 in their ratio 3:2
    row = int(np.flatnonzero((crit == 0) & (step == 0.5))[0])
    np.testing.assert_allclose(sets[row], [0.75, 0.15, 0.10])


def test_dominant_site_is_stable_and_close_sites_are_not():
    crit = parse_criteria("a:benefit,b:benefit")
    # site 0 best on both: rank 1 for every weight; sites 1 and 2 trade off
    values = np.array([[10.0, 10], [5, 1], [1, 5], [0, 0]])
    w = np.array([0.5, 0.5])
    mc = stability(values, crit, w, monte_carlo_weight_sets(w, 400, 0.5, seed=1), "wlc",
                   np.ones(4, bool))
    assert mc.top_share[0] == 1.0 and mc.same_rank_share[0] == 1.0
    assert mc.rank_min[1] == 2 and mc.rank_max[1] == 3
    assert 0.2 < mc.same_rank_share[1] < 0.8 or mc.base_rank[1] == mc.base_rank[2]
    assert mc.rank_min[3] == mc.rank_max[3] == 4


def test_rank_reversal_when_a_site_is_removed():
    # WLC with min-max scaling, both benefit, weights 0.5 / 0.5.
    # S0 (10, 0), S1 (2, 10), S2 (0, 100), S3 (6, 4)
    # all four: a over 0..10 -> (1, 0.2, 0, 0.6); b over 0..100 -> (0, 0.1, 1, 0.04)
    #   scores S0 0.5, S1 0.15, S2 0.5, S3 0.32: S3 above S1
    # without S2: a over 2..10 -> (1, 0, -, 0.5); b over 0..10 -> (0, 1, -, 0.4)
    #   scores S0 0.5, S1 0.5, S3 0.45: S1 above S3 -> reversal (removed 2: 3 was above 1)
    crit = parse_criteria("a:benefit,b:benefit")
    values = np.array([[10.0, 0], [2, 10], [0, 100], [6, 4]])
    w = np.array([0.5, 0.5])
    flips = rank_reversals(values, crit, w, "wlc", np.ones(4, bool))
    assert (2, 3, 1) in flips
    assert not any(f[1:] == (0, 1) for f in flips)  # S0 vs S1 becomes a tie: no reversal
    # the same seen as adding S2 to the other three (indices 0, 1, 2 = S0, S1, S3):
    # S1 was above S3, afterwards below
    three = values[[0, 1, 3]]
    assert (1, 2) in added_site_reversals(three, values[2], crit, w, "wlc")
    # an unrelated check: excluded sites take no part
    ok = np.array([True, True, False, True])
    assert all(2 not in f for f in rank_reversals(values, crit, w, "wlc", ok))
