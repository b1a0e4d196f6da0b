"""Per-object colours and legends from a LayerStyle (pure numpy, testable without a display)."""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from cimviewer.core import colormaps
from cimviewer.core.style import LayerStyle

MISSING_COLOR = np.array([160, 160, 160], np.uint8)
MAX_CATEGORIES_IN_LEGEND = 12
#: the legend's last row when there are more categories (the UI translates it)
MORE_CATEGORIES = "… {0} more"
#: the attribute name a style uses to colour city objects by their (top-level) type
TYPE_FIELD = "@type"


def top_level_types(types: Sequence[str], parents: Sequence[Sequence[int]]) -> list[str]:
    """Each object's type, or its top-level ancestor's (a BuildingPart colours as its
    Building)."""
    out = list(types)
    n = min(len(out), len(parents))
    # only objects with a parent walk up (a million buildings without parts: no loop)
    sparse = getattr(parents, "with_parents", None)  # core.citymodel.SparseParents
    having = (sorted(k for k in sparse() if k < n) if sparse is not None
              else [k for k, p in enumerate(itertools.islice(parents, n)) if p])
    for i in having:
        seen = {i}
        j = i
        while j < len(parents) and parents[j] and parents[j][0] not in seen \
                and 0 <= parents[j][0] < len(types):
            j = parents[j][0]
            seen.add(j)
        out[i] = types[j]
    return out


def several_top_level_types(types: Sequence[str], parents: Sequence[Sequence[int]]) -> bool:
    """Whether objects without a parent are of more than one type (roads, water, ...)."""
    sparse = getattr(parents, "with_parents", None)  # core.citymodel.SparseParents
    if sparse is not None:
        having = sparse()
        n = min(len(types), len(parents))
        if not having:
            kinds = set(itertools.islice(types, n))
        else:
            kinds = {t for i, t in enumerate(itertools.islice(types, n)) if i not in having}
        return len(kinds) > 1
    kinds = {t for t, p in zip(types, parents, strict=False) if not p}
    return len(kinds) > 1


def _values(style: LayerStyle, attributes: Sequence[dict[str, Any]],
            types: Sequence[str] | None) -> list[Any]:
    if style.attribute == TYPE_FIELD:
        return list(types) if types is not None else [None] * len(attributes)
    name = style.attribute or ""
    return [a.get(name) for a in attributes]


def numeric_values(values: Sequence[Any]) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[i] = v
        elif isinstance(v, str):
            with contextlib.suppress(ValueError):
                out[i] = float(v)
    out[~np.isfinite(out)] = np.nan
    return out


def natural_breaks(values: np.ndarray, classes: int, sample: int = 1500) -> np.ndarray:
    """Jenks natural breaks (Fisher's exact DP) on a sorted sample; upper class limits."""
    finite = np.sort(values[np.isfinite(values)])
    if finite.size == 0:
        return np.zeros(classes)
    if finite.size > sample:
        finite = finite[np.linspace(0, finite.size - 1, sample).round().astype(int)]
    n = finite.size
    k = min(classes, len(np.unique(finite)))
    if k <= 1:
        return np.full(classes, finite[-1])
    s1 = np.concatenate([[0.0], np.cumsum(finite)])
    s2 = np.concatenate([[0.0], np.cumsum(finite**2)])

    def ssd(i: np.ndarray, j: int) -> np.ndarray:  # squared deviations of finite[i:j]
        m = j - i
        total = s1[j] - s1[i]
        return (s2[j] - s2[i]) - total * total / np.maximum(m, 1)

    cost = np.full((k + 1, n + 1), np.inf)
    back = np.zeros((k + 1, n + 1), np.int64)
    ends = np.arange(1, n + 1)
    cost[1, 1:] = (s2[ends] - s1[ends] ** 2 / ends)  # one class: finite[0:j]
    for c in range(2, k + 1):
        for j in range(c, n + 1):
            i = np.arange(c - 1, j)
            total = cost[c - 1, i] + ssd(i, j)
            best = int(np.argmin(total))
            cost[c, j] = total[best]
            back[c, j] = i[best]
    limits = []
    j = n
    for c in range(k, 0, -1):
        limits.append(finite[j - 1])
        j = back[c, j]
    breaks = np.array(limits[::-1])
    return np.concatenate([breaks, np.full(classes - k, breaks[-1])])


def class_breaks(values: np.ndarray, classes: int, method: str) -> np.ndarray:
    """Upper class limits (len == classes) of finite values."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(classes)
    if method == "quantile":
        return np.quantile(finite, np.linspace(0, 1, classes + 1)[1:])
    if method == "natural_breaks":
        return natural_breaks(finite, classes)
    lo, hi = float(finite.min()), float(finite.max())
    return np.linspace(lo, hi, classes + 1)[1:]


def _categories(values: Sequence[Any]) -> tuple[list[Any], np.ndarray]:
    keys: dict[Any, int] = {}
    idx = np.array([keys.setdefault(_hashable(v), len(keys)) for v in values], dtype=np.int64)
    return list(keys), idx


def object_colors(style: LayerStyle, attributes: Sequence[dict[str, Any]],
                  types: Sequence[str] | None = None) -> np.ndarray:
    """(n_objects, 3) uint8 colours for 'single', 'categorical' and 'graduated' styles
    (``types``: per object, for styles on :data:`TYPE_FIELD`)."""
    n = len(attributes)
    if style.mode in ("categorical", "graduated") and style.attribute:
        values = _values(style, attributes, types)
        if style.mode == "categorical":
            _, idx = _categories(values)
            colors = colormaps.CATEGORY_COLORS[idx % len(colormaps.CATEGORY_COLORS)].copy()
            colors[np.array([v is None for v in values], bool)] = MISSING_COLOR
            return colors
        return value_colors(style, numeric_values(values))
    return np.tile(np.array(style.color, dtype=np.uint8), (n, 1))


def value_colors(style: LayerStyle, nums: np.ndarray,
                 classed_on: np.ndarray | None = None) -> np.ndarray:
    """(n, 3) uint8 colours of numbers under a graduated style (NaN: missing colour);
    shared by attribute styles and value rasters so both class values the same way.
    Class limits come from ``classed_on`` when given (all values of a raster of which
    ``nums`` are the drawn ones), else from ``nums``."""
    if style.classification == "fixed" and style.fixed_classes:
        return _fixed_colors(style, nums)
    basis = nums if classed_on is None else classed_on
    breaks = class_breaks(basis, max(style.classes, 1), style.classification)
    cls = np.searchsorted(breaks, nums, side="left").clip(0, len(breaks) - 1)
    t = cls / max(len(breaks) - 1, 1)
    t = np.where(np.isfinite(nums), t, np.nan)
    return colormaps.sample(style.colormap, t)


def _fixed_colors(style: LayerStyle, nums: np.ndarray) -> np.ndarray:
    """Colours of fixed classes: a value takes the class of the highest lower bound it
    reaches; values below every class and missing values are grey."""
    lower = np.array([c.lower for c in style.fixed_classes], float)
    palette = np.array([c.color for c in style.fixed_classes], np.uint8)
    cls = np.searchsorted(lower, np.nan_to_num(nums, nan=-np.inf), side="right") - 1
    colors = np.tile(MISSING_COLOR, (len(nums), 1))
    ok = (cls >= 0) & np.isfinite(nums)
    colors[ok] = palette[cls[ok]]
    return colors


def format_number(value: float) -> str:
    """A class limit as a planner reads it: 24,550 (not 2.455e+04), 12.5, 0.125."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:.4g}"
    return f"{value:.3g}"


def legend_entries(style: LayerStyle, attributes: Sequence[dict[str, Any]],
                   types: Sequence[str] | None = None,
                   ) -> list[tuple[str, tuple[int, int, int]]]:
    """(label, colour) rows describing how a style colours these objects."""
    if style.mode == "categorical" and style.attribute:
        keys, _ = _categories(_values(style, attributes, types))
        names = dict(style.value_labels)
        rows = []
        for i, key in enumerate(keys[:MAX_CATEGORIES_IN_LEGEND]):
            color = colormaps.CATEGORY_COLORS[i % len(colormaps.CATEGORY_COLORS)]
            label = "—" if key is None else names.get(str(key), str(key))
            r, g, b = (int(c) for c in (MISSING_COLOR if key is None else color))
            rows.append((label, (r, g, b)))
        if len(keys) > MAX_CATEGORIES_IN_LEGEND:
            rows.append((MORE_CATEGORIES.format(len(keys) - MAX_CATEGORIES_IN_LEGEND),
                         (255, 255, 255)))
        return rows
    if style.mode == "graduated" and style.attribute:
        return value_legend(style, numeric_values(_values(style, attributes, types)))
    return []


def value_legend(style: LayerStyle, nums: np.ndarray) -> list[tuple[str, tuple[int, int, int]]]:
    """(label, colour) rows of a graduated style over these numbers."""
    if style.classification == "fixed":
        return [(c.label, c.color) for c in reversed(style.fixed_classes)]
    classes = max(style.classes, 1)
    breaks = class_breaks(nums, classes, style.classification)
    finite = nums[np.isfinite(nums)]
    lower = float(finite.min()) if finite.size else 0.0
    rows = []
    colors = colormaps.sample(style.colormap, np.arange(classes) / max(classes - 1, 1))
    for i, upper in enumerate(breaks):
        r, g, b = (int(c) for c in colors[i])
        rows.append((f"{format_number(lower)} – {format_number(upper)}", (r, g, b)))
        lower = float(upper)
    return rows


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def attribute_fields(attributes: Sequence[dict[str, Any]], sample: int = 5000) -> list[str]:
    """Names of scalar attributes (numbers, strings, booleans) seen in the objects."""
    step = max(1, len(attributes) // sample)
    names: dict[str, None] = {}
    for attrs in attributes[::step]:
        for key, value in attrs.items():
            if isinstance(value, (str, int, float, bool)):
                names.setdefault(key, None)
    return sorted(names)


def numeric_fields(attributes: Sequence[dict[str, Any]], sample: int = 5000) -> list[str]:
    """Names of attributes whose values are numbers (or numeric text) in most objects
    that have them: the fields a graduated style can class."""
    step = max(1, len(attributes) // sample)
    counts: dict[str, list[int]] = {}
    for attrs in attributes[::step]:
        for key, value in attrs.items():
            if value is None or not isinstance(value, (str, int, float, bool)):
                continue
            seen = counts.setdefault(key, [0, 0])
            seen[1] += 1
            if np.isfinite(numeric_values([value])[0]):
                seen[0] += 1
    return sorted(k for k, (numeric, total) in counts.items() if numeric >= 0.9 * total)
