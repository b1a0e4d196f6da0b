"""Covering models on a sparse coverage matrix: LSCP and MCLP solved with HiGHS, and a
lazy greedy with its gap to a bound for instances too large to prove.

Plain arrays in, plain arrays out. ``A`` is a ``scipy.sparse`` matrix, one row per
demand point and one column per candidate; ``A[i, j] = 1`` when candidate ``j`` covers
demand ``i``. The solvers shrink the model before HiGHS sees it (demand already covered
by fixed candidates goes, identical rows are merged, their weights summed), and every
figure they return (covered share, objective) is recomputed from the chosen columns,
never read from solver variables.

LSCP is reduced to a fixpoint (``reduce_lscp``: essential columns forced, dominated rows
and columns dropped) and split into independent blocks (``components``), each solved
from its greedy plan (a large block under a time limit: from the best plan of the block
restricted to the columns its LP uses most, ``_lscp_support_plans``). MCLP (shared
budget, so not split) starts from the greedy plan improved by swaps (``swap_search``);
its bound comes from the LP's row prices (``mclp_dual_bound``, interior point: a large
model's simplex root LP alone takes minutes) or a subgradient (``subgradient_bound``);
the LP solution rounded and swapped often gives a better plan. When the plan meets the
bound it is proven optimal without branching; otherwise Lagrangian reduced-cost fixing
(``mclp_fixing``) removes the columns no better plan can use, and HiGHS's branch and
bound runs on the fixed model only, from the best plan, in the time left (a large model
under a time limit first on restricted models, for a better plan).
"""

from __future__ import annotations

import heapq
import math
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse


class CoverError(ValueError):
    """An instance that cannot be solved as asked; the message is one line for the user."""


@dataclass
class CoverResult:
    """A covering plan: the chosen candidates and what proves how good it is."""

    selected: np.ndarray  # indices of the chosen candidates (fixed ones included), sorted
    objective: float  # LSCP: cost of the chosen new candidates; MCLP: weight covered
    bound: float  # LSCP: lower bound on the cost; MCLP: upper bound on the weight
    optimal: bool  # proven optimal (gap within the tolerance)
    method: str  # "highs" or "greedy"
    status: str  # solver status in words
    seconds: float
    covered_share: float = 0.0  # weighted share of demand covered (k times where asked)
    model_size: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        """Relative gap between the plan and the bound (0 when proven optimal)."""
        return relative_gap(self.objective, self.bound, self.optimal)


def relative_gap(objective: float, bound: float, optimal: bool) -> float:
    """|objective - bound| relative to the larger of the two (0 when proven optimal)."""
    if optimal:
        return 0.0
    scale = max(abs(objective), abs(bound), 1e-9)
    return abs(objective - bound) / scale


# --- coverage matrices ---------------------------------------------------------------
def radius_matrix(candidates_xy: np.ndarray, demand_xy: np.ndarray,
                  radius: float) -> sparse.csr_matrix:
    """Demand x candidate 0/1 matrix: candidate within ``radius`` (metres) of the demand."""
    from scipy.spatial import cKDTree

    cand = np.asarray(candidates_xy, float)[:, :2]
    dem = np.asarray(demand_xy, float)[:, :2]
    shape = (len(dem), len(cand))
    if not len(cand) or not len(dem):
        return sparse.csr_matrix(shape, dtype=np.int8)
    pairs = cKDTree(dem).query_ball_tree(cKDTree(cand), float(radius))
    lengths = np.fromiter((len(p) for p in pairs), np.int64, len(pairs))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = (np.fromiter((j for p in pairs for j in p), np.int64, int(indptr[-1]))
               if indptr[-1] else np.zeros(0, np.int64))
    matrix = sparse.csr_matrix((np.ones(len(indices), np.int8), indices, indptr), shape=shape)
    matrix.sort_indices()
    return matrix


def pair_distances(candidates_xy: np.ndarray, demand_xy: np.ndarray,
                   reach: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(demand index, candidate index, distance) of every pair closer than ``reach``."""
    from scipy.spatial import cKDTree

    cand = np.asarray(candidates_xy, float)[:, :2]
    dem = np.asarray(demand_xy, float)[:, :2]
    if not len(cand) or not len(dem):
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    coo = cKDTree(dem).sparse_distance_matrix(cKDTree(cand), float(reach),
                                               output_type="ndarray")
    i, j = coo["i"].astype(np.int64), coo["j"].astype(np.int64)
    d = np.hypot(dem[i, 0] - cand[j, 0], dem[i, 1] - cand[j, 1])  # zeros included
    return i, j, d


def matrix_from_pairs(i: np.ndarray, j: np.ndarray, keep: np.ndarray,
                      shape: tuple[int, int]) -> sparse.csr_matrix:
    m = sparse.csr_matrix((np.ones(int(keep.sum()), np.int8), (i[keep], j[keep])), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1
    m.sort_indices()
    return m


def covered_counts(A: sparse.spmatrix, selected: np.ndarray) -> np.ndarray:
    """How many chosen candidates cover each demand point (from the matrix itself)."""
    A = sparse.csc_matrix(A)
    pick = np.zeros(A.shape[1], np.float64)
    pick[np.asarray(selected, np.int64)] = 1.0
    return np.asarray(A @ pick).ravel().round().astype(np.int64)


def covered_share(A: sparse.spmatrix, selected: np.ndarray, weights: np.ndarray | None = None,
                  k: Any = 1) -> float:
    """Weighted share of demand covered at least ``k`` times by ``selected``."""
    n = A.shape[0]
    if n == 0:
        return 0.0
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    total = float(w.sum())
    if total <= 0:
        return 0.0
    hit = covered_counts(A, selected) >= np.broadcast_to(np.asarray(k), (n,))
    return float(w[hit].sum() / total)


# --- model reduction -----------------------------------------------------------------
def _row_keys(A: sparse.csr_matrix, extra: np.ndarray | None = None) -> np.ndarray:
    """Per row, a key that equal rows share: two random projections and the row length."""
    rng = np.random.default_rng(12345)
    probe = rng.random((A.shape[1], 2))
    h = np.asarray(A.astype(np.float64) @ probe)
    cols = [h[:, 0], h[:, 1], np.diff(A.indptr).astype(np.float64)]
    if extra is not None:
        cols.append(np.asarray(extra, np.float64))
    return np.column_stack(cols)


def unique_rows(A: sparse.csr_matrix, weights: np.ndarray,
                need: np.ndarray | None = None) -> tuple[sparse.csr_matrix, np.ndarray,
                                                          np.ndarray | None]:
    """Identical rows merged: weights summed, the largest need kept."""
    if A.shape[0] == 0:
        return A, weights, need
    keys = _row_keys(A)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    w = np.bincount(inverse, weights=weights, minlength=len(first))
    k = None
    if need is not None:
        k = np.zeros(len(first), np.int64)
        np.maximum.at(k, inverse, need)
    return A[first], w, k


def dominated_rows(A: sparse.spmatrix, need: np.ndarray, chunk: int = 4_000_000,
                   drop: str = "superset") -> np.ndarray:
    """Rows a covering model may drop: row s when another row r has all its candidates in
    s (r a strict subset) and needs at least as many: covering r covers s. Rows must be
    unique. Only rows holding r's rarest candidate can contain r, so only those pairs
    are checked (vectorized, in chunks of about ``chunk`` look-ups).

    ``drop="subset"`` turns it round for columns given as rows: row r is dropped when
    a strict superset s exists with ``need[s] <= need[r]`` (``need`` = cost)."""
    B = sparse.csr_matrix(A)
    B.sort_indices()
    m, n = B.shape
    out = np.zeros(m, bool)
    if m < 2 or B.nnz == 0:
        return out
    need = np.asarray(need)
    size = np.diff(B.indptr)
    row_of = np.repeat(np.arange(m), size)
    col_count = np.bincount(B.indices, minlength=n)
    order = np.lexsort((col_count[B.indices], row_of))
    first = B.indptr[:-1][size > 0]
    rows_r = np.flatnonzero(size > 0)
    rare = B.indices[order[first]]
    csc = sparse.csc_matrix(B)
    csc.sort_indices()
    lens = col_count[rare]
    total = int(lens.sum())
    start = np.repeat(csc.indptr[rare], lens)
    step = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    r = np.repeat(rows_r, lens)
    s = csc.indices[start + step]
    ok = (size[s] > size[r]) & ((need[r] >= need[s]) if drop == "superset"
                                else (need[s] <= need[r]))
    r, s = r[ok], s[ok]
    keys = row_of.astype(np.int64) * n + B.indices  # sorted: CSR rows, sorted columns
    done = 0
    while done < len(r):
        sizes = size[r[done:]]
        upto = done + max(1, int(np.searchsorted(np.cumsum(sizes), chunk)))
        rr, ss = r[done:upto], s[done:upto]
        k = size[rr]
        pos = np.repeat(B.indptr[rr], k) + (np.arange(int(k.sum()))
                                            - np.repeat(np.cumsum(k) - k, k))
        probe = np.repeat(ss.astype(np.int64), k) * n + B.indices[pos]
        at = np.minimum(np.searchsorted(keys, probe), len(keys) - 1)
        missing = np.bincount(np.repeat(np.arange(len(rr)), k), weights=keys[at] != probe,
                              minlength=len(rr))
        out[(ss if drop == "superset" else rr)[missing == 0]] = True
        done = upto
    return out


def dominated_columns(A: sparse.spmatrix, cost: np.ndarray) -> np.ndarray:
    """Columns a covering model may drop: column j when another column covers a strict
    superset of j's demand at no higher cost (identical columns are merged before)."""
    At = sparse.csr_matrix(sparse.csc_matrix(A).T)
    return dominated_rows(At, np.asarray(cost, float), drop="subset")


def identical_columns(A: sparse.spmatrix, cost: np.ndarray) -> np.ndarray:
    """Columns with the same demand as another, cheaper (or equal, earlier) one."""
    At = sparse.csr_matrix(sparse.csc_matrix(A).T)
    if At.shape[0] < 2:
        return np.zeros(At.shape[0], bool)
    cost = np.asarray(cost, float)
    keys = _row_keys(At)
    order = np.lexsort((np.arange(len(cost)), cost))  # cheapest first
    _, first = np.unique(keys[order], axis=0, return_index=True)
    out = np.ones(At.shape[0], bool)
    out[order[first]] = False
    return out


def reduce_columns(A: sparse.csr_matrix, cost: np.ndarray) -> np.ndarray:
    """Indices of the columns worth keeping: no empty, identical or dominated ones."""
    keep = np.flatnonzero(np.diff(sparse.csc_matrix(A).indptr) > 0)
    sub = A[:, keep]
    same = identical_columns(sub, cost[keep])
    keep, sub = keep[~same], sub[:, ~same]
    return keep[~dominated_columns(sub, cost[keep])]


def reduce_lscp(A: sparse.csr_matrix, cost: np.ndarray, need: np.ndarray,
                max_rounds: int = 30) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray,
                                                np.ndarray]:
    """Shrink a set covering model to a fixpoint: columns that are the only way to cover
    some row (a row with as many candidates as it needs) are chosen outright, the rows
    they cover go; identical rows are merged, rows implied by others dropped; identical
    and dominated columns dropped (single coverage only). Each step can enable the
    others, so they repeat until nothing changes.

    Returns (matrix, kept column indices, need of the kept rows, forced column indices).
    """
    A = sparse.csr_matrix(A)
    need = np.asarray(need, np.int64)
    cols = np.arange(A.shape[1])
    forced: list[np.ndarray] = []
    for _round in range(max_rounds):
        shape = A.shape
        while A.shape[0]:  # essential columns: cheap, so to their own fixpoint first
            short = np.flatnonzero(np.diff(A.indptr) <= need)
            if not len(short):
                break
            ess = np.unique(A[short].indices)
            forced.append(cols[ess])
            need = need - covered_counts(A, ess)
            open_rows = need > 0
            rest = np.ones(A.shape[1], bool)
            rest[ess] = False
            A, need, cols = A[open_rows][:, rest], need[open_rows], cols[rest]
        if A.shape[0] == 0:
            break
        A, _, need_u = unique_rows(A, np.ones(A.shape[0]), need)
        need = need_u if need_u is not None else need
        keep = ~dominated_rows(A, need)
        A, need = A[keep], need[keep]
        if int(need.max(initial=1)) == 1:
            kept = reduce_columns(A, np.asarray(cost, float)[cols])
            A, cols = A[:, kept], cols[kept]
        if A.shape == shape:
            break
    out = np.concatenate(forced) if forced else np.zeros(0, np.int64)
    return sparse.csr_matrix(A), cols, need, np.sort(out.astype(np.int64))


def components(A: sparse.csr_matrix) -> list[tuple[np.ndarray, np.ndarray]]:
    """Independent blocks of a covering matrix: (rows, columns) of each connected
    component of the demand-candidate graph, largest first (empty columns left out)."""
    from scipy.sparse.csgraph import connected_components

    m = A.shape[0]
    if m == 0:
        return []
    B = sparse.csr_matrix(A, dtype=np.int8)
    graph = sparse.bmat([[None, B], [B.T, None]], format="csr")
    k, label = connected_components(graph, directed=False)
    row_label, col_label = label[:m], label[m:]
    used = np.flatnonzero(np.diff(sparse.csc_matrix(B).indptr) > 0)
    row_order = np.argsort(row_label, kind="stable")
    col_order = used[np.argsort(col_label[used], kind="stable")]
    row_cut = np.searchsorted(row_label[row_order], np.arange(k + 1))
    col_cut = np.searchsorted(col_label[col_order], np.arange(k + 1))
    blocks = [(row_order[row_cut[c]:row_cut[c + 1]], col_order[col_cut[c]:col_cut[c + 1]])
              for c in range(k) if row_cut[c + 1] > row_cut[c]]
    blocks.sort(key=lambda b: -len(b[0]))
    return blocks


def _fixed_columns(n_cand: int, fixed: Any) -> np.ndarray:
    mask = np.zeros(n_cand, bool)
    if fixed is not None:
        fixed = np.asarray(fixed)
        if fixed.dtype == bool:
            mask[:] = fixed
        else:
            mask[fixed.astype(np.int64)] = True
    return mask


# --- HiGHS ---------------------------------------------------------------------------
#: extra HiGHS options for every solve (benchmarks and experiments set them)
HIGHS_OPTIONS: dict[str, Any] = {}
_BANNER_LOCK = threading.Lock()
_BANNER_DONE = False


def new_highs() -> Any:
    """A silent ``highspy.Highs``. The first one prints a banner straight to file
    descriptor 1 (C++), which would spoil ``--json`` on stdout: it goes to the null
    device instead."""
    global _BANNER_DONE
    try:
        import highspy
    except ImportError:
        raise CoverError("the HiGHS solver (Python package highspy) is not installed; "
                         "use method=greedy or install highspy") from None
    with _BANNER_LOCK:
        if _BANNER_DONE:
            highs = highspy.Highs()
        else:
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as null:
                    os.dup2(null.fileno(), 1)
                    highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            _BANNER_DONE = True
    highs.setOptionValue("output_flag", False)
    return highs


def solve_mip(c: np.ndarray, A: sparse.spmatrix, row_lower: np.ndarray, row_upper: np.ndarray,
              col_lower: np.ndarray, col_upper: np.ndarray, integer: np.ndarray,
              time_limit: float | None = None, mip_gap: float = 1e-6,
              threads: int | None = None, lp_solver: str | None = None,
              start: np.ndarray | None = None, presolve: bool = True,
              options: dict[str, Any] | None = None) -> dict[str, Any]:
    """min c.x subject to row_lower <= A x <= row_upper and the column bounds, with HiGHS.

    Returns ``x`` (or None without a feasible point), ``objective``, ``bound``,
    ``optimal``, ``status``. Infinite bounds are given as +-inf.
    """
    import highspy

    A = sparse.csr_matrix(A)
    A.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_ = int(A.shape[1])
    lp.num_row_ = int(A.shape[0])
    lp.col_cost_ = np.asarray(c, np.float64)
    lp.col_lower_ = np.asarray(col_lower, np.float64)
    lp.col_upper_ = np.asarray(col_upper, np.float64)
    lp.row_lower_ = np.asarray(row_lower, np.float64)
    lp.row_upper_ = np.asarray(row_upper, np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(np.float64)
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    kinds = np.asarray(integer, bool)
    if kinds.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous
                           for k in kinds]
    highs = new_highs()
    inf = highs.inf
    lp.col_upper_ = np.where(np.isinf(lp.col_upper_), inf, lp.col_upper_)
    lp.row_lower_ = np.where(np.isneginf(lp.row_lower_), -inf, lp.row_lower_)
    lp.row_upper_ = np.where(np.isposinf(lp.row_upper_), inf, lp.row_upper_)
    highs.setOptionValue("mip_rel_gap", float(mip_gap))
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if lp_solver is not None and not kinds.any():
        highs.setOptionValue("solver", lp_solver)
    if not presolve:
        highs.setOptionValue("presolve", "off")
    for key, value in {**(options or {}), **HIGHS_OPTIONS}.items():
        highs.setOptionValue(key, value)
    if threads is not None:
        highs.setOptionValue("threads", int(threads))
    highs.passModel(lp)
    if start is not None:  # a feasible plan (the greedy one) to prune with from the start
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(start, np.float64)
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    name = highs.modelStatusToString(status)
    has_point = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(highs.getSolution().col_value, float) if has_point else None
    optimal = status == highspy.HighsModelStatus.kOptimal
    objective = float(info.objective_function_value) if has_point else math.nan
    bound = float(info.mip_dual_bound) if kinds.any() else objective
    if status == highspy.HighsModelStatus.kInfeasible:
        x = None
    row_dual = None
    if not kinds.any() and info.dual_solution_status == 2:
        row_dual = np.asarray(highs.getSolution().row_dual, float)
    return {"x": x, "objective": objective, "bound": bound, "optimal": optimal,
            "status": name, "infeasible": status == highspy.HighsModelStatus.kInfeasible,
            "row_dual": row_dual}


# --- LSCP ----------------------------------------------------------------------------
def solve_lscp(A: sparse.spmatrix, cost: np.ndarray | None = None, k: Any = 1,
               fixed: Any = None, method: str = "highs", time_limit: float | None = None,
               mip_gap: float = 1e-6, what: str = "demand") -> CoverResult:
    """Cover every demand point ``k`` times at least cost (count when ``cost`` is None).

    ``fixed`` candidates (indices or a mask) are built already: chosen at no cost.
    ``what`` names the demand in messages. ``method`` "highs" (proven optimum within the
    time limit; greedy when HiGHS finds nothing in time) or "greedy" (with the LP bound).
    """
    t0 = time.perf_counter()
    A = sparse.csr_matrix(A, dtype=np.int8)
    m, n = A.shape
    cost = np.ones(n) if cost is None else np.asarray(cost, float)
    need = np.broadcast_to(np.asarray(k, np.int64), (m,)).copy()
    if n == 0:
        raise CoverError(f"no candidates to cover the {what} with")
    counts = np.diff(A.indptr)
    short = counts < need
    if short.any():
        raise CoverError(f"{int(short.sum())} of {m} {what} points cannot be covered "
                         f"{'by any candidate' if int(need.max()) == 1 else 'often enough'} "
                         f"(first: point {int(np.flatnonzero(short)[0])}); widen the radius "
                         "or add candidates")
    fixed_mask = _fixed_columns(n, fixed)
    residual = need - covered_counts(A, np.flatnonzero(fixed_mask))
    open_rows = residual > 0
    free = np.flatnonzero(~fixed_mask)
    sub = A[open_rows][:, free]
    sub_need = residual[open_rows]
    sub, kept, sub_need, forced = reduce_lscp(sub, cost[free], sub_need)
    forced_free = free[forced]  # the only cover of some demand: chosen outright
    free = free[kept]
    blocks = components(sub)
    size = {"rows": int(sub.shape[0]), "columns": int(sub.shape[1]), "nonzeros": int(sub.nnz),
            "forced": len(forced_free), "components": len(blocks),
            "largest_rows": len(blocks[0][0]) if blocks else 0,
            "largest_columns": len(blocks[0][1]) if blocks else 0}
    # independent blocks solved one by one, smallest first, sharing the time limit
    deadline = None if time_limit is None else t0 + float(time_limit)
    parts: list[np.ndarray] = []
    bound, optimal, statuses, used = 0.0, True, set(), "highs"
    for rows_b, cols_b in reversed(blocks):
        block = sub[rows_b][:, cols_b]
        c_b, need_b = cost[free][cols_b], sub_need[rows_b]
        greedy = greedy_lscp(block, c_b, need_b)
        g_obj = float(c_b[greedy].sum())
        if len(cols_b) == 1 or g_obj <= 0:
            parts.append(cols_b[greedy])
            bound += g_obj
            continue
        left = None if deadline is None else max(0.05, deadline - time.perf_counter())
        if method == "greedy":
            b_bound = lscp_lower_bound(block, c_b, need_b, g_obj, left)
            parts.append(cols_b[greedy])
            bound += b_bound
            optimal &= g_obj - b_bound <= 1e-6 * max(1.0, abs(g_obj))
            statuses.add("Greedy")
            used = "greedy"
            continue
        if left is not None and block.nnz > LP_BOUND_NNZ:
            # a large block under a time limit: a better plan first from blocks
            # restricted to the columns the LP uses most (full size: 476 -> 426 in 1 s)
            greedy = _lscp_support_plans(block, c_b, need_b, greedy, deadline)
            g_obj = float(c_b[greedy].sum())
            left = max(0.05, deadline - time.perf_counter()) if deadline is not None else None
        start = np.zeros(len(cols_b))
        start[greedy] = 1.0
        sol = solve_mip(c_b, block, need_b.astype(float), np.full(len(rows_b), np.inf),
                        np.zeros(len(cols_b)), np.ones(len(cols_b)), np.ones(len(cols_b), bool),
                        left, mip_gap, start=start)
        statuses.add(sol["status"])
        if sol["infeasible"]:
            raise CoverError(f"the {what} cannot be covered as asked")
        pick = None if sol["x"] is None else np.flatnonzero(sol["x"] > 0.5)
        if pick is None or float(c_b[pick].sum()) > g_obj or \
                (covered_counts(block, pick) < need_b).any():
            pick, used = greedy, ("greedy" if sol["x"] is None else used)
        parts.append(cols_b[pick])
        bound += max(float(sol["bound"]), 0.0) if math.isfinite(sol["bound"]) else 0.0
        optimal &= bool(sol["optimal"])
    chosen_kept = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
    chosen_cols = np.concatenate([free[chosen_kept], forced_free]).astype(np.int64)
    forced_cost = float(cost[forced_free].sum())
    obj = float(cost[chosen_cols].sum())
    bound = min(bound + forced_cost, obj)
    if not blocks:
        optimal = True
    status = ("Optimal" if optimal else
              "Time limit reached" if "Time limit reached" in statuses else
              ", ".join(sorted(statuses)) or "Optimal")
    selected = np.sort(np.concatenate([np.flatnonzero(fixed_mask), chosen_cols]))
    counts_now = covered_counts(A, selected)
    if (counts_now < need).any():  # never trust the solver alone
        raise CoverError(f"internal check failed: the plan leaves {what} uncovered")
    return CoverResult(selected, obj, float(bound), optimal, used, status,
                       time.perf_counter() - t0, covered_share(A, selected, None, need), size)


def _lscp_support_plans(A: sparse.csr_matrix, cost: np.ndarray, need: np.ndarray,
                        plan: np.ndarray, deadline: float | None) -> np.ndarray:
    """A heuristic for a large set covering block: the LP, then HiGHS on the block
    restricted to the columns with LP value above 0.5, 0.3, 0.2, 0.1 (and the plan's,
    so each stays feasible), each from the best plan so far, while each is solved
    within a sixth of the time left. Returns the best plan; bounds prove nothing here.
    """
    m, n = A.shape
    need = np.asarray(need, float)

    def rest() -> float | None:
        return None if deadline is None else deadline - time.perf_counter()

    left = rest()
    lp = solve_mip(cost, A, need, np.full(m, np.inf), np.zeros(n), np.ones(n),
                   np.zeros(n, bool), None if left is None else 0.3 * left)
    if lp["x"] is None or not lp["optimal"]:
        return plan
    best, best_cost = np.asarray(plan, np.int64), float(cost[plan].sum())
    last = -1
    for cut in (0.5, 0.3, 0.2, 0.1):
        left = rest()
        if left is not None and left < 1.0:
            break
        support = np.flatnonzero((lp["x"] > cut) | np.isin(np.arange(n), best))
        if len(support) == last:
            continue
        last = len(support)
        sol = solve_mip(cost[support], A[:, support], need, np.full(m, np.inf),
                        np.zeros(len(support)), np.ones(len(support)),
                        np.ones(len(support), bool), None if left is None else left / 6,
                        start=np.isin(support, best).astype(float))
        if sol["x"] is not None:
            pick = support[sol["x"] > 0.5]
            if float(cost[pick].sum()) < best_cost and \
                    (covered_counts(A, pick) >= need).all():
                best, best_cost = pick, float(cost[pick].sum())
        if not sol["optimal"]:
            break
    return best


def greedy_lscp(A: sparse.csr_matrix, cost: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Lazy greedy: repeatedly the column with most still-needed rows per unit cost."""
    csc = sparse.csc_matrix(A)
    residual = np.asarray(need, np.int64).copy()
    cost = np.maximum(np.asarray(cost, float), 1e-12)
    gains = np.diff(csc.indptr).astype(float)
    heap = [(-g / cost[j], j) for j, g in enumerate(gains) if g > 0]
    heapq.heapify(heap)
    chosen = np.zeros(A.shape[1], bool)
    remaining = int((residual > 0).sum())
    while remaining > 0 and heap:
        _neg, j = heapq.heappop(heap)
        if chosen[j]:
            continue
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        gain = int((residual[rows] > 0).sum())
        if gain == 0:
            continue
        if heap and gain / cost[j] < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-gain / cost[j], j))
            continue
        chosen[j] = True
        before = residual[rows] > 0
        residual[rows] -= 1
        remaining -= int((before & (residual[rows] <= 0)).sum())
    if remaining > 0:
        raise CoverError("the demand cannot be covered as asked")
    return drop_redundant(csc, cost, need, np.flatnonzero(chosen))


def drop_redundant(A: sparse.spmatrix, cost: np.ndarray, need: np.ndarray,
                   chosen: np.ndarray) -> np.ndarray:
    """A covering plan without the columns it can spare (dearest, then least useful
    first): a column goes when every row it covers stays covered as often as needed."""
    csc = sparse.csc_matrix(A)
    chosen = np.asarray(chosen, np.int64)
    slack = covered_counts(csc, chosen) - np.asarray(need, np.int64)
    keep = np.ones(len(chosen), bool)
    sizes = np.diff(csc.indptr)[chosen]
    for at in np.lexsort((sizes, -np.asarray(cost, float)[chosen])):
        j = chosen[at]
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        if (slack[rows] >= 1).all():
            slack[rows] -= 1
            keep[at] = False
    return np.sort(chosen[keep])


def lscp_lower_bound(A: sparse.csr_matrix, cost: np.ndarray, need: np.ndarray,
                     greedy_cost: float, time_limit: float | None) -> float:
    """The LP relaxation's value (HiGHS), else the greedy's H(d) guarantee."""
    try:
        sol = solve_mip(cost, A, need.astype(float), np.full(A.shape[0], np.inf),
                        np.zeros(A.shape[1]), np.ones(A.shape[1]), np.zeros(A.shape[1], bool),
                        time_limit)
        if sol["x"] is not None and sol["optimal"]:
            return float(math.ceil(sol["objective"] - 1e-6)
                         if np.allclose(cost, np.round(cost)) else sol["objective"])
    except CoverError:
        pass
    d = int(np.diff(sparse.csc_matrix(A).indptr).max(initial=1))
    harmonic = sum(1.0 / i for i in range(1, d + 1))
    return greedy_cost / harmonic


def lscp_fixing(A: sparse.spmatrix, cost: np.ndarray, need: np.ndarray, y: np.ndarray,
                incumbent: float) -> tuple[np.ndarray, np.ndarray, float]:
    """LP reduced-cost fixing for a set covering model (``A x >= need``, x in {0, 1}):
    masks of the columns no plan cheaper than ``incumbent`` uses (fixed to 0) and of
    those every such plan uses (fixed to 1), and the Lagrangian lower bound.

    For any row prices ``y >= 0`` (the LP's duals are the best), with reduced costs
    ``d = cost - A'y``, every plan costs at least ``L = need.y + sum(min(d, 0))``; one
    using column j with ``d_j > 0`` at least ``L + d_j``, one without column j with
    ``d_j < 0`` at least ``L - d_j``. A column is fixed when that exceeds the incumbent
    (less one when every cost is an integer). With unit costs ``d_j <= 1``: nothing is
    fixed to 0 while the incumbent is 2 or more above the bound."""
    cost = np.asarray(cost, float)
    y = np.maximum(np.asarray(y, float), 0.0)
    d = cost - np.asarray(sparse.csc_matrix(A, dtype=np.float64).T @ y).ravel()
    bound = float(np.asarray(need, float) @ y) + float(np.minimum(d, 0.0).sum())
    scale = max(1.0, abs(float(incumbent)), abs(bound))
    integral = bool(np.all(cost == np.round(cost)))
    # a cheaper plan costs at most incumbent - 1 (integer costs), else less than it;
    # the margin keeps rounding on the safe side
    threshold = (float(incumbent) - 1.0 + 1e-6 * scale if integral
                 else float(incumbent) + 1e-9 * scale)
    fix0 = (d > 0) & (bound + d > threshold)
    fix1 = (d < 0) & (bound - d > threshold)
    return fix0, fix1, bound


# --- MCLP ----------------------------------------------------------------------------
def solve_mclp(A: sparse.spmatrix, weights: np.ndarray | None = None, p: int | None = None,
               cost: np.ndarray | None = None, budget: float | None = None, fixed: Any = None,
               method: str = "highs", time_limit: float | None = None,
               mip_gap: float = 1e-6) -> CoverResult:
    """Most demand weight covered by at most ``p`` new candidates and/or at most ``budget``
    of ``cost``; ``fixed`` candidates are built already and count for neither."""
    t0 = time.perf_counter()
    A = sparse.csr_matrix(A, dtype=np.int8)
    m, n = A.shape
    w = np.ones(m) if weights is None else np.asarray(weights, float)
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        raise CoverError("demand weights must be finite and not negative")
    if p is None and budget is None:
        raise CoverError("the maximal covering model needs p (number of poles) or a budget")
    cost = np.ones(n) if cost is None else np.asarray(cost, float)
    fixed_mask = _fixed_columns(n, fixed)
    base = covered_counts(A, np.flatnonzero(fixed_mask)) > 0
    base_weight = float(w[base].sum())
    reachable = np.diff(A.indptr) > 0
    open_rows = ~base & reachable & (w > 0)
    free = np.flatnonzero(~fixed_mask)
    sub = A[open_rows][:, free]
    sub, sub_w, _ = unique_rows(sub, w[open_rows])
    if sub.shape[0] and len(free):
        cols = reduce_columns(sub, cost[free])
        free, sub = free[cols], sub[:, cols]
        sub, sub_w, _ = unique_rows(sub, sub_w)
    size = {"rows": int(sub.shape[0]), "columns": int(sub.shape[1]), "nonzeros": int(sub.nnz)}
    nf = len(free)
    if sub.shape[0] == 0 or nf == 0 or (p is not None and p <= 0):
        chosen_free, obj_sub, bound_sub, optimal, status, used = (
            np.zeros(0, np.int64), 0.0, 0.0, True, "Optimal", "highs")
    elif method == "greedy":
        chosen_free = greedy_mclp(sub, sub_w, p, cost[free], budget)
        obj_sub = _weight_covered(sub, sub_w, chosen_free)
        bound_sub = mclp_upper_bound(sub, sub_w, p, cost[free], budget, obj_sub, time_limit)
        optimal = bound_sub - obj_sub <= 1e-6 * max(1.0, abs(obj_sub))
        status, used = "Greedy", "greedy"
    else:
        deadline = None if time_limit is None else t0 + float(time_limit)
        chosen_free, obj_sub, bound_sub, optimal, status, info = _mclp_highs(
            sub, sub_w, p, cost[free], budget, deadline, mip_gap)
        size.update(info)
        used = "highs"
    selected = np.sort(np.concatenate([np.flatnonzero(fixed_mask), free[chosen_free]]))
    hit = covered_counts(A, selected) > 0
    objective = float(w[hit].sum())  # recomputed from the plan, fixed coverage included
    bound = max(objective, base_weight + bound_sub)
    total = float(w.sum())
    return CoverResult(selected, objective, bound, optimal, used, status,
                       time.perf_counter() - t0, objective / total if total > 0 else 0.0, size)


def subgradient_bound(A: sparse.csr_matrix, w: np.ndarray, p: int, target: float,
                      deadline: float | None = None, iterations: int = 1500) -> float:
    """Upper bound on a p-limited MCLP by projected subgradient on the row prices y of
    ``mclp_dual_bound`` (Polyak steps towards ``target``, a known plan's weight, halved
    when the bound stalls). Every iterate is a valid bound; the best is returned."""
    return subgradient_prices(A, w, p, target, deadline, iterations)[0]


def subgradient_prices(A: sparse.csr_matrix, w: np.ndarray, p: int, target: float,
                       deadline: float | None = None,
                       iterations: int = 1500) -> tuple[float, np.ndarray]:
    """``subgradient_bound`` and the row prices that give it."""
    A = sparse.csr_matrix(A, dtype=np.float64)
    At = sparse.csr_matrix(A.T)
    w = np.asarray(w, float)
    n = A.shape[1]
    best = float(w.sum())
    best_y = np.zeros(len(w))
    if p <= 0 or p >= n:
        return (best if p > 0 else 0.0), best_y
    y = 0.5 * w
    step, stall = 1.0, 0
    for _ in range(iterations):
        if deadline is not None and time.perf_counter() > deadline:
            break
        price = At @ y
        top = np.argpartition(-price, p)[:p]
        value = float((w - y).sum() + price[top].sum())
        if value < best - 1e-9 * max(1.0, best):
            best, best_y, stall = value, y.copy(), 0
        else:
            stall += 1
            if stall >= 20:
                step, stall = step / 2, 0
        pick = np.zeros(n)
        pick[top] = 1.0
        g = A @ pick - 1.0
        g[(y <= 0) & (g > 0)] = 0.0
        g[(y >= w) & (g < 0)] = 0.0
        norm = float(g @ g)
        if norm == 0.0 or step < 1e-6:
            break
        y = np.clip(y - step * max(value - target, 1e-9) / norm * g, 0.0, w)
    return best, best_y


def swap_search(A: sparse.csr_matrix, w: np.ndarray, chosen: np.ndarray,
                deadline: float | None = None, max_cells: int = 30_000_000) -> np.ndarray:
    """Best-improvement local search for a p-limited MCLP: swap one chosen column for
    one not chosen while that covers more weight (the number chosen stays). Each round
    prices every swap at once: gain of adding k, loss of dropping j (rows only j covers)
    and what k wins back of that loss."""
    A = sparse.csr_matrix(A, dtype=np.float64)
    At = sparse.csr_matrix(A.T)
    m, n = A.shape
    w = np.asarray(w, float)
    pick = np.zeros(n, bool)
    pick[np.asarray(chosen, np.int64)] = True
    if not pick.any() or pick.all() or n * int(pick.sum()) > max_cells:
        return np.flatnonzero(pick)
    while deadline is None or time.perf_counter() < deadline:
        count = np.asarray(A @ pick.astype(np.float64)).ravel()
        gain = np.asarray(At @ (w * (count == 0))).ravel()
        ch = np.flatnonzero(pick)
        once = np.flatnonzero(count == 1)
        owner = A[once][:, ch].indices  # the one chosen column of each such row
        loss = np.bincount(owner, weights=w[once], minlength=len(ch))
        back = (At @ sparse.csr_matrix((w[once], (once, owner)), shape=(m, len(ch)))).toarray()
        delta = gain[:, None] - loss[None, :] + back
        delta[ch, :] = -np.inf
        k, j = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if delta[k, j] <= 1e-9 * max(1.0, float(w.sum())):
            break
        pick[ch[j]] = False
        pick[k] = True
    return np.flatnonzero(pick)


def mclp_fixing(A: sparse.csr_matrix, w: np.ndarray, y: np.ndarray, p: int,
                incumbent: float, integral: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Lagrangian reduced-cost fixing for a p-limited MCLP: masks of the columns that no
    plan better than ``incumbent`` uses (fixed to 0) and of those every such plan uses
    (fixed to 1).

    With row prices ``0 <= y <= w`` the bound of ``mclp_dual_bound`` is
    ``sum(w - y)`` plus the p largest positive column prices. Forcing column j in (out)
    gives the bound of the plans that do (do not) use it: j's price replaces the
    smallest of the p taken (the (p+1)-th replaces j's). When that bound cannot beat the
    incumbent (by a whole unit when every weight is an integer), the column is fixed.
    Every bound here is a valid one whatever ``y``, so the fixing is exact: the best plan
    of the fixed model, or the incumbent, is optimal for the full one."""
    w = np.asarray(w, float)
    y = np.clip(np.asarray(y, float), 0.0, w)
    n = A.shape[1]
    none = np.zeros(n, bool)
    if p is None or p <= 0 or n == 0:
        return none, none.copy()
    price = np.asarray(sparse.csc_matrix(A, dtype=np.float64).T @ y).ravel()
    order = np.argsort(-price, kind="stable")
    positive = int((price > 0).sum())
    take = order[:min(int(p), positive)]
    base = float((w - y).sum()) + float(price[take].sum())
    in_top = np.zeros(n, bool)
    in_top[take] = True
    last = float(price[take[-1]]) if len(take) == p else 0.0  # the smallest one taken
    following = float(price[order[p]]) if p < n and price[order[p]] > 0 else 0.0
    with_j = base - last + price  # bound of the plans using j (j not taken)
    without_j = base - price + following  # bound of the plans without j (j taken)
    scale = max(1.0, abs(float(incumbent)), base)
    # a better plan covers at least incumbent + 1 with integer weights, else more than
    # incumbent; the margin keeps rounding on the safe side
    threshold = (float(incumbent) + 1.0 - 1e-6 * scale if integral
                 else float(incumbent) - 1e-9 * scale)
    fix0 = ~in_top & (with_j < threshold)
    fix1 = in_top & (without_j < threshold)
    return fix0, fix1


def _mclp_highs(A: sparse.csr_matrix, w: np.ndarray, p: int | None, cost: np.ndarray,
                budget: float | None, deadline: float | None,
                mip_gap: float) -> tuple[np.ndarray, float, float, bool, str, dict[str, Any]]:
    """A reduced MCLP (unique rows, no dominated column) to proven optimality within the
    deadline: greedy plan and swaps, the LP's row prices (interior point) for a bound,
    the LP solution rounded and swapped for a better plan, reduced-cost fixing with
    that plan and bound, then HiGHS's branch and bound on the fixed model only when the
    plan does not meet the bound already.

    Returns (chosen columns, weight, bound, optimal, status, model figures)."""
    ms, nf = A.shape
    w = np.asarray(w, float)
    integral = bool(np.all(w == np.round(w)))
    info: dict[str, Any] = {}

    def left() -> float | None:
        return None if deadline is None else deadline - time.perf_counter()

    def share(part: float) -> float | None:
        rest = left()
        return None if rest is None else time.perf_counter() + part * max(rest, 0.0)

    def settle(value: float) -> float:  # integer weights: no plan covers a fraction more
        return float(math.floor(value + 1e-6 + 1e-9 * abs(value))) if integral else value

    def proven(obj: float, bound: float) -> bool:
        return obj >= bound - mip_gap * max(1.0, abs(bound))

    best = greedy_mclp(A, w, p, cost, budget)
    if budget is None:  # better swaps of one pole for another, a quarter of the time
        best = swap_search(A, w, best, share(0.25))
    best_obj = _weight_covered(A, w, best)
    bound = float(w.sum())
    prices: np.ndarray | None = None
    if A.nnz > LP_BOUND_NNZ and p is not None:
        # a bound in a second or two whatever happens next: the Lagrangian dual
        bound, prices = subgradient_prices(A, w, p, best_obj, share(0.15))
    rows, lower, upper = _mclp_rows(A, p, cost, budget)
    c_vec = np.concatenate([np.zeros(nf), -w])
    # the root LP by interior point takes seconds where dual simplex takes minutes on a
    # large model; its row prices give a proven bound whatever its accuracy
    rest = left()
    lp = solve_mip(c_vec, rows, lower, upper, np.zeros(nf + ms), np.ones(nf + ms),
                   np.zeros(nf + ms, bool), None if rest is None else max(0.05, 0.9 * rest),
                   lp_solver="ipm", options={"run_crossover": "off"})
    if lp["row_dual"] is not None:
        y = np.clip(-lp["row_dual"][:ms], 0.0, w)
        lp_bound = mclp_dual_bound(A, w, y, p, cost, budget)
        if lp_bound < bound:
            bound, prices = lp_bound, y
    if lp["x"] is not None and p is not None and budget is None and not proven(
            best_obj, settle(bound)):
        # the LP's plan rounded (its largest x, ties by price) and improved by swaps
        price = (np.zeros(nf) if prices is None else
                 np.asarray(sparse.csc_matrix(A, dtype=np.float64).T @ prices).ravel())
        rounded = np.lexsort((-price, -lp["x"][:nf]))[:min(int(p), nf)]
        rounded = swap_search(A, w, rounded, share(0.25))
        if _weight_covered(A, w, rounded) > best_obj:
            best, best_obj = rounded, _weight_covered(A, w, rounded)
    bound = settle(max(bound, best_obj))
    status = "Optimal"
    if proven(best_obj, bound):
        return best, best_obj, bound, True, status, info
    fix0 = fix1 = np.zeros(nf, bool)
    if prices is not None and p is not None:
        fix0, fix1 = mclp_fixing(A, w, prices, p, best_obj, integral)
    info["fixed_to_0"], info["fixed_to_1"] = int(fix0.sum()), int(fix1.sum())
    # the fixed model: fixed-in columns chosen, the rows they cover gone, fixed-out
    # columns gone with the rows nobody else covers, then merged and reduced again
    ones = np.flatnonzero(fix1)
    done = covered_counts(A, ones) > 0
    keep = np.flatnonzero(~fix0 & ~fix1)
    R = A[~done][:, keep]
    rw = w[~done]
    reach = np.diff(R.indptr) > 0
    R, rw = R[reach], rw[reach]
    R, rw, _ = unique_rows(R, rw)
    if R.shape[0] and len(keep):
        kept = reduce_columns(R, cost[keep])
        keep, R = keep[kept], R[:, kept]
        R, rw, _ = unique_rows(R, rw)
    p_left = None if p is None else int(p) - len(ones)
    budget_left = None if budget is None else float(budget) - float(cost[ones].sum())
    base = float(w[done].sum())
    info.update(fixed_rows=int(R.shape[0]), fixed_columns=int(R.shape[1]),
                fixed_nonzeros=int(R.nnz))
    incumbent = best_obj  # plans that break the fixing cover no more than this
    rest = left()
    enough = 0.05 if R.nnz <= LP_BOUND_NNZ else 5.0  # a large root LP needs a while
    status = "Time limit reached"
    open_model = R.shape[0] > 0 and len(keep) > 0 and (p_left is None or p_left > 0)
    if not open_model:
        pick = ones  # nothing left to gain: the fixed-in columns are the best plan
        if _weight_covered(A, w, pick) > best_obj:
            best, best_obj = pick, _weight_covered(A, w, pick)
        bound = settle(min(bound, max(incumbent, base)))
    elif rest is not None and R.nnz > LP_BOUND_NNZ and lp["x"] is not None and rest > 0.5:
        # a large model under a time limit: HiGHS's root LP of it alone takes minutes,
        # so the time goes to models restricted to the columns the LP uses most (and the
        # plan's), widened step by step, each from the best plan so far: a heuristic
        # (full size: 437,743 -> 438,501 in 4 s), whose bounds prove nothing
        x_keep = lp["x"][:nf][keep]
        last = -1
        for cut in (0.3, 0.2, 0.15, 0.1, 0.07, 0.05, 0.03, 0.01):
            rest = left()
            if rest is None or rest < 0.5:
                break
            support = np.flatnonzero((x_keep > cut) | np.isin(keep, best))
            if len(support) == last:
                continue
            last = len(support)
            S = R[:, support]
            filled = np.diff(S.indptr) > 0
            sol = _mclp_mip(S[filled], rw[filled], p_left, cost[keep][support], budget_left,
                            np.flatnonzero(np.isin(keep[support], best)), 0.4 * rest,
                            mip_gap, integral)
            info["support_columns"] = len(support)
            if sol["x"] is not None:
                pick = np.concatenate([ones, keep[support][sol["x"]]])
                if _weight_covered(A, w, pick) > best_obj:
                    best, best_obj = np.sort(pick), _weight_covered(A, w, pick)
            if not sol["optimal"]:
                break  # wider supports only take longer
        rest = left()  # and what is left to the whole fixed model (below)
    if open_model and (rest is None or rest > enough):
        sol = _mclp_mip(R, rw, p_left, cost[keep], budget_left,
                        np.flatnonzero(np.isin(keep, best)), rest, mip_gap, integral)
        status = sol["status"]
        if sol["x"] is not None:
            pick = np.concatenate([ones, keep[sol["x"]]])
            if _weight_covered(A, w, pick) > best_obj:
                best, best_obj = np.sort(pick), _weight_covered(A, w, pick)
        if math.isfinite(sol["bound"]):
            bound = settle(min(bound, max(incumbent, base - float(sol["bound"]))))
    bound = max(bound, best_obj)
    optimal = proven(best_obj, bound)
    if optimal:
        status = "Optimal"
    elif status == "Optimal":
        status = "Time limit reached"
    return np.asarray(best, np.int64), best_obj, bound, optimal, status, info


def _mclp_mip(R: sparse.csr_matrix, rw: np.ndarray, p: int | None, cost: np.ndarray,
              budget: float | None, inside: np.ndarray, time_limit: float | None,
              mip_gap: float, integral: bool) -> dict[str, Any]:
    """HiGHS's branch and bound on an MCLP, started from the plan ``inside`` (columns of
    R) when it fits; ``x`` of the answer is the chosen columns, ``bound`` HiGHS's (on
    minus the weight)."""
    mr, mc = R.shape
    rows, lower, upper = _mclp_rows(R, p, cost, budget)
    start = None
    if (p is None or len(inside) <= p) and \
            (budget is None or float(cost[inside].sum()) <= budget):
        start = np.zeros(mc + mr)
        start[inside] = 1.0
        start[mc:] = covered_counts(R, inside) > 0
    # integer weights: a plan within less than one of the bound is optimal
    options = {"mip_abs_gap": 0.999} if integral else {}
    sol = solve_mip(np.concatenate([np.zeros(mc), -rw]), rows, lower, upper,
                    np.zeros(mc + mr), np.ones(mc + mr),
                    np.concatenate([np.ones(mc, bool), np.zeros(mr, bool)]), time_limit,
                    mip_gap, start=start, options=options)
    if sol["x"] is not None:
        sol["x"] = np.flatnonzero(sol["x"][:mc] > 0.5)
    return sol


#: above this many matrix entries the MCLP's LP bound comes first, by interior point
LP_BOUND_NNZ = 100_000


def _mclp_rows(A: sparse.csr_matrix, p: int | None, cost: np.ndarray,
               budget: float | None) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """MCLP rows over columns x (candidates, 0/1) then z (demand, 0..1):
    z_i - sum_j a_ij x_j <= 0, then sum x <= p and/or cost.x <= budget."""
    ms, nf = A.shape
    rows = sparse.hstack([-A.astype(np.float64), sparse.identity(ms, format="csr")],
                         format="csr")
    lower, upper, extra = [np.full(ms, -np.inf)], [np.zeros(ms)], []
    if p is not None:
        extra.append(np.concatenate([np.ones(nf), np.zeros(ms)]))
        lower.append(np.array([-np.inf]))
        upper.append(np.array([float(p)]))
    if budget is not None:
        extra.append(np.concatenate([np.asarray(cost, float), np.zeros(ms)]))
        lower.append(np.array([-np.inf]))
        upper.append(np.array([float(budget)]))
    if extra:
        rows = sparse.vstack([rows, sparse.csr_matrix(np.vstack(extra))], format="csr")
    return rows, np.concatenate(lower), np.concatenate(upper)


def _weight_covered(A: sparse.csr_matrix, w: np.ndarray, chosen: np.ndarray) -> float:
    return float(w[covered_counts(A, chosen) > 0].sum())


def greedy_mclp(A: sparse.csr_matrix, w: np.ndarray, p: int | None, cost: np.ndarray,
                budget: float | None) -> np.ndarray:
    """Lazy greedy: the column adding most uncovered weight (per unit cost under a budget)
    until p columns are chosen or the budget is spent."""
    csc = sparse.csc_matrix(A)
    covered = np.zeros(A.shape[0], bool)
    cost = np.maximum(np.asarray(cost, float), 1e-12)
    per_cost = budget is not None
    gains = np.asarray(csc.T @ w).ravel()
    heap = [(-(g / cost[j] if per_cost else g), j) for j, g in enumerate(gains) if g > 0]
    heapq.heapify(heap)
    chosen: list[int] = []
    spent = 0.0
    limit = p if p is not None else A.shape[1]
    while heap and len(chosen) < limit:
        _neg, j = heapq.heappop(heap)
        if budget is not None and spent + cost[j] > budget + 1e-9:
            continue
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        gain = float(w[rows][~covered[rows]].sum())
        if gain <= 0:
            continue
        score = gain / cost[j] if per_cost else gain
        if heap and score < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-score, j))
            continue
        chosen.append(j)
        covered[rows] = True
        spent += cost[j]
    return np.array(sorted(chosen), np.int64)


def mclp_upper_bound(A: sparse.csr_matrix, w: np.ndarray, p: int | None, cost: np.ndarray,
                     budget: float | None, greedy_weight: float,
                     time_limit: float | None) -> float:
    """The LP relaxation's value, and for a plain p-limit the (1 - 1/e) guarantee."""
    bounds = [float(w.sum())]
    if p is not None and budget is None:
        bounds.append(greedy_weight / (1.0 - 1.0 / math.e))
    nf, ms = A.shape[1], A.shape[0]
    try:
        rows, lower, upper = _mclp_rows(A, p, cost, budget)
        sol = solve_mip(np.concatenate([np.zeros(nf), -w]), rows, lower, upper,
                        np.zeros(nf + ms), np.ones(nf + ms), np.zeros(nf + ms, bool),
                        time_limit, lp_solver="ipm", options={"run_crossover": "off"})
        if sol["row_dual"] is not None:  # proven whatever the interior point's accuracy
            bounds.append(mclp_dual_bound(A, w, -sol["row_dual"][:ms], p, cost, budget))
    except CoverError:
        pass
    return max(min(bounds), greedy_weight)


def mclp_dual_bound(A: sparse.csr_matrix, w: np.ndarray, y: np.ndarray, p: int | None,
                    cost: np.ndarray, budget: float | None) -> float:
    """An upper bound on the weight any plan covers, valid for every ``0 <= y <= w``
    (Lagrangian relaxation of the coverage rows, the LP's dual with y its row prices):
    sum(w - y) plus the best the x can earn at prices A'y, which is the p largest column
    prices under a p-limit, or a fractional knapsack of them under a cost cap."""
    w = np.asarray(w, float)
    y = np.clip(np.asarray(y, float), 0.0, w)
    price = np.asarray(sparse.csc_matrix(A, dtype=np.float64).T @ y).ravel()
    rest = float((w - y).sum())
    if p is not None:
        top = np.sort(price)[::-1][:max(int(p), 0)]
        return rest + float(top[top > 0].sum())
    cost = np.asarray(cost, float)
    free_gain = float(price[cost <= 0].sum())
    paid = cost > 0
    order = np.argsort(-(price[paid] / cost[paid]))
    gains, costs = price[paid][order], cost[paid][order]
    good = gains > 0
    gains, costs = gains[good], costs[good]
    spent = np.cumsum(costs)
    full = int(np.searchsorted(spent, float(budget or 0.0), side="right"))
    total = float(gains[:full].sum())
    if full < len(gains):
        room = float(budget or 0.0) - (float(spent[full - 1]) if full else 0.0)
        total += gains[full] * max(room, 0.0) / costs[full]
    return rest + free_gain + total
