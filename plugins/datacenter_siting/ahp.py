"""Analytic hierarchy process: weights from a pairwise comparison matrix (Saaty).

``a[i, j]`` says how much more important criterion i is than j (1..9, reciprocal:
``a[j, i] = 1 / a[i, j]``). Weights are the principal right eigenvector, normalised to
sum 1; ``CI = (lambda_max - n) / (n - 1)``; ``CR = CI / RI(n)`` with Saaty's random
index; CR >= 0.1 is usually judged too inconsistent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Saaty's random consistency index by matrix size (Saaty 1980, table 1.3)
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41,
                9: 1.45, 10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
CR_LIMIT = 0.1
RECIPROCAL_TOLERANCE = 0.01  # relative; 1/3 written as 0.33 passes


class AhpError(ValueError):
    """The pairwise matrix is not usable (one line naming the entry)."""


@dataclass(frozen=True)
class AhpResult:
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    #: (i, j) of the judgement furthest from what the weights imply
    worst: tuple[int, int]
    #: the value of a[i, j] that the other judgements imply (geometric mean of paths)
    suggested: float


def check_matrix(a: np.ndarray, names: list[str] | None = None) -> np.ndarray:
    """A square, positive, reciprocal matrix or an AhpError naming the offending entry."""
    m = np.asarray(a, float)
    n = len(names) if names is not None else m.shape[0]
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise AhpError(f"ahp_matrix: must be square, got {m.shape[0]} x "
                       f"{m.shape[1] if m.ndim == 2 else 1}")
    if m.shape[0] != n:
        raise AhpError(f"ahp_matrix: {m.shape[0]} x {m.shape[0]} for {n} criteria")

    def label(i: int) -> str:
        return names[i] if names else str(i + 1)

    bad = ~np.isfinite(m) | (m <= 0)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise AhpError(f"ahp_matrix: entry ({label(i)}, {label(j)}) = {m[i, j]:g} is not "
                       "a positive number")
    diag = np.abs(np.diag(m) - 1.0) > RECIPROCAL_TOLERANCE
    if diag.any():
        i = int(np.flatnonzero(diag)[0])
        raise AhpError(f"ahp_matrix: diagonal entry ({label(i)}, {label(i)}) must be 1")
    off = np.abs(m * m.T - 1.0) > 2 * RECIPROCAL_TOLERANCE
    if off.any():
        i, j = map(int, np.argwhere(off)[0])
        raise AhpError(f"ahp_matrix: not reciprocal at ({label(i)}, {label(j)}) = "
                       f"{m[i, j]:g} and ({label(j)}, {label(i)}) = {m[j, i]:g}: "
                       f"their product must be 1")
    return m


def ahp_weights(a: np.ndarray, names: list[str] | None = None) -> AhpResult:
    """Principal-eigenvector weights, lambda_max, CI, CR and the worst judgement."""
    m = check_matrix(a, names)
    n = m.shape[0]
    values, vectors = np.linalg.eig(m)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.59)
    cr = ci / ri if ri > 0 else 0.0
    implied = implied_by_others(m) if n > 2 else w[:, None] / w[None, :]
    error = np.abs(np.log(m / implied))
    np.fill_diagonal(error, -1.0)
    i, j = map(int, np.unravel_index(int(np.argmax(error)), error.shape))
    if m[i, j] < 1:  # name the judgement as the user wrote it (the entry >= 1)
        i, j = j, i
    return AhpResult(w, lam, max(ci, 0.0), max(cr, 0.0), (i, j), float(implied[i, j]))


def implied_by_others(m: np.ndarray) -> np.ndarray:
    """For each pair (i, j), the geometric mean of a_ik * a_kj over the other criteria k:
    what the remaining judgements say a_ij should be."""
    n = m.shape[0]
    log = np.log(m)
    paths = log[:, None, :] + log.T[None, :, :]  # [i, j, k] = log a_ik + log a_kj
    k = np.arange(n)
    use = (k[None, None, :] != k[:, None, None]) & (k[None, None, :] != k[None, :, None])
    return np.exp((paths * use).sum(axis=2) / np.maximum(use.sum(axis=2), 1))


def read_matrix(path: str | Path) -> np.ndarray:
    """A CSV pairwise matrix, no header, comma (or semicolon) separated; ``1/3`` allowed."""
    rows = []
    text = Path(path).read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row = []
        for cell in line.replace(";", ",").split(","):
            cell = cell.strip()
            try:
                if "/" in cell:
                    top, bottom = cell.split("/")
                    row.append(float(top) / float(bottom))
                else:
                    row.append(float(cell))
            except (ValueError, ZeroDivisionError):
                raise AhpError(f"ahp_matrix: line {number}: {cell!r} is not a number") from None
        rows.append(row)
    if not rows:
        raise AhpError("ahp_matrix: the file is empty")
    if len({len(r) for r in rows}) > 1:
        raise AhpError("ahp_matrix: rows have different lengths "
                       f"({', '.join(str(len(r)) for r in rows)})")
    return np.array(rows, float)


def judgement_text(value: float) -> str:
    """A judgement as people write it on Saaty's scale: ``5``, ``1/3``, else 2 digits."""
    for v, prefix in ((value, ""), (1.0 / value, "1/")):
        if v >= 1 and abs(v - round(v)) < 0.02 * v:
            return f"{prefix}{round(v)}"
    return f"{value:.2g}"


def worst_message(result: AhpResult, names: list[str]) -> str:
    """One line naming the most inconsistent judgement and what would fit the weights."""
    i, j = result.worst
    return (f"CR {result.cr:.3f} >= {CR_LIMIT}: the most inconsistent judgement is "
            f"{names[i]} vs {names[j]}; the other judgements imply about "
            f"{judgement_text(result.suggested)}")
