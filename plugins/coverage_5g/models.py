"""Propagation models, vectorized over arrays of distances.

Conventions for every model: ``f_ghz`` carrier frequency in GHz, ``d_m`` the horizontal
(2D) distance in metres between base station and user terminal, ``h_bs`` / ``h_ut`` the
antenna heights above their local ground in metres. Models that need the 3D distance
derive it as ``sqrt(d_2D² + (h_bs - h_ut)²)``. Results are path losses in dB (float64
arrays, or floats for scalar input).

Sources:

* free space: 20 log10(4π d f / c) with the 3D distance;
* 3GPP TR 38.901 V17 Table 7.4.1-1, UMi-Street Canyon and UMa, LOS and NLOS, with the
  effective-height breakpoint ``d'_BP = 4 h'_BS h'_UT f_c / c``, ``h' = h - h_E`` and
  ``h_E = 1 m`` for both scenarios (for UMa this is the value the report uses when
  ``h_UT < 13 m``; its probabilistic ``h_E`` for taller terminals is not drawn here);
* COST-231 Hata (COST Action 231 final report, ch. 4.4) with ``a(h_m)`` of the
  medium/small city, ``C_m = 3 dB`` ("urban", metropolitan centres) or 0 dB
  ("suburban", medium cities and suburbs);
* single knife-edge diffraction ITU-R P.526-15 eq. (31).

Nothing is clamped silently: :func:`validity_warnings` reports inputs outside the
ranges the sources were fitted for.
"""

from __future__ import annotations

import numpy as np

C = 299_792_458.0  #: speed of light, m/s

MODELS: tuple[str, ...] = (
    "fspl",
    "umi_street_canyon",
    "uma",
    "cost231_hata_urban",
    "cost231_hata_suburban",
)

#: Effective environment height h_E (m) used in the 38.901 breakpoint distance.
H_E = 1.0


def _log(x: np.ndarray) -> np.ndarray:
    return np.log10(x)


def _as_float(value):
    return float(value) if np.ndim(value) == 0 else value


def distance_3d(d_m, h_bs, h_ut) -> np.ndarray:
    d = np.asarray(d_m, float)
    return np.sqrt(d * d + (np.asarray(h_bs, float) - np.asarray(h_ut, float)) ** 2)


def fspl(f_ghz, d3_m) -> np.ndarray:
    """Free-space path loss (dB) at 3D distance ``d3_m`` (m), frequency in GHz."""
    f_hz = np.asarray(f_ghz, float) * 1e9
    d = np.maximum(np.asarray(d3_m, float), 1e-3)
    return 20.0 * _log(4.0 * np.pi * d * f_hz / C)


def breakpoint_distance(f_ghz, h_bs, h_ut, h_e: float = H_E) -> np.ndarray:
    """38.901 effective breakpoint distance d'_BP (m)."""
    return 4.0 * (np.asarray(h_bs, float) - h_e) * (np.asarray(h_ut, float) - h_e) * (
        np.asarray(f_ghz, float) * 1e9) / C


def _geometry(f_ghz, d_m, h_bs, h_ut) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d_2D clamped away from 0, d_3D, f_c) as float arrays."""
    d2 = np.maximum(np.asarray(d_m, float), 1e-3)
    return d2, distance_3d(d2, h_bs, h_ut), np.asarray(f_ghz, float)


def _dual_slope_los(f_ghz, d_m, h_bs, h_ut, a: float, b: float, c: float) -> np.ndarray:
    """The 38.901 LOS form shared by UMi and UMa: PL1 = a + b log d3 + 20 log fc up to
    the breakpoint, PL2 = a + 40 log d3 + 20 log fc - c log(d'BP² + (hBS - hUT)²) after."""
    d2, d3, fc = _geometry(f_ghz, d_m, h_bs, h_ut)
    dbp = breakpoint_distance(fc, h_bs, h_ut)
    pl1 = a + b * _log(d3) + 20.0 * _log(fc)
    pl2 = (a + 40.0 * _log(d3) + 20.0 * _log(fc)
           - c * _log(dbp ** 2 + (np.asarray(h_bs, float) - np.asarray(h_ut, float)) ** 2))
    return np.where(d2 <= dbp, pl1, pl2)


def umi_los(f_ghz, d_m, h_bs, h_ut) -> np.ndarray:
    """38.901 UMi-Street Canyon LOS (PL1 before, PL2 after the breakpoint)."""
    return _dual_slope_los(f_ghz, d_m, h_bs, h_ut, a=32.4, b=21.0, c=9.5)


def umi_nlos(f_ghz, d_m, h_bs, h_ut) -> np.ndarray:
    """38.901 UMi-Street Canyon NLOS: max(PL_LOS, PL'_NLOS)."""
    d2, d3, fc = _geometry(f_ghz, d_m, h_bs, h_ut)
    pl_nlos = 35.3 * _log(d3) + 22.4 + 21.3 * _log(fc) - 0.3 * (np.asarray(h_ut, float) - 1.5)
    return np.maximum(umi_los(fc, d2, h_bs, h_ut), pl_nlos)


def uma_los(f_ghz, d_m, h_bs, h_ut) -> np.ndarray:
    """38.901 UMa LOS (h_E = 1 m)."""
    return _dual_slope_los(f_ghz, d_m, h_bs, h_ut, a=28.0, b=22.0, c=9.0)


def uma_nlos(f_ghz, d_m, h_bs, h_ut) -> np.ndarray:
    """38.901 UMa NLOS: max(PL_LOS, PL'_NLOS)."""
    d2, d3, fc = _geometry(f_ghz, d_m, h_bs, h_ut)
    pl_nlos = 13.54 + 39.08 * _log(d3) + 20.0 * _log(fc) - 0.6 * (np.asarray(h_ut, float) - 1.5)
    return np.maximum(uma_los(fc, d2, h_bs, h_ut), pl_nlos)


def cost231_hata(f_ghz, d_m, h_bs, h_ut, c_m: float = 3.0) -> np.ndarray:
    """COST-231 Hata, medium/small-city a(h_m); ``c_m`` 3 dB (urban) or 0 dB (suburban)."""
    f_mhz = np.asarray(f_ghz, float) * 1000.0
    d_km = np.maximum(np.asarray(d_m, float), 1e-3) / 1000.0
    hb = np.asarray(h_bs, float)
    hm = np.asarray(h_ut, float)
    a_hm = (1.1 * _log(f_mhz) - 0.7) * hm - (1.56 * _log(f_mhz) - 0.8)
    return (46.3 + 33.9 * _log(f_mhz) - 13.82 * _log(hb) - a_hm
            + (44.9 - 6.55 * _log(hb)) * _log(d_km) + c_m)


def path_loss(model: str, f_ghz, d_m, h_bs, h_ut, los=True):
    """Path loss (dB) of ``model`` (one of :data:`MODELS`); vectorized over all inputs.

    ``d_m`` is the horizontal distance. ``los`` (bool or bool array) picks the LOS or
    NLOS formula of the 38.901 models (NLOS already includes the max with LOS); free
    space and COST-231 Hata ignore it.
    """
    if model == "fspl":
        out = fspl(f_ghz, distance_3d(d_m, h_bs, h_ut))
    elif model == "umi_street_canyon":
        out = np.where(los, umi_los(f_ghz, d_m, h_bs, h_ut), umi_nlos(f_ghz, d_m, h_bs, h_ut))
    elif model == "uma":
        out = np.where(los, uma_los(f_ghz, d_m, h_bs, h_ut), uma_nlos(f_ghz, d_m, h_bs, h_ut))
    elif model == "cost231_hata_urban":
        out = cost231_hata(f_ghz, d_m, h_bs, h_ut, c_m=3.0)
    elif model == "cost231_hata_suburban":
        out = cost231_hata(f_ghz, d_m, h_bs, h_ut, c_m=0.0)
    else:
        raise ValueError(f"unknown propagation model {model!r}; choose one of {', '.join(MODELS)}")
    return _as_float(out)


#: Fitted/valid ranges: (f GHz), (d_2D m), (h_BS m), (h_UT m); None = no limit stated.
VALIDITY: dict[str, dict[str, tuple[float, float] | None]] = {
    "fspl": {"f": None, "d": None, "h_bs": None, "h_ut": None},
    "umi_street_canyon": {"f": (0.5, 100.0), "d": (10.0, 5000.0), "h_bs": (10.0, 10.0),
                          "h_ut": (1.5, 22.5)},
    "uma": {"f": (0.5, 100.0), "d": (10.0, 5000.0), "h_bs": (25.0, 25.0),
            "h_ut": (1.5, 22.5)},
    "cost231_hata_urban": {"f": (1.5, 2.0), "d": (1000.0, 20000.0), "h_bs": (30.0, 200.0),
                           "h_ut": (1.0, 10.0)},
    "cost231_hata_suburban": {"f": (1.5, 2.0), "d": (1000.0, 20000.0), "h_bs": (30.0, 200.0),
                              "h_ut": (1.0, 10.0)},
}
_LABELS = {"f": ("frequency", "GHz"), "d": ("2D distance", "m"), "h_bs": ("h_BS", "m"),
           "h_ut": ("h_UT", "m")}


def validity_flags(model: str, f_ghz, d_m, h_bs, h_ut) -> dict[str, np.ndarray]:
    """Boolean arrays, True where an input is outside the model's validity range."""
    if model not in VALIDITY:
        raise ValueError(f"unknown propagation model {model!r}")
    arrays = np.broadcast_arrays(*(np.asarray(v, float) for v in (f_ghz, d_m, h_bs, h_ut)))
    values = dict(zip(("f", "d", "h_bs", "h_ut"), arrays, strict=True))
    flags = {}
    for key, rng in VALIDITY[model].items():
        v = values[key]
        flags[key] = (np.zeros(v.shape, bool) if rng is None
                      else (v < rng[0] - 1e-9) | (v > rng[1] + 1e-9))
    return flags


def validity_warnings(model: str, f_ghz, d_m, h_bs, h_ut) -> list[str]:
    """Human-readable warnings for inputs outside the model's range (empty when valid)."""
    out = []
    for key, flag in validity_flags(model, f_ghz, d_m, h_bs, h_ut).items():
        n = int(np.count_nonzero(flag))
        if not n:
            continue
        lo, hi = VALIDITY[model][key]  # type: ignore[misc]
        name, unit = _LABELS[key]
        rng = f"{lo:g} {unit}" if lo == hi else f"{lo:g}-{hi:g} {unit}"
        where = "" if np.ndim(flag) == 0 else f" for {n} of {np.size(flag)} values"
        out.append(f"{model}: {name} outside the model's range ({rng}){where}")
    return out


def knife_edge_loss(nu) -> np.ndarray:
    """ITU-R P.526 single knife-edge loss J(ν) in dB; 0 for ν ≤ -0.78."""
    v = np.asarray(nu, float)
    v = np.where(v > -0.78, v, 0.0)
    j = 6.9 + 20.0 * _log(np.sqrt((v - 0.1) ** 2 + 1.0) + v - 0.1)
    return _as_float(np.where(np.asarray(nu, float) > -0.78, j, 0.0))


def fresnel_nu(h_m, d1_m, d2_m, f_ghz) -> np.ndarray:
    """Fresnel-Kirchhoff parameter ν = h sqrt(2 (d1 + d2) / (λ d1 d2))."""
    lam = C / (np.asarray(f_ghz, float) * 1e9)
    d1 = np.asarray(d1_m, float)
    d2 = np.asarray(d2_m, float)
    return np.asarray(h_m, float) * np.sqrt(2.0 * (d1 + d2) / (lam * d1 * d2))
