"""Standardisation, WLC, TOPSIS, constraints and ranks against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from datacenter_siting.constraints import ConstraintError, apply_constraints, parse_constraints
from datacenter_siting.criteria import (
    CriteriaError,
    Criterion,
    check_weights,
    parse_criteria,
    standardise,
)
from datacenter_siting.decision import decide
from datacenter_siting.ranking import ranks
from datacenter_siting.topsis import topsis_scores


def test_parse_criteria():
    c = parse_criteria("price:cost, power:benefit:linear:10:100,pue:cost:max")
    assert [x.name for x in c] == ["price", "power", "pue"]
    assert c[1] == Criterion("power", "benefit", "linear", 10.0, 100.0)
    assert c[2].standardisation == "max"
    for bad, message in [("price", "NAME:benefit or NAME:cost"),
                         ("price:good", "NAME:benefit or NAME:cost"),
                         ("a:cost:log", "unknown standardisation 'log'"),
                         ("a:cost:linear:1", "linear:LO:HI"),
                         ("a:cost,a:benefit", "named twice")]:
        with pytest.raises(CriteriaError, match=message):
            parse_criteria(bad)


def test_standardisation_functions():
    x = np.array([2.0, 4.0, 10.0])
    # minmax: (x - 2) / 8; cost 1 - that
    np.testing.assert_allclose(standardise(x, Criterion("a", "benefit")), [0, 0.25, 1])
    np.testing.assert_allclose(standardise(x, Criterion("a", "cost")), [1, 0.75, 0])
    # max: x / 10; cost: 2 / x
    np.testing.assert_allclose(standardise(x, Criterion("a", "benefit", "max")), [0.2, 0.4, 1])
    np.testing.assert_allclose(standardise(x, Criterion("a", "cost", "max")), [1, 0.5, 0.2])
    # linear 3..8, clipped: (x - 3) / 5
    lin = Criterion("a", "benefit", "linear", 3.0, 8.0)
    np.testing.assert_allclose(standardise(x, lin), [0, 0.2, 1])
    np.testing.assert_allclose(standardise(x, Criterion("a", "cost", "linear", 3.0, 8.0)),
                               [1, 0.8, 0])


def test_weights_must_fit_the_criteria():
    crit = parse_criteria("a:cost,b:cost")
    np.testing.assert_allclose(check_weights(np.array([1, 3]), crit), [0.25, 0.75])
    with pytest.raises(CriteriaError, match="3 weights for 2 criteria"):
        check_weights(np.array([1, 1, 1]), crit)
    with pytest.raises(CriteriaError, match=">= 0"):
        check_weights(np.array([1, -1]), crit)


def test_wlc_by_hand():
    # price (cost) [0.3, 0.5, 0.4] -> minmax [1, 0, 0.5]; power (benefit) [10, 30, 20]
    # -> [0, 1, 0.5]; weights 0.75 / 0.25 -> scores 0.75, 0.25, 0.5 -> ranks 1, 3, 2
    values = np.array([[0.3, 10], [0.5, 30], [0.4, 20]])
    d = decide(values, parse_criteria("price:cost,power:benefit"), np.array([0.75, 0.25]))
    np.testing.assert_allclose(d.scores, [0.75, 0.25, 0.5])
    np.testing.assert_array_equal(d.ranks, [1, 3, 2])
    np.testing.assert_allclose(d.contributions[1], [0.0, 0.25])


def test_topsis_by_hand():
    # benefit [3, 4, 0] and cost [4, 3, 0]: both columns have norm 5, so r = x / 5;
    # weights 0.5: v1 = (0.3, 0.4, 0), v2 = (0.4, 0.3, 0). Ideal (0.4, 0), anti (0, 0.4).
    # A: D+ = sqrt(0.1^2 + 0.4^2) = 0.412311, D- = 0.3 -> C = 0.3 / 0.712311 = 0.421165
    # B: D+ = 0.3, D- = 0.412311 -> C = 0.578835;  C: D+ = D- = 0.4 -> C = 0.5
    values = np.array([[3.0, 4], [4, 3], [0, 0]])
    c = topsis_scores(values, np.array([0.5, 0.5]), np.array([True, False]))
    np.testing.assert_allclose(c, [0.421165, 0.578835, 0.5], atol=1e-6)
    # many weight sets at once give the same column for the same weights
    many = topsis_scores(values, np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([True, False]))
    np.testing.assert_allclose(many[:, 0], c)
    # weight 1 on the benefit only: C = r1 / 0.8 (ideal 0.8, anti 0) = (0.75, 1, 0)
    only = topsis_scores(values, np.array([1.0, 0.0]), np.array([True, False]))
    np.testing.assert_allclose(only, [0.75, 1.0, 0.0])


def test_ranks_share_ties_and_skip_infeasible():
    np.testing.assert_array_equal(ranks(np.array([0.5, 0.9, 0.5, 0.1])), [2, 1, 2, 4])
    np.testing.assert_array_equal(
        ranks(np.array([0.5, 0.9, 0.7, 0.1]), np.array([True, False, True, True])),
        [2, 0, 1, 3])


def test_constraints():
    cols = {"pue": np.array([1.1, 1.3, 1.2, np.nan]), "cap": np.array([1.2, 1.25, 1.2, 1.2]),
            "mw": np.array([50, 80, 10, 90])}
    ok, why = apply_constraints(parse_constraints("pue<=cap; mw>=20"), cols, 4)
    np.testing.assert_array_equal(ok, [True, False, False, False])
    assert why == ["", "pue<=cap", "mw>=20", "pue<=cap"]  # NaN fails
    with pytest.raises(ConstraintError, match="no column 'power'"):
        apply_constraints(parse_constraints("power>=1"), cols, 4)
    with pytest.raises(ConstraintError, match="write COLUMN<=VALUE"):
        parse_constraints("pue is low")


def test_excluded_sites_never_ranked_nor_change_the_others():
    rng = np.random.default_rng(3)
    crit = parse_criteria("a:cost,b:benefit,c:cost")
    w = np.array([0.2, 0.5, 0.3])
    for _ in range(30):
        values = rng.uniform(0, 10, (12, 3))
        ok = rng.random(12) < 0.6
        ok[0] = True
        for method in ("wlc", "topsis"):
            d = decide(values, crit, w, method, ok)
            assert (d.ranks[~ok] == 0).all() and np.isnan(d.scores[~ok]).all()
            assert sorted(d.ranks[ok]) == list(range(1, ok.sum() + 1)) or \
                len(set(d.scores[ok])) < ok.sum()
            # an excluded site with wild values changes nothing for the others
            wild = values.copy()
            wild[~ok] = rng.uniform(-1e6, 1e6, ((~ok).sum(), 3))
            np.testing.assert_allclose(decide(wild, crit, w, method, ok).scores[ok],
                                       d.scores[ok])
