"""Computing per-object colours from a LayerStyle (pure numpy, testable without a display)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from cimviewer.core import colormaps
from cimviewer.core.style import LayerStyle


def numeric_values(values: Sequence[Any]) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[i] = v
        elif isinstance(v, str):
            with contextlib.suppress(ValueError):
                out[i] = float(v)
    return out


def class_breaks(values: np.ndarray, classes: int, method: str) -> np.ndarray:
    """Upper class limits (len == classes) of finite values."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(classes)
    if method == "quantile":
        return np.quantile(finite, np.linspace(0, 1, classes + 1)[1:])
    lo, hi = float(finite.min()), float(finite.max())
    return np.linspace(lo, hi, classes + 1)[1:]


def object_colors(style: LayerStyle, attributes: Sequence[dict[str, Any]]) -> np.ndarray:
    """(n_objects, 3) uint8 colours for 'single', 'categorical' and 'graduated' styles."""
    n = len(attributes)
    if style.mode in ("categorical", "graduated") and style.attribute:
        values = [a.get(style.attribute) for a in attributes]
        if style.mode == "categorical":
            keys = {v: i for i, v in enumerate(dict.fromkeys(map(_hashable, values)))}
            idx = np.array([keys[_hashable(v)] for v in values], dtype=np.int64)
            return colormaps.CATEGORY_COLORS[idx % len(colormaps.CATEGORY_COLORS)]
        nums = numeric_values(values)
        breaks = class_breaks(nums, max(style.classes, 1), style.classification)
        cls = np.searchsorted(breaks, nums, side="left").clip(0, len(breaks) - 1)
        t = cls / max(len(breaks) - 1, 1)
        t = np.where(np.isfinite(nums), t, np.nan)
        return colormaps.sample(style.colormap, t)
    return np.tile(np.array(style.color, dtype=np.uint8), (n, 1))


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
