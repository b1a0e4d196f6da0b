"""Flatten CityJSON's nested arrays (boundaries, semantic values) into numpy arrays.

The work is done level by level with C-level iteration (``map(len, ...)``,
``itertools.chain``), so no Python bytecode runs per vertex. When the structure is
wrong, the slow helpers here walk the one offending geometry to name the exact place.
"""

from __future__ import annotations

import json
from functools import partial
from itertools import chain
from operator import is_not
from typing import Any

import numpy as np

_not_none = partial(is_not, None)


class NestingError(Exception):
    """An element at ``level`` (0 = the items themselves) is not what the depth implies."""

    def __init__(self, level: int, index: int, counts: list[np.ndarray] | None = None):
        super().__init__(f"bad element at level {level}, index {index}")
        self.level = level
        self.index = index
        self.counts = counts


def flatten_levels(items: list, depth: int) -> tuple[list[np.ndarray], list]:
    """Flatten ``items`` (one nested list each) through ``depth`` levels of lists.

    Returns ``(counts, leaves)``: ``counts[k][i]`` is the number of children of the
    ``i``-th element at level ``k`` (level 0 = ``items``), and ``leaves`` the elements
    below the last list level, in order. Raises :class:`NestingError` when an element
    at a list level is not a list.
    """
    level = items
    counts: list[np.ndarray] = []
    for k in range(depth):
        if not all(map(list.__instancecheck__, level)):
            bad = next(i for i, x in enumerate(level) if not isinstance(x, list))
            raise NestingError(k, bad, counts)
        counts.append(np.fromiter(map(len, level), np.int64, len(level)))
        level = list(chain.from_iterable(level))
    return counts, level


def leaves_to_indices(leaves: list, level: int) -> np.ndarray:
    """Integer leaves as int64; raises NestingError at the first non-integer."""
    if not leaves:
        return np.zeros(0, np.int64)
    try:
        total = sum(leaves)
    except TypeError:
        total = None
    if type(total) is not int:
        raise NestingError(level, first_non_int(leaves))
    try:
        return np.fromiter(leaves, np.int64, len(leaves))
    except OverflowError:
        raise NestingError(level, next(i for i, v in enumerate(leaves)
                                        if abs(v) >= 2**63)) from None


def leaves_to_optional_indices(leaves: list, level: int) -> np.ndarray:
    """Integer-or-null leaves as int64 with -1 for null; NestingError on anything else."""
    if not leaves:
        return np.zeros(0, np.int64)
    if None not in leaves:
        try:
            out = leaves_to_indices(leaves, level)
        except NestingError:
            pass
        else:
            out[(out < -1) | (out > 2**62)] = -2  # flagged as out of range by callers
            return out
    try:
        total = sum(filter(_not_none, leaves))
    except TypeError:
        total = None
    if type(total) is not int:
        raise NestingError(level, next(i for i, v in enumerate(leaves)
                                        if v is not None and not _is_int(v)))
    try:
        arr = np.array(leaves, dtype=np.float64)
    except (OverflowError, ValueError):
        raise NestingError(level, 0) from None
    arr[~np.isfinite(arr)] = -1
    arr[np.abs(arr) > 2.0**62] = -2  # beyond any index: flagged as out of range by callers
    return arr.astype(np.int64)


def _is_int(v: Any) -> bool:
    return type(v) is int


def first_non_int(values: list) -> int:
    return next((i for i, v in enumerate(values) if not _is_int(v)), 0)


def owners(counts: list[np.ndarray], level: int) -> np.ndarray:
    """For each element at ``level``, the index of the item (level 0) it belongs to."""
    owner = np.arange(len(counts[0]), dtype=np.int64)
    for k in range(level):
        owner = np.repeat(owner, counts[k])
    return owner


def owner_of(counts: list[np.ndarray], level: int, index: int) -> int:
    """The item (level-0 index) that element ``index`` at ``level`` belongs to."""
    for k in range(level - 1, -1, -1):
        ends = np.cumsum(counts[k])
        index = int(np.searchsorted(ends, index, side="right"))
    return index


def find_in_nested(item: Any, depth: int, is_bad_leaf: Any) -> tuple[str, str] | None:
    """Walk one nested item; return ``(path, problem)`` of the first bad element.

    ``depth`` list levels are expected above the leaves; ``is_bad_leaf(v)`` returns a
    problem description or None.
    """
    stack: list[tuple[Any, int, str]] = [(item, 0, "")]
    while stack:
        node, level, path = stack.pop()
        if level < depth:
            if not isinstance(node, list):
                return path, f"expected a list, found {describe(node)}"
            for i in range(len(node) - 1, -1, -1):
                stack.append((node[i], level + 1, f"{path}[{i}]"))
        else:
            problem = is_bad_leaf(node)
            if problem:
                return path, problem
    return None


def describe(value: Any) -> str:
    """A short description of a JSON value for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:27] + "..."
        return f"string {json.dumps(text, ensure_ascii=False)}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
