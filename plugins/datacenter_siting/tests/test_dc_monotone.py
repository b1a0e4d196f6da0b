"""Property: a cost criterion that gets worse never raises a site's score."""

from __future__ import annotations

import numpy as np
import pytest
from datacenter_siting.criteria import parse_criteria
from datacenter_siting.decision import decide
from hypothesis import given, settings
from hypothesis import strategies as st

SPECS = ["cost:cost,gain:benefit", "cost:cost:max,gain:benefit:max",
         "cost:cost:linear:1:50,gain:benefit:linear:0:10"]

values = st.lists(st.tuples(st.floats(1, 100), st.floats(1, 100)), min_size=2, max_size=8)


@pytest.mark.parametrize("method", ["wlc", "topsis"])
@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=60, deadline=None)
@given(rows=values, site=st.integers(0, 7), worse=st.floats(0.0, 200.0),
       w=st.floats(0.05, 0.95))
def test_worse_cost_never_raises_the_score(method, spec, rows, site, worse, w):
    x = np.array(rows, float)
    site %= len(x)
    crit = parse_criteria(spec)
    weights = np.array([w, 1 - w])
    before = decide(x, crit, weights, method).scores[site]
    x[site, 0] += worse
    after = decide(x, crit, weights, method).scores[site]
    assert after <= before + 1e-12
