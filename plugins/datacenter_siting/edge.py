"""Edge node placement on a latency matrix (candidates x demand centres, ms one way).

* **p-median**: open exactly ``p`` candidates and assign each demand centre to one open
  candidate, minimising the demand-weighted latency (optionally only assignments under
  a latency cap);
* **set covering (LSCP)**: the fewest candidates (or least cost) such that every demand
  centre has an open candidate within the latency cap.

Both are mixed-integer programs solved by HiGHS; every open candidate y_j is binary,
assignments x_ij are continuous (integral at the optimum of the p-median).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from datacenter_siting.milp import SolverError, solve


class EdgeError(ValueError):
    """No plan is possible (one line naming the demand centre or the parameter)."""


@dataclass
class EdgePlan:
    selected: np.ndarray      # candidate indices, ascending
    assignment: np.ndarray    # per demand centre, the serving candidate index
    objective: float
    optimal: bool
    latency: np.ndarray       # per demand centre, latency to its serving candidate


def _finish(x: np.ndarray | None, n_cand: int, lat: np.ndarray, status: str,
            optimal: bool, objective: float, allowed: np.ndarray) -> EdgePlan:
    if x is None:
        raise SolverError(f"HiGHS found no plan ({status})")
    selected = np.flatnonzero(x[:n_cand] > 0.5)
    masked = np.where(allowed[selected], lat[selected], np.inf)
    assignment = selected[np.argmin(masked, axis=0)]
    return EdgePlan(selected, assignment, objective, optimal,
                    lat[assignment, np.arange(lat.shape[1])])


def p_median(latency: np.ndarray, weights: np.ndarray, p: int, cap: float | None = None,
             time_limit: float = 60.0) -> EdgePlan:
    """Open ``p`` of the candidates (rows) minimising sum_i w_i * latency to its server."""
    lat = np.asarray(latency, float)
    n_c, n_d = lat.shape
    w = np.asarray(weights, float)
    if not 1 <= p <= n_c:
        raise EdgeError(f"p: must be between 1 and the {n_c} candidates, got {p}")
    allowed = np.isfinite(lat) & (lat <= cap if cap is not None else True)
    _check_reachable(allowed)
    cand, dem = np.nonzero(allowed)  # one assignment variable per allowed pair
    k = len(cand)
    n_var = n_c + k
    c = np.concatenate([np.zeros(n_c), w[dem] * lat[cand, dem]])
    pair = np.arange(k)
    # rows: assign each demand once; x_ij - y_j <= 0; sum y = p
    assign = sparse.csr_matrix((np.ones(k), (dem, n_c + pair)), shape=(n_d, n_var))
    link = sparse.csr_matrix((np.concatenate([np.ones(k), -np.ones(k)]),
                              (np.concatenate([pair, pair]),
                               np.concatenate([n_c + pair, cand]))), shape=(k, n_var))
    count = sparse.csr_matrix((np.ones(n_c), (np.zeros(n_c, int), np.arange(n_c))),
                              shape=(1, n_var))
    A = sparse.vstack([assign, link, count])
    lo = np.concatenate([np.ones(n_d), np.full(k, -np.inf), [p]])
    hi = np.concatenate([np.ones(n_d), np.zeros(k), [p]])
    integer = np.concatenate([np.ones(n_c, bool), np.zeros(k, bool)])
    sol = solve(c, A, lo, hi, np.zeros(n_var), np.ones(n_var), integer, time_limit)
    return _finish(sol["x"], n_c, lat, sol["status"], sol["optimal"], sol["objective"],
                   allowed)


def set_cover(latency: np.ndarray, cap: float, cost: np.ndarray | None = None,
              time_limit: float = 60.0) -> EdgePlan:
    """The fewest (or cheapest) candidates with every demand centre within ``cap`` ms."""
    lat = np.asarray(latency, float)
    n_c, _n_d = lat.shape
    allowed = np.isfinite(lat) & (lat <= cap)
    _check_reachable(allowed, cap)
    A = sparse.csr_matrix(allowed.T.astype(float))
    c = np.ones(n_c) if cost is None else np.asarray(cost, float)
    sol = solve(c, A, np.ones(A.shape[0]), np.full(A.shape[0], np.inf), np.zeros(n_c),
                np.ones(n_c), np.ones(n_c, bool), time_limit)
    return _finish(sol["x"], n_c, lat, sol["status"], sol["optimal"], sol["objective"],
                   allowed)


def _check_reachable(allowed: np.ndarray, cap: float | None = None) -> None:
    lonely = np.flatnonzero(~allowed.any(axis=0))
    if len(lonely):
        limit = f" within {cap:g} ms" if cap is not None else ""
        raise EdgeError(f"demand: {len(lonely)} demand centre(s) have no candidate{limit} "
                        f"(first: index {int(lonely[0])}); raise the latency cap or add "
                        "candidates")
