"""Inverse-distance-weighted interpolation from the nearest samples.

Each target takes the ``neighbours`` nearest samples with a value (12 by default, as
ArcGIS's IDW; all of them when there are fewer), weighted by 1 / distance**power. The
neighbour search (a k-d tree) depends on the sample positions only, so
:class:`IdwInterpolator` keeps it and each new set of values costs one weighted sum:
5,000 live sensors on a 160 x 160 surface take about a millisecond per update instead
of seconds for all-pairs IDW.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

DEFAULT_NEIGHBOURS = 12
EXACT_M = 1e-6  # a target this close to a sample takes the sample's value


@dataclass(frozen=True)
class IdwPlan:
    """Which samples each target uses and with what weight (rows of ``index`` index the
    valid samples the plan was made for)."""

    index: np.ndarray  # (targets, k) int64
    weight: np.ndarray  # (targets, k) float64
    exact: np.ndarray  # (targets,) bool: sits on its nearest sample

    def apply(self, values: np.ndarray) -> np.ndarray:
        near = values[self.index]
        result = (self.weight * near).sum(axis=1) / self.weight.sum(axis=1)
        result[self.exact] = near[self.exact, 0]
        return result


def idw_plan(sample_xy: np.ndarray, target_xy: np.ndarray, power: float = 2.0,
             neighbours: int = DEFAULT_NEIGHBOURS) -> IdwPlan:
    sample_xy = np.asarray(sample_xy, np.float64).reshape(-1, 2)
    target_xy = np.asarray(target_xy, np.float64).reshape(-1, 2)
    k = max(1, min(int(neighbours), len(sample_xy)))
    # one thread: the plan is made on a worker beside the GUI, and must leave it a core
    distance, index = cKDTree(sample_xy).query(target_xy, k=k, workers=1)
    distance = distance.reshape(len(target_xy), k)
    index = index.reshape(len(target_xy), k).astype(np.int64)
    exact = distance[:, 0] < EXACT_M
    with np.errstate(divide="ignore"):
        weight = np.power(np.maximum(distance, EXACT_M), -float(power))
    return IdwPlan(index, weight, exact)


class IdwInterpolator:
    """Interpolates changing values at fixed targets; the plan is rebuilt only when the
    sample positions or the set of samples with a value change."""

    def __init__(self, target_xy: np.ndarray, power: float = 2.0,
                 neighbours: int = DEFAULT_NEIGHBOURS):
        self.target_xy = np.asarray(target_xy, np.float64).reshape(-1, 2)
        self.power = power
        self.neighbours = neighbours
        self._key: tuple | None = None
        self._plan: IdwPlan | None = None
        self.plans_made = 0

    def __call__(self, sample_xy: np.ndarray, values: np.ndarray,
                 decibels: bool = False) -> np.ndarray:
        """Interpolated values at the targets. ``decibels``: levels (noise in dB(A)) are
        averaged as sound energy, 10 log10(sum w 10^(L/10) / sum w), not as numbers."""
        sample_xy = np.asarray(sample_xy, np.float64).reshape(-1, 2)
        values = np.asarray(values, np.float64).ravel()
        if decibels:
            with np.errstate(over="ignore", divide="ignore"):
                return 10.0 * np.log10(self(sample_xy, np.power(10.0, values / 10.0)))
        ok = np.isfinite(values) & np.isfinite(sample_xy).all(axis=1)
        if not ok.any():
            return np.full(len(self.target_xy), np.nan)
        key = (sample_xy.tobytes(), ok.tobytes(), self.power, self.neighbours)
        if key != self._key or self._plan is None:
            self._plan = idw_plan(sample_xy[ok], self.target_xy, self.power, self.neighbours)
            self._key = key
            self.plans_made += 1
        return self._plan.apply(values[ok])


def idw(sample_xy: np.ndarray, sample_values: np.ndarray, target_xy: np.ndarray,
        power: float = 2.0, neighbours: int = DEFAULT_NEIGHBOURS,
        decibels: bool = False) -> np.ndarray:
    """Values at ``target_xy`` (m, 2) from samples (n, 2). Samples with NaN values are
    ignored; a target on a sample takes its value; with no valid sample the result is
    NaN."""
    return IdwInterpolator(target_xy, power, neighbours)(sample_xy, sample_values, decibels)


__all__ = ["DEFAULT_NEIGHBOURS", "IdwInterpolator", "IdwPlan", "idw", "idw_plan"]
