"""Criteria: a column, a unit, a direction (benefit or cost) and a standardisation
function that maps raw values to [0, 1], 1 being best. Vectorised over sites or cells.

Standardisation functions (the user sees and can change them):

* ``minmax`` — ``(x - min) / (max - min)`` over the sites ranked (cost: ``(max - x) / ...``);
  every site equal gives 1 to all;
* ``max`` — ``x / max`` (cost: ``min / x``); needs positive values;
* ``linear:LO:HI`` — fixed thresholds: 0 at LO, 1 at HI for a benefit (cost: 1 at LO,
  0 at HI), clipped; the score of a site then does not depend on the other sites.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIRECTIONS = ("benefit", "cost")
STANDARDISATIONS = ("minmax", "max", "linear")


class CriteriaError(ValueError):
    """A criterion spec or column is not usable (one line naming it)."""


@dataclass(frozen=True)
class Criterion:
    """One criterion: ``name`` is the column; ``lo``/``hi`` are used by ``linear``."""

    name: str
    direction: str = "benefit"
    standardisation: str = "minmax"
    lo: float | None = None
    hi: float | None = None
    unit: str = ""

    def function(self) -> str:
        """The standardisation as written: ``minmax``, ``max`` or ``linear:LO:HI``."""
        if self.standardisation == "linear":
            return f"linear:{self.lo:g}:{self.hi:g}"
        return self.standardisation

    def spec(self) -> str:
        """Back to the ``NAME:direction[:function]`` text the CLI takes."""
        text = f"{self.name}:{self.direction}"
        return text if self.standardisation == "minmax" else f"{text}:{self.function()}"


def parse_criteria(text: str) -> list[Criterion]:
    """``NAME:benefit|cost[:minmax|max|linear:LO:HI],...`` as criteria (in order)."""
    out: list[Criterion] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        bits = [b.strip() for b in item.split(":")]
        name = bits[0]
        if not name:
            raise CriteriaError(f"criteria: {item!r} has no column name")
        if len(bits) < 2 or bits[1] not in DIRECTIONS:
            raise CriteriaError(f"criteria: {item!r}: write NAME:benefit or NAME:cost")
        func = bits[2] if len(bits) > 2 else "minmax"
        if func not in STANDARDISATIONS:
            raise CriteriaError(f"criteria: {name}: unknown standardisation {func!r} "
                                f"(one of {', '.join(STANDARDISATIONS)})")
        lo = hi = None
        if func == "linear":
            try:
                lo, hi = float(bits[3]), float(bits[4])
            except (IndexError, ValueError):
                raise CriteriaError(f"criteria: {name}: write linear:LO:HI with two "
                                    "numbers") from None
            if lo == hi:
                raise CriteriaError(f"criteria: {name}: linear needs LO != HI")
        elif len(bits) > 3:
            raise CriteriaError(f"criteria: {item!r}: too many ':' parts")
        if any(c.name == name for c in out):
            raise CriteriaError(f"criteria: {name} is named twice")
        out.append(Criterion(name, bits[1], func, lo, hi))
    if not out:
        raise CriteriaError("criteria: none given (write NAME:benefit|cost,...)")
    return out


def standardise(values: np.ndarray, criterion: Criterion,
                reference: np.ndarray | None = None) -> np.ndarray:
    """Values (any shape) in [0, 1], 1 best. ``reference`` (default ``values``) gives the
    min / max of ``minmax`` and ``max``: pass the feasible sites so that excluded ones do
    not stretch the scale. NaN stays NaN."""
    x = np.asarray(values, float)
    ref = x if reference is None else np.asarray(reference, float)
    benefit = criterion.direction == "benefit"
    if criterion.standardisation == "linear":
        lo, hi = float(criterion.lo), float(criterion.hi)  # type: ignore[arg-type]
        s = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
        return s if benefit else 1.0 - s
    finite = ref[np.isfinite(ref)]
    if finite.size == 0:
        return np.full_like(x, np.nan)
    lo, hi = float(finite.min()), float(finite.max())
    if criterion.standardisation == "max":
        if lo <= 0:
            raise CriteriaError(f"{criterion.name}: standardisation 'max' needs positive "
                                f"values (smallest is {lo:g}); use minmax or linear")
        with np.errstate(divide="ignore", invalid="ignore"):
            return x / hi if benefit else lo / x
    if hi == lo:
        return np.where(np.isfinite(x), 1.0, np.nan)
    s = (x - lo) / (hi - lo)
    return s if benefit else 1.0 - s


def standardise_all(matrix: np.ndarray, criteria: list[Criterion],
                    feasible: np.ndarray | None = None) -> np.ndarray:
    """Each column of ``matrix`` (sites x criteria) standardised; the scale comes from the
    ``feasible`` rows (all rows by default)."""
    m = np.asarray(matrix, float)
    rows = slice(None) if feasible is None else np.asarray(feasible, bool)
    return np.column_stack([standardise(m[:, j], c, m[rows, j])
                            for j, c in enumerate(criteria)]) if criteria else m


def check_weights(weights: np.ndarray, criteria: list[Criterion]) -> np.ndarray:
    """Weights normalised to sum 1; a clear message when they do not fit the criteria."""
    w = np.asarray(weights, float).ravel()
    if w.size != len(criteria):
        raise CriteriaError(f"weights: {w.size} weights for {len(criteria)} criteria "
                            f"({', '.join(c.name for c in criteria)})")
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise CriteriaError("weights: every weight must be a finite number >= 0")
    if w.sum() <= 0:
        raise CriteriaError("weights: at least one weight must be positive")
    return w / w.sum()


def parse_weights(text: str) -> np.ndarray:
    try:
        return np.array([float(t) for t in text.split(",") if t.strip()], float)
    except ValueError:
        raise CriteriaError(f"weights: {text!r} is not a comma-separated list of "
                            "numbers") from None
