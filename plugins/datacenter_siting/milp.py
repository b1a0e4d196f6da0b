"""A small wrapper around HiGHS (highspy) for the edge placement models."""

from __future__ import annotations

import math
import os
import sys
import threading
from typing import Any

import numpy as np
from scipy import sparse

_BANNER = threading.Lock()
_BANNER_DONE = False


class SolverError(RuntimeError):
    """HiGHS is missing or found no plan (one line)."""


def new_highs() -> Any:
    """A silent ``highspy.Highs``; the first one's banner (printed by C++ on file
    descriptor 1) goes to the null device so that ``--json`` on stdout stays clean."""
    global _BANNER_DONE
    try:
        import highspy
    except ImportError:
        raise SolverError("the HiGHS solver (Python package highspy) is not installed") \
            from None
    with _BANNER:
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


def solve(c: np.ndarray, A: sparse.spmatrix, row_lo: np.ndarray, row_hi: np.ndarray,
          col_lo: np.ndarray, col_hi: np.ndarray, integer: np.ndarray,
          time_limit: float = 60.0) -> dict[str, Any]:
    """min c.x, row_lo <= A x <= row_hi, col bounds, some columns integer."""
    import highspy

    A = sparse.csr_matrix(A)
    A.sort_indices()
    highs = new_highs()
    inf = highs.inf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = int(A.shape[1]), int(A.shape[0])
    lp.col_cost_ = np.asarray(c, float)
    lp.col_lower_ = np.asarray(col_lo, float)
    lp.col_upper_ = np.where(np.isinf(col_hi), inf, np.asarray(col_hi, float))
    lp.row_lower_ = np.where(np.isneginf(row_lo), -inf, np.asarray(row_lo, float))
    lp.row_upper_ = np.where(np.isposinf(row_hi), inf, np.asarray(row_hi, float))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.integrality_ = [highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous
                       for k in np.asarray(integer, bool)]
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", 1e-9)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    feasible = info.primal_solution_status == 2
    if status == highspy.HighsModelStatus.kInfeasible or not feasible:
        return {"x": None, "optimal": False, "objective": math.nan,
                "status": highs.modelStatusToString(status)}
    return {"x": np.asarray(highs.getSolution().col_value, float),
            "optimal": status == highspy.HighsModelStatus.kOptimal,
            "objective": float(info.objective_function_value),
            "bound": float(info.mip_dual_bound),
            "status": highs.modelStatusToString(status)}
