"""AHP weights, lambda_max and CR against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from datacenter_siting.ahp import (
    AhpError,
    ahp_weights,
    check_matrix,
    judgement_text,
    read_matrix,
)


def test_consistent_matrix_gives_the_ratios():
    # a_ij = w_i / w_j with w = (4, 2, 1) / 7: lambda_max = n = 3, CI = CR = 0
    a = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    r = ahp_weights(a)
    np.testing.assert_allclose(r.weights, [4 / 7, 2 / 7, 1 / 7], atol=1e-9)
    assert r.lambda_max == pytest.approx(3.0, abs=1e-9)
    assert r.cr == pytest.approx(0.0, abs=1e-9)


def test_three_by_three_by_hand():
    # [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]: a = a12 = 3, b = a13 = 5, c = a23 = 3.
    # For n = 3 the principal eigenvector is the vector of row geometric means:
    #   g = (15^(1/3), 1, (1/15)^(1/3)) = (2.466212, 1, 0.405480), sum 3.871692
    #   w = (0.636985, 0.258285, 0.104729)
    # and lambda_max = 1 + d^(1/3) + d^(-1/3) with d = a c / b = 9/5 = 1.8:
    #   1.8^(1/3) = 1.216440, 1.8^(-1/3) = 0.822071 -> lambda_max = 3.038511
    # CI = (3.038511 - 3) / 2 = 0.019256; CR = CI / RI(3) = 0.019256 / 0.58 = 0.033199
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    r = ahp_weights(a)
    np.testing.assert_allclose(r.weights, [0.636985, 0.258285, 0.104729], atol=2e-6)
    assert r.lambda_max == pytest.approx(3.038511, abs=2e-6)
    assert r.ci == pytest.approx(0.019256, abs=2e-6)
    assert r.cr == pytest.approx(0.033199, abs=2e-6)
    # the closed forms again, written out, guard the hand arithmetic above
    assert pytest.approx(3.038511, abs=1e-6) == 1 + 1.8 ** (1 / 3) + 1.8 ** (-1 / 3)
    assert math.prod([1, 3, 5]) ** (1 / 3) == pytest.approx(2.466212, abs=1e-6)


def test_four_by_four_uses_ri_090():
    # consistent except one judgement: w = (8, 4, 2, 1), a_14 written as 1/8 instead of 8.
    w = np.array([8.0, 4, 2, 1])
    a = w[:, None] / w[None, :]
    a[0, 3], a[3, 0] = 1 / 8, 8.0
    r = ahp_weights(a, ["power", "price", "pue", "latency"])
    # CR = CI / 0.90: it is large here and the flipped pair is named, as written (>= 1)
    assert r.cr == pytest.approx(r.ci / 0.90)
    assert r.cr > 0.1
    assert r.worst == (3, 0)
    # the other judgements imply a_41 = a_42 a_21 = (1/4)(4/8) = 1/8, and a_43 a_31 = (1/2)(2/8) too
    assert r.suggested == pytest.approx(1 / 8)


def test_bad_matrices_are_named():
    with pytest.raises(AhpError, match=r"not reciprocal at \(b, c\)"):
        check_matrix(np.array([[1, 2, 3], [0.5, 1, 4], [1 / 3, 0.5, 1]]), ["a", "b", "c"])
    with pytest.raises(AhpError, match=r"\(a, b\) = -2 is not a positive number"):
        check_matrix(np.array([[1, -2], [-0.5, 1]]), ["a", "b"])
    with pytest.raises(AhpError, match="3 x 3 for 2 criteria"):
        check_matrix(np.eye(3), ["a", "b"])
    with pytest.raises(AhpError, match="square"):
        check_matrix(np.ones((2, 3)))


def test_read_matrix_with_fractions(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("1,3,5\n1/3,1,3\n1/5,1/3,1\n", encoding="utf-8")
    np.testing.assert_allclose(read_matrix(path)[2], [0.2, 1 / 3, 1])
    path.write_text("1,x\n1,1\n", encoding="utf-8")
    with pytest.raises(AhpError, match="line 1: 'x' is not a number"):
        read_matrix(path)


def test_judgements_are_written_on_saatys_scale():
    assert [judgement_text(v) for v in (5.0, 0.2, 1 / 3, 0.126, 2.5, 1.0)] == \
        ["5", "1/5", "1/3", "1/8", "2.5", "1"]
