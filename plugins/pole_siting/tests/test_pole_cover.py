"""Covering on instances from the demo city: HiGHS against spopt on the same matrix, the
greedy against its bound, coverage recomputed from the chosen poles, the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from pole_siting import covering

PLUGIN = Path(__file__).resolve().parents[1]


def spopt_objective(kind, A, **kw):
    """spopt's optimum on the same 0/1 coverage matrix (distance 0 = covered, 2 = not)."""
    import pulp
    from spopt.locate import LSCP, MCLP

    cost = np.where(A.toarray() > 0, 0.0, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "lscp":
            model = LSCP.from_cost_matrix(cost, 1.0, **kw)
        else:
            model = MCLP.from_cost_matrix(cost, kw.pop("weights"), 1.0, **kw)
        model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.LpStatus[model.problem.status] == "Optimal"
    return float(pulp.value(model.problem.objective))


def brute_force_share(cand, demand, selected, radius, weights=None, k=1):
    d = np.hypot(demand[:, None, 0] - cand[None, selected, 0],
                 demand[:, None, 1] - cand[None, selected, 1])
    hit = (d <= radius).sum(axis=1) >= k
    w = np.ones(len(demand)) if weights is None else weights
    return float(w[hit].sum() / w.sum())


@pytest.fixture(scope="module")
def instance(demo_instance):
    cand = demo_instance["candidates"]
    demand = demo_instance["demand"]
    A = covering.radius_matrix(cand, demand, 90.0)
    reach = np.diff(A.indptr) > 0
    return {"A": A[reach], "cand": cand, "demand": demand[reach],
            "weights": demo_instance["weights"][reach]}


def test_the_instance_is_not_trivial(instance):
    A = instance["A"]
    assert A.shape[0] > 150 and A.shape[1] > 100
    # brute force agrees with the k-d tree matrix
    d = np.hypot(instance["demand"][:, None, 0] - instance["cand"][None, :, 0],
                 instance["demand"][:, None, 1] - instance["cand"][None, :, 1])
    assert np.array_equal(A.toarray() > 0, d <= 90.0)


def test_lscp_matches_spopt_and_covers_everything(instance):
    A = instance["A"]
    result = covering.solve_lscp(A)
    assert result.optimal and result.method == "highs"
    assert result.objective == pytest.approx(spopt_objective("lscp", A))
    assert result.objective == len(result.selected)
    assert brute_force_share(instance["cand"], instance["demand"], result.selected, 90.0) == 1.0
    assert result.covered_share == 1.0


def test_lscp_with_existing_poles_fixed_matches_spopt(instance):
    A = instance["A"]
    fixed = np.arange(0, A.shape[1], 25)
    result = covering.solve_lscp(A, fixed=fixed)
    assert set(fixed) <= set(result.selected)
    # spopt counts the predefined facilities in its objective
    predefined = np.zeros(A.shape[1], int)
    predefined[fixed] = 1
    expected = spopt_objective("lscp", A, predefined_facilities_arr=predefined)
    assert result.objective + len(fixed) == pytest.approx(expected)


def test_two_fold_coverage_costs_more(instance):
    A = instance["A"]
    counts = np.diff(A.indptr)
    A2 = A[counts >= 2]
    one, two = covering.solve_lscp(A2), covering.solve_lscp(A2, k=2)
    assert two.optimal and two.objective > one.objective
    assert (covering.covered_counts(A2, two.selected) >= 2).all()


@pytest.mark.parametrize("p", [3, 12])
def test_mclp_matches_spopt(instance, p):
    A, w = instance["A"], instance["weights"]
    result = covering.solve_mclp(A, w, p=p)
    assert result.optimal and len(result.selected) <= p
    assert result.objective == pytest.approx(spopt_objective("mclp", A, weights=w,
                                                             p_facilities=p), rel=1e-9)
    share = brute_force_share(instance["cand"], instance["demand"], result.selected, 90.0, w)
    assert result.covered_share == pytest.approx(share)
    assert result.objective == pytest.approx(share * w.sum())


def test_greedy_stays_within_its_bound(instance):
    A, w = instance["A"], instance["weights"]
    exact = covering.solve_lscp(A)
    greedy = covering.solve_lscp(A, method="greedy")
    assert greedy.method == "greedy" and greedy.covered_share == 1.0
    assert greedy.bound <= exact.objective + 1e-9 <= greedy.objective + 1e-9
    assert 0 <= greedy.gap < 0.5
    exact_m = covering.solve_mclp(A, w, p=10)
    greedy_m = covering.solve_mclp(A, w, p=10, method="greedy")
    assert greedy_m.objective <= exact_m.objective + 1e-9 <= greedy_m.bound + 1e-6
    assert greedy_m.objective >= (1 - 1 / np.e) * exact_m.objective


def test_time_limit_reports_a_plan_and_its_gap(instance):
    A = instance["A"]
    result = covering.solve_lscp(A, time_limit=1e-4)
    assert result.covered_share == 1.0  # a plan that covers everything, optimal or not
    assert result.bound <= result.objective
    assert result.optimal == (result.gap == 0.0)


def test_uncoverable_demand_is_named():
    A = covering.radius_matrix(np.array([[0.0, 0.0]]), np.array([[0.0, 10.0], [500, 0]]), 50)
    with pytest.raises(covering.CoverError, match=r"1 of 2 demand points cannot be covered"):
        covering.solve_lscp(A)


# --- the algorithm through the CLI ---------------------------------------------------
def write_points(path, xy, crs="EPSG:4547", **columns):
    import shapely
    from pyogrio.raw import write

    wkb = np.array(shapely.to_wkb(shapely.points(xy)), dtype=object)
    names = list(columns)
    write(str(path), wkb, [np.asarray(columns[n]) for n in names], names, driver="GPKG",
          geometry_type="Point", crs=crs)
    return path


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cimviewer", "run", "pole_siting.cover",
                           *args], capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def files(instance, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cover")
    cand = write_points(folder / "candidates.gpkg", instance["cand"],
                        pole=np.arange(len(instance["cand"])))
    demand = write_points(folder / "demand.gpkg", instance["demand"],
                          people=instance["weights"])
    return folder, cand, demand


@pytest.mark.parametrize("model", ["lscp", "mclp"])
def test_cli_json_has_the_keys_scripts_use(files, instance, model):
    folder, cand, demand = files
    extra = ["--param", "p=6", "--param", "weight_field=people"] if model == "mclp" else []
    out = cli("--param", f"candidates={cand}", "--param", f"demand={demand}",
              "--param", "radius_m=90", "--param", f"model={model}", *extra, "--json",
              "--out", str(folder / model))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    for key in ("selected", "covered_share", "objective", "optimal", "selected_ids"):
        assert key in result and key in result["outputs"]
    ids = result["selected_ids"]
    assert result["outputs"]["selected_ids"]["values"] == ids
    assert result["outputs"]["selected"]["value"] == result["selected"] == len(ids)
    assert result["optimal"] is True
    weights = instance["weights"] if model == "mclp" else None
    share = brute_force_share(instance["cand"], instance["demand"], np.array(ids), 90.0, weights)
    assert result["covered_share"] == pytest.approx(share, abs=1e-8)
    if model == "lscp":
        assert share == 1.0 and result["objective"] == len(ids)
    else:
        assert len(ids) <= 6
        assert result["objective"] == pytest.approx(share * instance["weights"].sum())
    assert (folder / model / "chosen.gpkg").exists()


def test_cli_bad_inputs_are_one_line(files, tmp_path):
    cand = files[1]
    empty = write_points(tmp_path / "empty.gpkg", np.zeros((0, 2)))
    other = write_points(tmp_path / "utm.gpkg", np.array([[500000.0, 2492000.0]]),
                         crs="EPSG:32650")
    far = write_points(tmp_path / "far.gpkg", np.array([[0.0, 0.0]]))
    cases = [(f"demand={empty}", "demand", "features"),  # refused by the reader: exit 2
             (f"demand={other}", "demand", "EPSG:32650"),
             (f"demand={far}", "demand", "cannot be covered")]
    for param, name, words in cases:
        out = cli("--param", f"candidates={cand}", "--param", param, "--param", "radius_m=90",
                  "--param", "model=lscp", "--json", "--out", str(tmp_path))
        lines = [ln for ln in out.stderr.splitlines() if ln.strip() and "%" not in ln]
        assert out.returncode in (1, 2), out.stderr
        assert "Traceback" not in out.stderr and len(lines) == 1, out.stderr
        assert lines[0].startswith("cimviewer: error:")
        assert name in lines[0] and words in lines[0], lines[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reductions_keep_the_optimum(seed):
    """Dominated rows and columns checked by brute force; the reduced LSCP and MCLP have
    the optimum of the full models solved without any reduction."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    M = rng.random((120, 40)) < 0.08
    M[:3, 0] = True
    M = np.column_stack([M, M[:, 0] & (np.arange(120) % 2 == 0)])  # inside column 0
    A = sparse.csr_matrix(M.astype(np.int8))
    A = A[np.diff(A.indptr) > 0]
    U, _, need = covering.unique_rows(A, np.ones(A.shape[0]), np.ones(A.shape[0], np.int64))
    dense = U.toarray() > 0
    flagged = covering.dominated_rows(U, need)
    for s in np.flatnonzero(flagged):
        subsets = [(dense[r] <= dense[s]).all() and dense[r].sum() < dense[s].sum()
                   for r in range(len(dense)) if r != s]
        assert any(subsets)
    cols = covering.dominated_columns(U, np.ones(U.shape[1]))
    assert flagged.any() and cols[-1]
    for j in np.flatnonzero(cols):
        assert any((dense[:, j] <= dense[:, k]).all() and dense[:, j].sum() < dense[:, k].sum()
                   for k in range(dense.shape[1]) if k != j)
    n = A.shape[1]
    full = covering.solve_mip(np.ones(n), A, np.ones(A.shape[0]), np.full(A.shape[0], np.inf),
                              np.zeros(n), np.ones(n), np.ones(n, bool))
    assert covering.solve_lscp(A).objective == pytest.approx(full["objective"])
    w = rng.integers(1, 9, A.shape[0]).astype(float)
    m = A.shape[0]
    rows = sparse.vstack([sparse.hstack([-A.astype(float), sparse.identity(m)]),
                          sparse.csr_matrix(np.concatenate([np.ones(n), np.zeros(m)]))])
    mclp = covering.solve_mip(np.concatenate([np.zeros(n), -w]), rows,
                              np.full(m + 1, -np.inf), np.concatenate([np.zeros(m), [4]]),
                              np.zeros(n + m), np.ones(n + m),
                              np.concatenate([np.ones(n, bool), np.zeros(m, bool)]))
    assert covering.solve_mclp(A, w, p=4).objective == pytest.approx(-mclp["objective"])


def _exact_lscp(A):
    n, m = A.shape[1], A.shape[0]
    return covering.solve_mip(np.ones(n), A, np.ones(m), np.full(m, np.inf), np.zeros(n),
                              np.ones(n), np.ones(n, bool))["objective"]


@pytest.mark.parametrize("seed", [4, 5])
def test_fixpoint_reduction_and_components_keep_the_optimum(seed):
    """Two independent blocks and a row only one column covers: that column is forced,
    the blocks are solved one by one, and the optimum is the unreduced model's."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    blocks = [rng.random((60, 20)) < 0.3 for _ in range(2)]
    M = np.zeros((121, 41), bool)
    M[:60, :20], M[60:120, 20:40] = blocks
    M[120, 40] = True  # only column 40 covers row 120
    M[:60, 0] |= ~M[:60].any(axis=1)  # every row coverable
    M[60:120, 20] |= ~M[60:120].any(axis=1)
    A = sparse.csr_matrix(M.astype(np.int8))
    R, cols, need, forced = covering.reduce_lscp(A, np.ones(41), np.ones(121, np.int64))
    assert 40 in forced and 40 not in cols and (need >= 1).all()
    parts = covering.components(R)
    assert len(parts) >= 2 and sum(len(r) for r, _c in parts) == R.shape[0]
    col_sets = [set(cols[c]) for _r, c in parts]
    assert not (col_sets[0] & col_sets[1])
    result = covering.solve_lscp(A)
    assert result.optimal and result.model_size["components"] >= 2
    assert result.objective == pytest.approx(_exact_lscp(A))
    assert covering.covered_counts(A, result.selected).min() >= 1


def test_mclp_bounds_and_swaps_hold(instance, monkeypatch):
    """Any row prices give an upper bound (the exact optimum is below it); the
    subgradient bound too; swaps never lose weight; the interior point path used for
    large models gives the same proven optimum."""
    A, w = instance["A"], instance["weights"]
    p = 8
    exact = covering.solve_mclp(A, w, p=p)
    assert exact.optimal
    rng = np.random.default_rng(3)
    for _ in range(5):
        y = rng.random(len(w)) * w
        assert covering.mclp_dual_bound(A, w, y, p, None, None) >= exact.objective - 1e-6
    assert covering.mclp_dual_bound(A, w, w, None, np.ones(A.shape[1]), p) >= \
        exact.objective - 1e-6  # cost cap p at unit cost: the same model
    assert covering.subgradient_bound(A, w, p, 0.9 * exact.objective) >= exact.objective - 1e-6
    greedy = covering.greedy_mclp(A, w, p, np.ones(A.shape[1]), None)
    swapped = covering.swap_search(A, w, greedy)
    got = covering.covered_share(A, swapped, w) * w.sum()
    assert len(swapped) == len(greedy)
    assert covering.covered_share(A, greedy, w) * w.sum() - 1e-9 <= got <= exact.objective + 1e-6
    monkeypatch.setattr(covering, "LP_BOUND_NNZ", 0)
    large = covering.solve_mclp(A, w, p=p)
    assert large.optimal and large.objective == pytest.approx(exact.objective)
    assert large.bound >= large.objective


def _exact_mclp(A, w, p=None, cost=None, budget=None, lower=None, upper=None):
    """The MCLP solved as it stands by HiGHS, no reduction, no fixing: max weight with
    at most p columns (and/or cost.x <= budget), column bounds as given."""
    from scipy import sparse

    m, n = A.shape
    extra, caps = [], []
    if p is not None:
        extra.append(np.concatenate([np.ones(n), np.zeros(m)]))
        caps.append(p)
    if budget is not None:
        extra.append(np.concatenate([cost, np.zeros(m)]))
        caps.append(budget)
    rows = sparse.vstack([sparse.hstack([-A.astype(float), sparse.identity(m)]),
                          sparse.csr_matrix(np.vstack(extra))])
    lo = np.zeros(n + m) if lower is None else np.concatenate([lower, np.zeros(m)])
    up = np.ones(n + m) if upper is None else np.concatenate([upper, np.ones(m)])
    sol = covering.solve_mip(np.concatenate([np.zeros(n), -w]), rows,
                             np.full(m + len(caps), -np.inf),
                             np.concatenate([np.zeros(m), caps]), lo, up,
                             np.concatenate([np.ones(n, bool), np.zeros(m, bool)]),
                             mip_gap=0.0)
    assert sol["optimal"]
    return -sol["objective"]


def _random_cover(seed, m=90, n=30, density=0.09):
    from scipy import sparse

    rng = np.random.default_rng(seed)
    M = rng.random((m, n)) < density
    M[~M.any(axis=1), 0] = True
    return sparse.csr_matrix(M.astype(np.int8)), rng


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_mclp_reduced_cost_fixing_is_exact(seed):
    """Every column the Lagrangian fixing removes (keeps) is absent from (present in)
    every plan better than the incumbent: checked column by column against HiGHS on the
    unreduced model with that column forced the other way."""
    A, rng = _random_cover(seed)
    integral = seed % 2 == 0
    w = (rng.integers(1, 20, A.shape[0]).astype(float) if integral
         else rng.random(A.shape[0]) * 10 + 0.1)
    n, m = A.shape[1], A.shape[0]
    p = 5
    best = _exact_mclp(A, w, p)
    rows, lower, upper = covering._mclp_rows(A.tocsr(), p, np.ones(n), None)
    lp = covering.solve_mip(np.concatenate([np.zeros(n), -w]), rows, lower, upper,
                            np.zeros(n + m), np.ones(n + m), np.zeros(n + m, bool))
    y = -lp["row_dual"][:m]
    greedy = covering.greedy_mclp(A.tocsr(), w, p, np.ones(n), None)
    fixed_any = 0
    for incumbent in (best, float(w[covering.covered_counts(A, greedy) > 0].sum())):
        fix0, fix1 = covering.mclp_fixing(A.tocsr(), w, y, p, incumbent, integral)
        assert not (fix0 & fix1).any()
        fixed_any += int(fix0.sum() + fix1.sum())
        margin = 1.0 if integral else 0.0
        for j in np.flatnonzero(fix0):
            lo = np.zeros(n)
            lo[j] = 1
            assert _exact_mclp(A, w, p, lower=lo) < incumbent + margin - 1e-9
        for j in np.flatnonzero(fix1):
            up = np.ones(n)
            up[j] = 0
            assert _exact_mclp(A, w, p, upper=up) < incumbent + margin - 1e-9
    assert fixed_any > 0  # the test checks something


@pytest.mark.parametrize("seed", [21, 22, 23, 24, 25, 26])
def test_mclp_with_fixing_keeps_the_optimum(seed, monkeypatch):
    """solve_mclp (LP rounding, fixing, branch and bound on the fixed model) against a
    plain HiGHS solve of the unreduced model: p-limit, cost cap, both, existing poles,
    integer and fractional weights, and the subgradient path of large models."""
    A, rng = _random_cover(seed, m=150, n=45, density=0.07)
    n, m = A.shape[1], A.shape[0]
    w = rng.integers(1, 30, m).astype(float) if seed % 2 else rng.random(m) * 5
    cost = rng.integers(1, 4, n).astype(float)
    p = 3 + seed % 4
    if seed >= 25:
        monkeypatch.setattr(covering, "LP_BOUND_NNZ", 0)
    got = covering.solve_mclp(A, w, p=p)
    assert got.optimal and got.objective == pytest.approx(_exact_mclp(A, w, p), rel=1e-9)
    assert len(got.selected) <= p and got.bound >= got.objective
    cap = covering.solve_mclp(A, w, cost=cost, budget=2 * p)
    assert cap.optimal
    assert cap.objective == pytest.approx(_exact_mclp(A, w, cost=cost, budget=2 * p),
                                          rel=1e-9)
    both = covering.solve_mclp(A, w, p=p, cost=cost, budget=2 * p)
    assert both.optimal
    assert both.objective == pytest.approx(
        _exact_mclp(A, w, p, cost=cost, budget=2 * p), rel=1e-9)
    built = rng.choice(n, 2, replace=False)
    with_built = covering.solve_mclp(A, w, p=p, fixed=built)
    extra = np.concatenate([np.ones(n), np.zeros(m)])
    extra[built] = 0  # existing poles do not count towards p
    lo = np.zeros(n)
    lo[built] = 1
    from scipy import sparse

    rows = sparse.vstack([sparse.hstack([-A.astype(float), sparse.identity(m)]),
                          sparse.csr_matrix(extra)])
    sol = covering.solve_mip(np.concatenate([np.zeros(n), -w]), rows,
                             np.full(m + 1, -np.inf), np.concatenate([np.zeros(m), [p]]),
                             np.concatenate([lo, np.zeros(m)]), np.ones(n + m),
                             np.concatenate([np.ones(n, bool), np.zeros(m, bool)]),
                             mip_gap=0.0)
    assert with_built.optimal and set(built) <= set(with_built.selected)
    assert with_built.objective == pytest.approx(-sol["objective"], rel=1e-9)


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_lscp_reduced_cost_fixing_is_exact(seed):
    """LP reduced-cost fixing of a set covering model with uneven costs: every column
    fixed to 0 (1) makes any plan that uses (skips) it cost at least the incumbent,
    checked against HiGHS on the unreduced model with the column forced; the Lagrangian
    bound is below the optimum. Unit costs fix nothing to 0 while the gap is 2 or more."""
    A, rng = _random_cover(seed, m=80, n=30, density=0.12)
    n, m = A.shape[1], A.shape[0]
    cost = rng.integers(1, 8, n).astype(float)

    def exact(lower=None, upper=None, c=cost):
        sol = covering.solve_mip(c, A, np.ones(m), np.full(m, np.inf),
                                 np.zeros(n) if lower is None else lower,
                                 np.ones(n) if upper is None else upper, np.ones(n, bool),
                                 mip_gap=0.0)
        return sol["objective"] if sol["x"] is not None else np.inf

    best = exact()
    lp = covering.solve_mip(cost, A, np.ones(m), np.full(m, np.inf), np.zeros(n), np.ones(n),
                            np.zeros(n, bool))
    fix0, fix1, bound = covering.lscp_fixing(A, cost, np.ones(m), lp["row_dual"], best)
    assert bound <= best + 1e-9 and bound == pytest.approx(lp["objective"], rel=1e-7)
    assert fix0.sum() + fix1.sum() > 0 and not (fix0 & fix1).any()
    for j in np.flatnonzero(fix0):
        lo = np.zeros(n)
        lo[j] = 1
        assert exact(lower=lo) > best - 1 + 1e-9
    for j in np.flatnonzero(fix1):
        up = np.ones(n)
        up[j] = 0
        assert exact(upper=up) > best - 1 + 1e-9
    ones = np.ones(n)
    lp1 = covering.solve_mip(ones, A, np.ones(m), np.full(m, np.inf), np.zeros(n), ones,
                             np.zeros(n, bool))
    best1 = exact(c=ones)
    fix0, _fix1, bound1 = covering.lscp_fixing(A, ones, np.ones(m), lp1["row_dual"], best1)
    if best1 - bound1 >= 2:  # d <= 1: a plan with one pole less is never excluded
        assert not fix0.any()


@pytest.mark.parametrize("seed", [22, 23])
def test_mclp_large_model_heuristic_under_a_time_limit(seed, monkeypatch):
    """A model taken as large under a time limit goes to the LP-support restricted
    models (a heuristic) first, then to the whole fixed model: the plan is feasible, the
    bound never below the exact optimum, and the optimum is proven."""
    A, rng = _random_cover(seed, m=150, n=45, density=0.07)
    m = A.shape[0]
    w = rng.integers(1, 30, m).astype(float) if seed % 2 else rng.random(m) * 5
    p = 3 + seed % 4
    exact = _exact_mclp(A, w, p)
    monkeypatch.setattr(covering, "LP_BOUND_NNZ", 0)
    got = covering.solve_mclp(A, w, p=p, time_limit=20)
    assert "support_columns" in got.model_size
    assert len(got.selected) <= p
    assert got.objective == pytest.approx(
        float(w[covering.covered_counts(A, got.selected) > 0].sum()))
    assert got.objective <= exact + 1e-6 <= got.bound + 2e-6
    # the whole (fixed) model gets the time left after the heuristic: proven here
    assert got.optimal and got.objective == pytest.approx(exact, rel=1e-9)


@pytest.mark.parametrize("seed", [41, 42])
def test_lscp_large_block_heuristic_under_a_time_limit(seed, monkeypatch):
    """A set covering block taken as large under a time limit gets its start plan from
    the LP-support restricted blocks: the plan covers everything, and the optimum is
    still the unreduced model's, proven."""
    A, rng = _random_cover(seed, m=150, n=45, density=0.07)
    cost = rng.integers(1, 5, A.shape[1]).astype(float)
    calls = []
    monkeypatch.setattr(covering, "LP_BOUND_NNZ", 0)
    real = covering._lscp_support_plans
    monkeypatch.setattr(covering, "_lscp_support_plans",
                        lambda *a: calls.append(1) or real(*a))
    got = covering.solve_lscp(A, cost, time_limit=20)
    assert calls and got.optimal and got.covered_share == 1.0
    n, m = A.shape[1], A.shape[0]
    exact = covering.solve_mip(cost, A, np.ones(m), np.full(m, np.inf), np.zeros(n),
                               np.ones(n), np.ones(n, bool), mip_gap=0.0)["objective"]
    assert got.objective == pytest.approx(exact)
    plan = covering._lscp_support_plans(A.tocsr(), cost, np.ones(m),
                                        covering.greedy_lscp(A.tocsr(), cost, np.ones(m)),
                                        None)
    assert (covering.covered_counts(A, plan) >= 1).all()
    assert float(cost[plan].sum()) >= exact - 1e-9
