"""Hard constraints, applied before any scoring: a site failing one is never ranked.

A constraint is ``COLUMN OP VALUE`` where OP is one of ``<= >= < > == !=`` and VALUE a
number or another column, e.g. ``pue_est<=pue_cap`` (the PUE cap of the site's region),
``spare_mw>=20`` (minimum power), ``excluded==0`` (exclusion zones). Several are joined
with ``;``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

OPERATORS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, ">": operator.gt}
_PATTERN = re.compile(r"^\s*([^<>=!\s]+)\s*(<=|>=|==|!=|<|>)\s*([^<>=!\s]+)\s*$")


class ConstraintError(ValueError):
    """A constraint cannot be parsed or names a missing column."""


@dataclass(frozen=True)
class Constraint:
    column: str
    op: str
    value: str  # a number or a column name

    def __str__(self) -> str:
        return f"{self.column}{self.op}{self.value}"


def parse_constraints(text: str | None) -> list[Constraint]:
    out = []
    for item in (t.strip() for t in (text or "").split(";")):
        if not item:
            continue
        match = _PATTERN.match(item)
        if match is None:
            raise ConstraintError(f"constraints: {item!r}: write COLUMN<=VALUE (or >=, <, >, "
                                  "==, !=), several joined with ';'")
        out.append(Constraint(*match.groups()))
    return out


def _operand(text: str, columns: Mapping[str, np.ndarray], where: Constraint) -> np.ndarray:
    try:
        return np.asarray(float(text))
    except ValueError:
        pass
    if text not in columns:
        raise ConstraintError(f"constraints: {where}: no column {text!r} in the sites")
    return np.asarray(columns[text], float)


def apply_constraints(constraints: list[Constraint], columns: Mapping[str, np.ndarray],
                      n: int) -> tuple[np.ndarray, list[str]]:
    """``(feasible, reasons)``: a bool per site, and per site the first constraint it
    fails ("" when feasible). A missing value (NaN) fails the constraint."""
    feasible = np.ones(n, bool)
    reasons = np.full(n, "", dtype=object)
    for c in constraints:
        left = _operand(c.column, columns, c) * np.ones(n)
        right = _operand(c.value, columns, c) * np.ones(n)
        with np.errstate(invalid="ignore"):
            ok = OPERATORS[c.op](left, right) & np.isfinite(left) & np.isfinite(right)
        newly = feasible & ~ok
        reasons[newly] = str(c)
        feasible &= ok
    return feasible, [str(r) for r in reasons]
