"""Annual PUE from climate normals through a free-cooling (economiser) model.

The cooling plant runs in three modes by the outdoor **wet-bulb** temperature Tw
(a water-side economiser with cooling towers; for an air-side economiser compare the
dry-bulb temperature instead: ``use_wet_bulb=False``):

* full free cooling when Tw <= ``t_free`` (default 12 C): PUE ``pue_free`` (1.10);
* partial free cooling when ``t_free`` < Tw <= ``t_free + band`` (band 6 K): ``pue_partial``
  (1.18);
* mechanical (chillers) above: ``pue_mech`` (1.30, the level-2 limit of GB 40879-2021).

Annual PUE is the hours-weighted mean. From **monthly** normals, the hours of a month
below a threshold are estimated by assuming the hourly temperature in that month is
normally distributed around the monthly mean with standard deviation ``sd`` (default
4.5 K: diurnal swing plus day-to-day variation; an assumption), so the share of hours
below T is ``Phi((T - mean) / sd)``. From **hourly** normals (8760 values) the hours are
counted. Wet-bulb from dry-bulb and RH by Stull (2011), valid for RH 5-99 %.

All mode PUEs and thresholds are **assumptions** of typical modern designs (see
``data/SOURCES.md``); the model ranks climates, it does not certify a design.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import erf, sqrt

import numpy as np

MONTH_HOURS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], float) * 24.0
_erf = np.vectorize(erf, otypes=[float])


@dataclass(frozen=True)
class CoolingModel:
    t_free: float = 12.0
    band: float = 6.0
    pue_free: float = 1.10
    pue_partial: float = 1.18
    pue_mech: float = 1.30
    sd: float = 4.5
    use_wet_bulb: bool = True


def wet_bulb(t: np.ndarray, rh: np.ndarray) -> np.ndarray:
    """Wet-bulb temperature (C) from dry-bulb ``t`` (C) and relative humidity ``rh`` (%),
    Stull (2011), J. Appl. Meteor. Climatol. 50, 2267-2269."""
    t = np.asarray(t, float)
    rh = np.clip(np.asarray(rh, float), 5.0, 99.0)
    return (t * np.arctan(0.151977 * np.sqrt(rh + 8.313659)) + np.arctan(t + rh)
            - np.arctan(rh - 1.676331) + 0.00391838 * rh ** 1.5 * np.arctan(0.023101 * rh)
            - 4.686035)


def normal_cdf(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(np.asarray(z, float) / sqrt(2.0)))


def mode_shares_monthly(temp: np.ndarray, model: CoolingModel) -> tuple[np.ndarray, np.ndarray]:
    """(free, partial) share of the year's hours from (..., 12) monthly means."""
    t = np.asarray(temp, float)
    below_free = normal_cdf((model.t_free - t) / model.sd)
    below_top = normal_cdf((model.t_free + model.band - t) / model.sd)
    free = (below_free * MONTH_HOURS).sum(axis=-1) / MONTH_HOURS.sum()
    partial = ((below_top - below_free) * MONTH_HOURS).sum(axis=-1) / MONTH_HOURS.sum()
    return free, partial


def mode_shares_hourly(temp: np.ndarray, model: CoolingModel) -> tuple[np.ndarray, np.ndarray]:
    """(free, partial) share of hours from (..., hours) hourly values."""
    t = np.asarray(temp, float)
    free = (t <= model.t_free).mean(axis=-1)
    partial = ((t > model.t_free) & (t <= model.t_free + model.band)).mean(axis=-1)
    return free, partial


def annual_pue(temp: np.ndarray, rh: np.ndarray | float | None = None,
               model: CoolingModel | None = None) -> dict[str, np.ndarray]:
    """Estimated annual PUE per site from monthly (..., 12) or hourly (..., 8760) normals
    of dry-bulb temperature (C) and relative humidity (%; a scalar or per site is
    broadcast). Returns ``pue``, ``free_hours`` and ``partial_hours`` (per year)."""
    model = model or CoolingModel()
    t = np.asarray(temp, float)
    if model.use_wet_bulb:
        if rh is None:
            raise ValueError("relative humidity is needed for the wet-bulb model")
        r = np.asarray(rh, float)
        if r.ndim == t.ndim - 1:
            r = r[..., None]
        t = wet_bulb(t, np.broadcast_to(r, t.shape))
    shares = (mode_shares_monthly(t, model) if t.shape[-1] == 12
              else mode_shares_hourly(t, model))
    free, partial = shares
    mech = 1.0 - free - partial
    pue = free * model.pue_free + partial * model.pue_partial + mech * model.pue_mech
    return {"pue": pue, "free_hours": free * 8760.0, "partial_hours": partial * 8760.0}
